"""The coding-task sandbox: real bubblewrap runs of correct, wrong and hostile candidate code.

These tests need Debian's bubblewrap (`make install` and `.ci/run` install it when run as root). They
never skip: without a working sandbox every sandbox test fails with the reason.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import textwrap
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cadre.screening.sandbox import (
    SANDBOX_VERSION,
    START_GRACE_SECONDS,
    Limits,
    Outcome,
    SandboxInputError,
    Status,
    bwrap_command,
    default_bwrap,
    run_tests,
    sandbox_available,
)

AVAILABLE, WHY = sandbox_available()
FAST = Limits(
    cpu_seconds=2,
    wall_seconds=5,
    memory_mb=128,
    max_processes=8,
    max_output_kb=8,
    max_file_mb=1,
    scratch_mb=4,
)
PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> None:
    if not AVAILABLE:
        pytest.fail(
            f"the coding-task sandbox is not usable here: {WHY}. Install Debian's bubblewrap "
            "(`apt-get install bubblewrap`; `make install` and .ci/run do it when run as root).",
            pytrace=False,
        )


needs_sandbox = pytest.mark.usefixtures("sandbox")


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip()


ADD_TESTS = src(
    """
    import unittest

    from solution import add


    class AddTestCase(unittest.TestCase):
        def test_small(self):
            self.assertEqual(add(1, 2), 3)

        def test_negative(self):
            self.assertEqual(add(-1, -2), -3)

        def test_zero(self):
            self.assertEqual(add(0, 0), 0)
    """
)

# One test that calls the candidate's `go()` and asserts it returns true; `test_a_first` runs before it.
GO_TESTS = src(
    """
    import unittest

    import solution


    class GoTestCase(unittest.TestCase):
        def test_a_first(self):
            self.assertTrue(True)

        def test_go(self):
            self.assertTrue(solution.go())
    """
)


# --------------------------------------------------------------------------------------------------
# Ordinary grading


@needs_sandbox
def test_correct_solution_passes() -> None:
    result = run_tests("def add(a, b):\n    return a + b\n", ADD_TESTS, limits=FAST)

    assert result.status == Status.PASSED, result.reason
    assert (result.tests_passed, result.tests_total) == (3, 3)
    assert sorted(result.passed_names) == [
        "AddTestCase.test_negative",
        "AddTestCase.test_small",
        "AddTestCase.test_zero",
    ]
    assert result.failed_names == []
    assert result.exit_code == 0 and result.signal is None
    assert result.max_rss_kb > 0
    assert result.sandbox_version == SANDBOX_VERSION
    json.dumps(result.to_record())  # the record is JSON-ready


@needs_sandbox
def test_wrong_solution_fails_with_the_failing_test_names() -> None:
    code = "def add(a, b):\n    print('adding', a, b)\n    return abs(a) + abs(b)\n"
    result = run_tests(code, ADD_TESTS, limits=FAST)

    assert result.status == Status.FAILED
    assert (result.tests_passed, result.tests_total) == (2, 3)
    assert result.failed_names == ["AddTestCase.test_negative"]
    failing = next(t for t in result.tests if t.name == "AddTestCase.test_negative")
    assert failing.error_type == "AssertionError"
    assert "3 != -3" in failing.detail  # staff detail quotes the expected value ...
    view = json.dumps(result.candidate_view())
    assert "-3" not in view and "detail" not in view  # ... the candidate's view never does
    assert "adding -1 -2" in result.output  # the candidate's own output is returned


@needs_sandbox
def test_solution_that_does_not_import_is_an_error_and_no_test_runs() -> None:
    result = run_tests("def add(a, b) return a + b\n", ADD_TESTS, limits=FAST)

    assert result.status == Status.ERROR
    assert "SyntaxError" in result.reason
    assert result.tests_passed == 0 and result.tests_total == 3
    assert {t.outcome for t in result.tests} == {Outcome.NOT_RUN}


@needs_sandbox
def test_a_test_hidden_from_the_loader_still_counts() -> None:
    # The candidate patches unittest so the loader never sees one test: the supervisor expects every
    # test it found in the source, so the missing one is an error, not a smaller total.
    code = src(
        """
        import unittest

        _names = unittest.TestLoader.getTestCaseNames

        def _fewer(self, cls):
            return [n for n in _names(self, cls) if n != "test_negative"]

        unittest.TestLoader.getTestCaseNames = _fewer

        def add(a, b):
            return a + b
        """
    )
    result = run_tests(code, ADD_TESTS, limits=FAST)

    assert result.status == Status.FAILED
    assert (result.tests_passed, result.tests_total) == (2, 3)
    missing = next(t for t in result.tests if t.name == "AddTestCase.test_negative")
    assert missing.outcome == Outcome.ERROR and missing.error_type == "NoResult"


# --------------------------------------------------------------------------------------------------
# Hostile code is contained and reported


def _processes_in_pid_namespace(ns: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.readlink(f"/proc/{name}/ns/pid") == ns:
                    found.append(int(name))
            except OSError:
                continue
    return found


@needs_sandbox
def test_fork_bomb_is_stopped_at_the_process_limit_and_the_host_is_fine() -> None:
    code = src(
        """
        import os

        def go():
            print("ns", os.readlink("/proc/self/ns/pid"), flush=True)
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        """
    )
    limits = Limits(cpu_seconds=2, wall_seconds=2, memory_mb=128, max_processes=6)
    result = run_tests(code, GO_TESTS, limits=limits)

    assert result.status == Status.KILLED
    assert "process limit (6 processes" in result.reason
    assert result.peak_processes == 6
    go = next(t for t in result.tests if t.name == "GoTestCase.test_go")
    assert go.outcome == Outcome.ERROR and go.error_type == "WallTimeLimit"
    ns = next(line.split()[1] for line in result.output.splitlines() if line.startswith("ns pid:["))
    assert _processes_in_pid_namespace(ns) == []  # nothing of the sandbox survives on the host
    # ... and the next run works normally.
    follow_up = run_tests("def add(a, b):\n    return a + b\n", ADD_TESTS, limits=FAST)
    assert follow_up.status == Status.PASSED


@needs_sandbox
def test_fork_bomb_that_gives_up_is_reported_with_the_fork_error() -> None:
    code = "import os\n\ndef go():\n    while True:\n        os.fork()\n"
    result = run_tests(code, GO_TESTS, limits=Limits(cpu_seconds=2, wall_seconds=5, max_processes=5))

    assert result.status == Status.KILLED
    assert "process limit" in result.reason
    go = next(t for t in result.tests if t.name == "GoTestCase.test_go")
    assert go.outcome == Outcome.ERROR and go.error_type == "BlockingIOError"
    assert result.passed_names == ["GoTestCase.test_a_first"]


@needs_sandbox
def test_each_run_has_its_own_process_budget() -> None:
    # Two concurrent runs each use their whole budget (the test process + 4 children); RLIMIT_NPROC is
    # set inside each run's own user namespace, so neither starves the other.
    code = src(
        """
        import os, time

        def go():
            children = []
            for _ in range(4):
                pid = os.fork()
                if pid == 0:
                    time.sleep(0.5)
                    os._exit(0)
                children.append(pid)
            for pid in children:
                os.waitpid(pid, 0)
            return True
        """
    )
    limits = Limits(cpu_seconds=2, wall_seconds=8, max_processes=5)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: run_tests(code, GO_TESTS, limits=limits), range(2)))
    assert [r.status for r in results] == [Status.PASSED, Status.PASSED], [r.reason for r in results]
    assert [r.peak_processes for r in results] == [5, 5]


@needs_sandbox
def test_cpu_bound_infinite_loop_hits_the_cpu_limit() -> None:
    code = "def go():\n    while True:\n        pass\n"
    result = run_tests(code, GO_TESTS, limits=Limits(cpu_seconds=1, wall_seconds=10))

    assert result.status == Status.TIMEOUT
    assert "CPU time limit of 1 s" in result.reason
    go = next(t for t in result.tests if t.name == "GoTestCase.test_go")
    assert go.error_type == "CPUTimeLimit"
    assert result.signal == 24  # SIGXCPU
    assert result.cpu_seconds >= 1


@needs_sandbox
def test_sleeping_forever_is_killed_at_the_wall_limit() -> None:
    code = "import time\n\ndef go():\n    time.sleep(3600)\n"
    limits = Limits(cpu_seconds=5, wall_seconds=1)
    result = run_tests(code, GO_TESTS, limits=limits)

    assert result.status == Status.TIMEOUT
    assert "wall-clock limit of 1 s" in result.reason
    assert [t.outcome for t in result.tests] == [Outcome.PASSED, Outcome.ERROR]
    assert result.tests[1].error_type == "WallTimeLimit"
    # Killed near the limit, not after the hour (loose bound: a slow machine must not fail this).
    assert result.wall_seconds < limits.wall_seconds + START_GRACE_SECONDS + 10


@needs_sandbox
def test_network_is_unreachable_even_to_a_port_listening_on_the_host() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = src(
            f"""
            import errno, socket

            TARGETS = [("127.0.0.1", {port}), ("127.0.0.1", 5432), ("1.1.1.1", 53), ("1.1.1.1", 443)]

            def go():
                failures = 0
                for host, port in TARGETS:
                    try:
                        socket.create_connection((host, port), timeout=2).close()
                        print("CONNECTED", host, port)
                    except OSError as exc:
                        failures += 1
                        print("blocked", host, port, errno.errorcode.get(exc.errno, exc))
                try:
                    socket.getaddrinfo("example.com", 443)
                    print("RESOLVED")
                except OSError as exc:
                    failures += 1
                    print("no dns", type(exc).__name__)
                return failures == len(TARGETS) + 1
            """
        )
        result = run_tests(code, GO_TESTS, limits=FAST)
        listener.settimeout(0)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing reached the host

    assert result.status == Status.PASSED, (result.reason, result.output)
    assert "CONNECTED" not in result.output and "RESOLVED" not in result.output
    assert f"blocked 127.0.0.1 {port} ECONNREFUSED" in result.output
    assert "blocked 127.0.0.1 5432 ECONNREFUSED" in result.output
    assert "blocked 1.1.1.1 53 ENETUNREACH" in result.output


@needs_sandbox
def test_writes_outside_scratch_fail_and_leave_nothing_on_the_host(tmp_path: Path) -> None:
    token = f"cadre-sandbox-{uuid.uuid4().hex}"
    host_targets = [
        Path("/tmp") / token,
        tmp_path / token,
        Path.home() / token,
        PROJECT_DIR / token,
        PROJECT_DIR / "src" / token,
        Path("/work") / token,
        Path("/etc") / token,
        Path("/usr") / token,
        Path("/") / token,
        Path("/dev/shm") / token,
    ]
    code = src(
        f"""
        import errno

        TARGETS = {[str(p) for p in host_targets]!r}

        def go():
            blocked = 0
            for path in TARGETS:
                try:
                    with open(path, "w") as handle:
                        handle.write("escaped")
                    print("WROTE", path)
                except OSError as exc:
                    blocked += 1
                    print("blocked", path, errno.errorcode[exc.errno])
            with open("/scratch/fine.txt", "w") as handle:  # the one writable place
                handle.write("ok")
            return blocked == len(TARGETS)
        """
    )
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.PASSED, (result.reason, result.output)
    assert "WROTE" not in result.output
    reported = {
        line.split()[1]: line.split()[2] for line in result.output.splitlines() if line.startswith("blocked")
    }
    assert set(reported) == {str(p) for p in host_targets}
    assert set(reported.values()) <= {"EROFS", "EACCES", "ENOENT", "EPERM"}
    assert reported[str(Path("/tmp") / token)] == "EROFS"  # an empty, read-only /tmp
    assert reported[str(Path("/") / token)] == "EROFS"
    assert [p for p in host_targets if p.exists()] == []


@needs_sandbox
def test_file_size_limit_is_enforced_in_scratch() -> None:
    code = src(
        """
        def go():
            with open("big.bin", "wb") as handle:  # relative: the working directory is /scratch
                handle.write(b"x" * (3 * 1024 * 1024))
            return True
        """
    )
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.ERROR
    assert "file larger than the limit of 1 MB" in result.reason


@needs_sandbox
def test_memory_hog_is_reported_as_memory_exceeded() -> None:
    code = src(
        """
        def go():
            hoard = []
            while True:
                hoard.append(bytearray(8 * 1024 * 1024))
        """
    )
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.MEMORY_EXCEEDED
    assert "out of memory (limit 128 MB)" in result.reason
    go = next(t for t in result.tests if t.name == "GoTestCase.test_go")
    assert go.error_type == "MemoryError"
    assert 32 * 1024 < result.max_rss_kb <= 128 * 1024  # it did grab memory, and no more than the limit


@needs_sandbox
def test_host_secrets_and_environment_are_not_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    token = uuid.uuid4().hex
    monkeypatch.setenv("CADRE_SANDBOX_CANARY", token)
    code = src(
        """
        import os

        def go():
            seen = dict(os.environ)
            print("env", sorted(seen))
            for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
                try:
                    print("environ", pid, open(f"/proc/{pid}/environ", "rb").read())
                except OSError as exc:
                    print("environ", pid, type(exc).__name__)
            paths = ["/etc/shadow", "/etc/passwd", "/root", "/home", "/work", "/proc/1/root/etc/shadow"]
            hidden = []
            for path in paths:
                try:
                    if os.path.isdir(path):
                        print("LISTED", path, os.listdir(path))
                    else:
                        print("READ", path, open(path).read()[:80])
                except OSError as exc:
                    hidden.append(path)
                    print("hidden", path, type(exc).__name__)
            return hidden == paths
        """
    )
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.PASSED, (result.reason, result.output)
    assert token not in result.output
    assert "CADRE_SANDBOX_CANARY" not in result.output
    assert "env ['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']" in result.output
    assert "hidden /etc/shadow FileNotFoundError" in result.output


@needs_sandbox
def test_hidden_tests_are_not_readable_from_inside_and_never_echoed() -> None:
    tests = GO_TESTS + '\n\nEXPECTED_ANSWER = "kumquat-7f3a9c"  # the secret the candidate must not see\n'
    code = src(
        """
        import os

        def peek(path):
            try:
                if os.path.isdir(path):
                    return sorted(os.listdir(path))
                with open(path, "rb") as handle:
                    return handle.read()
            except OSError as exc:
                return type(exc).__name__

        def go():
            for path in ["/scratch", "/sandbox", "/proc/1/fd", "/proc/1/mem", "/proc/1/environ"]:
                print(path, peek(path))
            for fd in sorted(os.listdir("/proc/self/fd")):
                print("fd", fd, peek(f"/proc/self/fd/{fd}") if fd == "0" else "open")
            # A line the candidate happened to know verbatim is redacted from the returned output:
            print('EXPECTED_ANSWER = "kumquat-7f3a9c"  # the secret the candidate must not see')
            return True
        """
    )
    result = run_tests(code, tests, limits=FAST)

    assert result.status == Status.PASSED, (result.reason, result.output)
    assert "/scratch ['solution.py']" in result.output  # the tests are not a file in the sandbox
    assert "/proc/1/fd PermissionError" in result.output  # the supervisor is not inspectable
    assert "kumquat" not in result.output
    assert "[hidden test line redacted]" in result.output


@needs_sandbox
def test_code_cannot_kill_the_supervisor_or_forge_a_shorter_run() -> None:
    code = src(
        """
        import os, signal

        def go():
            os.kill(1, signal.SIGKILL)  # PID 1 of the sandbox is the supervisor: ignored from inside
            os.kill(os.getppid(), signal.SIGKILL)
            return True
        """
    )
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.PASSED, result.reason
    assert result.tests_total == 2


@needs_sandbox
def test_output_is_truncated_at_the_limit() -> None:
    code = "def go():\n    for i in range(20000):\n        print('line', i)\n    return True\n"
    result = run_tests(code, GO_TESTS, limits=FAST)

    assert result.status == Status.PASSED
    assert result.output_truncated
    assert len(result.output.encode()) <= FAST.max_output_kb * 1024
    assert result.output.startswith("line 0\nline 1\n")


# --------------------------------------------------------------------------------------------------
# No sandbox, no run; bad requests


def test_missing_bwrap_reports_unavailable_and_never_runs_the_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran-unsandboxed"
    code = f"open({str(marker)!r}, 'w').write('x')\n\ndef add(a, b):\n    return a + b\n"
    result = run_tests(code, ADD_TESTS, limits=FAST, bwrap_path=str(tmp_path / "no-such-bwrap"))

    assert result.status == Status.SANDBOX_UNAVAILABLE
    assert "bubblewrap not found at" in result.reason and "no-such-bwrap" in result.reason
    assert result.tests_total == 0
    assert not marker.exists()
    ok, why = sandbox_available(str(tmp_path / "no-such-bwrap"))
    assert not ok and "install Debian's 'bubblewrap'" in why


def test_a_bwrap_that_cannot_build_the_sandbox_is_unavailable() -> None:
    # Outside pytest's 0700 tmp tree: when the tests run as root the probe runs as the sandbox uid.
    with tempfile.TemporaryDirectory(prefix="cadre-fake-bwrap-") as folder:
        os.chmod(folder, 0o755)
        fake = Path(folder) / "bwrap"
        fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
        fake.chmod(0o755)
        result = run_tests("def add(a, b):\n    return a + b\n", ADD_TESTS, limits=FAST, bwrap_path=str(fake))

    assert result.status == Status.SANDBOX_UNAVAILABLE
    assert "No permissions to create new namespace" in result.reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"memory_mb": 0}, "Limits.memory_mb"),
        ({"wall_seconds": -1}, "Limits.wall_seconds"),
        ({"max_processes": 0}, "Limits.max_processes"),
        ({"cpu_seconds": 1.5}, "whole number"),
        ({"max_output_kb": True}, "Limits.max_output_kb"),
    ],
)
def test_bad_limits_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SandboxInputError, match=message):
        Limits(**kwargs)  # type: ignore[arg-type]


def test_bad_requests_are_rejected_before_anything_runs() -> None:
    with pytest.raises(SandboxInputError, match="language 'rust' is not supported"):
        run_tests("", ADD_TESTS, language="rust")
    with pytest.raises(SandboxInputError, match="not valid Python"):
        run_tests("", "class Broken(:\n", limits=FAST)
    with pytest.raises(SandboxInputError, match="define no test"):
        run_tests("", "import unittest\n\nclass Helper:\n    def test_x(self):\n        pass\n", limits=FAST)
    with pytest.raises(SandboxInputError, match="larger than 512 KB"):
        run_tests("x = 1\n" * 100_000, ADD_TESTS, limits=FAST)


def test_bwrap_command_shares_nothing_writable_with_the_host() -> None:
    argv = bwrap_command(default_bwrap(), FAST, harness_fd=7)

    for flag in ("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--as-pid-1"):
        assert flag in argv
    assert argv[argv.index("--cap-drop") + 1] == "ALL"
    assert argv[argv.index("--uid") + 1] == "65534"
    assert "--clearenv" in argv and "--new-session" in argv
    assert "--bind" not in argv and "--dev-bind" not in argv  # no writable host path at all
    assert "--share-net" not in argv
    bound = [argv[i + 1] for i, arg in enumerate(argv) if arg in ("--ro-bind", "--ro-bind-try")]
    assert set(bound) <= {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc/ld.so.cache"}
    remount_root = next(i for i in range(len(argv) - 1) if argv[i : i + 2] == ["--remount-ro", "/"])
    assert remount_root > max(
        i for i, arg in enumerate(argv) if arg.endswith(("bind", "bind-try", "bind-data"))
    )
    assert str(4 * 1024 * 1024) in argv  # the scratch tmpfs is size-capped
