"""Onboarding checklists: which tasks a placement needs, who owns each, when each is due, and which
compliance gate a task feeds.

Pure rules, no database: `checklist(ChecklistFacts(...))` gives the task templates for an engagement type
× employment vehicle × what the requisition requires; `due_on(start, offset)` lays a template's offset (in
business days, Monday to Friday, before (<0) or after (>0) the start date) on the calendar. Holidays are
not modelled: a due date on a public holiday is a day early in practice, never late.

Who is the employer decides the paperwork:

* W-2 through the agency — the agency is the employer: Form W-4 (federal withholding) and Form I-9
  (employment eligibility: section 1 by the employee no later than the first day of work, section 2 by the
  employer within three business days of it; the placement gate wants it before the start is recorded);
* 1099 — no employment: Form W-9 (the contractor's taxpayer identification for the 1099-NEC), and no
  Form I-9 (it is for employees); work authorization is still confirmed for the placement gate;
* corp-to-corp — the worker's own company is the employer (it completes their I-9): Form W-9 from that
  company, a master subcontractor agreement and its certificate of insurance; work authorization is
  still confirmed for the gate;
* direct hire — the client is the employer: W-4 and I-9 are the client's, the agency confirms work
  authorization for the gate.

Every placement gets the IP assignment and NDA (ip_assignment gate), equipment, access to the client's
platforms (one task per platform the client runs on) and a first-week plan; a background check or
clearance verification when the requisition asks for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cadre.placements.burden import UnknownState, normalize_state

ONBOARDING_VERSION = "onboarding-2026.11.1"

# Engagement types and vehicles (the values stored on Placement; kept as strings so this stays pure).
CONTRACT = "contract"
CONTRACT_TO_HIRE = "contract_to_hire"
DIRECT_HIRE = "direct_hire"
W2 = "w2"
C1099 = "1099"
C2C = "c2c"
ENGAGEMENT_TYPES = (CONTRACT, CONTRACT_TO_HIRE, DIRECT_HIRE)
VEHICLES = (W2, C1099, C2C)

# Owners (OnboardingTask.Owner values).
RECRUITER = "recruiter"
CANDIDATE = "candidate"
CLIENT = "client"
COMPLIANCE = "compliance"
OWNERS = (RECRUITER, CANDIDATE, CLIENT, COMPLIANCE)
OWNER_LABELS = {RECRUITER: "Recruiter", CANDIDATE: "Candidate", CLIENT: "Client", COMPLIANCE: "Compliance"}

# Task kinds (OnboardingTask.Kind values).
W4 = "w4"
W9 = "w9"
I9 = "i9"
IP_ASSIGNMENT = "ip_assignment"
BACKGROUND_CHECK = "background_check"
CLEARANCE = "clearance"
MSA = "msa"
EQUIPMENT = "equipment"
PLATFORM_ACCESS = "platform_access"
FIRST_WEEK_PLAN = "first_week_plan"
OTHER = "other"

# Task kind → the compliance gate it records (compliance.gates kinds).
GATE_KINDS: dict[str, str] = {
    I9: "work_authorization",
    IP_ASSIGNMENT: "ip_assignment",
    BACKGROUND_CHECK: "background_check",
    CLEARANCE: "clearance",
}

MAX_PLATFORM_TASKS = 12


@dataclass(frozen=True)
class ChecklistFacts:
    """What decides a placement's checklist."""

    engagement_type: str
    vehicle: str
    client_name: str = "the client"
    platforms: tuple[str, ...] = ()
    clearance_required: str = "none"
    background_check_required: bool = False

    def __post_init__(self) -> None:
        if self.engagement_type not in ENGAGEMENT_TYPES:
            raise ValueError(
                f"unknown engagement type {self.engagement_type!r}; expected one of "
                f"{', '.join(ENGAGEMENT_TYPES)}"
            )
        if self.vehicle not in VEHICLES:
            raise ValueError(f"unknown vehicle {self.vehicle!r}; expected one of {', '.join(VEHICLES)}")


@dataclass(frozen=True)
class TaskTemplate:
    kind: str
    title: str
    owner: str
    due_offset: int  # business days relative to the start date (negative: before it)
    gate_kind: str = ""
    note: str = ""
    position: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "owner": self.owner,
            "due_offset": self.due_offset,
            "gate_kind": self.gate_kind,
            "note": self.note,
            "position": self.position,
        }


def _t(kind: str, title: str, owner: str, offset: int, note: str = "") -> TaskTemplate:
    return TaskTemplate(kind, title, owner, offset, GATE_KINDS.get(kind, ""), note)


def checklist(facts: ChecklistFacts) -> list[TaskTemplate]:
    """The tasks for one placement, in working order (position set), deterministic for the same facts."""
    client = facts.client_name or "the client"
    direct = facts.engagement_type == DIRECT_HIRE
    tasks: list[TaskTemplate] = []

    # Tax and eligibility paperwork: depends on who employs the worker.
    if direct:
        tasks.append(
            _t(
                W4,
                f"Form W-4 collected by {client} (employer)",
                CLIENT,
                -1,
                "Direct hire: the client is the employer and runs payroll; confirm it has the W-4.",
            )
        )
        tasks.append(
            _t(
                I9,
                "Work authorization confirmed (client completes Form I-9)",
                COMPLIANCE,
                -1,
                "The client, as employer, completes Form I-9 (section 2 within three business days of the "
                "first day); record what was verified here so the work-authorization gate can clear.",
            )
        )
    elif facts.vehicle == W2:
        tasks.append(
            _t(
                W4,
                "Form W-4 (federal withholding)",
                CANDIDATE,
                -3,
                "The agency is the employer: the W-4 goes to payroll before the first pay run. "
                "State withholding forms where the work state has one.",
            )
        )
        tasks.append(
            _t(
                I9,
                "Form I-9 (employment eligibility)",
                COMPLIANCE,
                -1,
                "Section 1 by the employee no later than the first day of work; section 2 by the agency "
                "within three business days of it. The work-authorization gate wants it before the start "
                "is recorded, so it is due the business day before.",
            )
        )
    else:
        who = "the candidate" if facts.vehicle == C1099 else "the candidate's corporation"
        tasks.append(
            _t(
                W9,
                "Form W-9 (taxpayer identification)"
                if facts.vehicle == C1099
                else "Form W-9 from the candidate's corporation",
                CANDIDATE,
                -3,
                f"Collected from {who} for the year-end 1099-NEC. "
                "Record the TIN type only, never the number.",
            )
        )
        tasks.append(
            _t(
                I9,
                "Work authorization confirmed (no Form I-9: not an agency employee)",
                COMPLIANCE,
                -1,
                "Form I-9 is for employees; a 1099 contractor completes none with the agency"
                if facts.vehicle == C1099
                else "Form I-9 is completed by the worker's own corporation (their employer), not the agency"
                "; confirm authorization for the work country for the placement gate.",
            )
        )
    if facts.vehicle == C2C and not direct:
        tasks.append(
            _t(
                MSA,
                "Subcontractor agreement (MSA) and certificate of insurance",
                RECRUITER,
                -5,
                "Signed master subcontractor agreement with the candidate's corporation, and a current "
                "certificate of insurance (general and professional liability) covering the engagement.",
            )
        )

    tasks.append(
        _t(
            IP_ASSIGNMENT,
            "IP assignment and NDA signed",
            CANDIDATE,
            -3,
            "Invention assignment with the prior-inventions schedule, the open-source and publication "
            "carve-outs, the work state's statutory notice where it has one, and the confidentiality "
            "agreement."
            + (" The corporation signs as well as the individual." if facts.vehicle == C2C else ""),
        )
    )
    if facts.background_check_required:
        tasks.append(
            _t(
                BACKGROUND_CHECK,
                "Background check",
                COMPLIANCE,
                -5,
                "Ordered after the offer with the candidate's written consent; a 'consider' result needs an "
                "individualized assessment (and pre-adverse notice) before any decision.",
            )
        )
    if facts.clearance_required and facts.clearance_required != "none":
        level = facts.clearance_required.replace("_", " ")
        tasks.append(
            _t(
                CLEARANCE,
                "Clearance verification",
                COMPLIANCE,
                -5,
                f"The requisition requires {level}: verify level, granting agency and expiry.",
            )
        )

    tasks.append(
        _t(
            EQUIPMENT,
            "Equipment ready (laptop, accounts, shipping)",
            CLIENT if direct or facts.vehicle != W2 else RECRUITER,
            -2,
            "Who provides the laptop and peripherals, shipped and received before day one."
            + (
                " Independent contractors usually bring their own tools; note any client-issued device."
                if facts.vehicle in (C1099, C2C) and not direct
                else ""
            ),
        )
    )
    platforms = list(dict.fromkeys(p.strip() for p in facts.platforms if p and p.strip()))
    if platforms:
        for name in platforms[:MAX_PLATFORM_TASKS]:
            tasks.append(
                _t(
                    PLATFORM_ACCESS,
                    f"Access to {client}'s {name}",
                    CLIENT,
                    -1,
                    f"Account, role and least-privilege permissions on {name}, working on day one.",
                )
            )
        if len(platforms) > MAX_PLATFORM_TASKS:
            rest = ", ".join(platforms[MAX_PLATFORM_TASKS:])
            tasks.append(
                _t(PLATFORM_ACCESS, f"Access to {client}'s other platforms", CLIENT, -1, f"Also: {rest}.")
            )
    else:
        tasks.append(
            _t(
                PLATFORM_ACCESS,
                f"Access to {client}'s systems",
                CLIENT,
                -1,
                "No platforms are recorded for this client: list the accounts, repositories, cloud and "
                "data access the role needs.",
            )
        )
    tasks.append(
        _t(
            FIRST_WEEK_PLAN,
            "First-week plan shared",
            CLIENT,
            -1,
            "Who they meet, what they read, the first deliverable, and the recruiter's check-in at the end "
            "of week one.",
        )
    )
    return [
        TaskTemplate(t.kind, t.title, t.owner, t.due_offset, t.gate_kind, t.note, position=i + 1)
        for i, t in enumerate(tasks)
    ]


# ------------------------------------------------------------------------------------------- calendar


def add_business_days(day: dt.date, offset: int) -> dt.date:
    """`day` moved by `offset` business days (Mon–Fri). Offset 0 on a weekend rolls forward to Monday."""
    current = day
    if offset == 0:
        while current.weekday() >= 5:
            current += dt.timedelta(days=1)
        return current
    step = 1 if offset > 0 else -1
    remaining = abs(offset)
    while remaining:
        current += dt.timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def due_on(start: dt.date, offset: int) -> dt.date:
    return add_business_days(start, offset)


def is_overdue(due: dt.date, status: str, today: dt.date) -> bool:
    return status == "open" and due < today


# -------------------------------------------------------------------------------- task details checks


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


@dataclass
class DetailsCheck:
    """Problems with the details given to complete a task that feeds no gate (gate tasks are checked by
    compliance.gates, which records a failed gate rather than refusing)."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


TIN_TYPES = ("ssn", "ein", "itin")


def _date_problem(details: Mapping[str, Any], key: str, label: str, today: dt.date, *, past: bool) -> str:
    raw = details.get(key)
    if raw in (None, ""):
        return f"{label} not given"
    value = _parse_date(raw)
    if value is None:
        return f"{label} is not a date (YYYY-MM-DD)"
    if past and value > today:
        return f"{label} {value.isoformat()} is in the future"
    return ""


def check_details(kind: str, details: Mapping[str, Any], *, today: dt.date, start: dt.date) -> DetailsCheck:
    """What a non-gate task needs before it is marked done:

    * W-4 / W-9: the date received (not in the future); W-9 the TIN type (ssn, ein or itin) — never the
      number itself, which is refused if it looks like one;
    * MSA: the date signed, the insurer and the certificate of insurance's expiry (after the start date);
    * equipment, platform access, first-week plan, other: nothing required (a note is kept).
    """
    check = DetailsCheck()
    problems = check.problems
    if kind in (W4, W9) and (p := _date_problem(details, "received_on", "date received", today, past=True)):
        problems.append(p)
    if kind == W9:
        tin_type = str(details.get("tin_type") or "").strip().lower()
        if tin_type not in TIN_TYPES:
            problems.append("TIN type must be one of ssn, ein, itin")
        for value in details.values():
            digits = "".join(ch for ch in str(value) if ch.isdigit())
            if len(digits) == 9 and not _parse_date(value):
                problems.append("do not record the taxpayer identification number itself")
                break
    if kind == MSA:
        if p := _date_problem(details, "msa_signed_on", "agreement signature date", today, past=True):
            problems.append(p)
        insurer = details.get("insurer")
        if not isinstance(insurer, str) or not insurer.strip():
            problems.append("insurer on the certificate of insurance not given")
        if p := _date_problem(
            details, "coi_expires_on", "certificate of insurance expiry", today, past=False
        ):
            problems.append(p)
        else:
            expires = _parse_date(details.get("coi_expires_on"))
            if expires is not None and expires <= max(start, today):
                problems.append(
                    f"certificate of insurance expires {expires.isoformat()}, before the engagement starts"
                    if expires <= start
                    else f"certificate of insurance expired on {expires.isoformat()}"
                )
    return check


def check_work_state(kind: str, details: Mapping[str, Any]) -> dict[str, Any]:
    """The IP-assignment task's work state must be a real US state or DC (state law limits invention
    assignment, so a made-up code would skip the statute check): the details with the code normalised
    ('ca' → 'CA'). Blank is left to the gate (which asks for it when the work is in the US). Raises
    burden.UnknownState (field "work_state") naming the bad value."""
    raw = details.get("work_state")
    if kind != IP_ASSIGNMENT or raw is None or (isinstance(raw, str) and not raw.strip()):
        return dict(details)
    if not isinstance(raw, str):
        raise UnknownState(f"work state {raw!r} is not a two-letter state code", field="work_state")
    try:
        code = normalize_state(raw)
    except UnknownState as exc:
        raise UnknownState(f"work {exc}", field="work_state") from exc
    return {**details, "work_state": code}


def gate_kind_for(kind: str) -> str:
    return GATE_KINDS.get(kind, "")


def templates_by_owner(templates: Sequence[TaskTemplate]) -> dict[str, list[TaskTemplate]]:
    grouped: dict[str, list[TaskTemplate]] = {o: [] for o in OWNERS}
    for t in templates:
        grouped.setdefault(t.owner, []).append(t)
    return {k: v for k, v in grouped.items() if v}
