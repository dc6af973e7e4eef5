"""The "cases" format: hidden tests as data, results judged on the host, so a candidate cannot forge a pass.

Real bubblewrap runs (like test_sandbox.py, these never skip: without a working sandbox they fail with
the reason). The forgeries are the ones a reviewer reproduced against the unittest format.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest
from tests.screening.screening_helpers import PRECISION_SOLUTION
from tests.screening.test_sandbox import ADD_TESTS, AVAILABLE, FAST, WHY

from cadre.screening import bank_tasks
from cadre.screening.demo import PRECISION_WEAK, STATS_GOOD, STATS_WEAK
from cadre.screening.sandbox import (
    CASES_FORMAT,
    Limits,
    Outcome,
    SandboxInputError,
    Status,
    is_cases_document,
    parse_cases,
    run_cases,
    run_tests,
)


@pytest.fixture
def sandbox() -> None:
    if not AVAILABLE:
        pytest.fail(f"the coding-task sandbox is not usable here: {WHY}", pytrace=False)


needs_sandbox = pytest.mark.usefixtures("sandbox")


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip()


ADD_CASES = json.dumps(
    {
        "format": CASES_FORMAT,
        "cases": [
            {"name": "small", "call": "add", "args": [1, 2], "expected": 3},
            {"name": "negative", "call": "add", "args": [-1, -2], "expected": -3},
            {
                "name": "floats",
                "call": "add",
                "kwargs": {"a": 0.1, "b": 0.2},
                "expected": 0.3,
                "tolerance": 1e-9,
            },
            {"name": "refuses_text", "call": "add", "args": [1, "x"], "raises": "TypeError"},
        ],
    }
)
ADD_NAMES = ["small", "negative", "floats", "refuses_text"]
GOOD_ADD = "def add(a, b):\n    return a + b\n"
WRONG_ADD = "def add(a, b):\n    return 0\n"

# One case calling the candidate's `go()`, which must return True.
GO_CASES = json.dumps(
    {
        "format": CASES_FORMAT,
        "cases": [
            {"name": "a_first", "call": "ready", "expected": True},
            {"name": "go", "call": "go", "expected": True},
        ],
    }
)
READY = "def ready():\n    return True\n\n"


def outcomes(result: Any) -> dict[str, str]:
    return {t.name: str(t.outcome) for t in result.tests}


# --------------------------------------------------------------------------------------------------
# Grading


@needs_sandbox
def test_correct_solution_passes_every_case() -> None:
    result = run_cases(GOOD_ADD, ADD_CASES, limits=FAST)

    assert result.status == Status.PASSED, result.reason
    assert (result.tests_passed, result.tests_total) == (4, 4)
    assert [t.name for t in result.tests] == ADD_NAMES


@needs_sandbox
def test_wrong_solution_fails_with_staff_detail_and_nothing_for_the_candidate() -> None:
    code = "def add(a, b):\n    print('adding', a, b)\n    return abs(a) + abs(b)\n"
    result = run_cases(code, ADD_CASES, limits=FAST)

    assert result.status == Status.FAILED
    assert (result.tests_passed, result.tests_total) == (3, 4)
    failing = next(t for t in result.tests if t.name == "negative")
    assert failing.outcome == Outcome.FAILED and failing.error_type == "WrongResult"
    assert failing.detail == "result 1: returned 3, expected -3"  # judged here, quoted for staff only
    view = json.dumps(result.candidate_view())
    assert "-3" not in view and "detail" not in view
    assert "adding -1 -2" in result.output


@needs_sandbox
def test_an_exception_where_a_value_is_expected_is_an_error_and_a_missing_raise_a_failure() -> None:
    code = "def add(a, b):\n    if a < 0:\n        raise KeyError(a)\n    return float(a) + float(b)\n"
    result = run_cases(code, ADD_CASES, limits=FAST)

    negative = next(t for t in result.tests if t.name == "negative")
    assert negative.outcome == Outcome.ERROR and negative.error_type == "KeyError"
    refuses = next(t for t in result.tests if t.name == "refuses_text")
    assert refuses.outcome == Outcome.FAILED and "raised ValueError, expected TypeError" in refuses.detail
    assert result.tests_passed == 2


@needs_sandbox
def test_solution_that_does_not_import_is_an_error_and_no_case_runs() -> None:
    result = run_cases("def add(a, b) return a + b\n", ADD_CASES, limits=FAST)

    assert result.status == Status.ERROR and "SyntaxError" in result.reason
    assert (result.tests_passed, result.tests_total) == (0, 4)
    assert {t.outcome for t in result.tests} == {Outcome.NOT_RUN}


@needs_sandbox
def test_strict_type_and_bool_are_checked_on_the_host() -> None:
    cases = {
        "format": CASES_FORMAT,
        "cases": [
            {"name": "float", "call": "f", "expected": 1.0, "strict_type": True},
            {"name": "lenient", "call": "f", "expected": 1.0},
            {"name": "not_bool", "call": "t", "expected": 1},
        ],
    }
    result = run_cases(
        "def f():\n    return 1\n\ndef t():\n    return True\n", json.dumps(cases), limits=FAST
    )

    assert outcomes(result) == {"float": "failed", "lenient": "passed", "not_bool": "failed"}


# --------------------------------------------------------------------------------------------------
# Forgeries that passed the unittest format now fail


PATCH_UNITTEST = src(
    """
    import unittest

    def _run(self, result=None):
        result.startTest(self)
        result.addSuccess(self)
        result.stopTest(self)
        return result

    unittest.TestCase.run = _run
    unittest.TestCase.assertEqual = lambda *a, **k: None
    """
)

FORGERIES = {
    "monkeypatched unittest": PATCH_UNITTEST + WRONG_ADD,
    "__eq__ always true": src(
        """
        class Anything(int):
            def __eq__(self, other):
                return True
            __hash__ = int.__hash__

        def add(a, b):
            return Anything(0)
        """
    ),
    "float subclass": src(
        """
        class Close(float):
            def __eq__(self, other):
                return True
            __hash__ = float.__hash__

        def add(a, b):
            return Close(0.0)
        """
    ),
    "printed fake result": src(
        """
        import json, sys

        for name in ("small", "negative", "floats", "refuses_text"):
            print(json.dumps({"event": "test", "id": name, "outcome": "passed"}))
            print(json.dumps({"event": "case", "id": name, "outputs": [{"json": "true"}]}))
        print('{"harness": 1, "tests": []}')
        sys.stdout.flush()

        def add(a, b):
            return 0
        """
    ),
    "writes to the harness descriptors": src(
        """
        import json, os

        FAKE = {"harness": 1, "static_ids": [], "tests": [{"event": "done"}], "timed_out": False}
        for fd in range(3, 64):
            for data in (
                json.dumps({"event": "test", "id": "small", "outcome": "passed"}) + "\\n",
                json.dumps(FAKE),
            ):
                try:
                    os.write(fd, data.encode())
                except OSError:
                    pass
        for path in ("/proc/1/fd/1", "/proc/1/fd/3", "/proc/1/fd/4"):
            try:
                with open(path, "w") as handle:
                    handle.write(json.dumps(FAKE))
            except OSError:
                pass

        def add(a, b):
            return 0
        """
    ),
}


@needs_sandbox
@pytest.mark.parametrize("name", list(FORGERIES))
def test_forgery_does_not_produce_a_pass(name: str) -> None:
    result = run_cases(FORGERIES[name], ADD_CASES, limits=FAST)

    assert result.status != Status.PASSED, (name, result.reason)
    assert result.tests_total == 4
    # `add` returns 0 (or something pretending to be anything): no case expecting a non-zero sum passes.
    for case in ("small", "negative", "floats", "refuses_text"):
        assert outcomes(result)[case] != "passed", (name, case, result.tests)


@needs_sandbox
def test_the_reviewers_forgery_still_fools_unittest_which_is_why_it_is_advisory() -> None:
    # The reason unittest results are never scored automatically (grading_services marks them for review).
    result = run_tests(PATCH_UNITTEST + WRONG_ADD, ADD_TESTS, limits=FAST)
    assert result.status == Status.PASSED
    assert run_cases(PATCH_UNITTEST + WRONG_ADD, ADD_CASES, limits=FAST).tests_passed == 0


@needs_sandbox
def test_a_forged_case_event_cannot_replace_or_add_results() -> None:
    # The code writes a forged "case" event on the worker's events pipe for every case before the real one.
    code = src(
        """
        import json, os

        def _forge():
            for fd in range(3, 32):
                for name in ("small", "negative", "floats", "refuses_text", "extra"):
                    line = json.dumps({"event": "case", "id": name, "outputs": [{"json": "0"}]}) + "\\n"
                    try:
                        os.write(fd, line.encode())
                    except OSError:
                        pass

        _forge()

        def add(a, b):
            return 0
        """
    )
    result = run_cases(code, ADD_CASES, limits=FAST)

    assert [t.name for t in result.tests] == ADD_NAMES  # no invented case
    assert result.tests_passed == 0


@needs_sandbox
def test_the_expected_values_never_enter_the_sandbox() -> None:
    secret = 987654321.125
    cases = {
        "format": CASES_FORMAT,
        "cases": [
            {"name": "secret", "call": "peek", "expected": secret},
            {"name": "ok", "call": "one", "expected": 1},
        ],
    }
    code = src(
        """
        import gc, os

        def peek():
            needle = "123456789"[::-1]  # built at run time: the source's own constants do not match
            found = []
            for obj in gc.get_objects():
                try:
                    text = repr(obj)
                except Exception:
                    continue
                if needle in text:
                    found.append(text[:80])
            print("FOUND" if found else "NOT FOUND")
            return 0

        def one():
            return 1
        """
    )
    result = run_cases(code, json.dumps(cases), limits=FAST)

    assert "NOT FOUND" in result.output, result.output
    assert outcomes(result) == {"secret": "failed", "ok": "passed"}


# --------------------------------------------------------------------------------------------------
# Containment is the same as in the unittest format


@needs_sandbox
def test_fork_bomb_is_stopped_and_reported() -> None:
    code = (
        READY
        + "import os\n\ndef go():\n    while True:\n        try:\n            os.fork()\n"
        + "        except OSError:\n            pass\n"
    )
    result = run_cases(
        code, GO_CASES, limits=Limits(cpu_seconds=2, wall_seconds=2, memory_mb=128, max_processes=6)
    )

    assert result.status == Status.KILLED and "process limit (6 processes" in result.reason
    assert outcomes(result) == {"a_first": "passed", "go": "error"}
    assert next(t for t in result.tests if t.name == "go").error_type == "WallTimeLimit"


@needs_sandbox
def test_fork_bomb_that_gives_up_is_reported_with_the_fork_error() -> None:
    code = READY + "import os\n\ndef go():\n    while True:\n        os.fork()\n"
    result = run_cases(code, GO_CASES, limits=Limits(cpu_seconds=2, wall_seconds=5, max_processes=5))

    assert result.status == Status.KILLED
    go = next(t for t in result.tests if t.name == "go")
    assert go.outcome == Outcome.ERROR and go.error_type == "BlockingIOError"


@needs_sandbox
def test_infinite_loop_hits_the_cpu_limit() -> None:
    result = run_cases(
        READY + "def go():\n    while True:\n        pass\n", GO_CASES, limits=Limits(cpu_seconds=1)
    )

    assert result.status == Status.TIMEOUT and "CPU time limit of 1 s" in result.reason
    assert next(t for t in result.tests if t.name == "go").error_type == "CPUTimeLimit"


@needs_sandbox
def test_network_call_is_blocked() -> None:
    code = READY + src(
        """
        import socket

        def go():
            try:
                socket.create_connection(("1.1.1.1", 443), timeout=2).close()
                return False
            except OSError as exc:
                print("blocked", type(exc).__name__)
                return True
        """
    )
    result = run_cases(code, GO_CASES, limits=FAST)

    assert result.status == Status.PASSED, (result.reason, result.output)
    assert "blocked" in result.output


@needs_sandbox
def test_write_outside_scratch_is_blocked() -> None:
    code = READY + src(
        """
        def go():
            for path in ("/tmp/x", "/usr/x", "/x"):
                try:
                    open(path, "w").write("escaped")
                    return False
                except OSError:
                    pass
            open("/scratch/ok.txt", "w").write("ok")
            return True
        """
    )
    result = run_cases(code, GO_CASES, limits=FAST)

    assert result.status == Status.PASSED, (result.reason, result.output)


@needs_sandbox
def test_memory_hog_is_reported_as_memory_exceeded() -> None:
    code = (
        READY
        + "def go():\n    hoard = []\n    while True:\n        hoard.append(bytearray(8 * 1024 * 1024))\n"
    )
    result = run_cases(code, GO_CASES, limits=FAST)

    assert result.status == Status.MEMORY_EXCEEDED and "out of memory (limit 128 MB)" in result.reason
    assert next(t for t in result.tests if t.name == "go").error_type == "MemoryError"


# --------------------------------------------------------------------------------------------------
# The bank's coding tasks


@needs_sandbox
@pytest.mark.parametrize(
    ("cases", "checks", "good", "weak", "starter"),
    [
        (
            bank_tasks.PRECISION_TESTS,
            bank_tasks.PRECISION_CHECKS,
            PRECISION_SOLUTION,
            PRECISION_WEAK,
            bank_tasks.PRECISION_STARTER,
        ),
        (
            bank_tasks.RUNNING_STATS_TESTS,
            bank_tasks.RUNNING_STATS_CHECKS,
            STATS_GOOD,
            STATS_WEAK,
            bank_tasks.RUNNING_STATS_STARTER,
        ),
    ],
)
def test_bank_cases_pass_a_correct_solution_and_catch_wrong_ones(
    cases: str, checks: list[tuple[str, str]], good: str, weak: str, starter: str
) -> None:
    assert is_cases_document(cases)
    # Every case has a public description, and only those.
    assert parse_cases(cases).names == [name for name, _text in checks]
    limits = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=256, max_processes=16)
    good_result = run_cases(good, cases, limits=limits)
    assert good_result.status == Status.PASSED, [t for t in good_result.tests if t.outcome != Outcome.PASSED]
    weak_result = run_cases(weak, cases, limits=limits)
    assert 0 < weak_result.tests_passed < weak_result.tests_total
    starter_result = run_cases(starter, cases, limits=limits)
    assert starter_result.tests_passed == 0


@needs_sandbox
def test_bank_precision_cases_catch_the_specific_mistakes() -> None:
    mutating = src(
        """
        def precision_at_k(recommended, relevant, k):
            if k <= 0:
                raise ValueError
            recommended.sort()
            return len(set(recommended[:k]) & set(relevant)) / k
        """
    )
    result = run_cases(mutating, bank_tasks.PRECISION_TESTS)
    assert outcomes(result)["inputs_not_modified"] == "failed"
    fraction = "from fractions import Fraction\n" + PRECISION_SOLUTION.replace(
        "hits / k", "Fraction(hits, k)"
    )
    failed = outcomes(run_cases(fraction, bank_tasks.PRECISION_TESTS))  # a Fraction is not a JSON value
    assert failed["returns_float"] == "failed" and failed["rejects_non_positive_k"] == "passed"


def test_bank_coding_tasks_ship_cases_with_the_expected_values_only_on_the_host() -> None:
    for task in (bank_tasks.precision_task(), bank_tasks.running_stats_task()):
        assert is_cases_document(task.hidden_data)
        assert task.spec["tests_format"] == CASES_FORMAT
        assert [c["test"] for c in task.spec["checks"]] == parse_cases(task.hidden_data).names


# --------------------------------------------------------------------------------------------------
# Bad case documents are refused before anything runs


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("not json", "not valid JSON"),
        ({"cases": []}, "format"),
        ({"format": CASES_FORMAT, "cases": []}, "define no case"),
        (
            {"format": CASES_FORMAT, "cases": [{"name": "x", "call": "f"}]},
            "exactly one of expected and raises",
        ),
        ({"format": CASES_FORMAT, "cases": [{"name": "x y", "call": "f", "expected": 1}]}, "needs a name"),
        (
            {"format": CASES_FORMAT, "cases": [{"name": "x", "call": "os.system", "expected": 1}]},
            "call must name",
        ),
        (
            {"format": CASES_FORMAT, "cases": [{"name": "x", "call": "f", "expected": 1}] * 2},
            "unique",
        ),
        (
            {
                "format": CASES_FORMAT,
                "cases": [{"name": "x", "steps": [{"call": "f", "emit": True}], "expected": []}],
            },
            "1 emitted results but 0 expected",
        ),
        (
            {
                "format": CASES_FORMAT,
                "cases": [{"name": "x", "steps": [{"on": "s", "attr": "a", "emit": True}], "expected": [1]}],
            },
            "used before a step binds it",
        ),
        (
            {
                "format": CASES_FORMAT,
                "cases": [{"name": "x", "call": "f", "args": [{"$eval": "1"}], "expected": 1}],
            },
            "unknown expression",
        ),
        (
            {"format": CASES_FORMAT, "cases": [{"name": "x", "call": "f", "expected": 1, "tolerance": -1}]},
            "tolerance",
        ),
    ],
)
def test_bad_case_documents_are_rejected(doc: Any, message: str) -> None:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with pytest.raises(SandboxInputError, match=message):
        parse_cases(text)
    with pytest.raises(SandboxInputError, match=message):
        run_cases(GOOD_ADD, text, limits=FAST)
