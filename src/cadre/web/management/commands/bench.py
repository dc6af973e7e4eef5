"""`cadre bench web`: time the pages and API on a scratch database (see cadre.web.bench).
`cadre bench titles`: title-normalisation accuracy on ../shared/data (see cadre.taxonomy.titles_bench).
`cadre bench skills`: skill-extraction throughput on synthetic documents (see cadre.taxonomy.bench).
`cadre bench import`: importer records/s for resumes and conference rows (see cadre.sourcing.bench).
`cadre bench match`: top-k matching latency over N synthetic people vs full text (cadre.matching.bench).
`cadre bench match-quality`: nDCG@10 / recall@50 on the O*NET dev set (cadre.matching.quality)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from cadre.core.console import progress_bar, stdout
from cadre.web.bench import BenchConfig, run_web_bench

SHARED_DATA = Path("../shared/data")
TITLES_GOLD = Path(__file__).resolve().parents[5] / "benchmarks" / "titles_gold.csv"
QUALITY_BASELINE = Path(__file__).resolve().parents[5] / "benchmarks" / "match_quality_baseline.json"


class Command(BaseCommand):
    help = "Benchmark Cadre on a scratch database; your own data is not touched."
    requires_system_checks = []  # the scratch database is created and migrated by the bench itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            choices=["web", "titles", "skills", "import", "match", "match-quality"],
            help="web (pages and API), titles (title normalisation accuracy on real titles), "
            "skills (skill-extraction throughput), import (importer records/s), match (matching "
            "latency on N synthetic people) or match-quality (nDCG/recall on the O*NET dev set)",
        )
        parser.add_argument("--docs", type=int, default=10_000, help="skills: synthetic documents")
        defaults = BenchConfig()
        parser.add_argument("--people", type=int, default=defaults.people)
        parser.add_argument("--requisitions", type=int, default=defaults.requisitions)
        parser.add_argument("--applications", type=int, default=defaults.applications)
        parser.add_argument("--repeat", type=int, default=defaults.repeat, help="timed requests per endpoint")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--no-progress", action="store_true")
        imports = parser.add_argument_group("import")
        imports.add_argument("--resumes", type=int, default=300, help="generated resume files to import")
        imports.add_argument(
            "--conferences",
            type=Path,
            default=SHARED_DATA / "conferences",
            help="folder of accepted-paper lists (neurips2024.json, icml2024.json, cvpr2024.json)",
        )
        matching = parser.add_argument_group("match")
        matching.add_argument("--queries", type=int, default=200, help="match: requisitions to time")
        matching.add_argument("--top", type=int, default=50, help="match: results per query")
        matching.add_argument(
            "--no-text", action="store_true", help="match: skip the full-text index and the baseline"
        )
        matching.add_argument(
            "--check",
            action="store_true",
            help="match-quality: fail below benchmarks/match_quality_baseline.json (nDCG@10, recall@50)",
        )
        titles = parser.add_argument_group("titles")
        titles.add_argument(
            "--salaries",
            type=Path,
            default=SHARED_DATA / "ai_jobs" / "salaries_2025-01-19.csv",
            help="ai-jobs.net salary survey CSV (job_title, experience_level)",
        )
        titles.add_argument("--onet", type=Path, default=SHARED_DATA / "onet", help="O*NET 29.2 text files")
        titles.add_argument("--gold", type=Path, default=TITLES_GOLD, help="hand-labelled role families")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["target"] == "match":
            self._match(opts)
            return
        if opts["target"] == "match-quality":
            self._match_quality(opts)
            return
        if opts["target"] == "import":
            self._import(opts)
            return
        if opts["target"] == "titles":
            self._titles(opts)
            return
        if opts["target"] == "skills":
            self._skills(opts)
            return
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

    def _match(self, opts: dict[str, Any]) -> None:
        from cadre.matching.bench import MatchBenchConfig, run_match_bench

        if min(opts["people"], opts["queries"], opts["top"]) < 1:
            raise CommandError("--people, --queries and --top must be at least 1")
        cfg = MatchBenchConfig(
            people=opts["people"],
            queries=opts["queries"],
            top=opts["top"],
            seed=opts["seed"],
            text=not opts["no_text"],
        )
        with progress_bar(not opts["no_progress"] and not opts["json"]) as report:
            result = run_match_bench(cfg, report)
        self.stdout.write(json.dumps(result) if opts["json"] else json.dumps(result, indent=2))

    def _match_quality(self, opts: dict[str, Any]) -> None:
        from cadre.matching.quality import run_quality

        if not opts["onet"].is_dir():
            raise CommandError(f"{opts['onet']} is not a folder of O*NET text files (give --onet)")
        with progress_bar(not opts["no_progress"] and not opts["json"]) as report:
            result = run_quality(opts["onet"], report=report)
        self.stdout.write(json.dumps(result) if opts["json"] else json.dumps(result, indent=2))
        if opts["check"]:
            baseline = json.loads(QUALITY_BASELINE.read_text())["hybrid"]
            worse = {
                k: (result["hybrid"][k], v) for k, v in baseline.items() if result["hybrid"][k] < v - 0.005
            }
            if worse:
                raise CommandError(
                    "ranking quality regressed: "
                    + ", ".join(f"{k} {now:.4f} < baseline {was:.4f}" for k, (now, was) in worse.items())
                )

    def _skills(self, opts: dict[str, Any]) -> None:
        from cadre.taxonomy.bench import run_skills_bench

        if opts["docs"] < 1:
            raise CommandError("--docs must be at least 1")
        with progress_bar(not opts["no_progress"] and not opts["json"]) as report:
            result = run_skills_bench(
                opts["docs"], opts["seed"], lambda done, total: report("extracting skills", done, total)
            )
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            stdout.print(
                f"{result['docs']:,} documents (~{result['avg_words']:.0f} words) in {result['seconds']} s: "
                f"{result['docs_per_s']} docs/s (target >= {result['target_docs_per_s']}), "
                f"{result['mentions']:,} skill mentions"
            )

    def _import(self, opts: dict[str, Any]) -> None:
        from cadre.sourcing.bench import run_import_bench
        from cadre.web.bench import scratch_database

        with scratch_database(), progress_bar(not opts["no_progress"]) as report:
            result = run_import_bench(
                resumes=opts["resumes"], conferences_dir=opts["conferences"], report=report
            )
        self.stdout.write(json.dumps(result) if opts["json"] else json.dumps(result, indent=2))

    def _titles(self, opts: dict[str, Any]) -> None:
        from cadre.taxonomy.titles_bench import run_title_bench

        try:
            result = run_title_bench(opts["salaries"], opts["onet"], opts["gold"])
        except FileNotFoundError as exc:
            raise CommandError(f"{exc} (give --salaries, --onet and --gold)") from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result))
            return
        for section, figures in result.items():
            table = Table(title=f"cadre bench titles — {section}", title_justify="left")
            table.add_column("Measure")
            table.add_column("Value", justify="right")
            for name, value in figures.items():
                table.add_row(name, json.dumps(value))
            stdout.print(table)

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
