"""Worker-classification engine: questionnaire, regimes, risk, vehicle, triggers and exposure estimates.

Pure Python (no Django). `classify(answers, as_of=...)` applies, for the facts of one engagement:

* always the federal regimes — the FLSA 2024 six-factor rule (`flsa_2024`), the DOL's current enforcement
  lens (`flsa_core_factors`) and the IRS common-law test (`irs_common_law`);
* plus the state ABC test of the work location for CA, MA, NJ and IL (other states: no state test is
  modelled, and the result says so).

Each regime reports every factor's direction with the facts relied on and the citation, and a leaning
described in words with the counts of each direction — never a single score. On top: an overall risk
level with reasons, the recommended engagement vehicle, what would change the answer, re-evaluation
triggers and exposure estimates (labelled as estimates, not legal advice). Everything is deterministic:
`ENGINE_VERSION` and an `inputs_digest` (sha256 of the canonical answers, `as_of` and rule-set versions)
identify a result.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cadre.compliance.rules import FEDERAL_RULE_SETS, REGISTRY
from cadre.compliance.rules.base import (
    ABC,
    CONTRACTOR,
    CORE_FACTORS,
    EMPLOYEE,
    NEUTRAL,
    UNVERIFIED,
    Direction,
    ExemptionResult,
    FactorResult,
    RuleSet,
    fact_text,
)

ENGINE_VERSION = "1.0.0"
ESTIMATE_LABEL = "estimate, not legal advice"
DISCLAIMER = (
    "Cadre's classification is a structured reading of the facts entered against the rules cited; it is "
    "not legal advice. Actual practice counts more than the contract, and the answer can change when the "
    "facts or the law change. Have counsel review high-risk engagements."
)

# --------------------------------------------------------------------------------------------------
# Questionnaire

US_STATES: tuple[str, ...] = (
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
)

BOOL, CHOICE, NUMBER, TEXT = "bool", "choice", "number", "text"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str  # BOOL, CHOICE, NUMBER or TEXT
    section: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    also_used_for: tuple[str, ...] = ()  # engine parts beyond the rule sets (exposure, vehicle, ...)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def used_by(self) -> list[str]:
        rule_sets = [r.id for r in REGISTRY.all() if self.id in r.reads()]
        return rule_sets + list(self.also_used_for)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "type": self.type,
            "section": self.section,
            "help": self.help,
            "choices": [{"value": v, "label": label} for v, label in self.choices],
            "required": self.required,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "used_by": self.used_by(),
        }


def _yes_no(id: str, text: str, section: str, help: str = "", also: tuple[str, ...] = ()) -> Question:
    return Question(id, text, BOOL, section, help, also_used_for=also)


ENGAGEMENT, CONTROL, MONEY, BUSINESS, RELATIONSHIP, CALIFORNIA = (
    "Engagement",
    "Control",
    "Money",
    "The worker's business",
    "Relationship",
    "California exemptions",
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "work_state",
        "In which US state is the work performed?",
        CHOICE,
        ENGAGEMENT,
        "Two-letter code. For remote work, the state where the worker works. Picks the state ABC test (CA, "
        "MA, NJ, IL).",
        choices=tuple((s, s) for s in US_STATES),
        required=True,
        also_used_for=("regime selection", "exposure"),
    ),
    Question(
        "duration_months",
        "How many months will the engagement last (expected, or so far)?",
        NUMBER,
        ENGAGEMENT,
        "Over 12 months is a re-evaluation trigger.",
        required=True,
        minimum=0,
        maximum=600,
        also_used_for=("triggers", "exposure"),
    ),
    Question(
        "hours_per_week",
        "How many hours a week does the worker work on it?",
        NUMBER,
        ENGAGEMENT,
        "Hours over 40 drive the FLSA overtime estimate.",
        required=True,
        minimum=0,
        maximum=168,
        also_used_for=("triggers", "exposure"),
    ),
    _yes_no(
        "indefinite",
        "Is the engagement open-ended (no defined end date or deliverable)?",
        ENGAGEMENT,
        also=("triggers",),
    ),
    Question(
        "contracting_party",
        "Who contracts with and pays the worker?",
        CHOICE,
        ENGAGEMENT,
        "'agency': the agency engages the worker and places them with the client; 'client': the client "
        "contracts with the worker and the agency only introduced them.",
        choices=(("agency", "The agency (worker placed with the client)"), ("client", "The client directly")),
    ),
    Question(
        "usual_course_of_business",
        "How does the work relate to the client's business?",
        CHOICE,
        ENGAGEMENT,
        "'integral': central to what the client sells (e.g. building its core AI product); 'usual_course': "
        "a regular part of its business but not the core; 'outside': outside its usual course of business.",
        choices=(
            ("integral", "Central to the client's business (core product)"),
            ("usual_course", "Part of the client's usual course of business"),
            ("outside", "Outside the client's usual course of business"),
        ),
        also_used_for=("triggers",),
    ),
    _yes_no(
        "embedded_in_team",
        "Does the worker work as part of a client team (shared sprints, shared deliverables)?",
        ENGAGEMENT,
    ),
    _yes_no(
        "serves_client_customers",
        "Does the worker provide the services to the client's customers rather than to the client itself?",
        ENGAGEMENT,
    ),
    Question(
        "controls_how",
        "Who decides how the work is done?",
        CHOICE,
        CONTROL,
        "Deadlines, quality standards and legal or security requirements alone are not control over how.",
        choices=(
            ("client", "The client directs the methods"),
            ("shared", "The client and the worker decide together"),
            ("worker", "The worker (the client sets only the results wanted)"),
        ),
        also_used_for=("triggers", "vehicle"),
    ),
    _yes_no(
        "set_hours",
        "Does the client set the worker's hours or schedule (core hours, shifts, required meetings)?",
        CONTROL,
        also=("triggers", "vehicle"),
    ),
    Question(
        "location_set_by",
        "Who decides where the work is done?",
        CHOICE,
        CONTROL,
        choices=(("client", "The client"), ("worker", "The worker")),
        also_used_for=("triggers",),
    ),
    Question(
        "work_location",
        "Where is the work done?",
        CHOICE,
        CONTROL,
        "NJ and IL prong B can be met by work outside all of the hiring entity's places of business.",
        choices=(
            ("client_site", "At the client's site"),
            ("hybrid", "Partly at the client's site"),
            ("remote_own_premises", "Remotely, from the worker's own premises"),
        ),
    ),
    _yes_no(
        "supervised",
        "Is the worker supervised day to day (a manager, stand-ups, performance reviews, monitoring "
        "software)?",
        CONTROL,
        also=("triggers", "vehicle"),
    ),
    _yes_no(
        "training_by_client",
        "Does the client train the worker in its own methods (beyond access and security onboarding)?",
        CONTROL,
        also=("triggers",),
    ),
    _yes_no(
        "reports_required",
        "Must the worker give regular progress reports or timesheets beyond the deliverables?",
        CONTROL,
        also=("triggers",),
    ),
    _yes_no("services_personally", "Must the worker do the work personally (no substitutes)?", CONTROL),
    _yes_no("can_hire_helpers", "Can the worker hire and pay their own helpers or subcontractors?", CONTROL),
    Question(
        "tools_provided_by",
        "Who provides the tools and equipment (laptop, accounts, software, compute)?",
        CHOICE,
        MONEY,
        choices=(("client", "The client or agency"), ("mixed", "Both"), ("worker", "The worker")),
        also_used_for=("vehicle",),
    ),
    Question(
        "worker_investment",
        "How much capital or entrepreneurial investment has the worker made in their business?",
        CHOICE,
        MONEY,
        "Hardware, office, staff or marketing to grow the business; tools needed to do this job do not "
        "count.",
        choices=(("none", "None"), ("minor", "Minor"), ("significant", "Significant")),
    ),
    _yes_no(
        "profit_loss_opportunity",
        "Can the worker make or lose money through business decisions (pricing, bidding, hiring, "
        "marketing), not just by working more hours?",
        MONEY,
    ),
    _yes_no("negotiates_rate", "Does the worker set or negotiate their own rate?", MONEY, also=("vehicle",)),
    _yes_no(
        "business_expenses_reimbursed",
        "Does the client or agency reimburse the worker's business expenses?",
        MONEY,
    ),
    Question(
        "payment_basis",
        "How is the worker paid?",
        CHOICE,
        MONEY,
        choices=(
            ("hourly", "By the hour"),
            ("salary", "A weekly or monthly amount"),
            ("project", "A fixed fee for the project"),
            ("milestone", "Per milestone or deliverable"),
        ),
    ),
    Question(
        "hourly_rate",
        "Hourly rate in USD (or the effective hourly rate: fee divided by hours worked)",
        NUMBER,
        MONEY,
        "Used only for the FLSA overtime estimate.",
        minimum=0,
        maximum=100000,
        also_used_for=("exposure",),
    ),
    Question(
        "overtime_hours_paid",
        "How were hours over 40 a week paid?",
        CHOICE,
        MONEY,
        "'straight_time': the rate was paid for every hour (half-time premium owed); 'unpaid': hours over "
        "40 were not paid (full time-and-a-half owed). Unanswered: straight time is assumed.",
        choices=(("straight_time", "At the normal rate"), ("unpaid", "Not paid")),
        also_used_for=("exposure",),
    ),
    Question(
        "weeks_worked",
        "Weeks worked so far (for the exposure estimate)",
        NUMBER,
        MONEY,
        "Unanswered: duration_months x 52 / 12.",
        minimum=0,
        maximum=2600,
        also_used_for=("exposure",),
    ),
    _yes_no(
        "exclusive_to_client",
        "Is the worker restricted from working for others (including competitors) during the engagement?",
        BUSINESS,
        also=("triggers", "vehicle"),
    ),
    _yes_no(
        "multiple_clients",
        "Does the worker have other clients for the same kind of work (now or in the last 12 months)?",
        BUSINESS,
        also=("triggers", "vehicle"),
    ),
    Question(
        "business_entity",
        "Does the worker operate through a business?",
        CHOICE,
        BUSINESS,
        choices=(
            ("none", "No"),
            ("sole_proprietor", "Registered sole proprietor"),
            ("llc", "Own LLC"),
            ("corporation", "Own corporation"),
        ),
        also_used_for=("vehicle",),
    ),
    _yes_no("has_ein", "Does the worker's business have its own EIN?", BUSINESS, also=("vehicle",)),
    _yes_no(
        "entity_payroll",
        "Does the worker's company employ the worker on its own payroll (e.g. W-2 from their own S-corp)?",
        BUSINESS,
    ),
    _yes_no(
        "business_license",
        "Does the worker hold the business licence or business tax registration required where the work is "
        "done (answer yes if none is required)?",
        BUSINESS,
        also=("vehicle",),
    ),
    _yes_no(
        "separate_business_location",
        "Does the worker keep a business location separate from the client's (their home counts)?",
        BUSINESS,
    ),
    _yes_no(
        "markets_to_public",
        "Does the worker advertise and offer the services to the public?",
        BUSINESS,
        also=("vehicle",),
    ),
    _yes_no("own_website", "Does the worker have their own business website?", BUSINESS),
    _yes_no("own_insurance", "Does the worker carry their own business insurance?", BUSINESS),
    _yes_no("specialized_skills", "Does the work need specialised skills?", BUSINESS),
    _yes_no(
        "business_initiative",
        "Does the worker use those skills with business-like initiative (bidding, choosing projects, "
        "building a client base)?",
        BUSINESS,
    ),
    _yes_no(
        "benefits_provided",
        "Does the client or agency provide employee-type benefits (health cover, paid leave, retirement)?",
        RELATIONSHIP,
    ),
    _yes_no(
        "terminate_at_will",
        "Can the client end the engagement at any time without liability (not only under the contract's "
        "terms)?",
        RELATIONSHIP,
    ),
    _yes_no(
        "written_contract",
        "Is there a written contract setting out the services, the rate and when payment is due?",
        RELATIONSHIP,
        also=("vehicle",),
    ),
    _yes_no(
        "worked_for_client_as_employee",
        "Was the worker previously the client's employee doing similar work?",
        RELATIONSHIP,
        also=("risk", "triggers"),
    ),
    _yes_no(
        "requires_contractor_license",
        "Does the work require a California Contractors State License Board licence?",
        CALIFORNIA,
        "Construction-type work only; AI and software work normally does not.",
    ),
    Question(
        "professional_service_category",
        "Is the work in a Labor Code §2778 professional-services category?",
        CHOICE,
        CALIFORNIA,
        "Software engineering, data science and ML engineering are not listed.",
        choices=(
            ("none", "None of these"),
            ("marketing", "Marketing (original, creative work)"),
            ("hr_administration", "HR administration"),
            ("graphic_design", "Graphic design"),
            ("grant_writing", "Grant writing"),
            ("fine_art", "Fine art"),
            ("enrolled_agent", "Enrolled agent (IRS)"),
            ("writing_editing_translation", "Freelance writing, editing or translation"),
            ("still_photography", "Still photography or photo editing"),
            ("other_listed", "Another §2778 category"),
        ),
    ),
    _yes_no(
        "independent_judgment",
        "Does the worker customarily exercise discretion and independent judgment in the work?",
        CALIFORNIA,
    ),
    Question(
        "engagement_notes",
        "Notes on the engagement (role, client, anything unusual)",
        TEXT,
        ENGAGEMENT,
        "Free text kept with the result; no rule reads it.",
        maximum=4000,
        also_used_for=("record",),
    ),
)

QUESTION_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
QUESTION_ORDER: dict[str, int] = {q.id: i for i, q in enumerate(QUESTIONS)}


def questionnaire() -> list[dict[str, Any]]:
    """The questionnaire as JSON-ready dicts (for the UI, the API and `cadre classify --questions`)."""
    return [q.as_dict() for q in QUESTIONS]


def rule_set_registry() -> list[dict[str, Any]]:
    """Every shipped rule set with its version, effective dates, status and citation."""
    return REGISTRY.listing()


# --------------------------------------------------------------------------------------------------
# Validation


class ClassificationInputError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "number",
        float: "number",
        str: "text",
        list: "list",
        dict: "object",
    }.get(type(value), type(value).__name__)


def validate_answers(answers: Any) -> list[str]:
    """Every problem with `answers`, as clear messages; an empty list means they can be classified.
    Optional questions may be missing (or null); required ones may not."""
    if not isinstance(answers, Mapping):
        return [f"answers must be a JSON object of question id -> answer, not {_type_name(answers)}"]
    errors: list[str] = []
    for key in answers:
        if not isinstance(key, str) or key not in QUESTION_BY_ID:
            close = difflib.get_close_matches(str(key), list(QUESTION_BY_ID), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.append(f"unknown question id {key!r}{hint}")
    for q in QUESTIONS:
        value = answers.get(q.id)
        if value is None:
            if q.required:
                errors.append(f"missing required answer {q.id!r}: {q.text}")
            continue
        errors.extend(_check_value(q, value))
    return errors


def _check_value(q: Question, value: Any) -> list[str]:
    if q.type == BOOL:
        if not isinstance(value, bool):
            return [f"{q.id}: expected true or false, got {value!r} ({_type_name(value)})"]
    elif q.type == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{q.id}: expected a number, got {value!r} ({_type_name(value)})"]
        if value != value or value in (float("inf"), float("-inf")):
            return [f"{q.id}: expected a finite number, got {value!r}"]
        if q.minimum is not None and value < q.minimum:
            return [f"{q.id}: must be at least {q.minimum:g}, got {value!r}"]
        if q.maximum is not None and value > q.maximum:
            return [f"{q.id}: must be at most {q.maximum:g}, got {value!r}"]
    elif q.type == CHOICE:
        if not isinstance(value, str):
            return [f"{q.id}: expected one of the choices as text, got {value!r} ({_type_name(value)})"]
        if q.id == "work_state" and value.upper() in q.choice_values and value != value.upper():
            return []  # "ca" is accepted as "CA"
        if value not in q.choice_values:
            shown = ", ".join(q.choice_values) if len(q.choices) <= 12 else "a two-letter US state code"
            return [f"{q.id}: {value!r} is not one of {shown}"]
    elif q.type == TEXT:
        if not isinstance(value, str):
            return [f"{q.id}: expected text, got {value!r} ({_type_name(value)})"]
        if q.maximum is not None and len(value) > q.maximum:
            return [f"{q.id}: text longer than {q.maximum:g} characters"]
    return []


def normalize_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answered questions only, in questionnaire order; whole floats become ints and the state is upper
    case, so 50 and 50.0 (or "ca" and "CA") classify and digest the same."""
    out: dict[str, Any] = {}
    for q in QUESTIONS:
        value = answers.get(q.id)
        if value is None:
            continue
        if q.type == NUMBER and isinstance(value, float) and value.is_integer():
            value = int(value)
        if q.id == "work_state" and isinstance(value, str):
            value = value.upper()
        out[q.id] = value
    return out


# --------------------------------------------------------------------------------------------------
# Regimes


@dataclass(frozen=True)
class RegimeResult:
    rule_set: RuleSet
    test_applied: str
    test_citation: str
    exemptions: tuple[ExemptionResult, ...]
    factors: tuple[FactorResult, ...]
    leaning: Direction
    leaning_text: str
    decisive_facts: tuple[str, ...]
    groups: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return {d: sum(1 for f in self.factors if f.direction == d) for d in (EMPLOYEE, CONTRACTOR, NEUTRAL)}

    @property
    def is_abc(self) -> bool:
        return self.rule_set.test == ABC and not any(e.applies for e in self.exemptions)

    def failing(self) -> list[FactorResult]:
        return [f for f in self.factors if f.direction == EMPLOYEE]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_set": self.rule_set.metadata(),
            "test_applied": self.test_applied,
            "test_citation": self.test_citation,
            "exemptions": [e.as_dict() for e in self.exemptions],
            "factors": [f.as_dict() for f in self.factors],
            "counts": self.counts,
            "leaning": self.leaning,
            "leaning_text": self.leaning_text,
            "decisive_facts": list(self.decisive_facts),
            "groups": list(self.groups),
            "notes": list(self.notes),
        }


def _count_text(results: tuple[FactorResult, ...]) -> tuple[int, int, int, str]:
    emp = sum(1 for f in results if f.direction == EMPLOYEE)
    con = sum(1 for f in results if f.direction == CONTRACTOR)
    neu = len(results) - emp - con
    return emp, con, neu, f"{emp} employee, {con} contractor, {neu} neutral of {len(results)} factors"


def _too_few_facts(results: tuple[FactorResult, ...]) -> str | None:
    """Words for a regime where more than half the factors have no answered question, else None."""
    blank = [f for f in results if not f.facts_relied_on]
    if len(blank) * 2 <= len(results):
        return None
    _emp, _con, _neu, counted = _count_text(results)
    return (
        f"Not enough facts to lean either way: {len(blank)} of {len(results)} factors have no answered "
        f"question ({counted}). Answer the open questions before relying on this regime."
    )


def _lean_by_count(results: tuple[FactorResult, ...], test_words: str) -> tuple[Direction, str]:
    too_few = _too_few_facts(results)
    if too_few:
        return NEUTRAL, too_few
    emp, con, _neu, counted = _count_text(results)
    if emp > con:
        strength = "clearly " if con == 0 and emp >= 2 else ""
        return EMPLOYEE, f"Leans {strength}toward employee ({counted}). {test_words}"
    if con > emp:
        strength = "clearly " if emp == 0 and con >= 2 else ""
        return CONTRACTOR, f"Leans {strength}toward contractor ({counted}). {test_words}"
    return NEUTRAL, f"No clear leaning: the factors are balanced ({counted}). {test_words}"


TOTALITY_WORDS = (
    "Totality of the circumstances: no factor is decisive; the counts only summarise which way the facts "
    "point."
)


def _lean_core(results: tuple[FactorResult, ...]) -> tuple[Direction, str]:
    too_few = _too_few_facts(results)
    if too_few:
        return NEUTRAL, too_few
    core = [f for f in results if f.group == "core"]
    directions = {f.direction for f in core}
    _emp, _con, _neu, counted = _count_text(results)
    if len(core) == 2 and len(directions) == 1 and NEUTRAL not in directions:
        (direction,) = directions
        return direction, (
            f"Both core factors (control; opportunity for profit or loss) point to {direction}: a "
            f"substantial likelihood that {direction} is the correct classification under the DOL's "
            f"core-factor analysis ({counted})."
        )
    leaning, text = _lean_by_count(
        results, "The core factors do not agree (or are unanswered), so the other factors decide."
    )
    return leaning, text


def prong_list(factors: list[FactorResult]) -> str:
    """'prong B' or 'prongs A and C'."""
    letters = [f.name.split(":")[0] for f in factors]
    if len(letters) == 1:
        return f"prong {letters[0]}"
    return f"prongs {', '.join(letters[:-1])} and {letters[-1]}"


def _lean_abc(results: tuple[FactorResult, ...], name: str) -> tuple[Direction, str]:
    failing = [f for f in results if f.direction == EMPLOYEE]
    unshown = [f for f in results if f.direction == NEUTRAL]
    if failing:
        verb = "fails" if len(failing) == 1 else "fail"
        text = (
            f"Employee: {prong_list(failing)} {verb}. All three prongs must be met, so the worker is an "
            f"employee under the {name}."
        )
        if unshown:
            text += f" Also not shown: {prong_list(unshown)}."
        return EMPLOYEE, text
    if unshown:
        verb = "is" if len(unshown) == 1 else "are"
        return EMPLOYEE, (
            f"Presumed employee: {prong_list(unshown)} {verb} not shown. The hiring entity must demonstrate "
            "all three prongs; until it does, the worker is presumed an employee."
        )
    return CONTRACTOR, "Contractor: all three prongs are met."


def _decisive(results: tuple[FactorResult, ...], leaning: Direction) -> tuple[str, ...]:
    out = []
    for f in results:
        if f.direction == NEUTRAL or (leaning != NEUTRAL and f.direction != leaning):
            continue
        facts = [x.text for x in f.facts_relied_on if x.direction == f.direction]
        if facts:
            out.append(f"{f.name} → {f.direction}: " + "; ".join(facts))
    return tuple(out)


def _groups(results: tuple[FactorResult, ...]) -> tuple[dict[str, Any], ...]:
    names: list[str] = []
    for f in results:
        if f.group and f.group not in names:
            names.append(f.group)
    out = []
    for name in names:
        members = tuple(f for f in results if f.group == name)
        emp, con, neu, _ = _count_text(members)
        leaning = EMPLOYEE if emp > con else CONTRACTOR if con > emp else NEUTRAL
        out.append({"group": name, "employee": emp, "contractor": con, "neutral": neu, "leaning": leaning})
    return tuple(out)


def evaluate_regime(rule_set: RuleSet, answers: Mapping[str, Any]) -> RegimeResult:
    exemptions = tuple(e.evaluate(answers) for e in rule_set.exemptions)
    applied = next((e for e in exemptions if e.applies), None)
    notes = list(rule_set.notes)
    if applied is not None:
        results = tuple(f.evaluate(answers) for f in rule_set.fallback_factors)
        leaning, text = _lean_by_count(
            results,
            f"The {applied.name} ({applied.citation}) applies, so {rule_set.fallback_name} decides status "
            "instead of the ABC test; the right to control is the principal factor.",
        )
        return RegimeResult(
            rule_set,
            f"{rule_set.fallback_name} — {applied.name} applies",
            rule_set.fallback_citation,
            exemptions,
            results,
            leaning,
            text,
            _decisive(results, leaning),
            notes=(*notes, "ABC prongs not applied because an exemption applies."),
        )
    results = tuple(f.evaluate(answers) for f in rule_set.factors)
    if rule_set.test == ABC:
        leaning, text = _lean_abc(results, rule_set.name)
        if exemptions:
            notes.append(
                "Exemptions checked first: "
                + "; ".join(f"{e.name} ({e.citation}) {e.status}" for e in exemptions)
                + "."
            )
        test_applied = "ABC test (all three prongs must be met)"
    elif rule_set.test == CORE_FACTORS:
        leaning, text = _lean_core(results)
        test_applied = "Core-factor analysis (DOL enforcement position)"
    else:
        leaning, text = _lean_by_count(results, TOTALITY_WORDS)
        test_applied = (
            "Economic-reality test, totality of the circumstances"
            if rule_set.id == "flsa_2024"
            else "Common-law right to direct and control"
        )
    return RegimeResult(
        rule_set,
        test_applied,
        rule_set.citation,
        exemptions,
        results,
        leaning,
        text,
        _decisive(results, leaning),
        groups=_groups(results) if rule_set.test != ABC else (),
        notes=tuple(notes),
    )


def select_rule_sets(state: str, as_of: date) -> tuple[list[RuleSet], list[str]]:
    """The federal rule sets in effect on `as_of`, plus the state's ABC rule set if one is modelled."""
    chosen: list[RuleSet] = []
    notes: list[str] = []
    for rule_set_id in FEDERAL_RULE_SETS:
        rule_set = REGISTRY.get(rule_set_id)
        if rule_set.in_effect(as_of):
            chosen.append(rule_set)
        else:
            notes.append(
                f"{rule_set.name} is not in effect on {as_of.isoformat()} (effective "
                f"{rule_set.effective_from.isoformat()}); not applied."
            )
    state_sets = [r for r in REGISTRY.for_state(state) if r.in_effect(as_of)]
    if state_sets:
        chosen.extend(state_sets)
    else:
        applied = "; ".join(r.name for r in chosen)
        modelled = ", ".join(REGISTRY.states())
        notes.append(
            f"No state ABC test is modelled for {state} (state ABC tests modelled: {modelled}). Applied: "
            f"{applied}. {state} law may use its own test for unemployment insurance, wage payment or "
            f"workers' compensation {UNVERIFIED}; check it before relying on this result."
        )
    return chosen, notes


# --------------------------------------------------------------------------------------------------
# Risk, vehicle, changes, triggers


VERY_HIGH, HIGH, MEDIUM, LOW = "very high", "high", "medium", "low"
RISK_MEANING = "Risk of engaging this worker as a non-employee (1099 or corp-to-corp) on these facts."


@dataclass(frozen=True)
class Risk:
    level: str
    reasons: tuple[str, ...]
    meaning: str = RISK_MEANING

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reasons": list(self.reasons), "meaning": self.meaning}


def assess_risk(regimes: list[RegimeResult], answers: Mapping[str, Any]) -> Risk:
    federal = [r for r in regimes if r.rule_set.state is None]
    state = [r for r in regimes if r.rule_set.state is not None]
    fed_emp = [r for r in federal if r.leaning == EMPLOYEE]
    reasons: list[str] = []
    state_fails = False
    for r in state:
        if r.leaning != EMPLOYEE:
            continue
        state_fails = True
        if r.is_abc:
            failing = r.failing()
            if failing:
                verb = "fails" if len(failing) == 1 else "fail"
                reasons.append(
                    f"{r.rule_set.name}: {prong_list(failing)} {verb} — all three prongs must be met, so "
                    f"the worker is an employee under the {r.rule_set.applies_to}."
                )
            else:
                reasons.append(
                    f"{r.rule_set.name}: the prongs are not shown, so the worker is presumed an employee "
                    f"under the {r.rule_set.applies_to}."
                )
        else:
            reasons.append(f"{r.rule_set.name}: {r.test_applied}; {r.leaning_text}")
    for r in fed_emp:
        first = r.leaning_text.split(". ")[0].rstrip(".")
        reasons.append(f"{r.rule_set.name}: {first[:1].lower()}{first[1:]}.")
    if state_fails and fed_emp:
        level = VERY_HIGH
    elif federal and len(fed_emp) == len(federal):
        level = VERY_HIGH
        reasons.append("Every federal test applied leans toward employee.")
    elif state_fails or len(fed_emp) >= 2:
        level = HIGH
    elif fed_emp:
        level = MEDIUM
    elif any(r.leaning == NEUTRAL for r in regimes):
        level = MEDIUM
        balanced = ", ".join(r.rule_set.name for r in regimes if r.leaning == NEUTRAL)
        reasons.append(f"No clear leaning under: {balanced}.")
    else:
        level = LOW
        reasons.append("Every regime applied leans toward contractor.")
    if answers.get("worked_for_client_as_employee") is True:
        reasons.append("The worker was the client's employee doing similar work: conversions draw scrutiny.")
        if level == LOW:
            level = MEDIUM
    return Risk(level, tuple(reasons))


W2, TEN99, C2C = "w2_agency", "1099", "corp_to_corp"
VEHICLE_LABELS = {
    W2: "W-2 through the agency (agency is employer of record)",
    TEN99: "1099 independent contractor",
    C2C: "Corp-to-corp (contract with the worker's own LLC or corporation)",
}

# Criteria Cadre requires before recommending corp-to-corp (modelled on the Cal. Lab. Code §2776 B2B
# checklist, applied everywhere as a conservative standard): question, accepted answers, what it means.
C2C_CRITERIA: tuple[tuple[str, tuple[Any, ...], str], ...] = (
    ("business_entity", ("llc", "corporation"), "the worker contracts through their own LLC or corporation"),
    ("has_ein", (True,), "the entity has its own EIN"),
    (
        "written_contract",
        (True,),
        "a written contract with the entity sets out services, rate and payment date",
    ),
    ("controls_how", ("worker",), "the worker decides how the work is done"),
    ("set_hours", (False,), "the client does not set the hours"),
    ("supervised", (False,), "no day-to-day supervision"),
    ("multiple_clients", (True,), "the entity has other clients for the same kind of work"),
    ("exclusive_to_client", (False,), "the entity is free to work for others"),
    ("markets_to_public", (True,), "the entity advertises its services to the public"),
    ("tools_provided_by", ("worker",), "the entity provides its own tools and equipment"),
    ("negotiates_rate", (True,), "the entity negotiates its own rate"),
    ("business_license", (True,), "the entity holds any required business licence or registration"),
)


@dataclass(frozen=True)
class Vehicle:
    recommended: str
    reasons: tuple[str, ...]
    conditions: tuple[str, ...]
    c2c_checks: tuple[dict[str, Any], ...]
    alternatives: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return VEHICLE_LABELS[self.recommended]

    def as_dict(self) -> dict[str, Any]:
        return {
            "recommended": self.recommended,
            "label": self.label,
            "reasons": list(self.reasons),
            "conditions": list(self.conditions),
            "corp_to_corp_checks": list(self.c2c_checks),
            "alternatives": list(self.alternatives),
        }


def _c2c_checks(answers: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    checks = []
    for question, accepted, meaning in C2C_CRITERIA:
        value = answers.get(question)
        status = "not answered" if value is None else "met" if value in accepted else "not met"
        checks.append({"question": question, "criterion": meaning, "answer": value, "status": status})
    return tuple(checks)


CONTRACTOR_CONDITIONS = (
    "Keep a written contract with the deliverables, the rate and the payment date.",
    "The client sets results and deadlines only: no set hours, day-to-day supervision or training in its "
    "methods — re-evaluate if that changes.",
    "File Forms 1099-NEC every year (keeps §3509 reduced rates and Section 530 reporting consistency "
    "available).",
    "Re-evaluate at each trigger listed below.",
)


def recommend_vehicle(risk: Risk, regimes: list[RegimeResult], answers: Mapping[str, Any]) -> Vehicle:
    checks = _c2c_checks(answers)
    unmet = [c for c in checks if c["status"] != "met"]
    state = answers.get("work_state")
    if risk.level in (HIGH, VERY_HIGH):
        return Vehicle(
            W2,
            (f"Risk is {risk.level}: " + " ".join(risk.reasons),),
            (
                "The agency is employer of record: it withholds, pays the employer taxes and carries "
                "workers' compensation and unemployment insurance.",
                "Manage joint-employer and co-employment questions with the client (who supervises, who "
                "can end the assignment).",
            ),
            checks,
            (
                "1099 or corp-to-corp only after the facts under 'what would change the answer' are "
                "different.",
            ),
        )
    if risk.level == MEDIUM:
        return Vehicle(
            W2,
            (
                "Risk is medium: the tests do not agree, and the agency would carry the "
                "misclassification risk. " + " ".join(risk.reasons),
            ),
            ("The agency is employer of record.",),
            checks,
            (
                "Corp-to-corp could be reconsidered once every corp-to-corp check is met and no regime "
                "leans toward employee.",
            ),
        )
    conditions = list(CONTRACTOR_CONDITIONS)
    if state == "MA":
        conditions.append(
            "Massachusetts: an individual working through an entity may still bring claims or lack "
            "standing (Weis v. Loomis, Sayles, 2024); the ABC test still applies."
        )
    if not unmet:
        return Vehicle(
            C2C,
            (
                "Every regime applied leans toward contractor and the worker's own entity meets every "
                "corp-to-corp check (modelled on the Cal. Lab. Code §2776 business-to-business criteria).",
            ),
            ("Contract with and pay the entity (its EIN), against the entity's invoices.", *conditions),
            checks,
            ("1099 to the individual is also consistent with the analysis.",),
        )
    missing = "; ".join(f"{c['criterion']} ({c['status']})" for c in unmet)
    entity = answers.get("business_entity") in ("llc", "corporation")
    reasons = ["Every regime applied leans toward contractor."]
    if entity:
        reasons.append(f"Corp-to-corp is not recommended because these checks are not met: {missing}.")
    else:
        reasons.append("The worker has no LLC or corporation, so corp-to-corp is not available.")
    return Vehicle(TEN99, tuple(reasons), tuple(conditions), checks, (f"Corp-to-corp once met: {missing}.",))


@dataclass(frozen=True)
class Change:
    question: str
    answer: Any
    now: str
    change: str
    moves_toward: Direction
    affects: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "now": self.now,
            "change": self.change,
            "moves_toward": self.moves_toward,
            "affects": list(self.affects),
            "text": f"If {self.change} (now: {self.now}), {len(self.affects)} factor(s) would move toward "
            f"{self.moves_toward}.",
        }


def what_would_change(regimes: list[RegimeResult]) -> list[Change]:
    """The facts behind each regime's leaning (or, for a balanced regime, its employee-side facts), with the
    concrete alternative fact that would push the other way; most widely felt first."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for regime in regimes:
        side = regime.leaning if regime.leaning != NEUTRAL else EMPLOYEE
        for factor in regime.factors:
            if factor.direction != side:
                continue
            for fact in factor.facts_relied_on:
                if fact.direction != side or not fact.change:
                    continue
                entry = found.setdefault(
                    (fact.question, fact.change),
                    {"fact": fact, "toward": CONTRACTOR if side == EMPLOYEE else EMPLOYEE, "affects": []},
                )
                label = f"{regime.rule_set.id}: {factor.name}"
                if label not in entry["affects"]:
                    entry["affects"].append(label)
    changes = [
        Change(
            e["fact"].question,
            e["fact"].answer,
            e["fact"].text,
            e["fact"].change,
            e["toward"],
            tuple(e["affects"]),
        )
        for e in found.values()
    ]
    changes.sort(
        key=lambda c: (
            c.moves_toward != CONTRACTOR,
            -len(c.affects),
            QUESTION_ORDER.get(c.question, 999),
            c.change,
        )
    )
    return changes


@dataclass(frozen=True)
class Trigger:
    id: str
    text: str
    status: str  # "now": already true, re-evaluate now; "watch": re-evaluate if it happens
    basis: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "status": self.status, "basis": self.basis}


CONTROL_SIGNALS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("set_hours", (True,)),
    ("supervised", (True,)),
    ("training_by_client", (True,)),
    ("controls_how", ("client", "shared")),
    ("location_set_by", ("client",)),
    ("reports_required", (True,)),
)


def reevaluation_triggers(answers: Mapping[str, Any], regimes: list[RegimeResult]) -> list[Trigger]:
    out: list[Trigger] = []
    months = answers.get("duration_months")
    if (months is not None and months > 12) or answers.get("indefinite") is True:
        length = "open-ended" if answers.get("indefinite") is True else f"{months:g} months"
        out.append(
            Trigger(
                "duration_over_12_months",
                f"The engagement runs over 12 months ({length}): re-evaluate now and at every extension.",
                "now",
                "Permanence (FLSA 795.110(b)(3); Rev. Rul. 87-41 factor 6).",
            )
        )
    else:
        out.append(
            Trigger(
                "duration_over_12_months",
                "Re-evaluate before the engagement passes 12 months or becomes open-ended"
                + (f" (planned: {months:g} months)." if months is not None else "."),
                "watch",
                "Permanence (FLSA 795.110(b)(3); Rev. Rul. 87-41 factor 6).",
            )
        )
    course = answers.get("usual_course_of_business")
    if course in ("integral", "usual_course"):
        out.append(
            Trigger(
                "integral_work",
                "The work is within the client's usual course of business "
                f"({fact_text('usual_course_of_business', course)}).",
                "now",
                "Integral work: FLSA 795.110(b)(5); ABC prong B.",
            )
        )
    else:
        out.append(
            Trigger(
                "integral_work",
                "Re-evaluate if the work moves into the client's core product or usual course of business.",
                "watch",
                "Integral work: FLSA 795.110(b)(5); ABC prong B.",
            )
        )
    present = [(q, answers[q]) for q, values in CONTROL_SIGNALS if answers.get(q) in values]
    for question, value in present:
        out.append(
            Trigger(f"control_{question}", f"Control signal: {fact_text(question, value)}.", "now", "Control")
        )
    if not present:
        out.append(
            Trigger(
                "control_signals",
                "Re-evaluate if the client starts setting hours, supervising, training the worker in its "
                "methods or directing how the work is done.",
                "watch",
                "Control",
            )
        )
    if answers.get("exclusive_to_client") is True:
        out.append(
            Trigger(
                "exclusivity",
                f"Exclusivity: {fact_text('exclusive_to_client', True)}.",
                "now",
                "Permanence; ABC prong C",
            )
        )
    if answers.get("multiple_clients") is False:
        out.append(
            Trigger(
                "single_client",
                f"Single client: {fact_text('multiple_clients', False)}.",
                "now",
                "ABC prong C",
            )
        )
    hours = answers.get("hours_per_week")
    if hours is not None and hours >= 35:
        out.append(
            Trigger("full_time", f"Full-time hours ({hours:g} a week).", "now", "Rev. Rul. 87-41 factor 8")
        )
    if answers.get("worked_for_client_as_employee") is True:
        out.append(
            Trigger(
                "former_employee",
                "The worker was the client's employee doing similar work.",
                "now",
                "Permanence",
            )
        )
    state = answers.get("work_state")
    abc_states = REGISTRY.states()
    if state in abc_states:
        out.append(
            Trigger("work_location", "Re-evaluate if the worker or the work moves to another state.", "watch")
        )
    else:
        out.append(
            Trigger(
                "work_location",
                "Re-evaluate if the work moves to a state with a modelled ABC test "
                f"({', '.join(abc_states)}).",
                "watch",
            )
        )
    for regime in regimes:
        for change in regime.rule_set.watch_for:
            out.append(
                Trigger(
                    f"law_{regime.rule_set.id}", f"Law change: {change}.", "watch", regime.rule_set.citation
                )
            )
    return out


# --------------------------------------------------------------------------------------------------
# Exposure estimates

CENT = Decimal("0.01")
FLSA_WINDOWS = (
    ("2_year", 104, "2-year look-back (29 U.S.C. 255(a))"),
    ("3_year_willful", 156, "3-year look-back if the violation was willful (29 U.S.C. 255(a))"),
)
COMPUTER_EXEMPT_HOURLY = Decimal("27.63")


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 10, 17.33, 0.5."""
    return format(value.normalize(), "f")


def flsa_overtime_estimate(
    hourly_rate: float | Decimal, hours_per_week: float | Decimal, weeks: float | Decimal, convention: str
) -> dict[str, Any]:
    """Unpaid FLSA overtime plus equal liquidated damages over the 2- and 3-year look-backs.

    convention "straight_time": the worker was paid the rate for every hour, so the unpaid amount is the
    half-time premium, 0.5 x rate x hours over 40. "unpaid": hours over 40 were not paid at all, so the
    full 1.5 x rate x hours over 40 is owed. Weeks beyond a look-back window are not counted in it."""
    rate, hours, weeks_d = Decimal(str(hourly_rate)), Decimal(str(hours_per_week)), Decimal(str(weeks))
    overtime = max(Decimal(0), hours - 40)
    multiplier = Decimal("0.5") if convention == "straight_time" else Decimal("1.5")
    per_week = overtime * rate * multiplier
    windows = []
    for key, cap, label in FLSA_WINDOWS:
        covered = min(weeks_d, Decimal(cap))
        back = per_week * covered
        windows.append(
            {
                "window": key,
                "label": label,
                "weeks_counted": _plain(covered),
                "back_wages": _money(back),
                "liquidated_damages": _money(back),
                "total": _money(back * 2),
            }
        )
    return {
        "overtime_hours_per_week": _plain(overtime),
        "premium_multiplier": str(multiplier),
        "owed_per_overtime_hour": _money(rate * multiplier),
        "owed_per_week": _money(per_week),
        "windows": windows,
    }


@dataclass(frozen=True)
class Exposure:
    flsa: dict[str, Any]
    california_226_8: dict[str, Any] | None
    payroll_tax: dict[str, Any]
    state_notes: tuple[str, ...] = ()
    label: str = ESTIMATE_LABEL

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "flsa": self.flsa,
            "california_226_8": self.california_226_8,
            "payroll_tax": self.payroll_tax,
            "state_notes": list(self.state_notes),
        }


def estimate_exposure(answers: Mapping[str, Any]) -> Exposure:
    flsa: dict[str, Any] = {
        "label": f"FLSA back wages and liquidated damages — {ESTIMATE_LABEL}",
        "basis": (
            "Back wages plus an equal amount in liquidated damages (29 U.S.C. 216(b)); 2-year look-back, 3 "
            "years if willful (29 U.S.C. 255(a))."
        ),
    }
    rate = answers.get("hourly_rate")
    hours = answers["hours_per_week"]
    if answers.get("weeks_worked") is not None:
        weeks = Decimal(str(answers["weeks_worked"]))
        weeks_note = "weeks_worked as answered"
    else:
        weeks = (Decimal(str(answers["duration_months"])) * 52 / 12).quantize(CENT, rounding=ROUND_HALF_UP)
        weeks_note = "duration_months x 52 / 12 (weeks_worked not answered)"
    convention = answers.get("overtime_hours_paid")
    convention_note = (
        "as answered"
        if convention is not None
        else "assumed: the rate was paid for every hour (straight time)"
    )
    convention = convention or "straight_time"
    notes = [
        "Convention: a misclassified contractor paid straight time for every hour is owed the half-time "
        "premium (0.5 x rate x hours over 40); if hours over 40 were not paid, the full 1.5 x rate is owed.",
        "Assumes the engagement runs up to the as-of date; weeks beyond a look-back window are excluded.",
        "Liquidated damages can be reduced if the employer shows good faith and reasonable grounds (29 "
        f"U.S.C. 260) {UNVERIFIED}.",
        "Civil money penalties for repeated or willful violations (29 CFR 578.3) are not included; amounts "
        f"{UNVERIFIED}.",
        "State overtime rules (e.g. California daily overtime) are not included.",
    ]
    if rate is None:
        flsa.update({"computed": False, "reason": "hourly_rate not answered", "notes": notes})
    else:
        flsa.update(
            {
                "computed": True,
                "inputs": {
                    "hourly_rate": _money(Decimal(str(rate))),
                    "hours_per_week": hours,
                    "weeks": _plain(weeks),
                    "weeks_source": weeks_note,
                    "convention": convention,
                    "convention_source": convention_note,
                },
                **flsa_overtime_estimate(rate, hours, weeks, convention),
            }
        )
        if Decimal(str(rate)) >= COMPUTER_EXEMPT_HOURLY:
            notes.append(
                "At this rate the FLSA computer-employee exemption (29 U.S.C. 213(a)(17); 29 CFR 541.400; "
                f"$27.63/hour or a $684/week salary {UNVERIFIED}) may apply if the primary duties qualify — "
                "then no FLSA overtime is owed and this figure is 0. Many AI/ML engineering roles may "
                "qualify; check the duties."
            )
        flsa["notes"] = notes
    ca = None
    if answers.get("work_state") == "CA":
        ca = {
            "label": f"California Labor Code §226.8 civil penalties — {ESTIMATE_LABEL}",
            "willful_per_violation": {"min": "5000.00", "max": "15000.00"},
            "pattern_or_practice_per_violation": {"min": "10000.00", "max": "25000.00"},
            "notes": [
                "Only for willful misclassification (voluntary and knowing); the ranges are per violation "
                f"and how violations are counted is {UNVERIFIED}.",
                "In addition: unpaid wages, expense reimbursement and wage-statement penalties; a one-year "
                f"public notice; possible advisor liability under §2753 {UNVERIFIED}. The California "
                "computer-professional overtime exemption (Lab. Code §515.5) has its own hourly minimum "
                f"{UNVERIFIED}.",
            ],
        }
    payroll = {
        "label": f"Employer payroll-tax exposure — qualitative, {ESTIMATE_LABEL}",
        "notes": [
            "Employer FICA 7.65% stays fully due (6.2% Social Security up to the wage base, $184,500 in "
            "2026, plus 1.45% Medicare), plus FUTA (0.6% of the first $7,000; more in credit-reduction "
            "states such as California) and state unemployment tax.",
            "IRC §3509 reduced rates when the worker was not treated as an employee: income-tax "
            "withholding 1.5% of wages and 20% of the employee's FICA; 3% and 40% if the Forms 1099 were "
            "not filed; unavailable for intentional disregard (§3509(c)).",
            "Section 530 relief can remove federal employment-tax liability with a reasonable basis, "
            "substantive consistency and reporting consistency (1099s filed).",
            "Voluntary Classification Settlement Program: pay 10% of the employment tax for the most "
            "recent tax year at §3509(a) rates, in exchange for no interest, penalties or audit of prior "
            "years for those workers.",
        ],
    }
    state_notes = {
        "MA": (
            "Massachusetts: wage violations carry mandatory treble damages plus attorney's fees (c.149 §150)."
        ),
        "NJ": (
            "New Jersey: wage-law remedies and administrative misclassification penalties apply "
            f"{UNVERIFIED}."
        ),
        "IL": f"Illinois: IWPCA claims add statutory damages on unpaid amounts {UNVERIFIED}; the UI Act adds "
        "unpaid contributions.",
    }
    state = answers.get("work_state")
    extra = (state_notes[state],) if state in state_notes else ()
    return Exposure(flsa, ca, payroll, extra)


# --------------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class ClassificationResult:
    engine_version: str
    as_of: date
    inputs_digest: str
    answers: dict[str, Any]
    regimes: tuple[RegimeResult, ...]
    regime_notes: tuple[str, ...]
    risk: Risk
    vehicle: Vehicle
    changes: tuple[Change, ...]
    unanswered: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    exposure: Exposure
    disclaimer: str = DISCLAIMER

    def regime(self, rule_set_id: str) -> RegimeResult:
        for r in self.regimes:
            if r.rule_set.id == rule_set_id:
                return r
        raise KeyError(rule_set_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "as_of": self.as_of.isoformat(),
            "inputs_digest": self.inputs_digest,
            "answers": self.answers,
            "work_state": self.answers.get("work_state"),
            "regimes": [r.as_dict() for r in self.regimes],
            "regime_notes": list(self.regime_notes),
            "risk": self.risk.as_dict(),
            "vehicle": self.vehicle.as_dict(),
            "what_would_change": [c.as_dict() for c in self.changes],
            "unanswered": list(self.unanswered),
            "reevaluation_triggers": [t.as_dict() for t in self.triggers],
            "exposure": self.exposure.as_dict(),
            "disclaimer": self.disclaimer,
        }


def inputs_digest(answers: Mapping[str, Any], as_of: date, rule_sets: list[RuleSet]) -> str:
    """sha256 of the canonical JSON of the normalised answers, `as_of` and the rule-set versions."""
    canonical = json.dumps(
        {
            "answers": normalize_answers(answers),
            "as_of": as_of.isoformat(),
            "rule_sets": {r.id: r.version for r in rule_sets},
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def classify(answers: Mapping[str, Any], *, as_of: date) -> ClassificationResult:
    """Classify one engagement. Raises `ClassificationInputError` (with every problem) on bad answers."""
    errors = validate_answers(answers)
    if errors:
        raise ClassificationInputError(errors)
    clean = normalize_answers(answers)
    rule_sets, notes = select_rule_sets(clean["work_state"], as_of)
    regimes = [evaluate_regime(r, clean) for r in rule_sets]
    risk = assess_risk(regimes, clean)
    read = set().union(*(r.reads() for r in rule_sets)) if rule_sets else set()
    unanswered = tuple(q.id for q in QUESTIONS if q.id in read and q.id not in clean)
    return ClassificationResult(
        engine_version=ENGINE_VERSION,
        as_of=as_of,
        inputs_digest=inputs_digest(clean, as_of, rule_sets),
        answers=clean,
        regimes=tuple(regimes),
        regime_notes=tuple(notes),
        risk=risk,
        vehicle=recommend_vehicle(risk, regimes, clean),
        changes=tuple(what_would_change(regimes)),
        unanswered=unanswered,
        triggers=tuple(reevaluation_triggers(clean, regimes)),
        exposure=estimate_exposure(clean),
    )
