"""Invoice numbers stay unique and gap-free when several invoices are generated at the same moment, on a
real SQLite file (WAL, IMMEDIATE transactions) in a subprocess: the in-memory test database cannot show
how concurrent writers wait for each other."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.cli.helpers import CADRE, run_cadre

SCRIPT = Path(__file__).with_name("invoice_concurrency_script.py")


def test_concurrent_generation_numbers_without_gaps_or_duplicates(tmp_path):
    assert CADRE.exists(), f"{CADRE} is missing"
    migrated = run_cadre(tmp_path, "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    done = run_cadre(tmp_path, "shell", "-c", SCRIPT.read_text())
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    year = dt.date.today().year
    assert result["numbers"] == [f"INV-{year}-{n:05d}" for n in range(1, 7)]
