"""`cadre match-text "JOB DESCRIPTION" [--top 50] [--json]`: rank people for free text ("-" = stdin)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.core.exceptions import CadreError
from cadre.matching import services
from cadre.matching.management.commands._output import write_outcome


class Command(BaseCommand):
    help = "Rank people for a job description's skills, seniority cue and words (writes DecisionRecords)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help='job description text, or "-" to read standard input')
        parser.add_argument("--top", type=int, default=50, help="how many (capped to 1..500)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        text = sys.stdin.read() if opts["text"] == "-" else opts["text"]
        try:
            outcome = services.match_text(None, text, top=opts["top"])
        except CadreError as exc:
            raise CommandError(exc.message) from exc
        write_outcome(self, outcome, as_json=opts["json"])
