"""`cadre screening load-bank [--json]`: create the starter question bank (idempotent)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cadre.core.audit import acting_as
from cadre.screening.bank import load_bank


class Command(BaseCommand):
    help = (
        "Screening administration. load-bank: create the starter question bank (multiple choice, short "
        "answers, take-homes, ML and coding tasks with generated data); questions already present are "
        "left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load-bank"])
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        with acting_as(None, "cli"):
            counts = load_bank()
        if opts["json"]:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(
            f"question bank: {counts['created']} created, {counts['existing']} already present "
            f"({counts['total']} starter questions)"
        )
