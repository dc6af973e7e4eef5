"""`cadre demo`: load the synthetic demo dataset and print the demo logins."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from cadre.core.console import progress_bar, stderr, stdout
from cadre.web import demo


class Command(BaseCommand):
    help = "Load a synthetic demo dataset (clients, requisitions, people, pipelines) and demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=demo.DEFAULT_PEOPLE, help="candidates to create")
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (same seed, same data)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already has data (still prints saved demo logins)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["people"] < 1:
            raise CommandError("--people must be at least 1")
        as_json = opts["json"]
        if demo.database_has_data():
            if not opts["if_empty"]:
                raise CommandError(
                    "the database already has data; `cadre demo` only loads into an empty database "
                    "(use --if-empty to skip quietly, or point CADRE_HOME / DATABASE_URL at a new one)"
                )
            saved = demo.saved_logins() or []
            self._print(saved, demo.counts(), as_json, loaded=False)
            return
        try:
            with progress_bar(not opts["no_progress"]) as report:
                result = demo.load_demo(people=opts["people"], seed=opts["seed"], progress=report)
        except demo.DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        path = demo.save_logins(result)
        if not as_json:
            stderr.print(f"[dim]Demo logins saved to {path} (readable by you only).[/]")
        self._print(result.logins, result.counts, as_json, loaded=True)

    def _print(
        self, logins: list[demo.DemoLogin], counts: dict[str, int], as_json: bool, *, loaded: bool
    ) -> None:
        if as_json:
            body = {"loaded": loaded, "users": [vars(u) for u in logins], "counts": counts}
            self.stdout.write(json.dumps(body))
            return
        if not loaded:
            stderr.print("The database already has data; demo not loaded.")
        if not logins:
            return
        table = Table(title="Cadre demo logins", title_justify="left")
        for column in ("Username", "Role", "Password", "Client"):
            table.add_column(column)
        for u in logins:
            table.add_row(u.username, u.role.replace("_", " "), u.password, u.client or "")
        stdout.print(table)
        if loaded:
            stdout.print(", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))
