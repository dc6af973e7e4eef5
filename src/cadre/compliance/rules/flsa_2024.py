"""FLSA economic-reality test, 2024 final rule: six factors weighed in the totality of the circumstances.

89 FR 1638 (2024-01-10); 29 CFR 795.105-795.110; effective 2024-03-11. The rule is the law on the books
and what private plaintiffs argue; the DOL stopped applying it in its own investigations on 2025-05-01
(FAB 2025-1, see `flsa_core_factors`). The core question: is the worker economically dependent on the
potential employer for work, or in business for themselves? No factor has a predetermined weight and
actual practice counts more than what a contract allows on paper.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.base import (
    CONTRACTOR,
    EMPLOYEE,
    IN_FORCE,
    NEUTRAL,
    TOTALITY,
    UNVERIFIED,
    Decision,
    Direction,
    Factor,
    Instrument,
    RuleSet,
    Signals,
)

CFR = "29 CFR 795.110(b)"
WEIGHT = (
    "Weighed with the other factors in the totality of the circumstances; no factor has a predetermined "
    "weight or decides the outcome alone (29 CFR 795.110(a))."
)
NUMBERING = f"paragraph numbering of 795.110(b) as recalled {UNVERIFIED} (compliance.md §7 item 2)"


def permanence_months(months: float) -> tuple[Direction, str, str]:
    """Cadre's convention for the length of an engagement (not a legal threshold): over 12 months points
    to employee, 6 months or less to contractor, in between is neutral."""
    text = f"the engagement runs {months:g} months"
    if months > 12:
        return EMPLOYEE, text + " (more than 12)", "the engagement is limited to 12 months or less"
    if months <= 6:
        return (
            CONTRACTOR,
            text + " (6 or less, a definite project length)",
            "the engagement runs past 12 months",
        )
    return NEUTRAL, text + " (between 6 and 12)", ""


def _profit_loss(s: Signals) -> None:
    s.flag("profit_loss_opportunity", yes=CONTRACTOR)
    s.flag("negotiates_rate", yes=CONTRACTOR)
    s.flag("can_hire_helpers", yes=CONTRACTOR)
    s.flag("markets_to_public", yes=CONTRACTOR)


def _investment(s: Signals) -> None:
    s.pick("worker_investment", {"none": EMPLOYEE, "minor": NEUTRAL, "significant": CONTRACTOR})
    s.note(
        "Only capital or entrepreneurial investment counts; tools needed to do the job do not, and the "
        "worker's investment is compared with the potential employer's on a relative basis."
    )


def _permanence(s: Signals) -> None:
    s.flag("indefinite", yes=EMPLOYEE)
    s.number("duration_months", permanence_months)
    s.flag("exclusive_to_client", yes=EMPLOYEE)
    s.flag("worked_for_client_as_employee", yes=EMPLOYEE, no=NEUTRAL)


def _control(s: Signals) -> None:
    s.pick("controls_how", {"client": EMPLOYEE, "shared": NEUTRAL, "worker": CONTRACTOR})
    s.flag("set_hours", yes=EMPLOYEE)
    s.pick("location_set_by", {"client": EMPLOYEE, "worker": CONTRACTOR})
    s.flag("supervised", yes=EMPLOYEE)
    s.note(
        "Reserved control counts as well as control exercised; control exercised only to comply with "
        "specific legal obligations does not."
    )


def _integral(s: Signals) -> None:
    s.pick("usual_course_of_business", {"integral": EMPLOYEE, "usual_course": NEUTRAL, "outside": CONTRACTOR})
    if s.value("contracting_party") == "agency":
        s.fact(
            "contracting_party",
            EMPLOYEE,
            text=(
                "the agency contracts the worker, and supplying this work to clients is the agency's business"
            ),
            change="the client contracts with the worker directly (the agency only introduced them)",
        )


def _skill(s: Signals) -> Decision | None:
    skilled = s.value("specialized_skills")
    initiative = s.value("business_initiative")
    if s.value("training_by_client") is True:
        s.flag("training_by_client", yes=EMPLOYEE)
        s.fact("specialized_skills", NEUTRAL)
        s.fact("business_initiative", NEUTRAL)
        return Decision(EMPLOYEE, "points to employee: the worker depends on the client's training")
    if skilled is False:
        s.fact(
            "specialized_skills",
            EMPLOYEE,
            change="the work needs specialised skills used in a business-like way",
        )
        s.flag("training_by_client", yes=EMPLOYEE)
        return Decision(EMPLOYEE, "points to employee: the work does not need specialised skills")
    if skilled is True and initiative is True:
        s.fact("specialized_skills", CONTRACTOR)
        s.fact("business_initiative", CONTRACTOR, change="the worker shows no business-like initiative")
        s.flag("training_by_client", yes=EMPLOYEE)
        return Decision(
            CONTRACTOR, "points to contractor: specialised skills used with business-like initiative"
        )
    if skilled is True:
        s.fact("specialized_skills", NEUTRAL)
        s.fact("business_initiative", NEUTRAL)
        s.flag("training_by_client", yes=EMPLOYEE, no=NEUTRAL)
        s.note("Skill alone is not a sign of contractor status: employees can be skilled too.")
        return Decision(NEUTRAL, "neutral: skilled work, but business-like initiative is not shown")
    s.flag("business_initiative", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("training_by_client", yes=EMPLOYEE, no=NEUTRAL)
    return None


FACTORS = (
    Factor(
        id="profit_loss",
        name="Opportunity for profit or loss depending on managerial skill",
        citation=f"{CFR}(1)",
        reads=("profit_loss_opportunity", "negotiates_rate", "can_hire_helpers", "markets_to_public"),
        weigh=_profit_loss,
        weight_note=WEIGHT + " Earning more only by working more hours points to employee status.",
        unverified=NUMBERING,
    ),
    Factor(
        id="investment",
        name="Investments by the worker and the potential employer",
        citation=f"{CFR}(2)",
        reads=("worker_investment",),
        weigh=_investment,
        weight_note=WEIGHT,
        unverified=NUMBERING,
    ),
    Factor(
        id="permanence",
        name="Degree of permanence of the work relationship",
        citation=f"{CFR}(3)",
        reads=("indefinite", "duration_months", "exclusive_to_client", "worked_for_client_as_employee"),
        weigh=_permanence,
        weight_note=WEIGHT
        + " Cadre's convention for length: over 12 months points to employee, 6 or less to contractor.",
        unverified=NUMBERING,
    ),
    Factor(
        id="control",
        name="Nature and degree of control, including reserved control",
        citation=f"{CFR}(4)",
        reads=("controls_how", "set_hours", "location_set_by", "supervised"),
        weigh=_control,
        weight_note=WEIGHT,
        unverified=NUMBERING,
    ),
    Factor(
        id="integral",
        name="Extent to which the work is an integral part of the potential employer's business",
        citation=f"{CFR}(5)",
        reads=("usual_course_of_business", "contracting_party"),
        weigh=_integral,
        weight_note=WEIGHT,
        unverified=NUMBERING,
    ),
    Factor(
        id="skill_initiative",
        name="Skill and initiative",
        citation=f"{CFR}(6)",
        reads=("specialized_skills", "business_initiative", "training_by_client"),
        weigh=_skill,
        weight_note=WEIGHT
        + " Specialised skills point to contractor status only when used with business-like initiative.",
        unverified=NUMBERING,
    ),
)

RULE_SET = RuleSet(
    id="flsa_2024",
    name="FLSA economic-reality test (2024 rule, six factors)",
    version="2024-03-11.r1",
    citation="89 FR 1638 (Jan. 10, 2024); 29 CFR 795.105-795.110",
    effective_from=date(2024, 3, 11),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "Final rule, still in the CFR. The DOL stopped applying it in investigations on 2025-05-01 (FAB "
        "2025-1) but private FLSA suits can still invoke it until it is rescinded. Court challenges (5th "
        "Cir. and others) are held in abeyance. A 2026 DOL proposal (published 2026-02-27, comments closed "
        f"2026-04-28) would rescind it; whether a final rule issued after July 2026 is {UNVERIFIED}."
    ),
    jurisdiction="US",
    factors=FACTORS,
    test=TOTALITY,
    applies_to=(
        "Fair Labor Standards Act (minimum wage, overtime) — private suits and courts applying 29 CFR 795"
    ),
    dates_note="Effective date from the rule text (89 FR 1638).",
    history=(
        Instrument(
            "DOL independent-contractor rule (2021)",
            "86 FR 1168 (Jan. 7, 2021)",
            date(2021, 1, 7),
            "rescinded",
            "Rescinded and replaced by this rule effective 2024-03-11.",
        ),
        Instrument(
            "DOL proposed rule (2026)",
            f"Federal Register 2026-02-27 (RIN {UNVERIFIED})",
            date(2026, 2, 27),
            "proposed",
            f"Would rescind this rule and revive the core-factor analysis; final status {UNVERIFIED}.",
        ),
    ),
    unverified=(
        f"Exact wording and paragraph numbering of 29 CFR 795.110 {UNVERIFIED}.",
        f"Whether the 2026 proposed rule became final between July and November 2026 {UNVERIFIED}.",
    ),
    watch_for=(
        "the DOL's 2026 proposal becomes final and rescinds 29 CFR part 795 (2024)",
        "a court vacates the 2024 rule",
    ),
    notes=(
        "Totality of the circumstances: the factor directions below describe the facts; they are not added "
        "up into a score, and no factor is decisive.",
    ),
)
