"""IRS common-law test for employment taxes: the right to direct and control.

Treas. Reg. §31.3121(d)-1(c) states the common-law rule; Rev. Rul. 87-41 lists twenty factors, which the
IRS now groups into three categories — behavioral control, financial control and the relationship of the
parties. Below, the twenty factors are grouped into fourteen factors, each naming the Rev. Rul. 87-41
factor numbers it covers; every one of the twenty is covered once. No single factor decides and the
relevance of each depends on the occupation.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.base import (
    COMMON_LAW,
    CONTRACTOR,
    EMPLOYEE,
    IN_FORCE,
    NEUTRAL,
    UNVERIFIED,
    Direction,
    Factor,
    Instrument,
    RuleSet,
    Signals,
    Weigh,
)
from cadre.compliance.rules.flsa_2024 import permanence_months

RR = "Rev. Rul. 87-41, 1987-1 C.B. 296"
REG = "Treas. Reg. §31.3121(d)-1(c)(2)"
BEHAVIORAL = "Behavioral control"
FINANCIAL = "Financial control"
RELATIONSHIP = "Relationship of the parties"
WEIGHT = (
    "One of the grouped Rev. Rul. 87-41 factors; no single factor decides and relevance varies by occupation."
)

# Rev. Rul. 87-41's twenty factors, by number.
TWENTY_FACTORS = {
    1: "Instructions",
    2: "Training",
    3: "Integration",
    4: "Services rendered personally",
    5: "Hiring, supervising and paying assistants",
    6: "Continuing relationship",
    7: "Set hours of work",
    8: "Full time required",
    9: "Doing work on the employer's premises",
    10: "Order or sequence set",
    11: "Oral or written reports",
    12: "Payment by hour, week or month",
    13: "Payment of business and/or travel expenses",
    14: "Furnishing of tools and materials",
    15: "Significant investment",
    16: "Realization of profit or loss",
    17: "Working for more than one firm at a time",
    18: "Making service available to the general public",
    19: "Right to discharge",
    20: "Right to terminate",
}


def full_time(hours: float) -> tuple[Direction, str, str]:
    """Cadre's convention: 35+ hours a week reads as full time (employee); under 20 as not (contractor)."""
    text = f"the worker works {hours:g} hours a week"
    if hours >= 35:
        return EMPLOYEE, text + " (full time)", "the worker works well under full time"
    if hours < 20:
        return CONTRACTOR, text + " (well under full time)", "the worker works full time for the client"
    return NEUTRAL, text + " (part time)", ""


def _instructions(s: Signals) -> None:
    s.pick("controls_how", {"client": EMPLOYEE, "shared": NEUTRAL, "worker": CONTRACTOR})


def _training(s: Signals) -> None:
    s.flag("training_by_client", yes=EMPLOYEE)


def _personal_services(s: Signals) -> None:
    s.flag("services_personally", yes=EMPLOYEE)
    s.flag("can_hire_helpers", yes=CONTRACTOR)


def _time_and_place(s: Signals) -> None:
    s.flag("set_hours", yes=EMPLOYEE)
    s.number("hours_per_week", full_time)
    s.pick("work_location", {"client_site": EMPLOYEE, "hybrid": NEUTRAL, "remote_own_premises": CONTRACTOR})


def _reports(s: Signals) -> None:
    s.flag("reports_required", yes=EMPLOYEE)
    s.flag("supervised", yes=EMPLOYEE)


def _tools_investment(s: Signals) -> None:
    s.pick("tools_provided_by", {"client": EMPLOYEE, "mixed": NEUTRAL, "worker": CONTRACTOR})
    s.pick("worker_investment", {"none": EMPLOYEE, "minor": NEUTRAL, "significant": CONTRACTOR})


def _expenses(s: Signals) -> None:
    s.flag("business_expenses_reimbursed", yes=EMPLOYEE)


def _profit_loss(s: Signals) -> None:
    s.flag("profit_loss_opportunity", yes=CONTRACTOR)
    s.flag("negotiates_rate", yes=CONTRACTOR)


def _market(s: Signals) -> None:
    s.flag("multiple_clients", yes=CONTRACTOR)
    s.flag("markets_to_public", yes=CONTRACTOR)
    s.flag("own_website", yes=CONTRACTOR, no=NEUTRAL)


def _payment(s: Signals) -> None:
    s.pick(
        "payment_basis",
        {"hourly": EMPLOYEE, "salary": EMPLOYEE, "project": CONTRACTOR, "milestone": CONTRACTOR},
    )
    s.note("Hourly billing is common among genuine contractors too; this factor is weak on its own.")


def _contract(s: Signals) -> None:
    s.flag("written_contract", yes=CONTRACTOR, no=NEUTRAL)
    s.note("A contract calling the worker a contractor is not enough if the facts show control.")


def _benefits(s: Signals) -> None:
    s.flag("benefits_provided", yes=EMPLOYEE)


def _continuing(s: Signals) -> None:
    s.flag("indefinite", yes=EMPLOYEE)
    s.number("duration_months", permanence_months)
    s.flag("worked_for_client_as_employee", yes=EMPLOYEE, no=NEUTRAL)


def _key_activity(s: Signals) -> None:
    s.pick(
        "usual_course_of_business", {"integral": EMPLOYEE, "usual_course": EMPLOYEE, "outside": CONTRACTOR}
    )
    if s.value("contracting_party") == "agency":
        s.fact(
            "contracting_party",
            EMPLOYEE,
            text=(
                "the agency contracts the worker, and supplying this work to clients is the agency's business"
            ),
            change="the client contracts with the worker directly (the agency only introduced them)",
        )


def _termination(s: Signals) -> None:
    s.flag("terminate_at_will", yes=EMPLOYEE)


# Which of Rev. Rul. 87-41's twenty factors each grouped factor covers (every number appears once).
COVERS: dict[str, tuple[int, ...]] = {}


def _factor(
    id: str,
    name: str,
    covers: tuple[int, ...],
    group: str,
    reads: tuple[str, ...],
    weigh: Weigh,
    extra: str = "",
) -> Factor:
    COVERS[id] = covers
    if covers:
        listed = "; ".join(TWENTY_FACTORS[n] for n in covers)
        plural = "s" if len(covers) > 1 else ""
        numbers = ", ".join(str(n) for n in covers)
        citation, note, unverified = f"Rev. Rul. 87-41, factor{plural} {numbers} ({listed})", WEIGHT, ""
    else:
        citation = "IRS Publication 15-A, relationship of the parties"
        note = "IRS relationship-of-the-parties factor (not one of Rev. Rul. 87-41's twenty)."
        unverified = f"Publication 15-A as the source of this factor {UNVERIFIED}"
    return Factor(
        id=id,
        name=name,
        citation=citation,
        reads=reads,
        weigh=weigh,
        weight_note=note + (" " + extra if extra else ""),
        group=group,
        unverified=unverified,
    )


FACTORS = (
    _factor(
        "instructions",
        "Instructions, order and sequence",
        (1, 10),
        BEHAVIORAL,
        ("controls_how",),
        _instructions,
    ),
    _factor("training", "Training", (2,), BEHAVIORAL, ("training_by_client",), _training),
    _factor(
        "personal_services",
        "Services rendered personally; hiring and paying assistants",
        (4, 5),
        BEHAVIORAL,
        ("services_personally", "can_hire_helpers"),
        _personal_services,
    ),
    _factor(
        "time_and_place",
        "Set hours, full time required, work on the premises",
        (7, 8, 9),
        BEHAVIORAL,
        ("set_hours", "hours_per_week", "work_location"),
        _time_and_place,
        "Cadre's convention: 35+ hours a week reads as full time, under 20 as well under it.",
    ),
    _factor(
        "reports_evaluation",
        "Reports and evaluation of how the work is done",
        (11,),
        BEHAVIORAL,
        ("reports_required", "supervised"),
        _reports,
    ),
    _factor(
        "tools_investment",
        "Tools, materials and significant investment",
        (14, 15),
        FINANCIAL,
        ("tools_provided_by", "worker_investment"),
        _tools_investment,
    ),
    _factor(
        "expenses",
        "Unreimbursed business expenses",
        (13,),
        FINANCIAL,
        ("business_expenses_reimbursed",),
        _expenses,
    ),
    _factor(
        "profit_loss",
        "Opportunity for profit or loss",
        (16,),
        FINANCIAL,
        ("profit_loss_opportunity", "negotiates_rate"),
        _profit_loss,
    ),
    _factor(
        "market_availability",
        "Services available to the market; working for more than one firm",
        (17, 18),
        FINANCIAL,
        ("multiple_clients", "markets_to_public", "own_website"),
        _market,
    ),
    _factor("payment_method", "Method of payment", (12,), FINANCIAL, ("payment_basis",), _payment),
    _factor(
        "written_contract",
        "Written contract describing the relationship",
        (),
        RELATIONSHIP,
        ("written_contract",),
        _contract,
    ),
    _factor("benefits", "Employee-type benefits", (), RELATIONSHIP, ("benefits_provided",), _benefits),
    _factor(
        "permanency",
        "Continuing relationship (permanency)",
        (6,),
        RELATIONSHIP,
        ("indefinite", "duration_months", "worked_for_client_as_employee"),
        _continuing,
    ),
    _factor(
        "key_activity",
        "Services are a key activity of the business (integration)",
        (3,),
        RELATIONSHIP,
        ("usual_course_of_business", "contracting_party"),
        _key_activity,
    ),
    _factor(
        "termination",
        "Right to discharge and right to terminate",
        (19, 20),
        RELATIONSHIP,
        ("terminate_at_will",),
        _termination,
    ),
)

RULE_SET = RuleSet(
    id="irs_common_law",
    name="IRS common-law control test (behavioral, financial, relationship; Rev. Rul. 87-41)",
    version="1987.r1",
    citation=f"{REG}; {RR} (twenty factors); Form SS-8",
    effective_from=date(1987, 1, 1),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "In force. The IRS groups the factors into behavioral control, financial control and the "
        "relationship of the parties. Either party may ask the IRS for a determination on Form SS-8."
    ),
    jurisdiction="US",
    factors=FACTORS,
    test=COMMON_LAW,
    applies_to="Federal employment taxes (FICA, FUTA, income-tax withholding)",
    dates_note=(
        f"Rev. Rul. 87-41 dates from 1987; the day is a year-start placeholder {UNVERIFIED}. The common-law "
        "rule in the regulation predates it."
    ),
    history=(
        Instrument(
            "IRC §3509 reduced rates, Section 530 relief, Voluntary Classification Settlement Program",
            "26 U.S.C. 3509; Revenue Act of 1978 §530; Announcement 2012-45",
            None,
            IN_FORCE,
            "Relief and reduced rates when a worker is reclassified; see the exposure notes.",
        ),
    ),
    unverified=(
        f"Rev. Rul. 87-41 publication date (year only) {UNVERIFIED}.",
        f"Publication 15-A as the citation for the contract and benefits factors {UNVERIFIED}.",
    ),
    notes=("No single factor decides; the categories below summarise where the control lies.",),
)

GROUPS = (BEHAVIORAL, FINANCIAL, RELATIONSHIP)
