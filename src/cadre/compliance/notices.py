"""Candidate notices for automated tools: which jurisdictions' rules reach a person, which notice template
is in force on a date, recording a notice given, and whether a tool may be used on a person yet.

NYC Local Law 144 (Admin. Code §20-871(b), 6 RCNY §5-304) wants the notice at least 10 business days
before the tool is used, saying how to ask for an alternative selection process or an accommodation.
Illinois (775 ILCS 5/2-102(L)), Colorado (SB 26-189, from 2027-01-01) and the EU AI Act (Art. 26(7),
26(11)) want a notice but set no lead time. The texts, citations and lead times live in NoticeTemplate
rows (migration 0002), versioned by effective date.

Business days are Monday to Friday. Public holidays are NOT skipped: no rule text we hold defines which
holidays count, and counting one fewer holiday can only make us wait one day less than a holiday-aware
count would, so give notices a day or two early around holidays (or send them when the job is posted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadre.compliance.models import CandidateNotice, NoticeTemplate
from cadre.core import audit, roles
from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.core.models import AuditLog
from cadre.core.services import create_audited, require_editor, require_user
from cadre.people.models import Person, WorkPreferences
from cadre.pipeline.models import Activity
from cadre.requisitions.models import Requisition

DEFAULT_TOOL = "Cadre matching"

JURISDICTIONS: dict[str, str] = {
    "NYC": "New York City",
    "IL": "Illinois",
    "CO": "Colorado",
    "EU": "European Union",
}
JURISDICTION_CHOICES = list(JURISDICTIONS.items())

CHANNELS: dict[str, str] = {
    "email": "E-mail",
    "mail": "Mail",
    "job_posting": "Job posting",
    "careers_page": "Careers page",
    "written_policy": "Written policy",
}
CHANNEL_CHOICES = list(CHANNELS.items())

# The five boroughs count as New York City (LL144 covers residents of the city).
NYC_NAMES = frozenset(
    {
        "new york",
        "new york city",
        "nyc",
        "manhattan",
        "brooklyn",
        "queens",
        "bronx",
        "the bronx",
        "staten island",
    }
)
STATES = {"IL": "IL", "ILLINOIS": "IL", "CO": "CO", "COLORADO": "CO"}
# fmt: off
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
# fmt: on
# Allow for clocks a little apart when a notice time is given explicitly.
FUTURE_SLACK = dt.timedelta(minutes=5)


# --- Dates -----------------------------------------------------------------------------------------------


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) through `day`."""
    n = day.toordinal()
    return 5 * (n // 7) + min(n % 7, 5)


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days (Monday to Friday) after `start` up to and including `end`; negative when `end` is
    before `start`. The day a notice is sent does not count; the day of use does. Holidays are not
    skipped (see the module docstring)."""
    return _weekdays_through(end) - _weekdays_through(start)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The first date that is `days` business days after `start` (`start` itself when days <= 0)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


# --- Jurisdictions ---------------------------------------------------------------------------------------


def jurisdictions_for(country: str, city: str, state: str = "") -> list[str]:
    """The notice jurisdictions for someone living in `city`, `state`, `country` (ISO 3166 alpha-2).

    NYC when the city is New York (or a borough) in the US; IL/CO from the state (name or code; people
    records hold no state, so callers that know it pass it); EU for the 27 member states."""
    country = (country or "").strip().upper()
    city_key = " ".join((city or "").strip().casefold().replace(".", "").split())
    state_key = (state or "").strip().upper()
    found: list[str] = []
    if country == "US":
        if city_key in NYC_NAMES:
            found.append("NYC")
        if state_key in STATES:
            found.append(STATES[state_key])
    if country in EU_COUNTRIES:
        found.append("EU")
    return found


def person_jurisdictions(person: Person) -> list[str]:
    """jurisdictions_for() applied to the person's work preferences (city and country)."""
    prefs = WorkPreferences.objects.filter(person=person).only("country", "city").first()
    if prefs is None:
        return []
    return jurisdictions_for(prefs.country, prefs.city)


def _jurisdiction(value: str) -> str:
    code = (value or "").strip().upper()
    if code not in JURISDICTIONS:
        raise ValidationFailed(
            f"unknown jurisdiction {value!r}; use one of {', '.join(JURISDICTIONS)}", field="jurisdiction"
        )
    return code


# --- Templates -------------------------------------------------------------------------------------------


def template_for(
    jurisdiction: str, tool: str = DEFAULT_TOOL, on: dt.date | None = None
) -> NoticeTemplate | None:
    """The template in force on `on` (default today): the latest effective_from not after it (a later
    version wins a tie)."""
    on = on or timezone.localdate()
    return (
        NoticeTemplate.objects.filter(
            jurisdiction=(jurisdiction or "").strip().upper(), tool=tool, effective_from__lte=on
        )
        .order_by("-effective_from", "-id")
        .first()
    )


def pick_template(
    templates: Iterable[NoticeTemplate], jurisdiction: str, tool: str, on: dt.date
) -> NoticeTemplate | None:
    """template_for() over templates already loaded (pages listing many notices)."""
    in_force = [
        t for t in templates if t.jurisdiction == jurisdiction and t.tool == tool and t.effective_from <= on
    ]
    return max(in_force, key=lambda t: (t.effective_from, t.pk), default=None)


# --- Notices ---------------------------------------------------------------------------------------------


def _is_erased(person: Person) -> bool:
    from cadre.compliance.privacy import is_erased  # privacy imports this module's models only

    return is_erased(person)


def send_notice(
    actor: Any,
    person: Person,
    jurisdiction: str,
    *,
    tool: str = DEFAULT_TOOL,
    requisition: Requisition | None = None,
    channel: str = "email",
    sent_at: dt.datetime | None = None,
) -> CandidateNotice:
    """Record that `person` was given the notice in force for `jurisdiction` and `tool` (editors only).

    `sent_at` (default now) may be earlier, e.g. a job posting that carried the notice; never later."""
    user = require_editor(actor)
    code = _jurisdiction(jurisdiction)
    tool = (tool or "").strip() or DEFAULT_TOOL
    if channel not in CHANNELS:
        raise ValidationFailed(
            f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}", field="channel"
        )
    if person.merged_into_id is not None:
        raise ValidationFailed(
            f"person {person.pk} was merged into {person.merged_into_id}; notify that person instead",
            field="person_id",
        )
    if _is_erased(person):
        raise Conflict(f"person {person.pk} was erased; there is no one to notify")
    now = timezone.now()
    sent_at = sent_at or now
    if timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at)
    if sent_at > now + FUTURE_SLACK:
        raise ValidationFailed("a notice cannot be recorded as sent in the future", field="sent_at")
    sent_on = timezone.localdate(sent_at)
    template = template_for(code, tool, sent_on)
    if template is None:
        raise ValidationFailed(
            f"no {code} notice template for {tool!r} is in force on {sent_on.isoformat()}",
            field="jurisdiction",
        )
    with transaction.atomic():
        notice = create_audited(
            CandidateNotice(
                person=person,
                template=template,
                requisition=requisition,
                channel=channel,
                sent_at=sent_at,
                sent_by=user,
            ),
            actor=user,
        )
        Activity.objects.create(
            person=person,
            application=None,
            kind=Activity.Kind.SYSTEM,
            actor=user,
            at=now,
            body=f"{JURISDICTIONS[code]} notice about {tool} given by {CHANNELS[channel].lower()} "
            f"(template {template.version}, sent {sent_on.isoformat()})",
        )
    return notice


def _status(
    notice: CandidateNotice | None,
    template: NoticeTemplate | None,
    *,
    jurisdiction: str,
    tool: str,
    on: dt.date,
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "tool": tool,
        "on": on,
        "notice_id": None,
        "template_version": None,
        "sent_at": None,
        "required_business_days": 0,
        "business_days_before": None,
        "alternative_requested_at": None,
    }
    name = JURISDICTIONS.get(jurisdiction, jurisdiction)
    if template is None:
        return base | {
            "ok": True,
            "earliest_use": on,
            "reason": f"no {name} notice for {tool} is in force on {on.isoformat()}",
        }
    days = template.min_business_days_before_use
    base |= {"required_business_days": days, "template_version": template.version}
    if notice is None:
        today = timezone.localdate()
        return base | {
            "ok": False,
            "earliest_use": add_business_days(today, days),
            "reason": f"no {name} notice about {tool} was given"
            + (f"; give one at least {days} business days before use" if days else "; give one before use"),
        }
    sent_on = timezone.localdate(notice.sent_at)
    earliest = add_business_days(sent_on, days)
    before = business_days_between(sent_on, on)
    base |= {
        "notice_id": notice.pk,
        "sent_at": notice.sent_at,
        "business_days_before": before,
        "alternative_requested_at": notice.alternative_requested_at,
    }
    if on < earliest:
        reason = (
            f"notice given {sent_on.isoformat()} is {max(before, 0)} business day"
            f"{'' if max(before, 0) == 1 else 's'} before {on.isoformat()}; {name} requires at least "
            f"{days}: earliest use {earliest.isoformat()}"
        )
        return base | {"ok": False, "earliest_use": earliest, "reason": reason}
    reason = f"notice given {sent_on.isoformat()}"
    if days:
        reason += f", {before} business days before {on.isoformat()} (at least {days} required)"
    if notice.alternative_requested_at is not None:
        reason += (
            f"; the person asked for an alternative selection process on "
            f"{timezone.localdate(notice.alternative_requested_at).isoformat()}"
        )
    return base | {"ok": True, "earliest_use": earliest, "reason": reason}


def _first_notice(person: Person, jurisdiction: str, tool: str, on: dt.date) -> CandidateNotice | None:
    """The earliest notice for this jurisdiction and tool given on or before `on` (any template version:
    the earliest gives the earliest permitted use)."""
    return (
        CandidateNotice.objects.filter(
            person=person, template__jurisdiction=jurisdiction, template__tool=tool, sent_at__date__lte=on
        )
        .order_by("sent_at", "id")
        .first()
    )


def notice_status(
    person: Person, jurisdiction: str, tool: str = DEFAULT_TOOL, on: dt.date | None = None
) -> dict[str, Any]:
    """May `tool` be used on `person` on `on` (default today) as far as `jurisdiction`'s notice rule goes?

    {"ok", "sent_at", "earliest_use", "reason", ...}: for NYC a notice at least 10 business days before;
    elsewhere a notice on or before the day; no template in force means no notice is needed (ok)."""
    code = _jurisdiction(jurisdiction)
    on = on or timezone.localdate()
    template = template_for(code, tool, on)
    notice = _first_notice(person, code, tool, on) if template is not None else None
    return _status(notice, template, jurisdiction=code, tool=tool, on=on)


def notice_problems(
    person_ids: Iterable[int], tool: str = DEFAULT_TOOL, on: dt.date | None = None
) -> dict[int, list[str]]:
    """{person_id: [why the tool may not be used on them yet]} for the people whose notice duty is not
    met on `on`: a fixed number of queries however many people (used beside rankings)."""
    on = on or timezone.localdate()
    ids = list(person_ids)
    where: dict[int, list[str]] = {}
    for pid, country, city in WorkPreferences.objects.filter(person_id__in=ids).values_list(
        "person_id", "country", "city"
    ):
        if found := jurisdictions_for(country, city):
            where[pid] = found
    if not where:
        return {}
    codes = sorted({j for js in where.values() for j in js})
    templates = {code: template_for(code, tool, on) for code in codes}
    first: dict[tuple[int, str], CandidateNotice] = {}
    for notice in (
        CandidateNotice.objects.filter(
            person_id__in=list(where),
            template__jurisdiction__in=codes,
            template__tool=tool,
            sent_at__date__lte=on,
        )
        .select_related("template")
        .order_by("sent_at", "id")
    ):
        first.setdefault((notice.person_id, notice.template.jurisdiction), notice)
    problems: dict[int, list[str]] = {}
    for pid, found in where.items():
        for code in found:
            status = _status(first.get((pid, code)), templates[code], jurisdiction=code, tool=tool, on=on)
            if not status["ok"]:
                problems.setdefault(pid, []).append(f"{code}: {status['reason']}")
    return problems


def status_of_notice(
    notice: CandidateNotice, templates: Iterable[NoticeTemplate], on: dt.date | None = None
) -> dict[str, Any]:
    """notice_status() for one given notice, with the templates preloaded (no queries)."""
    on = on or timezone.localdate()
    code, tool = notice.template.jurisdiction, notice.template.tool
    template = pick_template(templates, code, tool, on)
    return _status(notice, template, jurisdiction=code, tool=tool, on=on)


def request_alternative(actor: Any, notice: CandidateNotice) -> CandidateNotice:
    """Record that the person asked for an alternative selection process or an accommodation.

    Recruiters, admins and compliance officers may record it (the request usually reaches one of them)."""
    user = require_user(actor)
    if user.role not in (*roles.EDITOR_ROLES, roles.Role.COMPLIANCE_OFFICER):
        raise Forbidden(f"a {user.role_label.lower()} may not record requests on notices")
    with transaction.atomic():
        locked = CandidateNotice.objects.select_for_update().select_related("template").get(pk=notice.pk)
        if locked.alternative_requested_at is not None:
            raise Conflict(
                "an alternative was already requested on "
                f"{timezone.localdate(locked.alternative_requested_at).isoformat()}"
            )
        now = timezone.now()
        before = audit.snapshot(locked)
        locked.alternative_requested_at = now
        locked.save(update_fields=["alternative_requested_at"])
        audit.record(AuditLog.Action.UPDATE, locked, before=before, after=audit.snapshot(locked), actor=user)
        Activity.objects.create(
            person_id=locked.person_id,
            kind=Activity.Kind.SYSTEM,
            actor=user,
            at=now,
            body=f"Asked for an alternative selection process or accommodation instead of "
            f"{locked.template.tool} ({JURISDICTIONS.get(locked.template.jurisdiction, '')} notice)",
        )
    notice.alternative_requested_at = locked.alternative_requested_at
    return notice


def recent_notices(limit: int = 50, *, person: Person | None = None) -> list[CandidateNotice]:
    qs = CandidateNotice.objects.select_related("template", "person", "requisition", "sent_by")
    if person is not None:
        qs = qs.filter(Q(person=person))
    return list(qs.order_by("-sent_at", "-id")[:limit])
