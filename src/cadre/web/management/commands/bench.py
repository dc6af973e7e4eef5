"""`cadre bench web`: time the pages and API on a scratch database (see cadre.web.bench)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from cadre.core.console import progress_bar, stdout
from cadre.web.bench import BenchConfig, run_web_bench


class Command(BaseCommand):
    help = "Benchmark Cadre on a scratch database; your own data is not touched."
    requires_system_checks = []  # the scratch database is created and migrated by the bench itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", choices=["web"], help="what to benchmark: web (pages and API)")
        defaults = BenchConfig()
        parser.add_argument("--people", type=int, default=defaults.people)
        parser.add_argument("--requisitions", type=int, default=defaults.requisitions)
        parser.add_argument("--applications", type=int, default=defaults.applications)
        parser.add_argument("--repeat", type=int, default=defaults.repeat, help="timed requests per endpoint")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if min(opts["people"], opts["requisitions"], opts["applications"], opts["repeat"]) < 1:
            raise CommandError("--people, --requisitions, --applications and --repeat must be at least 1")
        cfg = BenchConfig(
            people=opts["people"],
            requisitions=opts["requisitions"],
            applications=opts["applications"],
            repeat=opts["repeat"],
            seed=opts["seed"],
        )
        with progress_bar(not opts["no_progress"]) as report:
            result = run_web_bench(cfg, report)
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self._table(result)
        if result["failed"]:
            raise CommandError(
                "endpoint(s) did not answer 200: "
                + ", ".join(f"{n} ({result['endpoints'][n]['status']})" for n in result["failed"])
            )

    def _table(self, result: dict[str, Any]) -> None:
        table = Table(
            title=f"cadre bench web — {result['people']:,} people, {result['requisitions']:,} requisitions, "
            f"{result['applications']:,} applications on {result['database']} "
            f"(seeded in {result['seed_seconds']} s, {result['repeat']} requests each)",
            title_justify="left",
        )
        for column in ("Endpoint", "As", "Status", "Queries", "p50 ms", "p95 ms"):
            table.add_column(column, justify="right" if column not in {"Endpoint", "As"} else "left")
        target = result["p95_target_ms"]
        for name, r in result["endpoints"].items():
            p95 = f"[red]{r['p95_ms']:.1f}[/]" if r["p95_ms"] >= target else f"{r['p95_ms']:.1f}"
            status = str(r["status"]) if r["status"] == 200 else f"[red]{r['status']}[/]"
            table.add_row(
                name, r["as"].replace("_", " "), status, str(r["queries"]), f"{r['p50_ms']:.1f}", p95
            )
        stdout.print(table)
        stdout.print(f"p95 max {result['p95_ms_max']:.1f} ms (target < {target:.0f} ms on every page)")
