"""`cadre classify ANSWERS.json [--as-of YYYY-MM-DD] [--json]`: classify one engagement (nothing is saved).

`cadre classify --questions [--json]` prints the questionnaire; `cadre classify --rule-sets [--json]` the
rule sets with their versions, effective dates and status. ANSWERS.json is a JSON object of question id ->
answer ("-" reads it from standard input).
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadre.compliance.classification import (
    ClassificationInputError,
    ClassificationResult,
    classify,
    questionnaire,
    rule_set_registry,
)

ARROWS = {"employee": "[red]employee[/red]", "contractor": "[green]contractor[/green]", "neutral": "neutral"}
RISK_STYLE = {"low": "green", "medium": "yellow", "high": "red", "very high": "bold red"}


class Command(BaseCommand):
    help = (
        "Classify an engagement (FLSA, DOL enforcement lens, IRS, state ABC test) from a JSON file of "
        "answers: factor directions with facts and citations, risk, engagement vehicle, triggers and "
        "exposure estimates."
    )
    requires_system_checks: list[str] = []  # pure computation, no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("answers", nargs="?", help='JSON file of answers (question id -> answer), or "-"')
        parser.add_argument(
            "--as-of", dest="as_of", help="date the law is applied as of, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the full result (or questionnaire) as JSON"
        )
        parser.add_argument("--questions", action="store_true", help="print the questionnaire instead")
        parser.add_argument(
            "--rule-sets", dest="rule_sets", action="store_true", help="print the rule sets instead"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["questions"]:
            self._questions(opts["json"])
            return
        if opts["rule_sets"]:
            self._rule_sets(opts["json"])
            return
        if not opts["answers"]:
            raise CommandError("give a JSON file of answers (or --questions to see the questionnaire)")
        as_of = _parse_date(opts["as_of"]) if opts["as_of"] else date.today()
        answers = _load(opts["answers"])
        try:
            result = classify(answers, as_of=as_of)
        except ClassificationInputError as exc:
            raise CommandError(
                f"{len(exc.errors)} problem(s) with the answers:\n"
                + "\n".join(f"  - {e}" for e in exc.errors)
            ) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self._print(_render(result))

    def _print(self, console: Console) -> None:
        file = console.file
        assert isinstance(file, io.StringIO)
        self.stdout.write(file.getvalue(), ending="")

    def _questions(self, as_json: bool) -> None:
        questions = questionnaire()
        if as_json:
            self.stdout.write(json.dumps(questions, ensure_ascii=False))
            return
        console = _console()
        table = Table(title="Classification questionnaire", title_justify="left", show_lines=False)
        for column in ("Id", "Type", "Req.", "Question", "Choices", "Used by"):
            table.add_column(column, overflow="fold")
        for q in questions:
            choices = (
                ", ".join(c["value"] for c in q["choices"]) if len(q["choices"]) <= 12 else "US state code"
            )
            table.add_row(
                q["id"],
                q["type"],
                "yes" if q["required"] else "",
                escape(q["text"]),
                choices,
                ", ".join(q["used_by"]),
            )
        console.print(table)
        self._print(console)

    def _rule_sets(self, as_json: bool) -> None:
        listing = rule_set_registry()
        if as_json:
            self.stdout.write(json.dumps(listing, ensure_ascii=False))
            return
        console = _console()
        table = Table(title="Classification rule sets", title_justify="left")
        for column in ("Id", "Version", "Status", "Effective", "Jurisdiction", "Citation"):
            table.add_column(column, overflow="fold")
        for r in listing:
            effective = f"{r['effective_from']} – {r['effective_to'] or 'open'}"
            table.add_row(
                r["id"], r["version"], r["status"], effective, r["jurisdiction"], escape(r["citation"])
            )
        console.print(table)
        self._print(console)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}") from exc


def _load(path: str) -> Any:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, dict):
        raise CommandError(
            f"{path} must hold a JSON object of question id -> answer, not a {type(data).__name__}"
        )
    return data


def _usd(amount: str) -> str:
    return f"${Decimal(amount):,.2f}"


def _console() -> Console:
    return Console(file=io.StringIO(), width=160, force_terminal=False, color_system=None, highlight=False)


def _say(console: Console, text: str, prefix: str = "") -> None:
    """Print data text literally (it contains brackets such as "[unverified]"), after optional markup."""
    console.print(prefix + escape(text))


def _render(result: ClassificationResult) -> Console:
    console = _console()
    data = result.as_dict()
    _say(
        console,
        f" — work state {data['work_state']}, as of {data['as_of']} (engine {result.engine_version}, "
        f"digest {result.inputs_digest[:12]}…)",
        "[bold]Worker classification[/bold]",
    )
    for note in result.regime_notes:
        _say(console, f"Note: {note}")
    for regime in result.regimes:
        rs = regime.rule_set
        until = f" to {rs.effective_to.isoformat()}" if rs.effective_to else ""
        console.print()
        _say(
            console,
            f" — {rs.id} v{rs.version}, {rs.status}, effective {rs.effective_from.isoformat()}{until}",
            f"[bold]{escape(rs.name)}[/bold]",
        )
        _say(console, f"Test: {regime.test_applied} ({regime.test_citation})")
        for exemption in regime.exemptions:
            _say(
                console,
                f"Exemption checked first — {exemption.name} ({exemption.citation}): {exemption.explanation}",
            )
        table = Table(show_lines=True)
        for column, ratio in (("Factor", 3), ("Direction", 1), ("Facts relied on", 6), ("Citation", 3)):
            table.add_column(column, ratio=ratio, overflow="fold")
        for f in regime.factors:
            facts = "; ".join(x.text for x in f.facts_relied_on) or "—"
            if f.not_answered:
                facts += f" (not answered: {', '.join(f.not_answered)})"
            table.add_row(escape(f.name), ARROWS[f.direction], escape(facts), escape(f.citation))
        console.print(table)
        _say(console, f"Leaning: {regime.leaning_text}")
    risk = result.risk
    console.print()
    _say(console, f" — {risk.meaning}", f"[bold]Risk:[/bold] [{RISK_STYLE[risk.level]}]{risk.level}[/]")
    for reason in risk.reasons:
        _say(console, f"  • {reason}")
    vehicle = result.vehicle
    _say(console, f"{vehicle.recommended} — {vehicle.label}", "[bold]Recommended vehicle:[/bold] ")
    for line in (*vehicle.reasons, *vehicle.conditions):
        _say(console, f"  • {line}")
    for line in vehicle.alternatives:
        _say(console, f"  ◦ {line}")
    if result.changes:
        console.print("[bold]What would change the answer[/bold]")
        for change in result.changes[:12]:
            _say(console, f"  • {change.as_dict()['text']}")
    if result.unanswered:
        _say(console, f"Unanswered questions the rules read: {', '.join(result.unanswered)}")
    console.print("[bold]Re-evaluation triggers[/bold]")
    for trigger in result.triggers:
        _say(console, f"  [{trigger.status}] {trigger.text}")
    _render_exposure(console, data["exposure"])
    console.print()
    _say(console, result.disclaimer)
    return console


def _render_exposure(console: Console, exposure: dict[str, Any]) -> None:
    console.print()
    _say(console, f"Exposure ({exposure['label']})", "[bold]")
    flsa = exposure["flsa"]
    if flsa.get("computed"):
        inputs = flsa["inputs"]
        _say(
            console,
            f"FLSA: {inputs['hours_per_week']} h/week at {_usd(inputs['hourly_rate'])}/h for "
            f"{inputs['weeks']} weeks ({inputs['weeks_source']}); "
            f"{flsa['overtime_hours_per_week']} overtime h/week x "
            f"{_usd(flsa['owed_per_overtime_hour'])} owed per hour ({inputs['convention']}: "
            f"{inputs['convention_source']})",
        )
        table = Table()
        for column in ("Look-back", "Weeks", "Back wages", "Liquidated damages", "Total"):
            table.add_column(column)
        for w in flsa["windows"]:
            table.add_row(
                escape(w["label"]),
                w["weeks_counted"],
                _usd(w["back_wages"]),
                _usd(w["liquidated_damages"]),
                _usd(w["total"]),
            )
        console.print(table)
    else:
        _say(console, f"FLSA: not computed — {flsa['reason']}")
    for note in flsa.get("notes", []):
        _say(console, f"  · {note}")
    ca = exposure.get("california_226_8")
    if ca:
        willful, pattern = ca["willful_per_violation"], ca["pattern_or_practice_per_violation"]
        _say(
            console,
            f"{ca['label']}: {_usd(willful['min'])}–{_usd(willful['max'])} per violation; "
            f"{_usd(pattern['min'])}–{_usd(pattern['max'])} per violation if a pattern or practice",
        )
        for note in ca["notes"]:
            _say(console, f"  · {note}")
    _say(console, exposure["payroll_tax"]["label"])
    for note in exposure["payroll_tax"]["notes"]:
        _say(console, f"  · {note}")
    for note in exposure["state_notes"]:
        _say(console, f"  · {note}")
