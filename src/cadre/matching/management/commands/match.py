"""`cadre match REQUISITION_ID [--top 50] [--relax F,...] [--json]`: rank people for a requisition."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.core.exceptions import CadreError
from cadre.matching import selectors, services
from cadre.matching.management.commands._output import write_outcome
from cadre.requisitions.models import Requisition


class Command(BaseCommand):
    help = "Rank people for a requisition, with the evidence behind each score (writes DecisionRecords)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("requisition_id", type=int)
        parser.add_argument("--top", type=int, default=50, help="how many (capped to 1..500)")
        parser.add_argument("--relax", default="", help="hard filters to relax, comma-separated")
        parser.add_argument("--include-in-pipeline", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        requisition = Requisition.objects.select_related("client").filter(pk=opts["requisition_id"]).first()
        if requisition is None:
            raise CommandError(f"requisition {opts['requisition_id']} not found")
        try:
            outcome = services.match_people(
                None,
                requisition,
                top=opts["top"],
                relaxed=selectors.parse_relaxed([opts["relax"]]),
                include_in_pipeline=opts["include_in_pipeline"],
            )
        except CadreError as exc:
            raise CommandError(exc.message) from exc
        write_outcome(self, outcome, as_json=opts["json"])
