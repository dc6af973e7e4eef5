"""`cadre advise --duration-months N --criticality (low|standard|production_sla)
--regulatory (low|medium|high) --executive (yes|no) [...] [--json]`: the engagement advisor — contract,
long-term contract, contract-to-hire, direct hire, retained or contingency executive search — with every
option ranked and its reasons, the trade-offs, what would change the answer and the cost over the horizon
(nothing is saved).

`--requisition ID` starts from a requisition's own inputs (job order, profile hints, latest worker
classification); the other options then override them. The firm's saved burden settings are applied when
the database can be read.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.core.roles import Role
from cadre.placements.advisor import (
    BUDGET_BASES,
    CLASSIFICATION_RISKS,
    CRITICALITY,
    DIMENSIONS,
    LEVELS,
    URGENCY,
    VEHICLES,
    Advice,
    AdvisorInputError,
    advise,
    inputs_from_mapping,
    money_text,
)
from cadre.placements.advisor_services import (
    AdviceInputsInvalid,
    advise_requisition,
    burden_year,
    run_advice,
)
from cadre.requisitions.models import Requisition

# Option -> advisor input name; choices are checked by the advisor so every problem is listed at once.
OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--duration-months", "duration_months", "months the need lasts (1-120), or 'permanent'"),
    ("--criticality", "criticality", f"{' | '.join(CRITICALITY)} (production or model-performance SLA)"),
    ("--regulatory", "regulatory", " | ".join(LEVELS)),
    ("--executive", "executive", "yes | no: an executive search"),
    ("--ip-sensitivity", "ip_sensitivity", " | ".join(LEVELS)),
    ("--classification-risk", "classification_risk", " | ".join(CLASSIFICATION_RISKS)),
    ("--vehicle", "vehicle", f"{' | '.join(VEHICLES)}: how a contractor is engaged (default w2)"),
    ("--urgency", "urgency", " | ".join(URGENCY)),
    ("--budget", "budget", "the client's budget for the role (over the horizon, or see --budget-basis)"),
    ("--budget-basis", "budget_basis", f"{' | '.join(BUDGET_BASES)} (default horizon)"),
    ("--horizon-months", "horizon_months", "months to compare costs over (default: duration, >= 12; 24)"),
    ("--pay", "pay", "hourly pay rate of a contractor"),
    ("--bill", "bill", "hourly bill rate"),
    ("--salary", "salary", "annual base salary of a permanent hire"),
    ("--bonus", "bonus", "annual target bonus"),
    ("--hours-per-week", "hours_per_week", "default 40"),
    ("--contingency-percent", "contingency_percent", "default 20"),
    ("--retained-percent", "retained_percent", "default 33.3333"),
    ("--conversion-percent", "conversion_percent", "default 20 (pro-rated)"),
    ("--conversion-months", "conversion_months", "months on contract before converting (default 6)"),
    ("--state", "state", "US work state (employer burden)"),
    ("--year", "year", "burden-table year"),
    ("--currency", "currency", "default USD"),
    ("--preference", "preference", "what the client asks for (contract, contract_to_hire, direct_hire...)"),
)
REQUIRED = ("duration_months", "criticality", "regulatory", "executive")


class Command(BaseCommand):
    help = (
        "Engagement advisor: recommend contract, long-term contract, contract-to-hire, direct hire, or "
        "retained / contingency executive search, with reasons, trade-offs, what would change the answer "
        "and the cost over the horizon."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        for flag, dest, help_text in OPTIONS:
            parser.add_argument(flag, dest=dest, help=help_text)
        parser.add_argument("--requisition", type=int, help="start from this requisition's inputs")
        parser.add_argument(
            "--as", dest="username", default="", help="user to read the requisition as (default: an admin)"
        )
        parser.add_argument("--json", action="store_true", help="print the full advice as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        given = {dest: opts[dest] for _, dest, _ in OPTIONS if opts.get(dest) is not None}
        notes: list[str] = []
        if opts["requisition"] is not None:
            advice, header = self._for_requisition(opts["requisition"], opts["username"], given)
        else:
            missing = [f"--{name.replace('_', '-')}" for name in REQUIRED if name not in given]
            if missing:
                raise CommandError(f"missing {', '.join(missing)} (or give --requisition ID)")
            advice, notes = self._raw(given)
            header = ""
        data = advice.as_dict()
        data["notes"] = [*data["notes"], *notes]
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render(advice, data, header), ending="")

    def _raw(self, given: dict[str, Any]) -> tuple[Advice, list[str]]:
        try:
            inputs = inputs_from_mapping(given)
        except AdvisorInputError as exc:
            raise CommandError(_problems(exc.errors)) from exc
        try:
            try:
                if inputs.year is None:
                    inputs = inputs_from_mapping({**given, "year": burden_year()})
                return run_advice(inputs), []
            except DatabaseError:
                note = (
                    "The database could not be read (run `cadre migrate`): the firm's burden settings were "
                    "not applied."
                )
                return advise(inputs), [note]
        except AdviceInputsInvalid as exc:
            raise CommandError(_problems(exc.errors)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _for_requisition(self, pk: int, username: str, given: dict[str, Any]) -> tuple[Advice, str]:
        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(role=Role.ADMIN).first()
        if user is None:
            raise CommandError(
                f"no active user {username!r}" if username else "no admin user; pass --as USERNAME"
            )
        requisition = Requisition.objects.select_related("client", "role_family").filter(pk=pk).first()
        if requisition is None:
            raise CommandError(f"requisition {pk} not found")
        try:
            result = advise_requisition(user, requisition, {k: str(v) for k, v in given.items()})
        except AdviceInputsInvalid as exc:
            raise CommandError(_problems(exc.errors)) from exc
        except CadreError as exc:
            raise CommandError(exc.message) from exc
        header = f"Requisition #{requisition.pk}: {requisition.title} — {requisition.client}"
        if result.overridden:
            header += f" (overridden: {', '.join(result.overridden)})"
        return result.advice, header


def _problems(errors: list[str]) -> str:
    return f"{len(errors)} problem(s) with the inputs:\n" + "\n".join(f"  - {e}" for e in errors)


def _console() -> Console:
    return Console(file=io.StringIO(), width=150, force_terminal=False, color_system=None, highlight=False)


def render(advice: Advice, data: dict[str, Any], header: str = "") -> str:
    """The human-readable advice: the recommendation, warnings, ranking, costs, trade-offs, changes."""
    console = _console()
    i = advice.inputs
    cur = i.currency
    if header:
        console.print(escape(header))
    top = advice.options[0]
    console.print(f"[bold]Recommended: {escape(advice.recommended_label)}[/bold]  ({advice.version})")
    console.print(escape(advice.summary))
    console.print(
        f"Time to start: {top.time_to_start_days[0]}-{top.time_to_start_days[1]} days "
        f"({escape(top.time_to_start_note)})."
    )
    console.print(
        f"Contractor vehicle: {escape(advice.vehicle.label)}. " + escape(" ".join(advice.vehicle.reasons))
    )
    for w in advice.warnings:
        console.print(f"[bold red]WARNING:[/bold red] {escape(w)}")

    duration = "permanent" if i.duration_months is None else f"{i.duration_months} months"
    console.print(
        f"Inputs: duration {duration}, criticality {i.criticality}, regulatory {i.regulatory}, IP "
        f"{i.ip_sensitivity}, classification risk {i.classification_risk}, vehicle {i.vehicle}, urgency "
        f"{i.urgency}, executive {'yes' if i.executive else 'no'}"
        + (f", budget {money_text(i.budget, cur)} ({i.budget_basis})" if i.budget is not None else "")
        + f"; horizon {advice.horizon_months} months."
    )

    ranking = Table(title="Options, ranked", title_justify="left")
    for col in ("#", "Option", "Points", "Start (days)", f"Cost over {advice.horizon_months} mo", "Why"):
        ranking.add_column(col, overflow="fold")
    for o in advice.options:
        why = "; ".join(f"{r.points:+d} {r.input}: {r.text}" for r in o.reasons if r.points)
        cost = money_text(o.cost.total, cur) if o.cost else f"— ({o.cost_missing})"
        if o.over_budget_by is not None:
            cost += f" (over budget by {money_text(o.over_budget_by, cur)})"
        ranking.add_row(
            str(o.rank),
            o.label,
            str(o.score),
            f"{o.time_to_start_days[0]}-{o.time_to_start_days[1]}",
            escape(cost),
            escape(why),
        )
    console.print(ranking)

    costs = Table(title="Cost lines", title_justify="left")
    for col in ("Option", "Line", "Amount", "Formula"):
        costs.add_column(col, overflow="fold")
    for o in advice.options:
        for line in o.cost.lines if o.cost else ():
            costs.add_row(o.label, escape(line.label), money_text(line.amount, cur), escape(line.formula))
    if costs.row_count:
        console.print(costs)

    trade = Table(title="Trade-offs (5 = best for the client)", title_justify="left")
    trade.add_column("Dimension")
    for o in advice.options:
        trade.add_column(o.label, overflow="fold")
    for dimension, label in DIMENSIONS:
        cells = []
        for o in advice.options:
            t = next(t for t in o.tradeoffs if t.dimension == dimension)
            cells.append("n/a" if t.rating is None else f"{t.rating}/5")
        trade.add_row(label, *cells)
    console.print(trade)

    if advice.changes:
        console.print("[bold]What would change the answer[/bold]")
        for c in advice.changes:
            console.print(f"  - {escape(c.text)}")
    else:
        console.print("No single change to the inputs would change the recommendation.")

    contract = data.get("contract_economics")
    if contract:
        ratios = {r["name"]: r for r in contract["ratios"]}
        eng = contract["totals"]["engagement"]
        console.print(
            f"Contract economics at pay {contract['inputs']['pay']} / bill {contract['inputs']['bill']}: "
            f"markup {ratios['markup']['percent']}%, spread {ratios['spread']['percent']}%, gross margin "
            f"{ratios['gross_margin']['percent']}%; gross profit "
            f"{money_text(Decimal(eng['gross_profit']), cur)} over {contract['inputs']['weeks']} weeks "
            f"(burden {money_text(Decimal(eng['burden']), cur)})."
        )
    for note in data["notes"]:
        console.print(f"[dim]Note:[/dim] {escape(note)}")
    console.print(f"[dim]inputs digest {advice.inputs_digest}[/dim]")
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()
