"""Isolated runner for auto-graded coding tasks: candidate Python code against hidden unittest tests.

Pure module (no Django). ``run_tests(candidate_code, hidden_tests, limits=...)`` runs the candidate's
``solution.py`` and the hidden tests inside a bubblewrap (``bwrap``, Debian package ``bubblewrap``)
sandbox and returns a :class:`SandboxResult` with the status, per-test outcomes, resource use and the
candidate's own output (truncated, hidden-test lines redacted). It never runs candidate code outside
the sandbox: when bwrap is missing or cannot create namespaces the result is ``sandbox_unavailable``.

Isolation (the bwrap command line is built by :func:`bwrap_command`):

* namespaces: user, PID, network, IPC, UTS and cgroup (``--unshare-all --unshare-user``); the network
  namespace has only a loopback interface, so nothing on the host (``127.0.0.1:5432``) nor outside is
  reachable; ``--disable-userns`` stops the code from creating further user namespaces;
* file system: a fresh root that is remounted read-only, with only ``/usr`` (plus the merged-/usr
  symlinks ``/bin``, ``/lib``, ``/lib64``, ``/sbin``) and ``/etc/ld.so.cache`` bound read-only, a new
  ``/proc`` for the PID namespace, a minimal ``/dev`` (remounted read-only), an empty read-only
  ``/tmp``, and a size-capped tmpfs ``/scratch`` — the only writable place, private to the run and gone
  with it. ``/etc/shadow``, ``/home``, ``/root``, ``/work`` and the project are simply not there;
* identity: the code runs as uid/gid 65534 inside, with no capabilities (``--cap-drop ALL``) and
  ``no_new_privs``; when Cadre runs as root the outer bwrap process itself is started as uid/gid 65534
  (``subprocess``'s ``user``/``group``/``extra_groups``), so nothing in the sandbox maps to host root;
* environment: ``--clearenv`` plus PATH/HOME/TMPDIR/LANG; bwrap itself also gets only those, so no
  host variable (database URL, secrets) is visible anywhere in the sandbox, ``/proc/1/environ``
  included; a new session (``--new-session``) so the code cannot push keystrokes into a terminal;
* lifetime: the supervisor is PID 1 of the sandbox (``--as-pid-1``), so the code cannot signal it and
  every orphan is reaped by it (and bwrap reaps it, so ``wait4`` sees the whole tree's CPU and peak
  RSS); ``--die-with-parent``; the host puts bwrap in its own process group and SIGKILLs it at the
  wall deadline, which ends the PID namespace and everything in it.

Limits (:class:`Limits`) are applied by the in-sandbox supervisor (``sandbox_harness.py``) with
``setrlimit`` before any candidate code exists, as hard limits the code cannot raise: RLIMIT_AS and
RLIMIT_DATA (memory), RLIMIT_NPROC (processes *and threads*), RLIMIT_FSIZE (largest file),
RLIMIT_NOFILE, RLIMIT_CORE=0, and RLIMIT_CPU on the process that runs the tests. Setting them inside
rather than with ``prlimit``/``preexec_fn`` on the host is deliberate: no ``preexec_fn`` (unsafe in a
threaded web server), and RLIMIT_NPROC is counted per user *per user namespace* on Linux >= 5.14, so a
limit set inside the sandbox's own user namespace is a per-run budget instead of one shared by every
concurrent run of uid 65534 (on older kernels it is still enforced, but shared across concurrent runs).
The wall-clock limit is enforced twice: by the supervisor (which then reports partial results) and by
the host (``wall_seconds + START_GRACE_SECONDS``) in case the supervisor itself is stuck. RLIMIT_AS
and RLIMIT_CPU are per process, so a forking program could use up to ``max_processes`` times either;
the process cap and the wall limit bound that.

Known limits of the design: the candidate's code runs in the same process as the hidden tests (that is
how unit tests call it), so it can introspect the tests' code objects and could monkeypatch unittest to
claim passes; see the harness docstring for what the supervisor still guarantees. There is no seccomp
filter (bwrap only loads a compiled BPF program, and the project has no libseccomp binding to build one
per architecture), so the kernel's syscall surface is reachable from inside the namespaces. Memory is
capped per process (RLIMIT_AS), not per tree: a cgroup would be stronger but is not delegated to
unprivileged users on ordinary hosts.
"""

from __future__ import annotations

import ast
import errno
import json
import math
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

SANDBOX_VERSION = "sandbox-2026.11.1"

SYSTEM_PYTHON = "/usr/bin/python3"
SANDBOX_UID = 65534  # "nobody": a dedicated unprivileged id; RLIMIT_NPROC is accounted per uid
SANDBOX_GID = 65534
SCRATCH = "/scratch"
HARNESS_PATH = "/sandbox/harness.py"
START_GRACE_SECONDS = 3.0  # bwrap + interpreter start-up and teardown, on top of the wall limit
HARNESS_TASKS = 1  # the supervisor (PID 1 inside) also counts against RLIMIT_NPROC
MAX_CODE_BYTES = 512 * 1024
MAX_TESTS_BYTES = 512 * 1024
MAX_REPORT_BYTES = 8 * 1024 * 1024
REDACT_MIN_CHARS = 8
NOFILE = 256
LANGUAGES = ("python",)

_HARNESS_SOURCE = Path(__file__).with_name("sandbox_harness.py")
_HOST_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


class SandboxInputError(ValueError):
    """The request itself is unusable (bad limits, unknown language, oversized or invalid tests)."""


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY_EXCEEDED = "memory_exceeded"
    KILLED = "killed"
    SANDBOX_UNAVAILABLE = "sandbox_unavailable"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    NOT_RUN = "not_run"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run. ``max_processes`` counts the candidate's processes *and threads*,
    including the one running the tests (the supervisor is added on top)."""

    cpu_seconds: int = 5
    wall_seconds: float = 10.0
    memory_mb: int = 256
    max_processes: int = 16
    max_output_kb: int = 64
    max_file_mb: int = 16
    scratch_mb: int = 32

    def __post_init__(self) -> None:
        checks: list[tuple[str, float, float, float]] = [
            ("cpu_seconds", self.cpu_seconds, 1, 600),
            ("wall_seconds", self.wall_seconds, 0.5, 1800),
            ("memory_mb", self.memory_mb, 48, 16384),
            ("max_processes", self.max_processes, 1, 1024),
            ("max_output_kb", self.max_output_kb, 1, 16384),
            ("max_file_mb", self.max_file_mb, 1, 4096),
            ("scratch_mb", self.scratch_mb, 1, 4096),
        ]
        for name, value, low, high in checks:
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise SandboxInputError(
                    f"Limits.{name} must be a number from {low:g} to {high:g}, got {value!r}"
                )
        if not isinstance(self.cpu_seconds, int):
            raise SandboxInputError("Limits.cpu_seconds must be a whole number of seconds")


@dataclass(frozen=True)
class TestOutcome:
    """One hidden test. ``detail`` (assertion message / traceback) is for staff only: it can quote
    expected values from the hidden tests."""

    name: str
    outcome: str
    error_type: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SandboxResult:
    status: str
    reason: str
    tests_passed: int = 0
    tests_total: int = 0
    tests: tuple[TestOutcome, ...] = ()
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    max_rss_kb: int = 0
    exit_code: int | None = None
    signal: int | None = None
    output: str = ""
    output_truncated: bool = False
    peak_processes: int = 0
    limits: Limits = field(default_factory=Limits)
    sandbox_version: str = SANDBOX_VERSION

    @property
    def passed_names(self) -> list[str]:
        return [t.name for t in self.tests if t.outcome == Outcome.PASSED]

    @property
    def failed_names(self) -> list[str]:
        return [t.name for t in self.tests if t.outcome not in (Outcome.PASSED, Outcome.SKIPPED)]

    def candidate_view(self) -> dict[str, Any]:
        """What may be shown to the candidate: no staff details, no hidden-test source."""
        return {
            "status": self.status,
            "reason": self.reason,
            "tests_passed": self.tests_passed,
            "tests_total": self.tests_total,
            "tests": [{"name": t.name, "outcome": t.outcome} for t in self.tests],
            "cpu_seconds": self.cpu_seconds,
            "wall_seconds": self.wall_seconds,
            "max_rss_kb": self.max_rss_kb,
            "output": self.output,
            "output_truncated": self.output_truncated,
            "sandbox_version": self.sandbox_version,
        }

    def to_record(self) -> dict[str, Any]:
        """Everything, JSON-ready, for the staff-side record (includes per-test details)."""
        record = asdict(self)
        record["tests"] = [asdict(t) for t in self.tests]
        return record


# --------------------------------------------------------------------------------------------------
# Availability


def default_bwrap() -> str:
    return shutil.which("bwrap", path="/usr/bin:/bin:/usr/local/bin") or "/usr/bin/bwrap"


def sandbox_available(bwrap_path: str | None = None) -> tuple[bool, str]:
    """Whether bwrap can build the sandbox here, and why not (a success is remembered per path)."""
    path = bwrap_path or default_bwrap()
    if not sys.platform.startswith("linux"):
        return False, f"the sandbox needs Linux namespaces; this is {sys.platform}"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return False, f"bubblewrap not found at {path} (install Debian's 'bubblewrap' package)"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False, f"the system interpreter {SYSTEM_PYTHON} is missing (install Debian's 'python3')"
    if path in _WORKING_BWRAPS:
        return True, _WORKING_BWRAPS[path]
    ok, why = _probe(path)
    if ok:
        _WORKING_BWRAPS[path] = why
    return ok, why


_WORKING_BWRAPS: dict[str, str] = {}


def _probe(path: str) -> tuple[bool, str]:
    """Build a real sandbox with the same command line and run the system interpreter in it."""
    argv = bwrap_command(path, Limits(), harness_fd=None) + [SYSTEM_PYTHON, "-I", "-c", "pass"]
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=30, env=_HOST_ENV, cwd="/", **_drop_privileges()
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bubblewrap could not be started: {exc}"
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[:300] or f"exit code {done.returncode}"
        return False, f"bubblewrap cannot create the sandbox here: {message}"
    return True, f"bubblewrap at {path} works (user, pid and network namespaces)"


def _drop_privileges() -> dict[str, Any]:
    """Start bwrap as the dedicated sandbox uid when we are root (no preexec_fn: thread-safe)."""
    if os.geteuid() == 0:
        return {"user": SANDBOX_UID, "group": SANDBOX_GID, "extra_groups": []}
    return {}


# --------------------------------------------------------------------------------------------------
# Command line


def bwrap_command(bwrap_path: str, limits: Limits, *, harness_fd: int | None) -> list[str]:
    """The bwrap argv up to (not including) the command it runs inside."""
    argv = [
        bwrap_path,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--as-pid-1",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_GID),
        "--hostname",
        "sandbox",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(top):
            argv += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            argv += ["--ro-bind", top, top]
    argv += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    argv += ["--proc", "/proc", "--dev", "/dev", "--dir", "/tmp"]
    argv += ["--size", str(limits.scratch_mb * 1024 * 1024), "--perms", "0700", "--tmpfs", SCRATCH]
    if harness_fd is not None:
        argv += ["--perms", "0444", "--ro-bind-data", str(harness_fd), HARNESS_PATH]
    argv += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", SCRATCH, "--clearenv"]
    for name, value in (
        ("PATH", "/usr/bin:/bin"),
        ("HOME", SCRATCH),
        ("TMPDIR", SCRATCH),
        ("LANG", "C.UTF-8"),
    ):
        argv += ["--setenv", name, value]
    argv.append("--")
    return argv


# --------------------------------------------------------------------------------------------------
# Running


def run_tests(
    candidate_code: str,
    hidden_tests: str,
    *,
    limits: Limits | None = None,
    language: str = "python",
    bwrap_path: str | None = None,
) -> SandboxResult:
    """Run ``hidden_tests`` (a unittest module that imports ``solution``) against ``candidate_code``.

    ADVISORY ONLY: the tests run in the candidate's process, which can forge their outcome (see the
    module docstring). Grade with :func:`run_cases`; a unittest result is for a person to review."""
    limits = limits or Limits()
    _validate(candidate_code, hidden_tests, language)
    return _launch(
        {"solution": candidate_code, "tests": hidden_tests}, limits, bwrap_path, hidden_tests, None
    )


def run_cases(
    candidate_code: str,
    cases: CaseSuite | str | bytes,
    *,
    limits: Limits | None = None,
    language: str = "python",
    bwrap_path: str | None = None,
) -> SandboxResult:
    """Run the candidate's functions on the inputs of each case in the sandbox; judge the results here.

    Only each case's name and steps go into the sandbox. The worker returns each result as plain JSON
    (or the name of the exception raised); this process compares it with the expected value, which never
    leaves it. Nothing the candidate's code does inside can turn a wrong result into a pass."""
    limits = limits or Limits()
    suite = cases if isinstance(cases, CaseSuite) else parse_cases(cases)
    _validate_code(candidate_code, language)
    sent = [{"name": case.name, "steps": list(case.steps)} for case in suite.cases]
    return _launch({"solution": candidate_code, "cases": sent}, limits, bwrap_path, "", suite)


def _launch(
    request: dict[str, Any],
    limits: Limits,
    bwrap_path: str | None,
    hidden_tests: str,
    suite: CaseSuite | None,
) -> SandboxResult:
    ok, why = sandbox_available(bwrap_path)
    if not ok:
        return SandboxResult(status=Status.SANDBOX_UNAVAILABLE, reason=why, limits=limits)
    path = bwrap_path or default_bwrap()

    payload = {
        **request,
        "limits": {
            "cpu_seconds": limits.cpu_seconds,
            "wall_seconds": limits.wall_seconds,
            "memory_bytes": limits.memory_mb * 1024 * 1024,
            "nproc": limits.max_processes + HARNESS_TASKS,
            "fsize_bytes": limits.max_file_mb * 1024 * 1024,
            "nofile": NOFILE,
        },
    }
    harness_fd = _memfd("cadre-sandbox-harness", _HARNESS_SOURCE.read_bytes())
    payload_fd = _memfd("cadre-sandbox-payload", json.dumps(payload).encode("utf-8"))
    output_r, output_w = os.pipe()
    report_r, report_w = os.pipe()
    argv = bwrap_command(path, limits, harness_fd=harness_fd)
    argv += [SYSTEM_PYTHON, "-I", "-B", HARNESS_PATH, str(payload_fd), str(report_w)]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output_w,
            stderr=subprocess.STDOUT,
            pass_fds=(harness_fd, payload_fd, report_w),
            close_fds=True,
            start_new_session=True,
            env=_HOST_ENV,
            cwd="/",
            **_drop_privileges(),
        )
    except OSError as exc:
        for fd in (harness_fd, payload_fd, output_r, output_w, report_r, report_w):
            os.close(fd)
        return SandboxResult(
            status=Status.SANDBOX_UNAVAILABLE, reason=f"bwrap could not start: {exc}", limits=limits
        )
    for fd in (harness_fd, payload_fd, output_w, report_w):
        os.close(fd)

    deadline = started + limits.wall_seconds + START_GRACE_SECONDS
    output, output_truncated, report_bytes, host_killed = _collect(
        proc.pid, output_r, report_r, deadline, limits.max_output_kb * 1024
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    wall = time.monotonic() - started

    text = _redact(output.decode("utf-8", "replace"), hidden_tests)
    report = _parse_report(report_bytes)
    if suite is not None and report is not None:
        report = judge_report(report, suite)
    outer_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    outer_signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    return _result(
        report,
        limits=limits,
        host_killed=host_killed,
        outer_code=outer_code,
        outer_signal=outer_signal,
        output=text,
        output_truncated=output_truncated,
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
        max_rss_kb=int(usage.ru_maxrss),
    )


def _validate_code(candidate_code: str, language: str) -> None:
    if language not in LANGUAGES:
        raise SandboxInputError(f"language {language!r} is not supported (supported: {', '.join(LANGUAGES)})")
    if not isinstance(candidate_code, str):
        raise SandboxInputError("candidate code must be text")
    if len(candidate_code.encode("utf-8", "surrogatepass")) > MAX_CODE_BYTES:
        raise SandboxInputError(f"the candidate's code is larger than {MAX_CODE_BYTES // 1024} KB")


def _validate(candidate_code: str, hidden_tests: str, language: str) -> None:
    if not isinstance(candidate_code, str) or not isinstance(hidden_tests, str):
        raise SandboxInputError("candidate code and hidden tests must be text")
    _validate_code(candidate_code, language)
    if len(hidden_tests.encode("utf-8", "surrogatepass")) > MAX_TESTS_BYTES:
        raise SandboxInputError(f"the hidden tests are larger than {MAX_TESTS_BYTES // 1024} KB")
    try:
        ast.parse(hidden_tests)
    except (SyntaxError, ValueError) as exc:
        raise SandboxInputError(f"the hidden tests are not valid Python: {exc}") from exc
    if not static_test_ids(hidden_tests):
        raise SandboxInputError(
            "the hidden tests define no test: write unittest.TestCase classes at top level"
        )


def static_test_ids(source: str) -> list[str]:
    """Test ids the harness will insist on (``Class.test_x`` of top-level ``*TestCase`` subclasses)."""
    tree = ast.parse(source)
    ids: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        names = [
            b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
            for b in node.bases
        ]
        if any(name.endswith("TestCase") for name in names):
            ids += [
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            ]
    return ids


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _collect(
    pid: int, output_r: int, report_r: int, deadline: float, max_output: int
) -> tuple[bytes, bool, bytes, bool]:
    """Read the output and report pipes until both close, the process ends, or the deadline passes."""
    output = bytearray()
    report = bytearray()
    truncated = False
    killed = False
    selector = selectors.DefaultSelector()
    selector.register(output_r, selectors.EVENT_READ, "output")
    selector.register(report_r, selectors.EVENT_READ, "report")
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed = _kill_group(pid)
                break
            for key, _ in selector.select(timeout=min(remaining, 0.5)):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fd)
                elif key.data == "output":
                    room = max_output - len(output)
                    if len(chunk) > room:
                        truncated = True
                    output += chunk[: max(room, 0)]
                elif len(report) < MAX_REPORT_BYTES:
                    report += chunk
        # Both pipes closed: give the process until the deadline to exit, then kill it.
        while not killed:
            if _exited(pid):
                break
            if time.monotonic() >= deadline:
                killed = _kill_group(pid)
                break
            time.sleep(0.01)
    finally:
        selector.close()
        os.close(output_r)
        os.close(report_r)
    return bytes(output), truncated, bytes(report), killed


def _exited(pid: int) -> bool:
    """Whether ``pid`` has ended, without reaping it (waitid with WNOWAIT)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _kill_group(pid: int) -> bool:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    except PermissionError:
        os.kill(pid, signal.SIGKILL)
    return True


def _parse_report(raw: bytes) -> dict[str, Any] | None:
    try:
        report = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return report if isinstance(report, dict) and report.get("harness") == 1 else None


def _redact(text: str, hidden_tests: str) -> str:
    """Replace any verbatim line of the hidden tests that the candidate's output reproduces."""
    lines = {line.strip() for line in hidden_tests.splitlines()}
    for line in sorted((x for x in lines if len(x) >= REDACT_MIN_CHARS), key=len, reverse=True):
        if line in text:
            text = text.replace(line, "[hidden test line redacted]")
    return text


# --------------------------------------------------------------------------------------------------
# Classification


def _result(
    report: dict[str, Any] | None,
    *,
    limits: Limits,
    host_killed: bool,
    outer_code: int | None,
    outer_signal: int | None,
    output: str,
    output_truncated: bool,
    cpu: float,
    wall: float,
    max_rss_kb: int,
) -> SandboxResult:
    common: dict[str, Any] = {
        "limits": limits,
        "output": output,
        "output_truncated": output_truncated,
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "max_rss_kb": max_rss_kb,
        "exit_code": outer_code,
        "signal": outer_signal,
    }
    if report is None:
        if host_killed:
            reason = f"the run exceeded the wall-clock limit of {limits.wall_seconds:g} s and was killed"
            return SandboxResult(status=Status.TIMEOUT, reason=reason, **common)
        if output.startswith("bwrap:"):
            return SandboxResult(
                status=Status.ERROR, reason=f"the sandbox could not be set up: {output[:200]}", **common
            )
        reason = "the test harness ended without a report (the code may have killed it)"
        return SandboxResult(status=Status.ERROR, reason=reason, **common)
    if report.get("harness_error"):
        return SandboxResult(
            status=Status.ERROR, reason=f"harness error: {report['harness_error']}", **common
        )
    if report.get("tests_invalid"):
        return SandboxResult(
            status=Status.ERROR, reason=f"the hidden tests are invalid: {report['tests_invalid']}", **common
        )

    worker = report.get("worker") if isinstance(report.get("worker"), dict) else None
    if worker:
        common["exit_code"] = worker.get("exit_code")
        common["signal"] = worker.get("signal")
    # The host reaps bwrap, which reaps the supervisor (PID 1), which reaps everything else; the
    # supervisor's own count is the fallback should the host's be short.
    common["cpu_seconds"] = round(max(cpu, float(report.get("cpu_seconds") or 0)), 3)
    # Peak memory comes from inside: the host's ru_maxrss for bwrap also counts the forked copy of the
    # host process before exec (a server that imported scikit-learn is already ~150 MB).
    common["max_rss_kb"] = int(report.get("max_rss_kb") or 0) or max_rss_kb
    peak = int(report.get("peak_tasks") or 0)
    common["peak_processes"] = max(peak - HARNESS_TASKS, 0)
    tests, flags = _tests_from_report(report, worker, limits)
    counted = [t for t in tests if t.outcome != Outcome.SKIPPED]
    passed = sum(1 for t in counted if t.outcome == Outcome.PASSED)
    common.update(tests=tuple(tests), tests_passed=passed, tests_total=len(counted))

    status, reason = _classify(report, worker, flags, limits, passed, len(counted))
    return SandboxResult(status=status, reason=reason, **common)


def _tests_from_report(
    report: dict[str, Any], worker: dict[str, Any] | None, limits: Limits
) -> tuple[list[TestOutcome], set[str]]:
    """Per-test outcomes: every statically expected test appears, whatever the worker reported."""
    flags: set[str] = set()
    expected = [str(i) for i in report.get("static_ids") or []]
    plan = [str(i) for i in report.get("plan") or []]
    order = list(dict.fromkeys(expected + plan))
    outcomes: dict[str, TestOutcome] = {}
    running: str | None = None
    done = False
    for event in report.get("tests") or []:
        if not isinstance(event, dict):
            continue
        kind, name = event.get("event"), str(event.get("id", ""))[:300]
        if kind == "start":
            running = name
            if name not in order:
                order.append(name)
        elif kind == "test" and event.get("outcome") in {o.value for o in Outcome}:
            if name not in order:
                order.append(name)
            previous = outcomes.get(name)
            outcome = str(event["outcome"])
            if previous is not None and previous.outcome != Outcome.PASSED:
                continue  # a failed subtest keeps the test failed
            outcomes[name] = TestOutcome(
                name=name,
                outcome=Outcome(outcome),
                error_type=str(event.get("error_type", ""))[:100],
                detail=str(event.get("detail", ""))[:2000],
            )
            running = None if running == name else running
            flags |= _event_flags(event)
        elif kind == "done":
            done = True
    load_error = report.get("load_error")
    if isinstance(load_error, dict):
        flags |= _event_flags(load_error) | {"load_error"}
    ended = _worker_end(report, worker, limits)
    flags |= ended
    for name in order:
        if name in outcomes:
            continue
        if name == running:
            labels = [label for flag, label in _RUNNING_LABELS if flag in ended]
            outcomes[name] = TestOutcome(
                name=name, outcome=Outcome.ERROR, error_type=(labels or ["NoResult"])[0]
            )
        else:
            error_type = "" if not done else "NoResult"
            outcomes[name] = TestOutcome(
                name=name, outcome=Outcome.ERROR if done else Outcome.NOT_RUN, error_type=error_type
            )
    if not done and not isinstance(load_error, dict) and not ended:
        flags.add("crashed")
    return [outcomes[name] for name in order], flags


_RUNNING_LABELS = (
    ("timeout", "WallTimeLimit"),
    ("cpu_limit", "CPUTimeLimit"),
    ("crashed", "TestProcessDied"),
)


def _event_flags(event: dict[str, Any]) -> set[str]:
    flags: set[str] = set()
    if event.get("error_type") == "MemoryError":
        flags.add("memory")
    if event.get("process_limit"):
        flags.add("process_limit")
    if event.get("errno") == errno.errorcode[errno.EFBIG]:
        flags.add("file_limit")
    return flags


def _worker_end(report: dict[str, Any], worker: dict[str, Any] | None, limits: Limits) -> set[str]:
    if report.get("timed_out"):
        return {"timeout"}
    if worker is None:
        return {"crashed"}
    sig = worker.get("signal")
    cpu = float(worker.get("cpu_seconds") or 0)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= limits.cpu_seconds):
        return {"cpu_limit"}
    if sig == signal.SIGXFSZ:
        return {"file_limit"}
    if sig is not None or worker.get("exit_code") not in (0, None):
        return {"crashed"}
    return set()


def _classify(
    report: dict[str, Any],
    worker: dict[str, Any] | None,
    flags: set[str],
    limits: Limits,
    passed: int,
    total: int,
) -> tuple[Status, str]:
    peak = int(report.get("peak_tasks") or 0)
    nproc = int(report.get("nproc") or limits.max_processes + HARNESS_TASKS)
    stray = int(report.get("stray_processes") or 0)
    # Using the whole budget is allowed; the limit was *hit* when a fork or thread start failed, or when
    # the run did not finish while sitting at the cap (a fork bomb that swallows the errors).
    at_cap_and_stuck = peak >= nproc and bool(flags & {"timeout", "cpu_limit", "crashed"})
    if "process_limit" in flags or at_cap_and_stuck:
        reason = f"the code reached the process limit ({limits.max_processes} processes and threads)"
        if "timeout" in flags:
            reason += f" and was killed at the wall-clock limit of {limits.wall_seconds:g} s"
        elif stray:
            reason += f"; {stray} leftover processes were killed"
        return Status.KILLED, reason
    if "memory" in flags:
        return Status.MEMORY_EXCEEDED, f"the code ran out of memory (limit {limits.memory_mb} MB)"
    if "timeout" in flags:
        return (
            Status.TIMEOUT,
            f"the run exceeded the wall-clock limit of {limits.wall_seconds:g} s and was killed",
        )
    if "cpu_limit" in flags:
        return (
            Status.TIMEOUT,
            f"the tests exceeded the CPU time limit of {limits.cpu_seconds} s and were killed",
        )
    if "file_limit" in flags:
        return Status.ERROR, f"the code wrote a file larger than the limit of {limits.max_file_mb} MB"
    if "load_error" in flags:
        load = report.get("load_error") or {}
        return (
            Status.ERROR,
            f"the tests could not load the solution: {str(load.get('error_type', 'error'))[:100]}",
        )
    if "crashed" in flags:
        sig = (worker or {}).get("signal")
        code = (worker or {}).get("exit_code")
        how = f"signal {sig}" if sig else f"exit code {code}" if code is not None else "no status"
        return Status.ERROR, f"the test process ended before reporting every test ({how})"
    leftover = f"; {stray} processes left running after the tests were killed" if stray else ""
    if total and passed == total:
        return Status.PASSED, f"all {total} tests passed{leftover}"
    return Status.FAILED, f"{passed} of {total} tests passed{leftover}"


# --------------------------------------------------------------------------------------------------
# The "cases" format: hidden tests as data, judged on the host

CASES_FORMAT = "cadre-cases-1"
MAX_CASES = 500
MAX_CASE_NAME = 100
MAX_STEPS = 200
MAX_RESULT_CHARS = 2_000_000
_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_EXPRESSIONS = frozenset({"$ref", "$literal", "$tuple", "$set", "$range", "$strings", "$repeat", "$float"})
_STEP_KEYS = frozenset(
    {"call", "on", "method", "attr", "args", "kwargs", "each", "as", "emit", "show", "let", "value"}
)
_CASE_KEYS = frozenset(
    {"name", "call", "args", "kwargs", "expected", "raises", "tolerance", "strict_type", "steps"}
)
_RAISES = "$raises"


@dataclass(frozen=True)
class Expect:
    """One expected result: a JSON value, or (``raises`` non-empty) one of these exception names."""

    value: Any = None
    raises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    steps: tuple[dict[str, Any], ...]
    expected: tuple[Expect, ...]
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    strict_type: bool = False


@dataclass(frozen=True)
class CaseSuite:
    cases: tuple[Case, ...]

    @property
    def names(self) -> list[str]:
        return [case.name for case in self.cases]


def is_cases_document(data: bytes | str) -> bool:
    """Whether hidden test material is in the cases format (JSON with ``"format": "cadre-cases-1"``)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if not text.lstrip().startswith("{"):
        return False
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("format") == CASES_FORMAT


def parse_cases(data: str | bytes | dict[str, Any]) -> CaseSuite:
    """Validate a cases document. A case is either a single call::

        {"name": "empty", "call": "precision_at_k", "args": [[], {"$set": ["a"]}, 5], "kwargs": {},
         "expected": 0.0, "tolerance": 1e-9, "strict_type": false}     # or "raises": "ValueError"

    or a scenario of steps, each emitting step producing one result, matched in order with ``expected``
    (a list; ``{"$raises": "ValueError"}`` or ``{"$raises": ["TypeError", "ValueError"]}`` expects an
    exception)::

        {"name": "known", "steps": [
            {"call": "RunningStats", "as": "s"},                 # call a top-level name of solution.py
            {"on": "s", "method": "push", "each": [2, 4, 4]},    # one call per item, results dropped
            {"on": "s", "attr": "count", "emit": true},          # read an attribute
            {"on": "s", "method": "variance", "kwargs": {"ddof": 0}, "emit": true},
            {"let": "xs", "value": [1, 2]},                      # bind a value (e.g. to pass by $ref)
            {"show": {"$ref": "xs"}}],                           # emit a value the steps hold
         "expected": [3, 0.888...], "tolerance": {"abs": 1e-7, "rel": 0}}

    Arguments are JSON, plus single-key expressions: ``$ref`` (a name bound with ``as``), ``$tuple``,
    ``$set``, ``$range`` ([start, stop, step]), ``$strings`` ([prefix, start, stop, step]: "item0"...),
    ``$repeat`` ([list, times]), ``$float`` ("inf", "nan"...), ``$literal`` (a dict taken as is).
    ``tolerance`` (a number: absolute and relative, or ``{"abs", "rel"}``) applies to every number in
    the results; ``strict_type`` makes int and float differ (bool never equals a number)."""
    if isinstance(data, dict):
        doc: Any = data
    else:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if len(text.encode("utf-8", "surrogatepass")) > MAX_TESTS_BYTES:
            raise SandboxInputError(f"the hidden test cases are larger than {MAX_TESTS_BYTES // 1024} KB")
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SandboxInputError(f"the hidden test cases are not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != CASES_FORMAT:
        raise SandboxInputError(f'the hidden test cases must be an object with "format": "{CASES_FORMAT}"')
    raw = doc.get("cases")
    if not isinstance(raw, list) or not raw:
        raise SandboxInputError('the hidden test cases define no case: "cases" must be a non-empty list')
    if len(raw) > MAX_CASES:
        raise SandboxInputError(f"at most {MAX_CASES} cases")
    cases = [_parse_case(item, index) for index, item in enumerate(raw)]
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise SandboxInputError("case names must be unique")
    return CaseSuite(tuple(cases))


def _parse_case(item: Any, index: int) -> Case:
    where = f"case {index + 1}"
    if not isinstance(item, dict):
        raise SandboxInputError(f"{where} must be an object")
    unknown = set(item) - _CASE_KEYS
    if unknown:
        raise SandboxInputError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    name = item.get("name")
    if not isinstance(name, str) or not name or len(name) > MAX_CASE_NAME or set(name) - _NAME_OK:
        raise SandboxInputError(f"{where} needs a name of letters, digits, '_', '.' or '-'")
    where = f"case {name!r}"
    if "steps" in item:
        if {"call", "args", "kwargs", "raises"} & set(item):
            raise SandboxInputError(f"{where}: give either steps or call/args/kwargs/raises, not both")
        steps = item["steps"]
        if not isinstance(steps, list) or not steps or len(steps) > MAX_STEPS:
            raise SandboxInputError(f"{where}: steps must be a list of 1 to {MAX_STEPS} steps")
        expected_raw = item.get("expected")
        if not isinstance(expected_raw, list):
            raise SandboxInputError(f"{where}: expected must be a list (one entry per emitted result)")
        expected = tuple(_parse_expect(value, where) for value in expected_raw)
    else:
        call = item.get("call")
        if not isinstance(call, str) or not call.isidentifier():
            raise SandboxInputError(f"{where}: call must name a function of the solution")
        steps = [{"call": call, "args": item.get("args", []), "kwargs": item.get("kwargs", {}), "emit": True}]
        if ("expected" in item) == ("raises" in item):
            raise SandboxInputError(f"{where}: give exactly one of expected and raises")
        if "raises" in item:
            expected = (_parse_expect({_RAISES: item["raises"]}, where),)
        else:
            expected = (Expect(value=item["expected"]),)
    bound: set[str] = set()
    emitted = sum(_check_step(step, where, bound) for step in steps)
    if emitted != len(expected):
        raise SandboxInputError(f"{where}: {emitted} emitted results but {len(expected)} expected")
    abs_tol, rel_tol = _parse_tolerance(item.get("tolerance"), where)
    strict = item.get("strict_type", False)
    if not isinstance(strict, bool):
        raise SandboxInputError(f"{where}: strict_type must be true or false")
    return Case(name, tuple(steps), expected, abs_tol, rel_tol, strict)


def _parse_expect(value: Any, where: str) -> Expect:
    if isinstance(value, dict) and set(value) == {_RAISES}:
        names = value[_RAISES]
        names = [names] if isinstance(names, str) else names
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.isidentifier() for n in names)
        ):
            raise SandboxInputError(f"{where}: raises must be an exception name or a list of names")
        return Expect(raises=tuple(names))
    return Expect(value=value)


def _parse_tolerance(value: Any, where: str) -> tuple[float, float]:
    if value is None:
        return 0.0, 0.0
    if isinstance(value, dict) and set(value) <= {"abs", "rel"}:
        pair = (value.get("abs", 0.0), value.get("rel", 0.0))
    else:
        pair = (value, value)
    for number in pair:
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number < 1:
            raise SandboxInputError(f"{where}: tolerance must be a number from 0 to 1 or {{abs, rel}}")
    return float(pair[0]), float(pair[1])


def _check_step(step: Any, where: str, bound: set[str]) -> int:
    """Validate one step (names, expression forms); returns 1 when it emits a result."""
    if not isinstance(step, dict) or set(step) - _STEP_KEYS:
        raise SandboxInputError(
            f"{where}: a step is an object with keys among {', '.join(sorted(_STEP_KEYS))}"
        )
    if "let" in step:
        if set(step) != {"let", "value"} or not isinstance(step["let"], str) or not step["let"]:
            raise SandboxInputError(f'{where}: a let step is {{"let": name, "value": ...}}')
        _check_expr(step["value"], where, bound)
        bound.add(step["let"])
        return 0
    if "show" in step:
        if set(step) != {"show"}:
            raise SandboxInputError(f"{where}: a show step has no other key")
        _check_expr(step["show"], where, bound)
        return 1
    if ("call" in step) == ("on" in step):
        raise SandboxInputError(f"{where}: a step has exactly one of call and on")
    if "call" in step:
        if not isinstance(step["call"], str) or not step["call"].isidentifier():
            raise SandboxInputError(f"{where}: call must name a function or class of the solution")
    else:
        if step["on"] not in bound:
            raise SandboxInputError(f"{where}: {step['on']!r} is used before a step binds it with 'as'")
        if ("method" in step) == ("attr" in step):
            raise SandboxInputError(f"{where}: an 'on' step has exactly one of method and attr")
        member = step.get("method", step.get("attr"))
        if not isinstance(member, str) or not member.isidentifier() or member.startswith("__"):
            raise SandboxInputError(f"{where}: method/attr must be a public name")
    if "each" in step and ("method" not in step or {"args", "kwargs", "emit"} & set(step)):
        raise SandboxInputError(f"{where}: each is for a method called once per item, emitting nothing")
    args, kwargs = step.get("args", []), step.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise SandboxInputError(f"{where}: args must be a list and kwargs an object")
    for value in (args, kwargs, step.get("each", [])):
        _check_expr(value, where, bound)
    emit = step.get("emit", False)
    if not isinstance(emit, bool):
        raise SandboxInputError(f"{where}: emit must be true or false")
    if "as" in step:
        if not isinstance(step["as"], str) or not step["as"]:
            raise SandboxInputError(f"{where}: as must be a name")
        bound.add(step["as"])
    return int(emit)


def _check_expr(value: Any, where: str, bound: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _check_expr(item, where, bound)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        ((key, arg),) = value.items()
        if key in ("$ref",) and arg not in bound:
            raise SandboxInputError(f"{where}: $ref {arg!r} is not bound by an earlier step")
        if key in _EXPRESSIONS:
            if key == "$literal":
                return
            _check_expr_arg(key, arg, where)
            _check_expr(arg, where, bound)
            return
        if key.startswith("$"):
            raise SandboxInputError(f"{where}: unknown expression {key}")
    for item in value.values():
        _check_expr(item, where, bound)


def _check_expr_arg(key: str, arg: Any, where: str) -> None:
    def ints(values: Any, low: int, high: int) -> bool:
        return (
            isinstance(values, list)
            and low <= len(values) <= high
            and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        )

    ok = {
        "$ref": isinstance(arg, str),
        "$tuple": isinstance(arg, list),
        "$set": isinstance(arg, list),
        "$range": ints(arg, 1, 3),
        "$strings": isinstance(arg, list) and bool(arg) and isinstance(arg[0], str) and ints(arg[1:], 1, 3),
        "$repeat": isinstance(arg, list)
        and len(arg) == 2
        and isinstance(arg[0], list)
        and ints(arg[1:], 1, 1),
        "$float": arg in ("inf", "-inf", "nan"),
    }[key]
    if not ok:
        raise SandboxInputError(f"{where}: bad argument for {key}")


def judge_report(report: dict[str, Any], suite: CaseSuite) -> dict[str, Any]:
    """Turn the worker's per-case results into test outcomes by comparing them, here, with the expected
    values. The worker's own claims are ignored: a "test" event it sends is dropped, ids are the suite's,
    and only the first result sent for a case counts."""
    by_name = {case.name: case for case in suite.cases}
    events: list[dict[str, Any]] = []
    judged: set[str] = set()
    for event in report.get("tests") or []:
        if not isinstance(event, dict):
            continue
        kind, name = event.get("event"), event.get("id")
        if kind == "done":
            events.append({"event": "done"})
        elif kind == "start" and name in by_name and name not in judged:
            events.append({"event": "start", "id": name})
        elif kind == "case" and name in by_name and name not in judged:
            judged.add(str(name))
            events.append(_judge_case(by_name[str(name)], event))
    judged_report = dict(report)
    judged_report.update(static_ids=suite.names, plan=None, tests=events)
    return judged_report


def _judge_case(case: Case, event: dict[str, Any]) -> dict[str, Any]:
    verdict: dict[str, Any] = {"event": "test", "id": case.name}
    outputs = event.get("outputs")
    outputs = outputs if isinstance(outputs, list) else []
    aborted = event.get("aborted") if isinstance(event.get("aborted"), dict) else None
    problems: list[str] = []
    error: dict[str, Any] | None = None
    for index, expect in enumerate(case.expected):
        got = outputs[index] if index < len(outputs) and isinstance(outputs[index], dict) else None
        label = f"result {index + 1}"
        if got is None:
            problems.append(f"{label}: no result")
            continue
        if "raises" in got:
            raised = str(got.get("raises"))[:100]
            if expect.raises:
                if raised not in expect.raises:
                    problems.append(f"{label}: raised {raised}, expected {' or '.join(expect.raises)}")
            else:
                problems.append(f"{label}: raised {raised}, expected {_show(expect.value)}")
                error = error or got
            continue
        if "json" not in got:
            problems.append(f"{label}: {str(got.get('invalid', 'no result'))[:200]}")
            continue
        text = got["json"]
        try:
            if not isinstance(text, str) or len(text) > MAX_RESULT_CHARS:
                raise ValueError("result too large")
            value = json.loads(text)
        except (ValueError, RecursionError):
            problems.append(f"{label}: not a readable JSON value")
            continue
        if expect.raises:
            problems.append(
                f"{label}: returned {_show(value)}, expected {' or '.join(expect.raises)} to be raised"
            )
        elif not _matches(value, expect.value, case):
            problems.append(f"{label}: returned {_show(value)}, expected {_show(expect.value)}")
    if aborted is not None:
        error = aborted
        problems.insert(
            0, f"step {int(aborted.get('step', 0)) + 1} raised {str(aborted.get('raises'))[:100]}"
        )
    if not problems:
        verdict["outcome"] = Outcome.PASSED.value
        return verdict
    if error is not None:
        verdict["outcome"] = Outcome.ERROR.value
        verdict["error_type"] = str(error.get("raises", "Exception"))[:100]
        verdict["process_limit"] = bool(error.get("process_limit"))
        if isinstance(error.get("errno"), str):
            verdict["errno"] = error["errno"]
    else:
        verdict["outcome"] = Outcome.FAILED.value
        verdict["error_type"] = "WrongResult"
    verdict["detail"] = "\n".join(problems)[:2000]
    return verdict


def _show(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:200] + "..."


def _matches(actual: Any, expected: Any, case: Case) -> bool:
    """JSON equality on the host's own parsed values, numbers within the case's tolerance."""
    if isinstance(expected, bool) or expected is None:
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float):
        if type(actual) not in (int, float):
            return False
        if case.strict_type and type(actual) is not type(expected):
            return False
        if case.abs_tol or case.rel_tol:
            return math.isclose(actual, expected, rel_tol=case.rel_tol, abs_tol=case.abs_tol)
        return bool(actual == expected)
    if isinstance(expected, str):
        return type(actual) is str and actual == expected
    if isinstance(expected, list):
        return (
            type(actual) is list
            and len(actual) == len(expected)
            and all(_matches(a, e, case) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            type(actual) is dict
            and set(actual) == set(expected)
            and all(_matches(actual[k], expected[k], case) for k in expected)
        )
    return False
