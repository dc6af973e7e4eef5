"""`cadre dedup run|unmerge|eval|eval-file`: find one person across sources, undo a merge, benchmark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.core import audit
from cadre.core.console import progress_bar
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.core.roles import Role
from cadre.resolution import evaluation, services
from cadre.resolution.linkage import LinkageError


class Command(BaseCommand):
    help = "Identity resolution: find and merge records of the same person; undo merges; benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,unmerge,eval,eval-file}")
        run = sub.add_parser("run", help="score every pair of people; merge sure pairs, queue the rest")
        run.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        run.add_argument("--json", action="store_true", help="print one JSON summary")
        undo = sub.add_parser("unmerge", help="undo merge MERGE_ID exactly")
        undo.add_argument("merge_id", type=int)
        undo.add_argument("--as", dest="username", default="", help="the user to record (default: an admin)")
        bench = sub.add_parser("eval", help="benchmark on a bundled dataset")
        bench.add_argument("dataset", choices=["febrl4", "conference"])
        bench.add_argument(
            "file", type=Path, nargs="?", help="conference: a paper list with OpenReview author ids"
        )
        bench.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        bench.add_argument("--json", action="store_true")
        evalfile = sub.add_parser(
            "eval-file", help="benchmark on a CSV of person records with a truth column"
        )
        evalfile.add_argument("file", type=Path)
        evalfile.add_argument("--truth-col", required=True, help="column holding the true cluster id")
        evalfile.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        evalfile.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path | None
        try:
            if opts["action"] == "run":
                with audit.acting_as(None, "cli"), progress_bar(not opts["json"]) as report:
                    out = services.run_dedup(backend=opts["backend"], report=report)
            elif opts["action"] == "unmerge":
                user = self._user(opts["username"])
                with audit.acting_as(user, "cli"):
                    record = services.unmerge(user, opts["merge_id"])
                self.stdout.write(f"merge {record.pk} undone: person {record.merged_id} is separate again")
                return
            elif opts["action"] == "eval" and opts["dataset"] == "conference":
                path = opts["file"]
                if path is None:
                    raise CommandError("dedup eval conference needs FILE (a JSON paper list)")
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                rows, truth = evaluation.conference_records(path)
                out = evaluation.evaluate_conference(rows, truth, backend=opts["backend"])
            elif opts["action"] == "eval":
                rows, truth = evaluation.febrl4_records()
                out = evaluation.evaluate(rows, truth, backend=opts["backend"])
                out = {k: out[k] for k in ("precision", "recall", "f1", "seconds")} | {"records": len(rows)}
            else:
                path = opts["file"]
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                rows, truth = evaluation.csv_records(path, opts["truth_col"])
                out = evaluation.evaluate(rows, truth, backend=opts["backend"])
        except (LinkageError, CadreError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        if opts.get("json"):
            self.stdout.write(json.dumps(out))
        else:
            for key, value in out.items():
                self.stdout.write(f"{key:16} {value}")

    def _user(self, username: str) -> User:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(role=Role.ADMIN).first()
        if user is None:
            raise CommandError(
                f"no active user {username!r}" if username else "no admin user; pass --as USERNAME"
            )
        return user
