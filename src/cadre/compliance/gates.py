"""Placement gates: which conditions a placement must meet, and whether recorded facts meet them.

Pure rules, no database: callers pass the requisition's facts, the details recorded for one gate (the
JSON stored on PlacementGate.details) and the date to check at (`as_of`), so results are deterministic
and a gate that passed earlier can be re-checked at move time (expiries).

Gates (kinds match compliance.models.PlacementGate.Kind):

* classification — always: the application's latest worker-classification assessment was reviewed by
  compliance;
* ip_assignment — always: the invention/IP assignment is signed, with an explicit prior-inventions
  schedule (may be empty, never missing), the open-source and publication carve-outs stated, and —
  where the work state limits invention assignment — the statutory notice carried by the agreement;
* work_authorization — always: authorized for the work country (or sponsored where the requisition
  offers sponsorship), document, expiry (none only for citizens), verification date;
* clearance — when the requisition asks for one: level at least the required one, agency, expiry, date
  verified;
* background_check — when the requisition asks for one: completed, "clear", or "consider" only after an
  individualized adjudication with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cadre.taxonomy.models import CLEARANCE_ORDER, ClearanceLevel

GATE_VERSION = "gates-2026.11.2"

CLASSIFICATION = "classification"
IP_ASSIGNMENT = "ip_assignment"
CLEARANCE = "clearance"
WORK_AUTHORIZATION = "work_authorization"
BACKGROUND_CHECK = "background_check"

# Display order; labels equal PlacementGate.Kind's (a test keeps them in step).
KINDS: tuple[str, ...] = (CLASSIFICATION, IP_ASSIGNMENT, CLEARANCE, WORK_AUTHORIZATION, BACKGROUND_CHECK)
KIND_LABELS: dict[str, str] = {
    CLASSIFICATION: "Classification reviewed",
    IP_ASSIGNMENT: "IP assignment signed",
    CLEARANCE: "Security clearance verified",
    WORK_AUTHORIZATION: "Work authorization confirmed",
    BACKGROUND_CHECK: "Background check",
}
ALWAYS_REQUIRED: tuple[str, ...] = (CLASSIFICATION, IP_ASSIGNMENT, WORK_AUTHORIZATION)

PASSED = "passed"
FAILED = "failed"

BACKGROUND_RESULTS = ("clear", "consider")
CLEARANCE_LABELS: dict[str, str] = {str(value): str(label) for value, label in ClearanceLevel.choices}


@dataclass(frozen=True)
class InventionStatute:
    """A state law limiting what an employee invention-assignment agreement may reach (inventions made
    entirely on the employee's own time, without the employer's equipment, supplies, facilities or
    trade secrets, unless related to the employer's business or resulting from work for the employer).

    `notice_duty` marks states whose statute also says the employer must give the employee written
    notice of the limit; the gate asks for the notice in every listed state (conservative).
    `verified` is False for everything from background knowledge: the shared research notes
    (compliance.md) have no section on invention assignment, so none of these was checked against
    primary text — verify before relying on them.
    """

    state: str
    citation: str
    notice_duty: bool
    verified: bool = False
    note: str = ""


INVENTION_STATUTES: dict[str, InventionStatute] = {
    s.state: s
    for s in (
        InventionStatute("CA", "Cal. Lab. Code §§2870–2872", notice_duty=True),
        InventionStatute("WA", "RCW 49.44.140–49.44.150", notice_duty=True),
        InventionStatute("MN", "Minn. Stat. §181.78", notice_duty=True),
        InventionStatute("IL", "765 ILCS 1060/2 (Employee Patent Act)", notice_duty=True),
        InventionStatute("KS", "K.S.A. 44-130", notice_duty=True),
        InventionStatute("NC", "N.C. Gen. Stat. §§66-57.1–66-57.2", notice_duty=False),
        InventionStatute("DE", "Del. Code tit. 19, §805", notice_duty=False),
        InventionStatute("UT", "Utah Code §§34-39-1 to 34-39-3", notice_duty=False),
        InventionStatute(
            "NV",
            "NRS 600.500",
            notice_duty=False,
            note="Nevada's statute sets an employer-ownership default for work-related inventions "
            "rather than a pure limit",
        ),
        InventionStatute("NJ", "N.J.S.A. 34:1B-265", notice_duty=False),
        InventionStatute("NY", "N.Y. Lab. Law §203-f", notice_duty=False),
    )
}


@dataclass(frozen=True)
class RequisitionFacts:
    """What the gates need from a requisition (duck-typed from the model by `facts_of`)."""

    work_country: str = "US"
    clearance_required: str = "none"
    background_check_required: bool = False
    sponsorship_available: bool = False


def facts_of(requisition: Any) -> RequisitionFacts:
    return RequisitionFacts(
        work_country=(getattr(requisition, "work_country", "") or "").upper(),
        clearance_required=getattr(requisition, "clearance_required", "") or ClearanceLevel.NONE.value,
        background_check_required=bool(getattr(requisition, "background_check_required", False)),
        sponsorship_available=bool(getattr(requisition, "sponsorship_available", False)),
    )


def required_kinds(facts: RequisitionFacts) -> tuple[str, ...]:
    """The gates a requisition requires, in display order."""
    required = set(ALWAYS_REQUIRED)
    if facts.clearance_required and facts.clearance_required != ClearanceLevel.NONE.value:
        required.add(CLEARANCE)
    if facts.background_check_required:
        required.add(BACKGROUND_CHECK)
    return tuple(k for k in KINDS if k in required)


@dataclass(frozen=True)
class GateResult:
    kind: str
    passed: bool
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    expires_on: date | None = None
    verified_on: date | None = None
    version: str = GATE_VERSION

    @property
    def status(self) -> str:
        return PASSED if self.passed else FAILED

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


class UnknownGate(ValueError):
    pass


# ---------------------------------------------------------------------------------------------- helpers


@dataclass
class _Check:
    """Collects every problem with one gate's details (not just the first)."""

    details: Mapping[str, Any]
    as_of: date
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def text(self, key: str, label: str, *, source: Mapping[str, Any] | None = None) -> str:
        value = (source if source is not None else self.details).get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{label} not given")
            return ""
        return value.strip()

    def date_field(self, key: str, label: str, *, required: bool = True, past: bool = False) -> date | None:
        raw = self.details.get(key)
        if raw in (None, ""):
            if required:
                self.fail(f"{label} not given")
            return None
        value = parse_date(raw)
        if value is None:
            self.fail(f"{label} is not a date (YYYY-MM-DD): {str(raw)[:40]!r}")
            return None
        if past and value > self.as_of:
            self.fail(f"{label} {value.isoformat()} is after the check date {self.as_of.isoformat()}")
        return value

    def not_expired(self, expires_on: date | None, what: str) -> None:
        if expires_on is not None and expires_on <= self.as_of:
            self.fail(f"{what} expired on {expires_on.isoformat()} (checked {self.as_of.isoformat()})")

    def result(
        self, kind: str, *, expires_on: date | None = None, verified_on: date | None = None
    ) -> GateResult:
        return GateResult(
            kind=kind,
            passed=not self.reasons,
            reasons=tuple(self.reasons),
            notes=tuple(self.notes),
            expires_on=expires_on,
            verified_on=verified_on,
        )


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _flag(value: Any) -> bool | None:
    """A declared yes/no: True/False (or "true"/"false" from forms); None when not declared."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "on", "1"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "off", "0"}:
        return False
    return None


def clearance_label(level: str) -> str:
    return CLEARANCE_LABELS.get(level, level or "none")


# -------------------------------------------------------------------------------------------- the gates


def evaluate_classification(details: Mapping[str, Any], facts: RequisitionFacts, as_of: date) -> GateResult:
    """`details` describes the application's latest assessment (built by the service from the DB):
    {"assessment_id": 7, "status": "reviewed", "risk_level": ..., "vehicle": ..., "reviewed_on": ...}."""
    check = _Check(details, as_of)
    assessment_id = details.get("assessment_id")
    if not assessment_id:
        check.fail("no worker-classification assessment for this application (run the questionnaire)")
    elif details.get("status") != "reviewed":
        check.fail(f"classification assessment #{assessment_id} awaits compliance review")
    reviewed_on = (
        check.date_field("reviewed_on", "review date", required=False) if not check.reasons else None
    )
    return check.result(CLASSIFICATION, verified_on=reviewed_on)


def evaluate_ip_assignment(details: Mapping[str, Any], facts: RequisitionFacts, as_of: date) -> GateResult:
    check = _Check(details, as_of)
    signed_on = check.date_field("signed_on", "signature date (signed_on)", past=True)
    check.text("signatory", "signatory")

    prior = details.get("prior_inventions")
    if prior is None:
        check.fail("prior-inventions schedule not declared (declare an empty list if there are none)")
    elif not isinstance(prior, list) or not all(
        (isinstance(p, str) and p.strip()) or (isinstance(p, Mapping) and str(p.get("title", "")).strip())
        for p in prior
    ):
        check.fail("prior-inventions schedule must be a list of titled entries")

    carve_outs = details.get("carve_outs")
    if not isinstance(carve_outs, Mapping):
        check.fail("open-source and publication carve-outs not stated")
    else:
        for key, label in (("open_source", "open-source"), ("publication", "publication")):
            flag = _flag(carve_outs.get(key))
            if flag is None:
                check.fail(f"{label} carve-out not stated (yes or no)")
            elif flag:
                note = carve_outs.get(f"{key}_note")
                if not isinstance(note, str) or not note.strip():
                    check.fail(f"{label} carve-out granted without a note of its scope")

    state = details.get("work_state")
    state = state.strip().upper() if isinstance(state, str) else ""
    if not state:
        if facts.work_country == "US":
            check.fail("work state not given (state law limits invention assignment)")
    else:
        statute = INVENTION_STATUTES.get(state)
        if statute is None:
            check.notes.append(
                f"no invention-assignment statute is listed for {state} (the list is unverified; "
                "check before relying on it)"
            )
        else:
            if _flag(details.get("statutory_notice_included")) is not True:
                check.fail(
                    f"the agreement must carry the statutory notice of {state}'s limit on invention "
                    f"assignment ({statute.citation})"
                )
            check.notes.append(
                f"{statute.citation}: citation "
                f"{'verified' if statute.verified else 'unverified, from background knowledge'}"
                + (f"; {statute.note}" if statute.note else "")
            )
    return check.result(IP_ASSIGNMENT, verified_on=signed_on)


def evaluate_clearance(details: Mapping[str, Any], facts: RequisitionFacts, as_of: date) -> GateResult:
    check = _Check(details, as_of)
    required = facts.clearance_required or ClearanceLevel.NONE.value
    level = details.get("level")
    level = level.strip().lower() if isinstance(level, str) else ""
    if not level:
        check.fail(f"{clearance_label(required)} required, clearance level not given")
    elif level not in CLEARANCE_ORDER:
        check.fail(f"unknown clearance level {level!r}")
    elif required in CLEARANCE_ORDER and CLEARANCE_ORDER.index(level) < CLEARANCE_ORDER.index(required):
        check.fail(f"{clearance_label(required)} required, person holds {clearance_label(level)}")
    check.text("agency", "granting agency")
    expires_on = check.date_field("expires_on", "clearance expiry date")
    check.not_expired(expires_on, "clearance")
    verified_on = check.date_field("verified_on", "verification date", past=True)
    return check.result(CLEARANCE, expires_on=expires_on, verified_on=verified_on)


def evaluate_work_authorization(
    details: Mapping[str, Any], facts: RequisitionFacts, as_of: date
) -> GateResult:
    check = _Check(details, as_of)
    country = details.get("country")
    country = country.strip().upper() if isinstance(country, str) else ""
    sponsored = _flag(details.get("sponsorship")) is True
    if sponsored and not facts.sponsorship_available:
        check.fail("sponsorship recorded, but the requisition does not offer sponsorship")
    if not country:
        check.fail("country of authorization not given")
    elif country != facts.work_country and not (sponsored and facts.sponsorship_available):
        check.fail(f"authorized for {country}, the work is in {facts.work_country}")
    check.text("document_type", "document type")
    # Citizenship does not expire (no reverification); anyone else's authorization does.
    citizen = _flag(details.get("citizen")) is True
    if citizen:
        # The gate itself never expires, but the document examined (Form I-9) had to be unexpired.
        document_expiry = check.date_field("expires_on", "document expiry date", required=False)
        expires_on = None
    else:
        document_expiry = expires_on = check.date_field("expires_on", "authorization expiry date")
    check.not_expired(expires_on, "work authorization")
    verified_on = check.date_field("verified_on", "verification date", past=True)
    if citizen and document_expiry and verified_on and document_expiry < verified_on:
        check.fail(
            f"the document had expired ({document_expiry.isoformat()}) when it was examined on "
            f"{verified_on.isoformat()}: Form I-9 needs an unexpired document"
        )
    return check.result(WORK_AUTHORIZATION, expires_on=expires_on, verified_on=verified_on)


def evaluate_background_check(details: Mapping[str, Any], facts: RequisitionFacts, as_of: date) -> GateResult:
    check = _Check(details, as_of)
    completed_on = check.date_field("completed_on", "completion date", past=True)
    result = details.get("result")
    result = result.strip().lower() if isinstance(result, str) else ""
    if not result:
        check.fail("background check result not given")
    elif result not in BACKGROUND_RESULTS:
        check.fail(f"background check result must be 'clear' or 'consider', not {result!r}")
    elif result == "consider":
        note = details.get("adjudication_note")
        if _flag(details.get("adjudicated")) is not True or not isinstance(note, str) or not note.strip():
            check.fail(
                "background check result is 'consider': it needs an individualized adjudication "
                "recorded with a note"
            )
    return check.result(BACKGROUND_CHECK, verified_on=completed_on)


_EVALUATORS = {
    CLASSIFICATION: evaluate_classification,
    IP_ASSIGNMENT: evaluate_ip_assignment,
    CLEARANCE: evaluate_clearance,
    WORK_AUTHORIZATION: evaluate_work_authorization,
    BACKGROUND_CHECK: evaluate_background_check,
}


def evaluate(
    kind: str, details: Mapping[str, Any] | None, facts: RequisitionFacts, *, as_of: date
) -> GateResult:
    """Evaluate one gate's recorded details against the requisition at `as_of`."""
    try:
        evaluator = _EVALUATORS[kind]
    except KeyError as exc:
        raise UnknownGate(f"unknown gate {kind!r}; expected one of {', '.join(KINDS)}") from exc
    if not isinstance(details, Mapping):
        return GateResult(kind=kind, passed=False, reasons=("details must be an object",))
    return evaluator(details, facts, as_of)


def blocking_message(failures: list[tuple[str, str]]) -> str:
    """ "Cannot place: IP assignment signed — not recorded; Security clearance verified — ..."."""
    return "Cannot place: " + "; ".join(f"{KIND_LABELS.get(k, k)} — {reason}" for k, reason in failures)
