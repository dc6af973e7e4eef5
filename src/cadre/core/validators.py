"""Field validators shared by several apps."""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def validate_time_zone(value: str) -> None:
    """An IANA zone name such as "America/New_York" (blank is allowed by the field itself)."""
    if not value:
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{value!r} is not an IANA time zone such as America/New_York") from exc


def validate_country(value: str) -> None:
    """ISO 3166-1 alpha-2, upper case ("US", "GB")."""
    if value and not _COUNTRY.match(value):
        raise ValidationError(f"{value!r} is not a two-letter ISO country code such as US or GB")
