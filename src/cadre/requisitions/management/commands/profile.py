"""`cadre profile "TEXT" [--json]`: draft a job profile from requirement text (nothing is saved)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.requisitions.selectors import draft_profile_from_text

SHOWN = (
    "title",
    "role_family",
    "soc_code",
    "onet_code",
    "seniority",
    "must_skills",
    "nice_skills",
    "platform",
    "duration_months",
    "engagement_hint",
    "criticality",
    "regulatory_exposure",
    "competencies",
    "review_required",
)


class Command(BaseCommand):
    help = (
        "Draft a job profile (role family, skills, platform, duration, engagement...) from requirement text."
    )
    requires_system_checks: list[str] = []  # reads only the shipped ontology

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help='requirement text, or "-" to read it from standard input')
        parser.add_argument("--json", action="store_true", help="print the draft, with evidence, as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        text = sys.stdin.read() if opts["text"] == "-" else opts["text"]
        if not text.strip():
            raise CommandError("give the requirement text to draft a profile from")
        draft = draft_profile_from_text(text)
        if opts["json"]:
            self.stdout.write(json.dumps(draft.as_dict()))
            return
        data = draft.as_dict()
        for key in SHOWN:
            value = data[key]
            shown = ", ".join(value) if isinstance(value, list) else value
            self.stdout.write(f"{key:20} {shown if shown not in (None, '') else '—'}")
            for ev in draft.evidence.get(key, []):
                self.stdout.write(f"{'':20}   · {ev.rule}" + (f": “{ev.quote}”" if ev.quote else ""))
