"""The test harness that runs *inside* the coding-task sandbox (see cadre.screening.sandbox).

It is executed by Debian's system interpreter (``/usr/bin/python3 -I -B``) inside bubblewrap, never
imported by Cadre: standard library only, no ``cadre`` import, nothing from the project's virtualenv.
``sandbox.py`` copies this file's text into the sandbox read-only at ``/sandbox/harness.py``.

Protocol (argv: ``IN_FD OUT_FD``):

* ``IN_FD`` (an anonymous memfd only this process holds) carries one JSON payload: the candidate's
  ``solution`` source, the ``limits`` and either ``cases`` (the *cases* format: each case's name and
  the steps that call the candidate's functions, **without** expected values) or the hidden unittest
  ``tests`` source (the older, advisory-only format). It is read and closed before
  any candidate code exists, so the hidden tests are never a file inside the sandbox.
* ``OUT_FD`` (a pipe to the host) receives one JSON report when everything in the sandbox has ended.

Process layout and trust: this process (the *supervisor*) is PID 1 of the sandbox's PID namespace
(bwrap ``--as-pid-1``), so nothing inside can signal it and every orphan is re-parented to it. It
makes itself non-dumpable (so neither ``/proc/1/fd`` nor ptrace reach its descriptors or memory),
applies the resource limits, writes ``/scratch/solution.py`` and works out the expected test ids from
the hidden tests' syntax tree (``ast``, nothing executed). It then forks a *worker* which closes ``OUT_FD``
first, lowers its CPU limit, executes the hidden tests (which import ``solution``) with
``unittest`` and streams one JSON line per event back over a private pipe. Only the supervisor
writes the report. It samples the number of tasks in the namespace, stops everything at the wall
limit (reporting the tests finished so far and the one that was running), and kills and reaps any
process the code leaves behind.

Cases format (what grading uses): the worker imports ``solution``, runs each case's steps and sends
back, per emitted result, ``json.dumps`` of a value it has checked is made of exact built-in JSON types
(dict/list/str/int/float/bool/None; a subclass or any other object is reported as invalid), or the
name of the exception raised. It never sees an expected value and never decides pass or fail: the
host compares the returned JSON with the expected values it kept. The candidate's code can of course
write any bytes to the events pipe, but all it can claim is "my function returned X" for the inputs
it was given, which is worth a pass only if X is the right answer.

Unittest format (advisory only): the candidate's code runs in the worker, the same process as
the tests, so it can read the tests' code objects and could monkeypatch ``unittest`` to make the
worker *claim* passes. It cannot make a test disappear (the supervisor expects every statically
found test and marks a silent one ``not_run``/``error``), cannot write the report, cannot outlive
the supervisor's deadline and cannot see the tests' source as a file. Forged passes are therefore
possible by tampering inside the worker (reproduced: patching ``unittest.TestCase.run`` gives a clean
"pass"), so Cadre never scores a unittest-format result automatically: a person reviews it.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import errno
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
import types
import unittest
from typing import Any

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
SCRATCH = "/scratch"
MODULE = "hidden_tests"
DETAIL_CHARS = 2000
MAX_EVENT_BYTES = 4 * 1024 * 1024
POLL_SECONDS = 0.02


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    resource.setrlimit(which, (soft, soft if hard is None else hard))


def static_test_ids(source: str) -> list[str]:
    """``Class.test_method`` for every top-level class whose base name ends in ``TestCase``."""
    tree = ast.parse(source)
    ids: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [
            b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
            for b in node.bases
        ]
        if not any(name.endswith("TestCase") for name in bases):
            continue
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                ids.append(f"{node.name}.{item.name}")
    return ids


def _short_id(test: Any) -> str:
    test_id = str(test.id())
    prefix = MODULE + "."
    return test_id[len(prefix) :] if test_id.startswith(prefix) else test_id


def _format_error(err: Any) -> str:
    """The traceback without unittest's own frames, cut to DETAIL_CHARS (the end is the useful part)."""
    exc_type, exc, tb = err
    while tb is not None and tb.tb_frame.f_globals.get("__name__", "").startswith("unittest"):
        tb = tb.tb_next
    return "".join(traceback.format_exception(exc_type, exc, tb))[-DETAIL_CHARS:]


def _describe_error(err: Any) -> dict[str, Any]:
    exc_type, exc, tb = err
    info: dict[str, Any] = {"error_type": getattr(exc_type, "__name__", "Exception")}
    if isinstance(exc, OSError) and exc.errno is not None:
        info["errno"] = errno.errorcode.get(exc.errno, str(exc.errno))
    frames = traceback.extract_tb(tb) if tb is not None else []
    last = frames[-1] if frames else None
    fork_words = ("fork", "_execute_child", "Popen", "Process")
    info["process_limit"] = bool(
        (
            isinstance(exc, OSError)
            and exc.errno == errno.EAGAIN
            and last is not None
            and any(w in (last.line or "") or w in last.name for w in fork_words)
        )
        or (isinstance(exc, RuntimeError) and "can't start new thread" in str(exc))
    )
    return info


# --------------------------------------------------------------------------------------------------
# Worker (runs the candidate's code; everything here is untrusted once `solution` is imported)


def _worker(code: types.CodeType, events_fd: int, cpu_seconds: int) -> None:
    main_pid = os.getpid()

    def send(event: dict[str, Any]) -> None:
        if os.getpid() != main_pid:  # a process the candidate forked: it reports nothing
            return
        with contextlib.suppress(OSError):
            _write_all(events_fd, (json.dumps(event) + "\n").encode())

    class Reporter(unittest.TestResult):
        def startTest(self, test: Any) -> None:
            super().startTest(test)
            send({"event": "start", "id": _short_id(test)})

        def stopTest(self, test: Any) -> None:
            super().stopTest(test)
            if os.getpid() != main_pid:  # a forked child came back into unittest: end it here
                _flush_and_exit(0)

        def _outcome(self, test: Any, outcome: str, err: Any = None) -> None:
            event: dict[str, Any] = {"event": "test", "id": _short_id(test), "outcome": outcome}
            if err is not None:
                event.update(_describe_error(err))
                event["detail"] = _format_error(err)
            send(event)

        def addSuccess(self, test: Any) -> None:
            super().addSuccess(test)
            self._outcome(test, "passed")

        def addFailure(self, test: Any, err: Any) -> None:
            super().addFailure(test, err)
            self._outcome(test, "failed", err)

        def addError(self, test: Any, err: Any) -> None:
            super().addError(test, err)
            self._outcome(test, "error", err)

        def addSkip(self, test: Any, reason: str) -> None:
            super().addSkip(test, reason)
            send({"event": "test", "id": _short_id(test), "outcome": "skipped"})

        def addExpectedFailure(self, test: Any, err: Any) -> None:
            super().addExpectedFailure(test, err)
            self._outcome(test, "passed")

        def addUnexpectedSuccess(self, test: Any) -> None:
            super().addUnexpectedSuccess(test)
            send(
                {
                    "event": "test",
                    "id": _short_id(test),
                    "outcome": "failed",
                    "error_type": "UnexpectedSuccess",
                }
            )

        def addSubTest(self, test: Any, subtest: Any, err: Any) -> None:
            super().addSubTest(test, subtest, err)
            if err is not None:
                kind = "failed" if issubclass(err[0], test.failureException) else "error"
                self._outcome(test, kind, err)

    _set_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    sys.argv = ["solution"]
    sys.path.insert(0, SCRATCH)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # flush each line, so output printed before a kill is not lost
        with contextlib.suppress(ValueError):
            reconfigure(line_buffering=True)
    module = types.ModuleType(MODULE)
    module.__file__ = f"<{MODULE}>"
    sys.modules[MODULE] = module
    try:
        exec(code, module.__dict__)
        suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    except BaseException as exc:  # noqa: BLE001 - anything the solution raises on import is reported
        err = (type(exc), exc, exc.__traceback__)
        event: dict[str, Any] = {"event": "load_error", **_describe_error(err)}
        event["detail"] = _format_error(err)
        send(event)
        _flush_and_exit(0)
    send({"event": "plan", "ids": [_short_id(t) for t in _iter_tests(suite)]})
    suite.run(Reporter())
    send({"event": "done"})
    _flush_and_exit(0)


# --------------------------------------------------------------------------------------------------
# Cases worker (the "cases" format: data in, plain JSON out; the verdict is made on the host)

_PLAIN_TYPES = (dict, list, str, int, float, bool, type(None))
MAX_DEPTH = 64


def _plain_json(value: Any, depth: int = 0) -> str:
    """Why ``value`` is not plain JSON (exact built-in types only: no subclass, no custom __eq__), or ''."""
    kind = type(value)
    if depth > MAX_DEPTH:
        return "nested too deeply"
    if kind not in _PLAIN_TYPES:
        return f"a {kind.__name__!s}, not a JSON value (dict, list, str, int, float, bool or None)"
    if kind is float and (value != value or value in (float("inf"), float("-inf"))):
        return "a non-finite float"
    if kind is list:
        for item in value:
            problem = _plain_json(item, depth + 1)
            if problem:
                return problem
    elif kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return "a dict with a non-string key"
            problem = _plain_json(item, depth + 1)
            if problem:
                return problem
    return ""


def _expand(expr: Any, names: dict[str, Any]) -> Any:
    """Build a call argument from the case's data (see sandbox.py for the expression forms)."""
    if type(expr) is list:
        return [_expand(item, names) for item in expr]
    if type(expr) is not dict:
        return expr
    if len(expr) == 1:
        ((key, arg),) = expr.items()
        if key == "$ref":
            return names[arg]
        if key == "$literal":
            return arg
        if key == "$tuple":
            return tuple(_expand(arg, names))
        if key == "$set":
            return set(_expand(arg, names))
        if key == "$range":
            return list(range(*arg))
        if key == "$strings":
            prefix, *bounds = arg
            return [f"{prefix}{i}" for i in range(*bounds)]
        if key == "$repeat":
            values, times = arg
            return list(_expand(values, names)) * int(times)
        if key == "$float":
            return float(arg)
    return {key: _expand(item, names) for key, item in expr.items()}


def _run_case(module: Any, steps: list[dict[str, Any]], main_pid: int) -> dict[str, Any]:
    """Run one case's steps; each step marked ``emit`` (and each ``show``) adds one output."""
    names: dict[str, Any] = {}
    outputs: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        emit = bool(step.get("emit")) or "show" in step
        try:
            if "let" in step:
                names[str(step["let"])] = _expand(step["value"], names)
                continue
            if "show" in step:
                value = _expand(step["show"], names)
            elif "call" in step:
                target = getattr(module, str(step["call"]))
                value = target(
                    *_expand(step.get("args", []), names), **_expand(step.get("kwargs", {}), names)
                )
            else:
                subject = names[str(step["on"])]
                if "attr" in step:
                    value = getattr(subject, str(step["attr"]))
                else:
                    method = getattr(subject, str(step["method"]))
                    if "each" in step:
                        for item in _expand(step["each"], names):
                            method(item)
                        value = None
                    else:
                        value = method(
                            *_expand(step.get("args", []), names), **_expand(step.get("kwargs", {}), names)
                        )
        except BaseException as exc:  # noqa: BLE001 - the candidate's exception is the output
            if os.getpid() != main_pid:
                _flush_and_exit(0)
            info = _describe_error((type(exc), exc, exc.__traceback__))
            info["raises"] = info.pop("error_type")
            info["message"] = str(exc)[:200] if type(exc) in (ValueError, TypeError) else ""
            if not emit:
                return {"outputs": outputs, "aborted": {"step": index, **info}}
            outputs.append(info)
            continue
        if os.getpid() != main_pid:  # a process the candidate forked returned here: it reports nothing
            _flush_and_exit(0)
        if "as" in step:
            names[str(step["as"])] = value
        if emit:
            problem = _plain_json(value)
            if problem:
                outputs.append({"invalid": problem})
            else:
                try:
                    outputs.append({"json": json.dumps(value, allow_nan=False)})
                except (ValueError, TypeError, RecursionError) as exc:
                    outputs.append({"invalid": f"not serialisable as JSON ({type(exc).__name__})"})
    return {"outputs": outputs}


def _cases_worker(cases: list[dict[str, Any]], events_fd: int, cpu_seconds: int) -> None:
    main_pid = os.getpid()

    def send(event: dict[str, Any]) -> None:
        if os.getpid() != main_pid:
            return
        with contextlib.suppress(OSError):
            _write_all(events_fd, (json.dumps(event) + "\n").encode())

    _set_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    sys.argv = ["solution"]
    sys.path.insert(0, SCRATCH)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError):
            reconfigure(line_buffering=True)
    try:
        import solution  # noqa: PLC0415 - the candidate's code, imported only here, in the worker
    except BaseException as exc:  # noqa: BLE001 - anything the solution raises on import is reported
        if os.getpid() != main_pid:
            _flush_and_exit(0)
        err = (type(exc), exc, exc.__traceback__)
        event: dict[str, Any] = {"event": "load_error", **_describe_error(err)}
        event["detail"] = _format_error(err)
        send(event)
        _flush_and_exit(0)
    if os.getpid() != main_pid:
        _flush_and_exit(0)
    for case in cases:
        name = str(case["name"])
        send({"event": "start", "id": name})
        send({"event": "case", "id": name, **_run_case(solution, case["steps"], main_pid)})
    send({"event": "done"})
    _flush_and_exit(0)


def _iter_tests(suite: Any) -> list[Any]:
    found: list[Any] = []
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            found.extend(_iter_tests(item))
        else:
            found.append(item)
    return found


def _flush_and_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


# --------------------------------------------------------------------------------------------------
# Supervisor


def _count_tasks() -> int:
    """Processes *and* threads visible in this PID namespace (RLIMIT_NPROC counts both)."""
    total = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError):
                total += len(os.listdir(f"/proc/{name}/task"))
    return total


def _other_processes() -> int:
    me = os.getpid()
    return sum(1 for n in os.listdir("/proc") if n.isdigit() and int(n) not in (1, me))


def _reap(pid_status: dict[int, tuple[int, Any]], deadline: float) -> None:
    """Reap every child (the subreaper also inherits orphans) until none is left or the deadline."""
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.005)
            continue
        pid_status[pid] = (status, usage)


def supervise(payload: dict[str, Any], out_fd: int) -> dict[str, Any]:
    started = time.monotonic()
    limits = payload["limits"]
    nproc = int(limits["nproc"])
    deadline = started + float(limits["wall_seconds"])
    _prctl(PR_SET_DUMPABLE, 0)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # already implied as PID 1; kept should it run without --as-pid-1
    mem = int(limits["memory_bytes"])
    _set_limit(resource.RLIMIT_AS, mem)
    _set_limit(resource.RLIMIT_DATA, mem)
    _set_limit(resource.RLIMIT_NPROC, nproc)
    _set_limit(resource.RLIMIT_FSIZE, int(limits["fsize_bytes"]))
    _set_limit(resource.RLIMIT_NOFILE, int(limits["nofile"]))
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_MEMLOCK, 0)

    report: dict[str, Any] = {"harness": 1, "tests": [], "load_error": None, "plan": None}
    cases: list[dict[str, Any]] | None = payload.get("cases")
    code: types.CodeType | None = None
    if cases is not None:  # inputs only: the expected values never enter the sandbox
        report["static_ids"] = [str(case["name"]) for case in cases]
    else:
        tests_source = str(payload["tests"])
        try:
            report["static_ids"] = static_test_ids(tests_source)
            code = compile(tests_source, f"<{MODULE}>", "exec")
        except SyntaxError as exc:
            report["tests_invalid"] = f"SyntaxError at line {exc.lineno}"
            return report
        del tests_source
    solution_path = os.path.join(SCRATCH, "solution.py")
    with open(solution_path, "w", encoding="utf-8") as handle:
        handle.write(str(payload["solution"]))
    cpu_seconds = int(limits["cpu_seconds"])
    del payload

    events_r, events_w = os.pipe()
    worker_pid = os.fork()
    if worker_pid == 0:  # the worker: drop every channel the supervisor owns before anything else
        try:
            os.close(out_fd)
            os.close(events_r)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if cases is not None:
                _cases_worker(cases, events_w, cpu_seconds)
            elif code is not None:
                _worker(code, events_w, cpu_seconds)
        finally:
            os._exit(70)
    os.close(events_w)

    buffer = b""
    received = 0
    events: list[dict[str, Any]] = []
    peak = _count_tasks()
    timed_out = False
    worker_result: tuple[int, Any] | None = None
    statuses: dict[int, tuple[int, Any]] = {}
    events_open = True
    drain_until: float | None = None
    while True:
        now = time.monotonic()
        if now >= deadline:
            timed_out = worker_result is None
            break
        if events_open:
            ready, _, _ = select.select([events_r], [], [], POLL_SECONDS)
            if ready:
                chunk = os.read(events_r, 1 << 16)
                if not chunk:
                    events_open = False
                elif received < MAX_EVENT_BYTES:
                    received += len(chunk)
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for line in lines:
                        try:
                            event = json.loads(line)
                        except ValueError:
                            continue
                        if isinstance(event, dict):
                            events.append(event)
        else:
            time.sleep(POLL_SECONDS)
        peak = max(peak, _count_tasks())
        try:
            while True:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
                if pid == 0:
                    break
                statuses[pid] = (status, usage)
        except ChildProcessError:
            pass
        if worker_result is None and worker_pid in statuses:
            worker_result = statuses[worker_pid]
            drain_until = time.monotonic() + 0.2  # let the last events arrive
        if worker_result is not None and (
            not events_open or (drain_until and time.monotonic() > drain_until)
        ):
            break

    stray = _other_processes()
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)  # everything in this PID namespace except init and this process
    _reap(statuses, time.monotonic() + 2.0)
    if worker_result is None and worker_pid in statuses:
        worker_result = statuses[worker_pid]
    os.close(events_r)

    report["timed_out"] = timed_out
    report["peak_tasks"] = peak
    report["nproc"] = nproc
    report["stray_processes"] = 0 if timed_out else stray
    report["wall_seconds"] = round(time.monotonic() - started, 3)
    # Everything this subreaper reaped (the worker and every process the code left behind) plus itself.
    own, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    report["cpu_seconds"] = round(own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime, 3)
    report["max_rss_kb"] = int(max(own.ru_maxrss, reaped.ru_maxrss))
    if worker_result is not None:
        status, usage = worker_result
        report["worker"] = {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "max_rss_kb": int(usage.ru_maxrss),
        }
    else:
        report["worker"] = None
    for event in events:
        kind = event.get("event")
        if kind == "load_error":
            report["load_error"] = event
        elif kind == "plan" and isinstance(event.get("ids"), list):
            report["plan"] = [str(i) for i in event["ids"]][:10000]
        elif kind in ("start", "test", "done", "case"):
            report["tests"].append(event)
    return report


def main(argv: list[str]) -> int:
    in_fd, out_fd = int(argv[1]), int(argv[2])
    raw = _read_all(in_fd)
    os.close(in_fd)
    os.set_inheritable(out_fd, False)
    payload = json.loads(raw.decode("utf-8"))
    del raw
    try:
        report = supervise(payload, out_fd)
    except BaseException as exc:  # noqa: BLE001 - the host gets a report whatever happens here
        report = {"harness": 1, "harness_error": f"{type(exc).__name__}: {exc}"[:500]}
    _write_all(out_fd, json.dumps(report).encode("utf-8"))
    os.close(out_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
