"""`cadre fees contingency|retained|conversion|split ... [--json]`: placement fees (nothing is saved).

cadre fees contingency --base 180000 --percent 22 [--guarantee-days 90] [--placed-on YYYY-MM-DD]
cadre fees retained --first-year-cash 400000 [--percent 33.3333] [--engaged-on D] [--shortlist-on D]
                    [--accepted-on D]
cadre fees conversion --salary 160000 --percent 25 --method prorate --months-worked 2 [--schedule-months 12]
cadre fees conversion --salary 100000 --percent 20 --method credit --fees-paid 15000 [--credit-rate 10]
cadre fees conversion --salary 100000 --percent 20 --method free_after_hours --hours-worked 900
                      --free-after-hours 1040
cadre fees split --amount 39600 --share alice=60 --share bob=40
"""

from __future__ import annotations

import argparse
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cadre.placements.fees import (
    CONVERSION_METHODS,
    FEES_VERSION,
    FeeQuote,
    contingency_fee,
    conversion_fee,
    retained_fee,
    split_commission,
)
from cadre.placements.management.commands.economics import date_arg, decimal_arg


def share_arg(text: str) -> tuple[str, Decimal]:
    name, sep, pct = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"a share is NAME=PERCENT, not {text!r}")
    return name.strip(), decimal_arg(pct)


class Command(BaseCommand):
    help = (
        "Placement fees: contingency (percent of base, guarantee), retained search (thirds with due dates), "
        "contract-to-hire conversion (pro-rated, credit or free after N hours) and commission splits."
    )
    requires_system_checks: list[str] = []  # pure computation, no database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="kind", required=True, metavar="{contingency,retained,conversion,split}"
        )
        c = sub.add_parser("contingency", help="percent of first-year base salary, due on placement")
        c.add_argument("--base", type=decimal_arg, required=True, help="first-year base salary")
        c.add_argument("--percent", type=decimal_arg, required=True, help="fee percent (e.g. 22)")
        c.add_argument("--guarantee-days", dest="guarantee_days", type=int, default=90)
        c.add_argument("--placed-on", dest="placed_on", type=date_arg, help="placement date, YYYY-MM-DD")

        r = sub.add_parser("retained", help="retained search, invoiced in thirds")
        r.add_argument("--first-year-cash", dest="first_year_cash", type=decimal_arg, required=True)
        r.add_argument("--percent", type=decimal_arg, default=Decimal("33.3333"), help="default 33.3333")
        r.add_argument("--engaged-on", dest="engaged_on", type=date_arg)
        r.add_argument("--shortlist-on", dest="shortlist_on", type=date_arg)
        r.add_argument("--accepted-on", dest="accepted_on", type=date_arg)

        v = sub.add_parser("conversion", help="contract-to-hire conversion fee")
        v.add_argument("--salary", type=decimal_arg, required=True, help="annual salary on conversion")
        v.add_argument("--percent", type=decimal_arg, required=True, help="full fee percent")
        v.add_argument("--method", choices=CONVERSION_METHODS, required=True)
        v.add_argument("--months-worked", dest="months_worked", type=decimal_arg)
        v.add_argument("--schedule-months", dest="schedule_months", type=int, default=12)
        v.add_argument("--hours-worked", dest="hours_worked", type=decimal_arg)
        v.add_argument("--free-after-hours", dest="free_after_hours", type=decimal_arg)
        v.add_argument("--fees-paid", dest="fees_paid", type=decimal_arg, help="contract fees already paid")
        v.add_argument(
            "--credit-rate",
            dest="credit_rate",
            type=decimal_arg,
            help="percent of fees paid credited (default 100)",
        )

        s = sub.add_parser("split", help="split a commission between recruiters to the cent")
        s.add_argument("--amount", type=decimal_arg, required=True)
        s.add_argument(
            "--share",
            dest="shares",
            type=share_arg,
            action="append",
            required=True,
            help="NAME=PERCENT (repeat)",
        )

        for p in (c, r, v, s):
            p.add_argument("--currency", default="USD")
            p.add_argument("--json", action="store_true", help="print the full result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        kind = opts["kind"]
        try:
            if kind == "split":
                self._split(opts)
                return
            quote = self._quote(kind, opts)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        data = quote.to_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render(data), ending="")

    def _quote(self, kind: str, opts: dict[str, Any]) -> FeeQuote:
        if kind == "contingency":
            return contingency_fee(
                base_salary=opts["base"],
                percent=opts["percent"],
                guarantee_days=opts["guarantee_days"],
                currency=opts["currency"],
                placed_on=opts["placed_on"],
            )
        if kind == "retained":
            return retained_fee(
                first_year_cash=opts["first_year_cash"],
                percent=opts["percent"],
                currency=opts["currency"],
                engaged_on=opts["engaged_on"],
                shortlist_on=opts["shortlist_on"],
                accepted_on=opts["accepted_on"],
            )
        return conversion_fee(
            salary=opts["salary"],
            percent=opts["percent"],
            method=opts["method"],
            months_worked=opts["months_worked"],
            schedule_months=opts["schedule_months"],
            hours_worked=opts["hours_worked"],
            free_after_hours=opts["free_after_hours"],
            fees_paid=opts["fees_paid"],
            credit_rate=opts["credit_rate"],
            currency=opts["currency"],
        )

    def _split(self, opts: dict[str, Any]) -> None:
        parts = split_commission(opts["amount"], opts["shares"])
        data = split_to_dict(opts["amount"], opts["shares"], parts, opts["currency"])
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        console = _console()
        table = Table(
            title=f"Commission split of {_money(data['amount'])} {data['currency']}", title_justify="left"
        )
        for col in ("Recruiter", "Share", "Amount"):
            table.add_column(col, justify="left" if col == "Recruiter" else "right")
        for p in data["parts"]:
            table.add_row(escape(p["name"]), f"{p['share_percent']}%", _money(p["amount"]))
        table.add_row(
            "[bold]Total[/bold]", f"{data['share_total']}%", f"[bold]{_money(data['total'])}[/bold]"
        )
        console.print(table)
        self.stdout.write(_text(console), ending="")


def split_to_dict(
    amount: Decimal, shares: list[tuple[str, Decimal]], parts: list[tuple[str, Decimal]], currency: str
) -> dict[str, Any]:
    share_of = dict(shares)
    return {
        "kind": "split",
        "currency": currency.upper(),
        "amount": str(amount),
        "share_total": str(sum((p for _, p in shares), Decimal(0))),
        "parts": [
            {"name": name, "share_percent": str(share_of[name]), "amount": str(value)}
            for name, value in parts
        ],
        "total": str(sum((v for _, v in parts), Decimal(0))),
        "method": "each part rounded down to the cent; leftover cents to the largest remainders",
        "version": FEES_VERSION,
    }


def _console() -> Console:
    return Console(file=io.StringIO(), width=120, force_terminal=False, color_system=None, highlight=False)


def _text(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def _money(amount: str) -> str:
    return f"{Decimal(amount):,.2f}"


TITLES = {
    "contingency": "Contingency placement fee",
    "retained": "Retained search fee",
    "conversion": "Contract-to-hire conversion fee",
}


def render(data: dict[str, Any]) -> str:
    console = _console()
    cur = data["currency"]
    console.print(
        f"[bold]{TITLES[data['kind']]}[/bold]: {_money(data['amount'])} {cur} "
        f"({data['percent']}% of {_money(data['basis'])}; {data['version']})"
    )
    console.print(f"Formula: {escape(data['formula'])}")
    if data["installments"]:
        table = Table(title="Installments", title_justify="left")
        for col in ("Installment", "Amount", "Due"):
            table.add_column(col, justify="right" if col == "Amount" else "left")
        for i in data["installments"]:
            table.add_row(escape(i["label"]), _money(i["amount"]), i["due_on"] or "on the event")
        console.print(table)
    if data.get("guarantee_days") is not None:
        console.print(
            f"Guarantee: {data['guarantee_days']} days"
            + (f", to {data['guarantee_ends_on']}" if data.get("guarantee_ends_on") else "")
        )
    for n in data["notes"]:
        console.print(f"  - {escape(n)}")
    return _text(console)
