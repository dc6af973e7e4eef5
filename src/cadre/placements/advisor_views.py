"""The "Economics & advice" tab of a requisition: how to fill it (the engagement advisor), what each model
costs over the horizon (an inline-SVG stacked bar chart), the trade-offs, and the contract economics at
the band midpoints.

GET /requisitions/<id>/economics/ shows the advice prefilled from the requisition; the form on the page
tweaks the inputs through GET parameters (nothing is written). POST .../economics/record/ keeps the advice
shown as a DecisionRecord about the requisition (admins and recruiters). Hiring managers see their
clients' requisitions only (404 otherwise).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from cadre.core import roles
from cadre.core.exceptions import Forbidden
from cadre.placements import burden
from cadre.placements.advisor import (
    CLASSIFICATION_RISKS,
    CRITICALITY,
    DEFAULT_CONTINGENCY_PERCENT,
    DEFAULT_CONVERSION_PERCENT,
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_RETAINED_PERCENT,
    DIMENSIONS,
    FIELD_NAMES,
    INPUT_LABELS,
    LABELS,
    LEVELS,
    PREFERENCES,
    URGENCY,
    VEHICLE_LABELS,
    Advice,
    CostEstimate,
    budget_over_horizon,
    money_text,
    value_label,
)
from cadre.placements.advisor_services import (
    AdviceInputsInvalid,
    RequisitionAdvice,
    advise_requisition,
    latest_recorded_advice,
    record_advice,
)
from cadre.placements.selectors import require_economics
from cadre.requisitions.models import Requisition
from cadre.requisitions.selectors import get_requisition
from cadre.web.http import fetch

# -- the inputs form ---------------------------------------------------------------------------------------

PREFERENCE_LABELS = {
    "contract": "Contract",
    "contract_to_hire": "Contract-to-hire",
    "direct_hire": "Direct hire",
    "retained_search": "Retained search",
}


def _choices(values: tuple[str, ...], labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(v, (labels or {}).get(v) or value_label(v).capitalize()) for v in values]


FORM_GROUPS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "The need",
        [
            {
                "name": "duration_months",
                "label": "Duration (months)",
                "type": "text",
                "help": "A number of months, or “permanent”.",
            },
            {
                "name": "executive",
                "label": "Executive search",
                "type": "select",
                "choices": [("no", "No"), ("yes", "Yes")],
            },
            {
                "name": "criticality",
                "label": "Criticality",
                "type": "select",
                "choices": _choices(CRITICALITY, {"production_sla": "Production / model-performance SLA"}),
            },
            {
                "name": "regulatory",
                "label": "Regulatory exposure",
                "type": "select",
                "choices": _choices(LEVELS),
            },
            {
                "name": "ip_sensitivity",
                "label": "IP sensitivity",
                "type": "select",
                "choices": _choices(LEVELS),
            },
            {"name": "urgency", "label": "Urgency", "type": "select", "choices": _choices(URGENCY)},
            {
                "name": "preference",
                "label": "Client asks for",
                "type": "select",
                "blank": "No preference",
                "choices": [(k, PREFERENCE_LABELS.get(k) or LABELS.get(k, k)) for k in PREFERENCES],
            },
        ],
    ),
    (
        "Classification",
        [
            {
                "name": "classification_risk",
                "label": "Classification risk",
                "type": "select",
                "choices": _choices(CLASSIFICATION_RISKS),
            },
            {
                "name": "vehicle",
                "label": "Contractor vehicle",
                "type": "select",
                "choices": list(VEHICLE_LABELS.items()),
            },
        ],
    ),
    (
        "Rates and budget",
        [
            {"name": "pay", "label": "Pay rate (per hour)", "type": "number", "step": "0.01"},
            {"name": "bill", "label": "Bill rate (per hour)", "type": "number", "step": "0.01"},
            {"name": "salary", "label": "Salary (per year)", "type": "number", "step": "1"},
            {"name": "bonus", "label": "Target bonus (per year)", "type": "number", "step": "1"},
            {
                "name": "hours_per_week",
                "label": "Hours per week",
                "type": "number",
                "step": "0.5",
                "placeholder": str(DEFAULT_HOURS_PER_WEEK),
            },
            {"name": "budget", "label": "Budget", "type": "number", "step": "1"},
            {
                "name": "budget_basis",
                "label": "Budget is",
                "type": "select",
                "choices": [("horizon", "For the whole horizon"), ("annual", "Per year")],
            },
            {
                "name": "horizon_months",
                "label": "Horizon (months)",
                "type": "number",
                "step": "1",
                "help": "Default: the duration (at least 12), or 24 for a permanent need.",
            },
        ],
    ),
    (
        "Fees and burden",
        [
            {
                "name": "contingency_percent",
                "label": "Contingency fee %",
                "type": "number",
                "step": "0.01",
                "placeholder": str(DEFAULT_CONTINGENCY_PERCENT),
            },
            {
                "name": "retained_percent",
                "label": "Retained fee %",
                "type": "number",
                "step": "0.0001",
                "placeholder": str(DEFAULT_RETAINED_PERCENT),
            },
            {
                "name": "conversion_percent",
                "label": "Conversion fee %",
                "type": "number",
                "step": "0.01",
                "placeholder": str(DEFAULT_CONVERSION_PERCENT),
            },
            {
                "name": "conversion_months",
                "label": "Convert after (months)",
                "type": "number",
                "step": "1",
                "placeholder": "6",
            },
            {
                "name": "state",
                "label": "Work state",
                "type": "select",
                "blank": "— none (no burden) —",
                "choices": [(code, f"{code} · {name}") for code, name in sorted(burden.US_STATES.items())],
            },
            {
                "name": "year",
                "label": "Burden year",
                "type": "select",
                "choices": [(str(y), str(y)) for y in burden.available_years()],
            },
        ],
    ),
]
assert {f["name"] for _, group in FORM_GROUPS for f in group} <= set(FIELD_NAMES)


def form_groups(
    values: dict[str, str],
    sources: dict[str, str],
    overridden: tuple[str, ...],
    errors: dict[str, list[str]],
    prefilled: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    groups = []
    for title, group in FORM_GROUPS:
        rows = []
        for spec in group:
            name = spec["name"]
            value = values.get(name, "")
            choices = list(spec.get("choices", []))
            if spec["type"] == "select" and value and value not in {c for c, _ in choices}:
                choices.append((value, value))  # keep an invalid value visible (and selected) until fixed
            rows.append(
                {
                    **spec,
                    "choices": choices,
                    "value": value,
                    "source": _source(name, sources, overridden, prefilled or {}),
                    "changed": name in overridden,
                    "errors": errors.get(name, []),
                }
            )
        groups.append({"title": title, "fields": rows})
    return groups


def _source(
    name: str, sources: dict[str, str], overridden: tuple[str, ...], prefilled: dict[str, str]
) -> str:
    """Where the prefilled value came from; for a changed input, what the requisition says instead."""
    source = sources.get(name, "")
    if name not in overridden:
        return source
    before = prefilled.get(name, "")
    return f"Requisition: {before or 'not set'}. {source}".strip()


def _field_errors(errors: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        head = error.split(":", 1)[0].strip()
        if head in FIELD_NAMES:
            out.setdefault(head, []).append(error)
    return out


# -- presentation -------------------------------------------------------------------------------------------

SEGMENTS = (
    ("contract", "Contract hours"),
    ("fee", "Fees"),
    ("salary", "Salary"),
    ("burden", "Employer burden"),
)


def _segment(label: str) -> str:
    lower = label.lower()
    if lower.startswith(("bill rate", "contract phase")):
        return "contract"
    if "fee" in lower or lower.startswith("retained"):
        return "fee"
    if lower.startswith("employer burden"):
        return "burden"
    return "salary"


def _compact(amount: Decimal, currency: str) -> str:
    sign = "$" if currency == "USD" else ""
    suffix = "" if currency == "USD" else f" {currency}"
    value = abs(amount)
    if value >= 1_000_000:
        text = f"{(value / 1_000_000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}M"
    elif value >= 1_000:
        text = f"{(value / 1_000).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}k"
    else:
        text = f"{value.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}"
    return f"{sign}{text}{suffix}"


AXIS_STEPS = tuple(Decimal(x) for x in ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10"))


def _nice_max(value: Decimal) -> Decimal:
    """A round axis maximum at or above `value` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × a power of ten)."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    base = Decimal(10) ** exponent
    for step in AXIS_STEPS:
        if value <= step * base:
            return step * base
    return Decimal(10) * base  # pragma: no cover - the loop always returns


CHART = {"label_w": 210, "bar_w": 460, "row_h": 34, "bar_h": 20, "pad_top": 26, "pad_bottom": 52}


def cost_chart(advice: Advice, budget_limit: Decimal | None) -> dict[str, Any] | None:
    """Geometry of a horizontal stacked bar chart: each priced option's cost over the horizon split into
    contract hours, fees, salary and employer burden, in the options' rank order, with the budget as a
    dashed line. SVG coordinates only: the template draws."""
    priced = [o for o in advice.options if o.cost is not None]
    if not priced:
        return None
    currency = advice.inputs.currency
    top = max([o.cost.total for o in priced if o.cost] + ([budget_limit] if budget_limit else []))
    scale_max = _nice_max(top)
    c = dict(CHART)
    x0 = c["label_w"] + 10
    bar_w = Decimal(c["bar_w"])

    def x_of(amount: Decimal) -> float:
        return float((Decimal(x0) + bar_w * amount / scale_max).quantize(Decimal("0.1")))

    rows = []
    for index, option in enumerate(priced):
        cost = option.cost
        assert isinstance(cost, CostEstimate)
        y = c["pad_top"] + index * c["row_h"]
        by_segment: dict[str, Decimal] = {}
        for line in cost.lines:
            seg = _segment(line.label)
            by_segment[seg] = by_segment.get(seg, Decimal(0)) + line.amount
        left = Decimal(0)
        parts = []
        for seg, seg_label in SEGMENTS:
            amount = by_segment.get(seg, Decimal(0))
            if amount <= 0:
                continue
            x = x_of(left)
            width = round(x_of(left + amount) - x, 1)
            parts.append(
                {
                    "segment": seg,
                    "x": x,
                    "width": max(width, 0.5),
                    "title": f"{option.label} — {seg_label}: {money_text(amount, currency)}",
                }
            )
            left += amount
        rows.append(
            {
                "label": option.label,
                "model": option.model,
                "recommended": option.model == advice.recommended,
                "over_budget": option.over_budget_by is not None,
                "y": y,
                "text_y": y + c["bar_h"] - 5,
                "parts": parts,
                "value_x": x_of(cost.total) + 6,
                "value": _compact(cost.total, currency),
                "full_value": money_text(cost.total, currency),
            }
        )
    axis_bottom = c["pad_top"] + len(priced) * c["row_h"] - 6
    ticks = [{"x": x_of(scale_max * k / 4), "label": _compact(scale_max * k / 4, currency)} for k in range(5)]
    budget = None
    if budget_limit is not None:
        budget = {"x": x_of(budget_limit), "label": f"Budget {_compact(budget_limit, currency)}"}
    missing = [{"label": o.label, "why": o.cost_missing} for o in advice.options if o.cost is None]
    return {
        "width": x0 + c["bar_w"] + 90,
        "height": axis_bottom + c["pad_bottom"],
        "x0": x0,
        "label_x": c["label_w"],
        "bar_h": c["bar_h"],
        "axis_top": c["pad_top"] - 8,
        "axis_bottom": axis_bottom,
        "tick_y": axis_bottom + 16,
        "ticks": ticks,
        "rows": rows,
        "budget": budget,
        "legend": [
            {"segment": seg, "label": label, "x": x0 + i * 130, "text_x": x0 + i * 130 + 16}
            for i, (seg, label) in enumerate(SEGMENTS)
        ],
        "legend_y": axis_bottom + 28,
        "legend_text_y": axis_bottom + 38,
        "missing": missing,
        "horizon": advice.horizon_months,
    }


def tradeoff_matrix(advice: Advice) -> dict[str, Any]:
    """Rows: the trade-off dimensions; columns: the options in rank order; cells: a 1-5 rating as pips."""
    columns = [
        {"model": o.model, "label": o.label, "recommended": o.model == advice.recommended}
        for o in advice.options
    ]
    rows = []
    for dimension, label in DIMENSIONS:
        cells = []
        for option in advice.options:
            t = next(t for t in option.tradeoffs if t.dimension == dimension)
            cells.append(
                {
                    "rating": t.rating,
                    "pips": [t.rating is not None and n <= t.rating for n in range(1, 6)],
                    "text": t.text,
                    "recommended": option.model == advice.recommended,
                }
            )
        rows.append({"dimension": dimension, "label": label, "cells": cells})
    return {"columns": columns, "rows": rows}


def _money_str(value: str | None, currency: str) -> str:
    if value is None:
        return "—"
    return money_text(Decimal(value), currency)


def _percent(value: str | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def contract_panel(advice: Advice) -> dict[str, Any] | None:
    """The contract economics at the inputs' pay and bill (the band midpoints), ready to show."""
    economics = advice.contract_economics
    if economics is None:
        return None
    data = economics.to_dict()
    cur = data["currency"]
    ratios = {r["name"]: r for r in data["ratios"]}
    periods = []
    per_hour = data["per_hour"]
    periods.append(
        {
            "label": "Per hour",
            "basis": "engagement ÷ hours",
            "revenue": _money_str(per_hour["bill"], cur),
            "pay": _money_str(per_hour["pay"], cur),
            "burden": _money_str(per_hour["burden"], cur),
            "gross_profit": _money_str(per_hour["gross_profit"], cur),
            "negative": Decimal(per_hour["gross_profit"]) < 0,
        }
    )
    for key, label in (("week", "Per week"), ("year", "Per year (52 weeks)"), ("engagement", "Engagement")):
        t = data["totals"][key]
        periods.append(
            {
                "label": label,
                "basis": t["basis"],
                "revenue": _money_str(t["revenue"], cur),
                "pay": _money_str(t["pay"], cur),
                "burden": _money_str(t["burden"], cur),
                "gross_profit": _money_str(t["gross_profit"], cur),
                "negative": Decimal(t["gross_profit"]) < 0,
            }
        )
    burden_rows = [
        {
            "label": line["label"],
            "rate": _percent(str(Decimal(line["rate"]) * 100))
            if line["component"] != "workers_comp"
            else f"{Decimal(line['rate']) * 100:.4g} per $100",
            "wage_base": _money_str(line["wage_base"], cur) if line["wage_base"] else "no cap",
            "taxable": _money_str(line["taxable_wages"], cur),
            "amount": _money_str(line["amount"], cur),
            "formula": line["formula"],
        }
        for line in data["burden"]
    ]
    return {
        "inputs": data["inputs"],
        "vehicle_label": VEHICLE_LABELS.get(data["inputs"]["vehicle"], data["inputs"]["vehicle"]),
        "pay": _money_str(data["inputs"]["pay"], cur),
        "bill": _money_str(data["inputs"]["bill"], cur),
        "markup": _percent(ratios["markup"]["percent"]),
        "markup_formula": ratios["markup"]["formula"],
        "spread": _percent(ratios["spread"]["percent"]),
        "spread_formula": ratios["spread"]["formula"],
        "gross_margin": _percent(ratios["gross_margin"]["percent"]),
        "gross_margin_formula": ratios["gross_margin"]["formula"],
        "burden_rate": _percent(ratios["burden_rate"]["percent"]),
        "burden_rate_formula": ratios["burden_rate"]["formula"],
        "negative": economics.negative_margin,
        "periods": periods,
        "burden": burden_rows,
        "has_burden": any(Decimal(line["amount"]) for line in data["burden"]),
        "warnings": data["warnings"],
        "notes": data["notes"],
        "version": data["version"],
    }


def option_rows(advice: Advice) -> list[dict[str, Any]]:
    cur = advice.inputs.currency
    rows = []
    for option in advice.options:
        cost = option.cost
        rows.append(
            {
                "option": option,
                "recommended": option.model == advice.recommended,
                "cost": money_text(cost.total, cur) if cost else None,
                "per_month": money_text(cost.per_month_staffed, cur)
                if cost and cost.per_month_staffed
                else None,
                "lines": [
                    {"label": line.label, "amount": money_text(line.amount, cur), "formula": line.formula}
                    for line in (cost.lines if cost else ())
                ],
                "over_budget": money_text(option.over_budget_by, cur)
                if option.over_budget_by is not None
                else None,
                "reasons": [
                    {
                        **r.as_dict(),
                        "input_label": r.input.replace("_", " "),
                        "value_label": value_label(r.value),
                    }
                    for r in option.reasons
                ],
            }
        )
    return rows


def page_context(result: RequisitionAdvice) -> dict[str, Any]:
    advice = result.advice
    limit = budget_over_horizon(advice.inputs, advice.horizon_months)
    top = advice.options[0]
    return {
        "advice": advice,
        "top": top,
        "top_cost": money_text(top.cost.total, advice.inputs.currency) if top.cost else None,
        "options": option_rows(advice),
        "chart": cost_chart(advice, limit),
        "matrix": tradeoff_matrix(advice),
        "contract": contract_panel(advice),
        "changes": [
            {**c.as_dict(), "label": INPUT_LABELS.get(c.input, c.input.replace("_", " "))}
            for c in advice.changes
        ],
        "budget_limit": money_text(limit, advice.inputs.currency) if limit is not None else None,
        "prefill": result.prefill,
        "classification": result.prefill.classification,
    }


# -- pages ---------------------------------------------------------------------------------------------


def _overrides(data: Any) -> dict[str, str]:
    return {name: str(data.get(name, "")).strip() for name in FIELD_NAMES if name in data}


def _economics_url(requisition: Requisition, overrides: dict[str, str]) -> str:
    url = reverse("requisition-economics", args=[requisition.pk])
    return f"{url}?{urlencode(overrides)}" if overrides else url


@login_required
@require_GET
def requisition_economics(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(get_requisition, request.user, pk)
    fetch(require_economics, request.user)
    overrides = _overrides(request.GET)
    errors: list[str] = []
    status = 200
    try:
        result = advise_requisition(request.user, requisition, overrides)
    except AdviceInputsInvalid as exc:
        errors, status = exc.errors, 422
        try:
            result = advise_requisition(request.user, requisition)
        except AdviceInputsInvalid as again:  # the requisition's own figures are unusable
            errors += [e for e in again.errors if e not in errors]
            result = None
    values = {**(result.values if result else {}), **overrides}
    if result is not None:
        sources, overridden = (
            result.prefill.sources,
            tuple(k for k, v in overrides.items() if result.prefill.values.get(k, "") != v),
        )
    else:
        sources, overridden = {}, ()
    user_role = getattr(request.user, "role", "")
    record = latest_recorded_advice(request.user, requisition)
    context: dict[str, Any] = {
        "requisition": requisition,
        "errors": errors,
        "groups": form_groups(
            values, sources, overridden, _field_errors(errors), result.prefill.values if result else {}
        ),
        "overridden": overridden,
        "record_values": {k: v for k, v in values.items() if k in overridden},
        "can_record": roles.can_edit_records(user_role),
        "is_hiring_manager": user_role == roles.Role.HIRING_MANAGER,
        "recorded": record,
        "recorded_matches": bool(record and result and record.inputs_digest == result.advice.inputs_digest),
        "reset_url": reverse("requisition-economics", args=[requisition.pk]),
    }
    if result is not None:
        context.update(page_context(result))
    return render(request, "placements/requisition_economics.html", context, status=status)


@login_required
@require_POST
def record_requisition_advice(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = fetch(get_requisition, request.user, pk)
    fetch(require_economics, request.user)
    overrides = _overrides(request.POST)
    try:
        record, created = record_advice(request.user, requisition, overrides)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except AdviceInputsInvalid as exc:
        messages.error(request, f"Nothing was recorded: {exc.message}")
        return redirect(_economics_url(requisition, overrides))
    label = LABELS.get(record.explanation.get("recommended", ""), "the advice")
    if created:
        messages.success(request, f"Recorded the advice ({label}) as decision #{record.pk}.")
    else:
        messages.info(request, f"This advice ({label}) is already recorded as decision #{record.pk}.")
    return redirect(_economics_url(requisition, overrides))


urlpatterns: list[URLPattern] = [
    path("requisitions/<int:pk>/economics/", requisition_economics, name="requisition-economics"),
    path(
        "requisitions/<int:pk>/economics/record/",
        record_requisition_advice,
        name="requisition-economics-record",
    ),
]
