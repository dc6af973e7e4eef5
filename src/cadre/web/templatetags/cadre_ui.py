"""Small presentation helpers: money bands, initials, stage labels, role checks for the nav."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cadre.core import roles
from cadre.pipeline.stages import STAGE_LABELS, Stage

register = template.Library()


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


@register.simple_tag
def money_band(low: Decimal | None, high: Decimal | None, currency: str, unit: str = "") -> str:
    """'80.00 – 110.00 USD per hour'; one end missing reads 'from'/'up to'."""
    if low is None and high is None:
        return "—"
    if low is not None and high is not None:
        text = _amount(low) if low == high else f"{_amount(low)} – {_amount(high)}"
    elif low is not None:
        text = f"from {_amount(low)}"
    else:
        assert high is not None
        text = f"up to {_amount(high)}"
    return f"{text} {currency}" + (f" {unit}" if unit else "")


@register.filter
def initials(name: str) -> str:
    parts = [p for p in str(name).split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.filter
def stage_label(value: str) -> str:
    try:
        return STAGE_LABELS[Stage(value)]
    except ValueError:
        return value


@register.filter
def can_edit_records(user: object) -> bool:
    """Whether the user's role creates and edits records (the nav shows editor-only pages)."""
    return roles.can_edit_records(getattr(user, "role", ""))
