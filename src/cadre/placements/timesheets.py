"""Weekly timesheet rules: weeks start on Monday; one entry per day with regular, overtime and
double-time hours, each non-negative, at most 24 hours a day in total, on days inside the week and inside
the placement's dates.

Overtime is what the contractor enters. The rules never reclassify hours (state daily-overtime rules such
as California's differ and belong to payroll): the client approves what was entered.

Pure (no Django): the services validate through `check_entries` before writing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

DAY_LIMIT = Decimal(24)
HOURS_QUANT = Decimal("0.01")
HOUR_FIELDS = ("regular_hours", "overtime_hours", "double_hours")
HOUR_LABELS = {"regular_hours": "regular", "overtime_hours": "overtime", "double_hours": "double-time"}


class TimesheetError(ValueError):
    """Bad timesheet input; `problems` lists every one of them (not only the first)."""

    def __init__(self, problems: list[str], field: str | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.field = field


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the week containing `day`."""
    return day - dt.timedelta(days=day.weekday())


def week_days(week_start: dt.date) -> list[dt.date]:
    return [week_start + dt.timedelta(days=i) for i in range(7)]


def check_week_start(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        monday = week_start_of(week_start)
        raise TimesheetError(
            [
                f"weeks start on Monday: {week_start.isoformat()} is a {week_start.strftime('%A')} "
                f"(use {monday.isoformat()})"
            ],
            field="week_start",
        )


def week_overlaps(week_start: dt.date, start: dt.date, end: dt.date | None) -> bool:
    week_end = week_start + dt.timedelta(days=6)
    return week_end >= start and (end is None or week_start <= end)


@dataclass(frozen=True)
class DayHours:
    work_date: dt.date
    regular_hours: Decimal = Decimal(0)
    overtime_hours: Decimal = Decimal(0)
    double_hours: Decimal = Decimal(0)
    note: str = ""

    @property
    def total(self) -> Decimal:
        return self.regular_hours + self.overtime_hours + self.double_hours

    @property
    def empty(self) -> bool:
        return self.total == 0 and not self.note


def parse_hours(value: Any, label: str, problems: list[str]) -> Decimal:
    """Hours as a Decimal with at most two decimals; blank is zero; problems appended."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    if isinstance(value, float):
        value = repr(value)
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.append(f"{label}: {str(value)[:20]!r} is not a number of hours")
        return Decimal(0)
    if not hours.is_finite():
        problems.append(f"{label}: {str(value)[:20]!r} is not a number of hours")
        return Decimal(0)
    if hours < 0:
        problems.append(f"{label}: hours cannot be negative ({hours})")
        return Decimal(0)
    if hours != hours.quantize(HOURS_QUANT):
        problems.append(f"{label}: hours have at most two decimals ({hours})")
        return Decimal(0)
    return hours


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_entries(
    week_start: dt.date,
    rows: Iterable[Mapping[str, Any]],
    *,
    placement_start: dt.date,
    placement_end: dt.date | None,
    today: dt.date | None = None,
) -> list[DayHours]:
    """Validate a week's entries (each a mapping with work_date, regular_hours, overtime_hours,
    double_hours, note) and return them as DayHours, one per day that has hours or a note, in date order.
    With `today`, hours on a later day are refused (they have not been worked yet).
    Raises TimesheetError listing every problem."""
    check_week_start(week_start)
    problems: list[str] = []
    days: dict[dt.date, DayHours] = {}
    week = set(week_days(week_start))
    for index, row in enumerate(rows):
        day = _parse_date(row.get("work_date"))
        if day is None:
            problems.append(f"entry {index + 1}: work date {str(row.get('work_date'))[:20]!r} is not a date")
            continue
        label = day.strftime("%a %Y-%m-%d")
        values = {f: parse_hours(row.get(f), f"{label} {HOUR_LABELS[f]}", problems) for f in HOUR_FIELDS}
        note = str(row.get("note") or "").strip()
        if len(note) > 200:
            problems.append(f"{label}: the note is limited to 200 characters")
            note = note[:200]
        entry = DayHours(day, note=note, **values)
        if entry.empty:
            continue
        if day not in week:
            problems.append(f"{label} is outside the week of {week_start.isoformat()}")
            continue
        if day in days:
            problems.append(f"{label} is entered twice")
            continue
        if day < placement_start:
            problems.append(f"{label} is before the placement starts ({placement_start.isoformat()})")
        elif placement_end is not None and day > placement_end:
            problems.append(f"{label} is after the placement ends ({placement_end.isoformat()})")
        if today is not None and day > today and entry.total > 0:
            problems.append(future_day_problem(day, today))
        if entry.total > DAY_LIMIT:
            problems.append(f"{label}: {entry.total} hours in one day (at most 24)")
        days[day] = entry
    if problems:
        raise TimesheetError(problems, field="entries")
    return [days[d] for d in sorted(days)]


def future_day_problem(day: dt.date, today: dt.date) -> str:
    return (
        f"{day.strftime('%a %Y-%m-%d')} is in the future: hours can be entered only for days worked "
        f"(up to today, {today.isoformat()})"
    )


def future_days(entries: Iterable[Any], today: dt.date) -> list[dt.date]:
    """The days after `today` that carry hours (entries: anything with work_date and the hour fields)."""
    return sorted(
        {
            e.work_date
            for e in entries
            if e.work_date > today
            and Decimal(e.regular_hours) + Decimal(e.overtime_hours) + Decimal(e.double_hours) > 0
        }
    )


@dataclass(frozen=True)
class WeekTotals:
    regular: Decimal
    overtime: Decimal
    double: Decimal

    @property
    def total(self) -> Decimal:
        return self.regular + self.overtime + self.double


def totals(entries: Iterable[Any]) -> WeekTotals:
    """Sum of hours of entries (DayHours or TimesheetEntry rows: anything with the three hour fields)."""
    regular = overtime = double = Decimal(0)
    for e in entries:
        regular += Decimal(e.regular_hours)
        overtime += Decimal(e.overtime_hours)
        double += Decimal(e.double_hours)
    return WeekTotals(regular, overtime, double)
