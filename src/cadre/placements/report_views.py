"""Placements pages: the placement reports at /placements/reports/ — margin by client and by recruiter,
time-to-fill, fill rate, placements by engagement type — with inline-SVG charts and a CSV download per
section (?download=margin-client|margin-recruiter|time-to-fill|fill-rate|mix)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from cadre.clients.models import Client
from cadre.core.csvsafe import safe_cell, safe_row
from cadre.core.exceptions import CadreError
from cadre.placements import report_selectors, reports
from cadre.web.http import fetch

DOWNLOADS = ("margin-client", "margin-recruiter", "time-to-fill", "fill-rate", "mix")
MARGIN_FIELDS = (
    "label",
    "currency",
    "placements",
    "hours",
    "revenue",
    "fees",
    "pay",
    "burden",
    "gross_profit",
    "gross_margin",
)
FILL_CHART_ROWS = 20


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"


def report_csv(report: report_selectors.PlacementReport, section: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    period = [report.start.isoformat(), report.end.isoformat()]
    if section in ("margin-client", "margin-recruiter"):
        rows = report.by_client if section == "margin-client" else report.by_recruiter
        writer.writerow(
            [
                "period_start",
                "period_end",
                "client" if section == "margin-client" else "recruiter",
                *MARGIN_FIELDS[1:],
            ]
        )
        for row in rows:
            data = row.to_numbers()  # money stays numeric: a loss is -1234.50, not text
            writer.writerow(safe_row([*period, *(data[k] for k in MARGIN_FIELDS)]))
        for warning in report.warnings:  # e.g. approved hours with no rate card, left out of the figures
            writer.writerow(safe_row([*period, "warning", warning]))
    elif section == "time-to-fill":
        writer.writerow(
            [
                "period_start",
                "period_end",
                "client",
                "placements",
                "median_days",
                "p90_days",
                "fastest_days",
                "slowest_days",
            ]
        )
        for ttf in [*report.time_to_fill, report.time_to_fill_all]:
            d = ttf.to_dict()
            writer.writerow(
                [
                    *period,
                    safe_cell(d["label"]),
                    d["count"],
                    d["median_days"],
                    d["p90_days"],
                    d["fastest_days"],
                    d["slowest_days"],
                ]
            )
    elif section == "fill-rate":
        writer.writerow(
            [
                "period_start",
                "period_end",
                "requisition_id",
                "title",
                "client",
                "status",
                "openings",
                "placements",
                "fill_rate",
            ]
        )
        for req in report.fill.requisitions:
            d = req.to_dict()
            writer.writerow(
                [
                    *period,
                    d["requisition_id"],
                    safe_cell(d["title"]),
                    safe_cell(d["client"]),
                    d["status"],
                    d["openings"],
                    d["placements"],
                    d["fill_rate"],
                ]
            )
    else:
        vehicles = ["w2", "1099", "c2c", "client"]
        writer.writerow(["period_start", "period_end", "engagement_type", "total", *vehicles])
        for mix in report.mix:
            counts = {v: n for v, _label, n in mix.by_vehicle}
            writer.writerow([*period, mix.engagement_type, mix.total, *(counts.get(v, 0) for v in vehicles)])
    return out.getvalue()


def _margin_chart(rows: list[reports.MarginRow]) -> dict[str, Any] | None:
    return reports.bar_chart(
        [
            (
                f"{row.label}" + (f" ({row.currency})" if row.currency != "USD" else ""),
                row.figures.gross_profit,
                f"{Decimal(reports.money(row.figures.gross_profit)):,} · {_pct(row.figures.gross_margin)}",
            )
            for row in rows[:15]
        ]
    )


def report_context(report: report_selectors.PlacementReport) -> dict[str, Any]:
    fill_rows = [req for req in report.fill.requisitions if req.rate is not None][:FILL_CHART_ROWS]
    return {
        "report": report,
        "totals": [
            {"currency": currency, "f": f, "margin": _pct(f.gross_margin)}
            for currency, f in report.totals.items()
        ],
        "by_client": [{"row": row, "margin": _pct(row.figures.gross_margin)} for row in report.by_client],
        "by_recruiter": [
            {"row": row, "margin": _pct(row.figures.gross_margin)} for row in report.by_recruiter
        ],
        "client_chart": _margin_chart(report.by_client),
        "recruiter_chart": _margin_chart(report.by_recruiter),
        "ttf_chart": reports.range_chart([*report.time_to_fill, report.time_to_fill_all]),
        "fill_chart": reports.bar_chart(
            [
                (
                    f"{req.title} ({req.client})",
                    min(req.rate or Decimal(0), Decimal(1)),
                    f"{req.placements}/{req.openings}",
                )
                for req in fill_rows
            ],
            width=300,
        ),
        "fill_rate": _pct(report.fill.rate),
        "fill_rows": [{"req": req, "rate": _pct(req.rate)} for req in report.fill.requisitions],
        "mix_chart": reports.stacked_chart(report.mix),
        "vehicle_labels": [
            ("w2", "W-2"),
            ("1099", "1099"),
            ("c2c", "Corp-to-corp"),
            ("client", "Client payroll"),
        ],
    }


@require_GET
@login_required
def placement_reports(request: HttpRequest) -> HttpResponse:
    fetch(report_selectors.require_reports, request.user)
    default_start, default_end = report_selectors.default_period()
    start = _date(request.GET.get("start")) or default_start
    end = _date(request.GET.get("end")) or default_end
    raw_client = request.GET.get("client", "")
    client_id = int(raw_client) if raw_client.isdigit() else None
    error = ""
    try:
        report = report_selectors.placement_report(request.user, start, end, client_id=client_id)
    except CadreError as exc:
        error = exc.message
        start, end = default_start, default_end
        report = report_selectors.placement_report(request.user, start, end, client_id=client_id)
    download = request.GET.get("download", "")
    if download in DOWNLOADS and not error:
        response = HttpResponse(report_csv(report, download), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="placements-{download}-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        return response
    context = report_context(report)
    context.update(
        {
            "error": error,
            "start": start,
            "end": end,
            "client_id": client_id,
            "clients": Client.objects.filter(placements__isnull=False).distinct().order_by("name"),
            "query": f"start={start.isoformat()}&end={end.isoformat()}"
            + (f"&client={client_id}" if client_id else ""),
        }
    )
    return render(request, "placements/reports.html", context, status=422 if error else 200)


urlpatterns: list[URLPattern] = [
    path("placements/reports/", placement_reports, name="placement-reports"),
]
