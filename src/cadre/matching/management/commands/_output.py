"""Shared output of `cadre match` and `cadre match-text`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from cadre.matching.services import MatchOutcome


def write_outcome(command: BaseCommand, outcome: MatchOutcome, *, as_json: bool) -> None:
    if as_json:
        data: dict[str, Any] = outcome.as_dict()
        data["results"] = [
            {"person_id": r["person_id"], "score": r["score"], "explanation": r["explanation"]}
            for r in outcome.results
        ]
        command.stdout.write(json.dumps(data))
        return
    if not outcome.results:
        command.stdout.write(outcome.reason or "No matches.")
        return
    for r in outcome.results:
        ex = r["explanation"]
        have = ", ".join(m["name"] for m in ex["must_have"]["matched"]) or "—"
        missing = ", ".join(m["name"] for m in ex["must_have"]["missing"])
        headline = r.get("headline", "")[:40]
        line = f"{r['rank']:>3}. person {r['person_id']:<8} {r['score']:.3f}  {headline:40}  has: {have}"
        command.stdout.write(line + (f"  missing: {missing}" if missing else ""))
    command.stdout.write(
        f"{outcome.considered} with a required skill, {outcome.eligible} pass the hard filters; "
        f"{outcome.version}; {outcome.ms:.0f} ms"
    )
