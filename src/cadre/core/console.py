"""Terminal output for the `cadre` command: progress and messages on stderr, results on stdout,
so `--json` output and `cadre token create` stay machine-readable."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

stderr = Console(stderr=True)
# Piped output gets a wide fixed width so tables (and the passwords in them) never wrap.
stdout = Console(width=None if sys.stdout.isatty() else 160)

# (what is being done, done so far, total)
ProgressReport = Callable[[str, int, int], None]


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[ProgressReport]:
    """Yield a `report(step, done, total)` callback drawing one bar per step on stderr."""
    if not enabled:
        yield lambda _step, _done, _total: None
        return
    columns = (
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=False) as progress:
        tasks: dict[str, int] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)  # type: ignore[arg-type]

        yield report
