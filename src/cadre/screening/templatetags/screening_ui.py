"""Template filters for screening pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any, places: int = 0) -> str:
    """0.7234 -> "72%" (a share shown as a percentage); blank for None."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)) * 100
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:.{int(places)}f}%"


@register.filter
def filesize(value: Any) -> str:
    if value is None:
        return "—"
    n = int(value)
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
