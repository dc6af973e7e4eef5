"""Drive the real `cadre` console script in a subprocess with CADRE_HOME in a
temporary directory so the developer's own data is never touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CADRE = Path(sys.executable).with_name("cadre")


def run_cadre(
    home: Path, *args: str, sqlite: bool = True, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run `cadre ARGS` with CADRE_HOME=home. sqlite=True drops DATABASE_URL so commands that write
    to "the user's database" write to a SQLite file in `home`, even when the suite runs on PostgreSQL."""
    env = {**os.environ, "CADRE_HOME": str(home), "COLUMNS": "200"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if sqlite:
        env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(CADRE), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
