"""The DOL's current enforcement lens: the core-factor analysis.

Since 2025-05-01, Field Assistance Bulletin 2025-1 tells Wage and Hour investigators not to apply the 2024
rule's analysis; they use Fact Sheet #13 (July 2008) and the reinstated Opinion Letter FLSA2019-6. The
2021 rule (86 FR 1168, rescinded in 2024) and the 2026 proposal (not final as far as the research found)
share one structure, modelled here:

* two core factors — the nature and degree of control over the work, and the opportunity for profit or
  loss based on initiative and/or investment; when both point the same way there is "a substantial
  likelihood" that is the correct classification;
* three other factors — the skill required, the permanence of the relationship, and whether the work is
  part of an integrated unit of production (Fact Sheet #13: "an integral part of the principal's
  business");
* plus Fact Sheet #13's "degree of independent business organization and operation".

This is an enforcement position, not a regulation: it shows how a DOL investigation is likely to read the
facts today. Courts in private suits apply the 2024 rule (`flsa_2024`) until it is rescinded.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.base import (
    CONTRACTOR,
    CORE_FACTORS,
    EMPLOYEE,
    ENFORCEMENT_POSITION,
    IN_FORCE,
    NEUTRAL,
    PROPOSED,
    RESCINDED,
    UNVERIFIED,
    Decision,
    Factor,
    Instrument,
    RuleSet,
    Signals,
)
from cadre.compliance.rules.flsa_2024 import permanence_months

CORE = (
    "Core factor: carries greater weight. When both core factors point the same way there is a substantial "
    "likelihood that is the correct classification (2021 rule; 2026 proposal)."
)
OTHER = "Other factor: less probative than the two core factors; matters most when the core factors disagree."
FS13 = "Fact Sheet #13 (July 2008)"


def rule_2021(paragraph: str) -> str:
    return f"29 CFR 795.105(d){paragraph} (2021 rule, 86 FR 1168)"


def _control(s: Signals) -> None:
    s.pick("controls_how", {"client": EMPLOYEE, "shared": NEUTRAL, "worker": CONTRACTOR})
    s.flag("set_hours", yes=EMPLOYEE)
    s.flag("supervised", yes=EMPLOYEE)
    s.flag("exclusive_to_client", yes=EMPLOYEE)
    s.note(
        "Requiring compliance with legal obligations, health and safety standards, insurance, agreed "
        "deadlines or quality standards is not control under this analysis."
    )


def _profit_loss(s: Signals) -> None:
    s.flag("profit_loss_opportunity", yes=CONTRACTOR)
    s.pick("worker_investment", {"none": EMPLOYEE, "minor": NEUTRAL, "significant": CONTRACTOR})
    s.flag("can_hire_helpers", yes=CONTRACTOR)
    s.flag("negotiates_rate", yes=CONTRACTOR)
    s.note(
        "Initiative or investment alone can support this factor; no comparison with the client's investment."
    )


def _skill(s: Signals) -> Decision | None:
    if s.value("training_by_client") is True:
        s.flag("training_by_client", yes=EMPLOYEE)
        s.flag("specialized_skills", yes=CONTRACTOR)
        return Decision(EMPLOYEE, "points to employee: the worker depends on the client's training")
    s.flag("specialized_skills", yes=CONTRACTOR)
    s.flag("training_by_client", yes=EMPLOYEE, no=NEUTRAL)
    return None


def _permanence(s: Signals) -> None:
    s.flag("indefinite", yes=EMPLOYEE)
    s.number("duration_months", permanence_months)
    s.flag("worked_for_client_as_employee", yes=EMPLOYEE, no=NEUTRAL)


def _integrated(s: Signals) -> None:
    s.flag("embedded_in_team", yes=EMPLOYEE)
    s.pick("usual_course_of_business", {"integral": EMPLOYEE, "usual_course": NEUTRAL, "outside": CONTRACTOR})


def _independent_business(s: Signals) -> None:
    s.pick(
        "business_entity",
        {"none": EMPLOYEE, "sole_proprietor": CONTRACTOR, "llc": CONTRACTOR, "corporation": CONTRACTOR},
    )
    s.flag("business_license", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("own_insurance", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("own_website", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("markets_to_public", yes=CONTRACTOR)


FACTORS = (
    Factor(
        id="core_control",
        name="Core: nature and degree of control over the work",
        citation=f"{rule_2021('(1)(i)')}; {FS13} factor 4; 2026 proposal",
        reads=("controls_how", "set_hours", "supervised", "exclusive_to_client"),
        weigh=_control,
        weight_note=CORE,
        group="core",
    ),
    Factor(
        id="core_profit_loss",
        name="Core: opportunity for profit or loss based on initiative and/or investment",
        citation=f"{rule_2021('(1)(ii)')}; {FS13} factors 3 and 5; 2026 proposal",
        reads=("profit_loss_opportunity", "worker_investment", "can_hire_helpers", "negotiates_rate"),
        weigh=_profit_loss,
        weight_note=CORE,
        group="core",
    ),
    Factor(
        id="skill",
        name="Amount of skill required for the work",
        citation=f"{rule_2021('(2)(i)')}; {FS13} factor 6",
        reads=("specialized_skills", "training_by_client"),
        weigh=_skill,
        weight_note=OTHER,
        group="other",
        unverified=f"paragraph numbering of 795.105(d)(2) {UNVERIFIED}",
    ),
    Factor(
        id="permanence",
        name="Degree of permanence of the working relationship",
        citation=f"{rule_2021('(2)(ii)')}; {FS13} factor 2",
        reads=("indefinite", "duration_months", "worked_for_client_as_employee"),
        weigh=_permanence,
        weight_note=OTHER + " Cadre's length convention: over 12 months employee, 6 or less contractor.",
        group="other",
        unverified=f"paragraph numbering of 795.105(d)(2) {UNVERIFIED}",
    ),
    Factor(
        id="integrated_unit",
        name="Part of an integrated unit of production / integral part of the principal's business",
        citation=f"{rule_2021('(2)(iii)')}; {FS13} factor 1",
        reads=("embedded_in_team", "usual_course_of_business"),
        weigh=_integrated,
        weight_note=OTHER
        + " The 2021 rule asks whether the work is part of an integrated unit; Fact Sheet #13 asks whether it"
        " is an integral part of the business; the 2026 proposal drops the 2024 'integral' inquiry.",
        group="other",
        unverified=f"paragraph numbering of 795.105(d)(2) {UNVERIFIED}",
    ),
    Factor(
        id="independent_business",
        name="Degree of independent business organization and operation",
        citation=f"{FS13} factor 7",
        reads=("business_entity", "business_license", "own_insurance", "own_website", "markets_to_public"),
        weigh=_independent_business,
        weight_note=(
            "Fact Sheet #13 factor used by investigators under FAB 2025-1; not a factor of the 2021 rule."
        ),
        group="other",
        unverified=f"Fact Sheet #13 (2008) factor list from a secondary copy {UNVERIFIED}",
    ),
)

RULE_SET = RuleSet(
    id="flsa_core_factors",
    name="DOL enforcement lens: core-factor analysis (FAB 2025-1, Fact Sheet #13, 2021 rule / 2026 proposal)",
    version="2025-05-01.r1",
    citation=(
        "WHD Field Assistance Bulletin 2025-1 (May 1, 2025); WHD Fact Sheet #13 (July 2008); Opinion "
        "Letter FLSA2019-6; core-factor structure of 86 FR 1168 (2021, rescinded) and the 2026 proposed "
        "rule"
    ),
    effective_from=date(2025, 5, 1),
    effective_to=None,
    status=ENFORCEMENT_POSITION,
    status_note=(
        "Internal enforcement guidance, not a regulation: WHD investigators apply Fact Sheet #13 and "
        "Opinion Letter FLSA2019-6 instead of the 2024 rule; the Administrator may still act in individual "
        "cases. The 2021 rule it echoes was rescinded in 2024; the 2026 proposal that would revive it is "
        f"proposed only (final rule {UNVERIFIED}). Private suits still use the 2024 rule."
    ),
    jurisdiction="US",
    factors=FACTORS,
    test=CORE_FACTORS,
    applies_to="DOL Wage and Hour Division investigations under the FLSA (not private suits)",
    dates_note="Effective from the date of FAB 2025-1; the 2021 rule's own dates are in the history.",
    history=(
        Instrument(
            "DOL independent-contractor rule (2021), core factors",
            "86 FR 1168 (Jan. 7, 2021); 29 CFR 795.105",
            date(2021, 3, 8),
            RESCINDED,
            f"Effective date 2021-03-08 {UNVERIFIED}; rescinded by the 2024 rule (effective 2024-03-11).",
        ),
        Instrument(
            "Field Assistance Bulletin 2025-1",
            "WHD FAB 2025-1",
            date(2025, 5, 1),
            ENFORCEMENT_POSITION,
            "Investigators stop applying the 2024 rule; use Fact Sheet #13 and Opinion Letter FLSA2019-6.",
        ),
        Instrument(
            "Fact Sheet #13, Employment Relationship under the FLSA",
            "WHD Fact Sheet #13 (July 2008)",
            None,
            ENFORCEMENT_POSITION,
            f"Seven economic-reality factors; the July 2008 date is from compliance.md, day {UNVERIFIED}.",
        ),
        Instrument(
            "Opinion Letter FLSA2019-6 (virtual marketplace platforms)",
            "WHD Opinion Letter FLSA2019-6",
            date(2019, 4, 29),
            IN_FORCE,
            "Reinstated as enforcement guidance by FAB 2025-1.",
        ),
        Instrument(
            "DOL proposed rule (2026)",
            f"Federal Register 2026-02-27 (RIN {UNVERIFIED})",
            date(2026, 2, 27),
            PROPOSED,
            "Two core factors plus skill, permanence and integrated unit; drops the relative-investment "
            "and 'integral' inquiries; would extend to the FMLA and MSPA. Comments closed 2026-04-28; "
            f"final rule {UNVERIFIED}.",
        ),
    ),
    unverified=(
        f"Exact text and RIN of the 2026 proposal and whether it became final {UNVERIFIED}.",
        f"2021 rule paragraph numbering beyond 795.105(d)(1)(i) and its effective date {UNVERIFIED}.",
        "Fact Sheet #13 (July 2008) factor list read from a secondary copy of the 2007/2008 sheet "
        f"{UNVERIFIED}.",
    ),
    watch_for=(
        "the 2026 proposal becomes final (this lens would become the regulation)",
        "FAB 2025-1 is withdrawn or replaced",
    ),
    notes=(
        "Enforcement lens: how a DOL investigation is likely to read the facts today; courts in private "
        "suits apply the 2024 rule.",
    ),
)
