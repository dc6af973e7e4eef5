"""Building blocks for worker-classification rule sets (pure Python, no Django).

A rule set (`RuleSet`) is one legal test in one version: its citation, effective dates, legal status and
its factors. A `Factor` reads named questionnaire answers and returns a `FactorResult`: a direction
("employee", "contractor" or "neutral"), the facts it relied on, its citation and an explanation in words.
Nothing here produces a single score; the engine (`cadre.compliance.classification`) describes how the
factors lean.

Conventions, stated once:

* A factor weighs indicators. Each answered question a factor reads becomes one indicator (a `Fact`) with
  a direction; by default the factor points the way most indicators point, and is "neutral" on a tie.
  This is Cadre's reading aid, not a legal weighting; ABC prongs and exemption criteria use their own
  all-or-nothing rules (see `abc_common`).
* An unanswered question is never guessed: a factor with no answered question is "neutral" and says
  "not answered".
* `[unverified]` marks anything the research notes (compliance.md, 2026-11-26) flag as recalled or still
  to verify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Direction = Literal["employee", "contractor", "neutral"]
EMPLOYEE: Direction = "employee"
CONTRACTOR: Direction = "contractor"
NEUTRAL: Direction = "neutral"
DIRECTIONS: tuple[Direction, ...] = (EMPLOYEE, CONTRACTOR, NEUTRAL)

# Legal status of a rule set or instrument.
IN_FORCE = "in force"
PROPOSED = "proposed"
PROPOSED_PAUSED = "proposed (paused)"
ENFORCEMENT_POSITION = "enforcement position"
RESCINDED = "rescinded"
SUPERSEDED = "superseded"
STATUSES = (IN_FORCE, PROPOSED, PROPOSED_PAUSED, ENFORCEMENT_POSITION, RESCINDED, SUPERSEDED)

# Kind of test, which decides how the engine reads the factors together.
TOTALITY = "totality"  # economic reality: no factor decisive
CORE_FACTORS = "core_factors"  # two core factors; both alike -> "substantial likelihood"
COMMON_LAW = "common_law"  # IRS right-to-control, three categories
ABC = "abc"  # every prong must be met

UNVERIFIED = "[unverified]"

Answers = Mapping[str, Any]


def opposite(direction: Direction) -> Direction:
    if direction == EMPLOYEE:
        return CONTRACTOR
    if direction == CONTRACTOR:
        return EMPLOYEE
    return NEUTRAL


# --------------------------------------------------------------------------------------------------
# How each answer reads as a fact. Rule modules use these so the same answer is worded the same way in
# every regime, and "what would change the answer" can quote the alternative fact.

FACT_TEXT: dict[str, dict[Any, str]] = {
    "contracting_party": {
        "agency": "the agency contracts with and pays the worker and places them with the client",
        "client": "the client contracts with the worker directly (the agency only introduced them)",
    },
    "usual_course_of_business": {
        "integral": "the work is central to the client's business (e.g. its core product)",
        "usual_course": "the work is part of the client's usual course of business, though not its core",
        "outside": "the work is outside the client's usual course of business",
    },
    "embedded_in_team": {
        True: "the worker works as part of a client team (shared sprints and deliverables)",
        False: "the worker delivers a separate piece of work, not as part of a client team",
    },
    "serves_client_customers": {
        True: "the worker serves the client's customers",
        False: "the worker serves the client itself, not its customers",
    },
    "indefinite": {
        True: "the engagement is open-ended, with no defined end or deliverable",
        False: "the engagement has a defined end or deliverable",
    },
    "worked_for_client_as_employee": {
        True: "the worker was previously the client's employee doing similar work",
        False: "the worker was never the client's employee",
    },
    "controls_how": {
        "client": "the client directs how the work is done",
        "shared": "the client and the worker decide together how the work is done",
        "worker": "the worker decides how the work is done (the client sets only the results wanted)",
    },
    "set_hours": {
        True: "the client sets the worker's hours or schedule",
        False: "the worker sets their own hours",
    },
    "location_set_by": {
        "client": "the client decides where the work is done",
        "worker": "the worker decides where to work",
    },
    "work_location": {
        "client_site": "the work is done at the client's site",
        "hybrid": "the work is split between the client's site and elsewhere",
        "remote_own_premises": "the work is done remotely from the worker's own premises",
    },
    "supervised": {
        True: "the worker is supervised day to day (a manager, stand-ups, reviews or monitoring)",
        False: "the worker is not supervised day to day",
    },
    "training_by_client": {
        True: "the client trains the worker in its own methods",
        False: "the client gives no training in its methods",
    },
    "reports_required": {
        True: "the worker must give regular progress reports or timesheets",
        False: "no regular reports are required beyond the deliverables",
    },
    "services_personally": {
        True: "the worker must do the work personally (no substitutes)",
        False: "the worker may send a substitute or delegate the work",
    },
    "can_hire_helpers": {
        True: "the worker can hire and pay their own helpers",
        False: "the worker cannot hire helpers",
    },
    "tools_provided_by": {
        "client": "the client provides the tools and equipment (laptop, accounts, compute)",
        "mixed": "the tools and equipment come from both the client and the worker",
        "worker": "the worker provides their own tools and equipment",
    },
    "worker_investment": {
        "none": "the worker has made no capital or entrepreneurial investment",
        "minor": "the worker has made only a minor business investment",
        "significant": "the worker has made a significant capital or entrepreneurial investment",
    },
    "profit_loss_opportunity": {
        True: "the worker can make or lose money through business decisions (pricing, bids, helpers)",
        False: "the worker can earn more only by working more hours",
    },
    "negotiates_rate": {
        True: "the worker sets or negotiates their own rate",
        False: "the rate is set by the client or the agency",
    },
    "business_expenses_reimbursed": {
        True: "the client or agency reimburses the worker's business expenses",
        False: "the worker bears their own business expenses",
    },
    "payment_basis": {
        "hourly": "the worker is paid by the hour",
        "salary": "the worker is paid a weekly or monthly amount",
        "project": "the worker is paid a fixed fee for the project",
        "milestone": "the worker is paid per milestone or deliverable",
    },
    "exclusive_to_client": {
        True: "the worker is restricted from working for others during the engagement",
        False: "the worker is free to work for others, including competitors",
    },
    "multiple_clients": {
        True: "the worker has other clients for the same kind of work",
        False: "the worker has no other clients for this kind of work",
    },
    "business_entity": {
        "none": "the worker has no business entity",
        "sole_proprietor": "the worker operates as a registered sole proprietor",
        "llc": "the worker operates through their own LLC",
        "corporation": "the worker operates through their own corporation",
    },
    "has_ein": {
        True: "the worker's business has its own EIN",
        False: "the worker's business has no EIN",
    },
    "entity_payroll": {
        True: "the worker's company employs them on its own payroll",
        False: "the worker's company does not put them on its own payroll",
    },
    "business_license": {
        True: "the worker holds the business licence or tax registration required where the work is done",
        False: "the worker lacks a required business licence or tax registration",
    },
    "separate_business_location": {
        True: "the worker keeps a business location separate from the client's (it may be their home)",
        False: "the worker has no business location separate from the client's",
    },
    "markets_to_public": {
        True: "the worker advertises and offers the services to the public",
        False: "the worker does not market the services to the public",
    },
    "own_website": {
        True: "the worker has their own business website",
        False: "the worker has no business website",
    },
    "own_insurance": {
        True: "the worker carries their own business insurance",
        False: "the worker carries no business insurance",
    },
    "benefits_provided": {
        True: "the client or agency provides employee-type benefits (health cover, paid leave, retirement)",
        False: "no employee-type benefits are provided",
    },
    "terminate_at_will": {
        True: "the client can end the engagement at any time without liability",
        False: "the engagement ends only under the contract's terms (completion, notice or breach)",
    },
    "specialized_skills": {
        True: "the work needs specialised skills",
        False: "the work does not need specialised skills",
    },
    "business_initiative": {
        True: "the worker uses their skills with business-like initiative (bidding, choosing projects)",
        False: "the worker shows no business-like initiative beyond doing the work",
    },
    "written_contract": {
        True: "a written contract sets out the services, the rate and when payment is due",
        False: "no written contract sets out the services, the rate and when payment is due",
    },
    "requires_contractor_license": {
        True: "the work requires a Contractors State License Board licence",
        False: "the work does not require a Contractors State License Board licence",
    },
    "independent_judgment": {
        True: "the worker customarily exercises discretion and independent judgment in the work",
        False: "the worker follows set procedures without independent judgment",
    },
    "professional_service_category": {
        "none": "the work is in none of the §2778 professional-services categories",
        "marketing": "the work is original, creative marketing (§2778 category)",
        "hr_administration": "the work is human-resources administration (§2778 category)",
        "graphic_design": "the work is graphic design (§2778 category)",
        "grant_writing": "the work is grant writing (§2778 category)",
        "fine_art": "the work is fine art (§2778 category)",
        "enrolled_agent": "the work is enrolled-agent tax work (§2778 category)",
        "writing_editing_translation": (
            "the work is freelance writing, editing or translation (§2778 category)"
        ),
        "still_photography": "the work is still photography or photo editing (§2778 category)",
        "other_listed": "the work is in another category listed in §2778",
    },
}


def fact_text(question: str, answer: Any) -> str:
    """The fact an answer states, in words (numbers and free text are quoted as given)."""
    texts = FACT_TEXT.get(question)
    if texts is not None and answer in texts:
        return texts[answer]
    if question == "duration_months":
        return f"the engagement runs {answer:g} months"
    if question == "hours_per_week":
        return f"the worker works {answer:g} hours a week"
    return f"{question} = {answer!r}"


# --------------------------------------------------------------------------------------------------
# Facts and the collector factors use to record them.


@dataclass(frozen=True)
class Fact:
    """One answer a factor relied on, what it says, which way it points, and the fact that would point
    the other way (empty when there is none)."""

    question: str
    answer: Any
    text: str
    direction: Direction
    change: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "fact": self.text,
            "points_to": self.direction,
        }


@dataclass(frozen=True)
class Decision:
    """A factor's own verdict when it is not a simple majority of its indicators."""

    direction: Direction
    summary: str


class Signals:
    """Collects the facts one factor reads from the answers. Reading a question the factor did not
    declare in `reads` is a programming error and raises."""

    def __init__(self, answers: Answers, reads: Iterable[str]):
        self.answers = answers
        self.reads = frozenset(reads)
        self.facts: list[Fact] = []
        self.notes: list[str] = []

    def _check(self, question: str) -> None:
        if question not in self.reads:
            raise KeyError(f"factor reads {question!r} without declaring it in `reads`")

    def answered(self, question: str) -> bool:
        self._check(question)
        return self.answers.get(question) is not None

    def value(self, question: str) -> Any:
        self._check(question)
        return self.answers.get(question)

    def _add(
        self, question: str, answer: Any, direction: Direction, change: str = "", text: str = ""
    ) -> Fact:
        fact = Fact(question, answer, text or fact_text(question, answer), direction, change)
        self.facts.append(fact)
        return fact

    def flag(self, question: str, yes: Direction, no: Direction | None = None) -> Fact | None:
        """A yes/no question: True points `yes`, False points `no` (default: the opposite of `yes`)."""
        if not self.answered(question):
            return None
        no = opposite(yes) if no is None else no
        answer = bool(self.answers[question])
        direction = yes if answer else no
        other = no if answer else yes
        change = fact_text(question, not answer) if other not in (direction, NEUTRAL) else ""
        return self._add(question, answer, direction, change)

    def pick(self, question: str, directions: Mapping[str, Direction]) -> Fact | None:
        """A choice question: each choice points a direction; the change is the first choice (in the
        mapping's order) pointing the opposite way."""
        if not self.answered(question):
            return None
        answer = self.answers[question]
        direction = directions.get(answer, NEUTRAL)
        change = ""
        if direction != NEUTRAL:
            for choice, other in directions.items():
                if other == opposite(direction):
                    change = fact_text(question, choice)
                    break
        return self._add(question, answer, direction, change)

    def number(self, question: str, judge: Callable[[float], tuple[Direction, str, str]]) -> Fact | None:
        """A number question: `judge(value)` returns (direction, fact text, change text)."""
        if not self.answered(question):
            return None
        answer = self.answers[question]
        direction, text, change = judge(float(answer))
        return self._add(question, answer, direction, change, text=text)

    def fact(self, question: str, direction: Direction, text: str = "", change: str = "") -> Fact | None:
        """Record an answered question with a direction the factor decided itself."""
        if not self.answered(question):
            return None
        return self._add(question, self.answers[question], direction, change, text=text)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def count(self, direction: Direction) -> int:
        return sum(1 for f in self.facts if f.direction == direction)

    def majority(self) -> Decision:
        emp, con = self.count(EMPLOYEE), self.count(CONTRACTOR)
        total = len(self.facts)
        if emp > con:
            return Decision(
                EMPLOYEE, f"points to employee ({emp} of {total} indicators; {con} to contractor)"
            )
        if con > emp:
            return Decision(
                CONTRACTOR, f"points to contractor ({con} of {total} indicators; {emp} to employee)"
            )
        if emp == 0:
            return Decision(NEUTRAL, f"neutral: none of the {total} answered indicators points either way")
        return Decision(NEUTRAL, f"neutral: the indicators are balanced ({emp} employee, {con} contractor)")


def not_answered_text(questions: Iterable[str]) -> str:
    return "not answered: " + ", ".join(questions)


# --------------------------------------------------------------------------------------------------
# Factors


@dataclass(frozen=True)
class FactorResult:
    factor: str
    name: str
    direction: Direction
    weight_note: str
    facts_relied_on: tuple[Fact, ...]
    citation: str
    explanation: str
    group: str = ""
    not_answered: tuple[str, ...] = ()
    unverified: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "name": self.name,
            "group": self.group,
            "direction": self.direction,
            "weight_note": self.weight_note,
            "facts_relied_on": [f.as_dict() for f in self.facts_relied_on],
            "citation": self.citation,
            "explanation": self.explanation,
            "not_answered": list(self.not_answered),
            "unverified": self.unverified,
        }


Weigh = Callable[[Signals], Decision | None]


@dataclass(frozen=True)
class Factor:
    """One factor of a test. `weigh` records facts on the `Signals` it is given and may return its own
    `Decision`; when it returns None the factor points the way most of its facts point."""

    id: str
    name: str
    citation: str
    reads: tuple[str, ...]
    weigh: Weigh
    weight_note: str = ""
    group: str = ""
    unverified: str = ""

    def evaluate(self, answers: Answers) -> FactorResult:
        signals = Signals(answers, self.reads)
        missing = tuple(q for q in self.reads if answers.get(q) is None)
        decision = self.weigh(signals)
        if not signals.facts and decision is None:
            explanation = f"Neutral: {not_answered_text(missing)} — no facts to weigh."
            if signals.notes:
                explanation += " " + " ".join(signals.notes)
            return self._result(NEUTRAL, (), explanation, missing)
        if decision is None:
            decision = signals.majority()
        parts = [decision.summary[:1].upper() + decision.summary[1:] + "."]
        if signals.facts:
            parts.append("Facts: " + "; ".join(f.text for f in signals.facts) + ".")
        if missing:
            parts.append("Questions " + not_answered_text(missing) + ".")
        parts.extend(signals.notes)
        return self._result(decision.direction, tuple(signals.facts), " ".join(parts), missing)

    def _result(
        self, direction: Direction, facts: tuple[Fact, ...], explanation: str, missing: tuple[str, ...]
    ) -> FactorResult:
        return FactorResult(
            factor=self.id,
            name=self.name,
            direction=direction,
            weight_note=self.weight_note,
            facts_relied_on=facts,
            citation=self.citation,
            explanation=explanation,
            group=self.group,
            not_answered=missing,
            unverified=self.unverified,
        )


# --------------------------------------------------------------------------------------------------
# Statutory exemptions (checked before an ABC test where the statute says so)

Test = Callable[[Signals], bool | None]

MET = "met"
NOT_MET = "not met"
NOT_SHOWN = "not answered"


@dataclass(frozen=True)
class CriterionResult:
    id: str
    text: str
    status: str  # MET, NOT_MET or NOT_SHOWN
    facts: tuple[Fact, ...]
    citation: str
    explanation: str
    unverified: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "facts_relied_on": [f.as_dict() for f in self.facts],
            "citation": self.citation,
            "explanation": self.explanation,
            "unverified": self.unverified,
        }


@dataclass(frozen=True)
class Criterion:
    """One condition of an exemption. `test` records facts and returns True (met), False (not met) or
    None (not shown: the hiring business carries the burden, so an unanswered criterion is not met)."""

    id: str
    text: str
    citation: str
    reads: tuple[str, ...]
    test: Test
    unverified: str = ""

    def evaluate(self, answers: Answers) -> CriterionResult:
        signals = Signals(answers, self.reads)
        outcome = self.test(signals)
        missing = [q for q in self.reads if answers.get(q) is None]
        if outcome is True:
            status, summary = MET, "Met"
        elif outcome is False:
            status, summary = NOT_MET, "Not met"
        else:
            status, summary = NOT_SHOWN, "Not shown"
        parts = [summary + "."]
        if signals.facts:
            parts.append("Facts: " + "; ".join(f.text for f in signals.facts) + ".")
        if outcome is None and missing:
            parts.append("Questions " + not_answered_text(missing) + ".")
        parts.extend(signals.notes)
        return CriterionResult(
            self.id, self.text, status, tuple(signals.facts), self.citation, " ".join(parts), self.unverified
        )


@dataclass(frozen=True)
class ExemptionResult:
    id: str
    name: str
    citation: str
    status: str  # "applies", "not established" or "not applicable"
    explanation: str
    routes_to: str
    criteria: tuple[CriterionResult, ...]
    unverified: str = ""

    @property
    def applies(self) -> bool:
        return self.status == "applies"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "citation": self.citation,
            "status": self.status,
            "applies": self.applies,
            "explanation": self.explanation,
            "routes_to": self.routes_to,
            "criteria": [c.as_dict() for c in self.criteria],
            "unverified": self.unverified,
        }


@dataclass(frozen=True)
class Exemption:
    """An exemption that takes a relationship out of the ABC test when every criterion is demonstrated.
    `in_scope` decides whether the exemption can apply at all (e.g. the worker is a business, or the
    work is in a listed category): True, False, or None when the answer is missing."""

    id: str
    name: str
    citation: str
    routes_to: str
    scope_text: str
    scope_reads: tuple[str, ...]
    in_scope: Callable[[Answers], bool | None]
    criteria: tuple[Criterion, ...]
    unverified: str = ""

    def evaluate(self, answers: Answers) -> ExemptionResult:
        scope = self.in_scope(answers)
        if scope is not True:
            why = (
                f"not applicable: {self.scope_text}"
                if scope is False
                else f"not established: {not_answered_text(self.scope_reads)} ({self.scope_text})"
            )
            status = "not applicable" if scope is False else "not established"
            return ExemptionResult(self.id, self.name, self.citation, status, why, self.routes_to, ())
        results = tuple(c.evaluate(answers) for c in self.criteria)
        failing = [r for r in results if r.status != MET]
        if not failing:
            explanation = (
                f"applies: all {len(results)} criteria are demonstrated, so status is decided under "
                f"{self.routes_to} instead of the ABC test"
            )
            status = "applies"
        else:
            listed = "; ".join(f"{r.id} ({r.status})" for r in failing)
            verb = "is" if len(failing) == 1 else "are"
            explanation = (
                f"not established: the hiring business must demonstrate all {len(results)} criteria and "
                f"{len(failing)} {verb} not demonstrated: {listed}"
            )
            status = "not established"
        return ExemptionResult(
            self.id, self.name, self.citation, status, explanation, self.routes_to, results, self.unverified
        )


# --------------------------------------------------------------------------------------------------
# Rule sets and the registry


@dataclass(frozen=True)
class Instrument:
    """A related legal instrument and its own status (e.g. a rescinded rule, a bulletin, a proposal)."""

    name: str
    citation: str
    dated: date | None
    status: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "citation": self.citation,
            "date": self.dated.isoformat() if self.dated else None,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    version: str
    citation: str
    effective_from: date
    effective_to: date | None
    status: str
    status_note: str
    jurisdiction: str  # "US" or "US-CA", "US-MA", ...
    factors: tuple[Factor, ...]
    test: str  # TOTALITY, CORE_FACTORS, COMMON_LAW or ABC
    applies_to: str = ""
    dates_note: str = ""
    exemptions: tuple[Exemption, ...] = ()
    # When an exemption applies, status is decided by this other test instead (e.g. Borello).
    fallback_name: str = ""
    fallback_citation: str = ""
    fallback_factors: tuple[Factor, ...] = ()
    history: tuple[Instrument, ...] = ()
    unverified: tuple[str, ...] = ()
    watch_for: tuple[str, ...] = ()  # pending legal changes that should trigger a re-evaluation
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.id}: unknown status {self.status!r}")
        if self.test not in (TOTALITY, CORE_FACTORS, COMMON_LAW, ABC):
            raise ValueError(f"{self.id}: unknown test kind {self.test!r}")
        ids = [f.id for f in (*self.factors, *self.fallback_factors)]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: duplicate factor ids")

    @property
    def state(self) -> str | None:
        """The two-letter state of a state rule set, None for federal ones."""
        return self.jurisdiction.split("-", 1)[1] if "-" in self.jurisdiction else None

    def in_effect(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def reads(self) -> frozenset[str]:
        questions: set[str] = set()
        for factor in (*self.factors, *self.fallback_factors):
            questions.update(factor.reads)
        for exemption in self.exemptions:
            questions.update(exemption.scope_reads)
            for criterion in exemption.criteria:
                questions.update(criterion.reads)
        return frozenset(questions)

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "citation": self.citation,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "dates_note": self.dates_note,
            "status": self.status,
            "status_note": self.status_note,
            "jurisdiction": self.jurisdiction,
            "test": self.test,
            "applies_to": self.applies_to,
            "history": [i.as_dict() for i in self.history],
            "unverified": list(self.unverified),
            "watch_for": list(self.watch_for),
        }


@dataclass
class Registry:
    """Every rule set Cadre ships, by id."""

    rule_sets: dict[str, RuleSet] = field(default_factory=dict)

    def register(self, rule_set: RuleSet) -> RuleSet:
        if rule_set.id in self.rule_sets:
            raise ValueError(f"rule set {rule_set.id!r} is registered twice")
        self.rule_sets[rule_set.id] = rule_set
        return rule_set

    def get(self, rule_set_id: str) -> RuleSet:
        return self.rule_sets[rule_set_id]

    def all(self) -> list[RuleSet]:
        return list(self.rule_sets.values())

    def federal(self) -> list[RuleSet]:
        return [r for r in self.rule_sets.values() if r.state is None]

    def for_state(self, state: str) -> list[RuleSet]:
        return [r for r in self.rule_sets.values() if r.state == state.upper()]

    def states(self) -> list[str]:
        return sorted({r.state for r in self.rule_sets.values() if r.state})

    def listing(self) -> list[dict[str, Any]]:
        return [r.metadata() for r in self.rule_sets.values()]
