"""`cadre import resume|csv|credentials|academic|conference|github FILE...`: import people with provenance.

Prints the report (`--json`: one object {"created","updated","skipped","errors","run_id"}); progress
goes to stderr. Writes are attributed to `--user` (or `--actor`) if given, else to the system (via
"cli"). For `github`, `--user LOGIN` is the GitHub login to fetch live (token from GITHUB_TOKEN), as
the issue specifies, so the writes' author is given with `--actor` there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from cadre.core.console import progress_bar, stdout
from cadre.core.models import User
from cadre.sourcing.github_client import GithubClientError
from cadre.sourcing.importers import registry
from cadre.sourcing.importers.github import import_user


class Command(BaseCommand):
    help = (
        "Import people from resumes, ATS exports, credential and academic rosters, conference lists"
        " and GitHub."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="source", required=True, metavar="{" + ",".join(registry.NAMES) + "}"
        )
        for name, help_text in registry.NAMES.items():
            p = sub.add_parser(name, help=help_text)
            p.add_argument("files", nargs="*" if name == "github" else "+", type=Path, metavar="FILE")
            p.add_argument("--json", action="store_true", help="print the report as one JSON object")
            p.add_argument("--no-progress", action="store_true")
            p.add_argument(
                "--no-resolve", action="store_true", help="skip identity resolution of the new people"
            )
            attribution = ["--actor"] if name == "github" else ["--user", "--actor"]
            p.add_argument(
                *attribution, dest="actor", default="", help="attribute the writes to this user (an editor)"
            )
            if name == "github":
                p.add_argument("--user", dest="github_login", default="", help="fetch this GitHub login live")
                p.add_argument(
                    "--maintainer-stars",
                    type=int,
                    default=None,
                    help="stars a repo needs for its owner/admin to count as a maintainer (default 50)",
                )
            if name == "csv":
                p.add_argument("--mapping", default="generic", choices=sorted(registry.CSV_MAPPINGS))
            if name == "conference":
                p.add_argument("--venue", required=True, help="e.g. NeurIPS, ICML, CVPR, ICLR")
                p.add_argument("--year", required=True, type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = None
        if opts["actor"]:
            actor = User.objects.filter(username=opts["actor"]).first()
            if actor is None:
                raise CommandError(f"no user named {opts['actor']!r}")
        options = {k: opts[k] for k in ("mapping", "venue", "year") if k in opts}
        if opts.get("maintainer_stars") is not None:
            options["maintainer_stars"] = opts["maintainer_stars"]
        if opts["source"] == "github" and opts.get("github_login"):
            report = self._github_live(opts["github_login"], actor, opts, options)
        else:
            if not opts["files"]:
                raise CommandError("give one or more FILEs (or --user LOGIN to fetch from GitHub)")
            try:
                importer = registry.importer_for(opts["source"], actor=actor, **options)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            with progress_bar(not opts["no_progress"] and not opts["json"]) as report_progress:
                report = importer.run(
                    opts["files"], via="cli", progress=report_progress, resolve=not opts["no_resolve"]
                )
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
            return
        table = Table(title=f"{opts['source']} import (run {report.run_id})", title_justify="left")
        for column in ("Created", "Updated", "Skipped", "Errors"):
            table.add_column(column, justify="right")
        table.add_row(str(report.created), str(report.updated), str(report.skipped), str(len(report.errors)))
        stdout.print(table)
        for err in report.errors[:50]:
            stdout.print(f"[red]error[/red] {err['item']}: {err['error']}", markup=True, highlight=False)
        if len(report.errors) > 50:
            stdout.print(f"... and {len(report.errors) - 50} more errors (use --json for all)")

    def _github_live(self, login: str, actor: Any, opts: dict[str, Any], options: dict[str, Any]) -> Any:
        if opts["files"]:
            raise CommandError("give either FILEs or --user LOGIN, not both")
        try:
            return import_user(login, actor=actor, via="cli", resolve=not opts["no_resolve"], **options)
        except GithubClientError as exc:
            raise CommandError(str(exc)) from exc
