"""`cadre titles normalize "TITLE" [--json]`: a job title -> role family, O*NET code, seniority."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cadre.taxonomy.titles import normalize_title


class Command(BaseCommand):
    help = "Normalise job titles to an AI role family, O*NET-SOC occupation and seniority."
    requires_system_checks: list[str] = []  # pure: needs no database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{normalize}")
        normalize = sub.add_parser("normalize", help="normalise one title")
        normalize.add_argument("title")
        normalize.add_argument("--json", action="store_true", help="print one JSON object")
        normalize.add_argument("--explain", action="store_true", help="with --json: add the evidence")

    def handle(self, *args: Any, **opts: Any) -> None:
        match = normalize_title(opts["title"])
        out = {
            "role_family": match.role_family,
            "onet_code": match.onet_code,
            "seniority": match.seniority,
            "score": match.score,
        }
        if opts["json"]:
            self.stdout.write(json.dumps(match.as_dict() if opts["explain"] else out))
            return
        for key, value in out.items():
            self.stdout.write(f"{key:12} {value if value is not None else '—'}")
        for line in match.evidence:
            self.stdout.write(f"  · {line}")
