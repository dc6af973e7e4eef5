"""`cadre economics --pay 60 --bill 95 --hours-per-week 40 --weeks 26 --state CA [--json]`: the economics of a
contract engagement — markup, spread, every employer-burden item with its formula inputs, gross profit and
margin per hour, per week, per year and over the engagement (nothing is saved).

The burden figures are the shipped tables for the year with the firm's saved burden settings applied
(when the database is reachable), then the figures given on the command line.
"""

from __future__ import annotations

import argparse
import io
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadre.placements.burden_settings import economics_with_settings
from cadre.placements.economics import VEHICLES, ContractEconomics


def decimal_arg(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a number: {text!r}")
    return value


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Contract staffing economics: markup, spread, employer burden (FICA, FUTA, SUTA, workers' comp, "
        "benefits) with each formula's inputs, gross profit and margin per hour, week, year and engagement."
    )
    requires_system_checks: list[str] = []  # computation; the database is only read for firm settings

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pay", type=decimal_arg, required=True, help="hourly pay rate")
        parser.add_argument("--bill", type=decimal_arg, required=True, help="hourly bill rate")
        parser.add_argument(
            "--hours-per-week",
            dest="hours_per_week",
            type=decimal_arg,
            default=Decimal(40),
            help="regular hours per week (default 40)",
        )
        parser.add_argument(
            "--weeks", type=decimal_arg, required=True, help="length of the engagement in weeks"
        )
        parser.add_argument("--state", help="US state worked in (two letters); required for W-2")
        parser.add_argument("--year", type=int, help="year of the burden tables (default: the start year)")
        parser.add_argument(
            "--start-date",
            dest="start_date",
            type=date_arg,
            help="first day, YYYY-MM-DD (default 1 January of --year): lays the weeks on the calendar",
        )
        parser.add_argument("--vehicle", default="w2", choices=VEHICLES, help="w2 (default), 1099 or c2c")
        parser.add_argument(
            "--overtime-hours",
            dest="overtime_hours",
            type=decimal_arg,
            default=Decimal(0),
            help="overtime hours per week (at --pay-overtime / --bill-overtime, default 1.5x)",
        )
        parser.add_argument("--pay-overtime", dest="pay_overtime", type=decimal_arg, help="overtime pay rate")
        parser.add_argument(
            "--bill-overtime", dest="bill_overtime", type=decimal_arg, help="overtime bill rate"
        )
        parser.add_argument(
            "--prior-wages",
            dest="prior_wages",
            type=decimal_arg,
            default=Decimal(0),
            help="wages already paid to the worker this calendar year (count toward the caps)",
        )
        parser.add_argument(
            "--workers-comp-per-100",
            dest="workers_comp_per_100",
            type=decimal_arg,
            help="workers' compensation, dollars per 100 of payroll",
        )
        parser.add_argument(
            "--benefits-rate", dest="benefits_rate", type=decimal_arg, help="benefits, percent of pay"
        )
        parser.add_argument("--suta-rate", dest="suta_rate", type=decimal_arg, help="SUTA rate, percent")
        parser.add_argument(
            "--suta-wage-base", dest="suta_wage_base", type=decimal_arg, help="SUTA taxable wage base"
        )
        parser.add_argument("--currency", default="USD", help="currency of the rates (default USD)")
        parser.add_argument(
            "--no-settings",
            dest="no_settings",
            action="store_true",
            help="ignore the firm's saved burden settings (shipped tables only)",
        )
        parser.add_argument("--json", action="store_true", help="print every figure as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        kwargs: dict[str, Any] = {
            "pay": opts["pay"],
            "bill": opts["bill"],
            "hours_per_week": opts["hours_per_week"],
            "weeks": opts["weeks"],
            "state": opts["state"],
            "year": opts["year"],
            "vehicle": opts["vehicle"],
            "currency": opts["currency"],
            "start_date": opts["start_date"],
            "prior_wages": opts["prior_wages"],
            "overtime_hours_per_week": opts["overtime_hours"],
            "pay_overtime": opts["pay_overtime"],
            "bill_overtime": opts["bill_overtime"],
            "suta_rate_percent": opts["suta_rate"],
            "suta_wage_base": opts["suta_wage_base"],
            "workers_comp_per_100": opts["workers_comp_per_100"],
            "benefits_percent": opts["benefits_rate"],
        }
        extra_notes: list[str] = []
        try:
            try:
                result = economics_with_settings(**kwargs, use_settings=not opts["no_settings"])
            except DatabaseError:
                result = economics_with_settings(**kwargs, use_settings=False)
                extra_notes.append(
                    "The database could not be read (run `cadre migrate`): the firm's burden settings "
                    "were not applied."
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        data = result.to_dict()
        data["notes"] = [*data["notes"], *extra_notes]
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render(result, data), ending="")


def _console() -> Console:
    return Console(file=io.StringIO(), width=150, force_terminal=False, color_system=None, highlight=False)


def _money(amount: str | None, currency: str) -> str:
    if amount is None:
        return "—"
    return f"{Decimal(amount):,.2f}"


def _pct(fraction: str | None) -> str:
    return "—" if fraction is None else f"{Decimal(fraction) * 100:.2f}%"


def render(result: ContractEconomics, data: dict[str, Any]) -> str:
    """The human-readable report: inputs, ratios, burden lines, totals, warnings, notes, sources."""
    console = _console()
    cur = data["currency"]
    inp = data["inputs"]
    where = f"{inp['state']} {inp['year']}" if inp["state"] and inp["year"] else (inp["state"] or "no state")
    console.print(
        f"[bold]Contract economics[/bold] — {escape(inp['vehicle'].upper())}, {escape(where)}, "
        f"{inp['hours_per_week']} h/week"
        + (
            f" + {inp['overtime_hours_per_week']} h overtime"
            if Decimal(inp["overtime_hours_per_week"])
            else ""
        )
        + f" × {inp['weeks']} weeks, {inp['start_date']} to {inp['end_date']} ({cur}; {data['version']})"
    )
    for w in data["warnings"]:
        console.print(f"[bold red]WARNING:[/bold red] {escape(w)}")

    rates = Table(title="Rates and ratios", title_justify="left")
    for col in ("Figure", "Value", "Formula"):
        rates.add_column(col, overflow="fold")
    rates.add_row("Pay / hour", _money(inp["pay"], cur), "input")
    rates.add_row("Bill / hour", _money(inp["bill"], cur), "input")
    if Decimal(inp["overtime_hours_per_week"]):
        rates.add_row(
            "Overtime pay / bill",
            f"{_money(inp['pay_overtime'], cur)} / {_money(inp['bill_overtime'], cur)}",
            "input or 1.5 × regular",
        )
    for r in data["ratios"]:
        rates.add_row(r["name"].replace("_", " ").capitalize(), _pct(r["value"]), escape(r["formula"]))
    console.print(rates)

    burden = Table(title="Employer burden over the engagement", title_justify="left")
    for col, justify in (
        ("Item", "left"),
        ("Rate", "right"),
        ("Wage base", "right"),
        ("Taxable wages", "right"),
        ("Amount", "right"),
        ("Formula", "left"),
    ):
        burden.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for line in data["burden"]:
        rate = line["rate"]
        rate_text = (
            f"{(Decimal(rate) * 100).normalize():f} per 100"
            if line["component"] == "workers_comp"
            else _pct(rate)
        )
        burden.add_row(
            escape(line["label"]),
            rate_text,
            _money(line["wage_base"], cur) if line["wage_base"] else "no cap",
            _money(line["taxable_wages"], cur),
            _money(line["amount"], cur),
            escape(line["formula"]),
        )
    burden.add_row(
        "[bold]Total burden[/bold]",
        _pct(data["burden_rate"]) + " of pay",
        "",
        "",
        f"[bold]{_money(data['totals']['engagement']['burden'], cur)}[/bold]",
        "",
    )
    console.print(burden)

    totals = Table(title="Totals", title_justify="left")
    for col in ("Period", "Hours", "Revenue", "Pay", "Burden", "Cost", "Gross profit", "Gross margin"):
        totals.add_column(col, justify="left" if col == "Period" else "right")
    ph = data["per_hour"]
    totals.add_row(
        "Per hour",
        "1",
        _money(ph["bill"], cur),
        _money(ph["pay"], cur),
        _money(ph["burden"], cur),
        _money(ph["cost"], cur),
        _money(ph["gross_profit"], cur),
        _pct(data["gross_margin"]),
    )
    for key, label in (("week", "Per week"), ("year", "Per year (52 weeks)"), ("engagement", "Engagement")):
        t = data["totals"][key]
        totals.add_row(
            label,
            t["hours"],
            _money(t["revenue"], cur),
            _money(t["pay"], cur),
            _money(t["burden"], cur),
            _money(t["cost"], cur),
            _money(t["gross_profit"], cur),
            _pct(t["gross_margin"]),
        )
    console.print(totals)
    for key in ("week", "year", "engagement"):
        console.print(f"  {key}: {escape(data['totals'][key]['basis'])}")
    if data["notes"]:
        console.print("[bold]Notes[/bold]")
        for n in data["notes"]:
            console.print(f"  - {escape(n)}")
    if data["sources"]:
        console.print("[bold]Sources[/bold]")
        for s in data["sources"]:
            console.print(f"  - {escape(s)}")
    console.print(f"[dim]{escape(data['rounding'])}[/dim]")
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()
