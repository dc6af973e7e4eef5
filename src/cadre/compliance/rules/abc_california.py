"""California ABC test, Labor Code §2775(b)(1), with the §2776 and §2778 exemptions.

A person providing labor or services for remuneration is an employee unless the hiring entity
demonstrates all three conditions (A) free from control, (B) outside the usual course of the hiring
entity's business and (C) customarily engaged in an independently established business. The test governs
the Labor Code, the Unemployment Insurance Code and the IWC wage orders.

Exemptions are checked first. Where one applies, status is decided under *S. G. Borello & Sons, Inc. v.
Department of Industrial Relations* (1989) 48 Cal.3d 341 instead of the ABC test:

* §2776 business-to-business: the worker is a business service provider (sole proprietor or entity) and
  the contracting business demonstrates all twelve criteria. (a)(1)-(4) were read in the statute text;
  (a)(5)-(12) are from secondary sources and marked unverified.
* §2778 professional services: listed occupations (marketing, HR administration, graphic design, grant
  writing, fine art, enrolled agents, freelance writing/editing/translation, still photography, ...) that
  meet the general conditions. Software engineers, data scientists and ML engineers are not listed. The
  conditions below are recalled and unverified (compliance.md §7 item 8); occupation-specific conditions
  (e.g. the writers' written-contract terms) are not modelled.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.abc_common import prong_a, prong_b, prong_c
from cadre.compliance.rules.base import (
    ABC,
    CONTRACTOR,
    EMPLOYEE,
    IN_FORCE,
    NEUTRAL,
    UNVERIFIED,
    Answers,
    Criterion,
    Exemption,
    Factor,
    Instrument,
    RuleSet,
    Signals,
    Test,
    Weigh,
)
from cadre.compliance.rules.flsa_2024 import permanence_months

LC = "Cal. Lab. Code"
B2B_UNVERIFIED = f"criterion text from secondary sources {UNVERIFIED} (compliance.md §7 item 8)"
PS_UNVERIFIED = f"§2778 condition recalled {UNVERIFIED} (compliance.md §7 item 8)"
BUSINESS_FORMS = ("sole_proprietor", "llc", "corporation")


def _is(s: Signals, question: str, wanted: object) -> bool | None:
    """Record the answer as a fact (met when it equals `wanted`) and return met / not met / None."""
    if not s.answered(question):
        return None
    value = s.value(question)
    met = value == wanted
    s.fact(question, CONTRACTOR if met else EMPLOYEE)
    return met


def _all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    if any(r is None for r in results):
        return None
    return True


def _free_from_control(s: Signals) -> bool | None:
    return _all([_is(s, "controls_how", "worker"), _is(s, "set_hours", False), _is(s, "supervised", False)])


def _direct_to_business(s: Signals) -> bool | None:
    party = s.value("contracting_party")
    customers = s.value("serves_client_customers")
    if party == "agency" or customers is True:
        if party == "agency":
            s.fact(
                "contracting_party",
                EMPLOYEE,
                text=(
                    "the agency contracts the worker and the services go to the agency's customer (the "
                    "client)"
                ),
                change="the client contracts with the worker directly (the agency only introduced them)",
            )
        if customers is True:
            s.fact("serves_client_customers", EMPLOYEE)
        # (a)(2) does not apply if the provider's own employees perform the services under its name and it
        # regularly contracts with other businesses.
        payroll, others = s.value("entity_payroll"), s.value("multiple_clients")
        s.flag("entity_payroll", yes=CONTRACTOR)
        s.flag("multiple_clients", yes=CONTRACTOR)
        if payroll is True and others is True:
            s.note(
                "Met through the (a)(2) exception: the provider's own employee performs the services under "
                "the provider's name and the provider regularly contracts with other businesses."
            )
            return True
        if payroll is None or others is None:
            return None
        return False
    if customers is False:
        s.fact("serves_client_customers", CONTRACTOR)
        if party is None:
            s.note("Who contracts the worker was not answered; read as the client contracting directly.")
        else:
            s.fact("contracting_party", NEUTRAL)
        return True
    return None


def _b2b(
    id: str, text: str, sub: str, reads: tuple[str, ...], test: Test, verified: bool = False
) -> Criterion:
    return Criterion(
        id=id,
        text=text,
        citation=f"{LC} §2776(a)({sub})",
        reads=reads,
        test=test,
        unverified="" if verified else B2B_UNVERIFIED,
    )


B2B_CRITERIA = (
    _b2b(
        "b2b_1_free_from_control",
        "Free from the contracting business's control and direction, under the contract and in fact",
        "1",
        ("controls_how", "set_hours", "supervised"),
        _free_from_control,
        verified=True,
    ),
    _b2b(
        "b2b_2_direct_to_business",
        "Provides services directly to the contracting business, not to its customers",
        "2",
        ("contracting_party", "serves_client_customers", "entity_payroll", "multiple_clients"),
        _direct_to_business,
        verified=True,
    ),
    _b2b(
        "b2b_3_written_contract",
        "Written contract specifying the payment amount, rate and due date",
        "3",
        ("written_contract",),
        lambda s: _is(s, "written_contract", True),
        verified=True,
    ),
    _b2b(
        "b2b_4_business_license",
        "Holds any required business license or business tax registration",
        "4",
        ("business_license",),
        lambda s: _is(s, "business_license", True),
        verified=True,
    ),
    _b2b(
        "b2b_5_business_location",
        "Maintains a business location separate from the contracting business (may be a residence)",
        "5",
        ("separate_business_location",),
        lambda s: _is(s, "separate_business_location", True),
    ),
    _b2b(
        "b2b_6_established_business",
        "Customarily engaged in an independently established business of the same nature",
        "6",
        ("multiple_clients",),
        lambda s: _is(s, "multiple_clients", True),
    ),
    _b2b(
        "b2b_7_other_businesses",
        "Can contract with other businesses and is not restricted from doing so",
        "7",
        ("exclusive_to_client",),
        lambda s: _is(s, "exclusive_to_client", False),
    ),
    _b2b(
        "b2b_8_advertises",
        "Advertises and holds itself out to the public",
        "8",
        ("markets_to_public",),
        lambda s: _is(s, "markets_to_public", True),
    ),
    _b2b(
        "b2b_9_own_tools",
        "Provides its own tools, vehicles and equipment",
        "9",
        ("tools_provided_by",),
        lambda s: _is(s, "tools_provided_by", "worker"),
    ),
    _b2b(
        "b2b_10_negotiates_rates",
        "Can negotiate its own rates",
        "10",
        ("negotiates_rate",),
        lambda s: _is(s, "negotiates_rate", True),
    ),
    _b2b(
        "b2b_11_hours_and_location",
        "Can set or negotiate its own hours and location, consistent with the work",
        "11",
        ("set_hours", "location_set_by"),
        lambda s: _all([_is(s, "set_hours", False), _is(s, "location_set_by", "worker")]),
    ),
    _b2b(
        "b2b_12_no_cslb_work",
        "Not performing work that requires a Contractors State License Board licence",
        "12",
        ("requires_contractor_license",),
        lambda s: _is(s, "requires_contractor_license", False),
    ),
)


def _is_business(answers: Answers) -> bool | None:
    entity = answers.get("business_entity")
    return None if entity is None else entity in BUSINESS_FORMS


def _is_listed_profession(answers: Answers) -> bool | None:
    category = answers.get("professional_service_category")
    return None if category is None else category != "none"


def _ps(id: str, text: str, reads: tuple[str, ...], test: Test) -> Criterion:
    return Criterion(
        id=id,
        text=text,
        citation=f"{LC} §2778(a)(1) {UNVERIFIED}",
        reads=reads,
        test=test,
        unverified=PS_UNVERIFIED,
    )


PS_CRITERIA = (
    _ps(
        "ps_business_location",
        "Maintains a business location separate from the hiring entity",
        ("separate_business_location",),
        lambda s: _is(s, "separate_business_location", True),
    ),
    _ps(
        "ps_business_license",
        "Holds a business license (in addition to any required professional licence)",
        ("business_license",),
        lambda s: _is(s, "business_license", True),
    ),
    _ps(
        "ps_sets_rates",
        "Can set or negotiate their own rates",
        ("negotiates_rate",),
        lambda s: _is(s, "negotiates_rate", True),
    ),
    _ps(
        "ps_sets_hours",
        "Can set their own hours, outside project completion dates and reasonable business hours",
        ("set_hours",),
        lambda s: _is(s, "set_hours", False),
    ),
    _ps(
        "ps_customarily_engaged",
        "Customarily engaged in the same type of work for others, or holds out to other potential customers",
        ("multiple_clients", "markets_to_public"),
        lambda s: _any_true(s, "multiple_clients", "markets_to_public"),
    ),
    _ps(
        "ps_independent_judgment",
        "Customarily and regularly exercises discretion and independent judgment",
        ("independent_judgment",),
        lambda s: _is(s, "independent_judgment", True),
    ),
)


def _any_true(s: Signals, *questions: str) -> bool | None:
    results = [_is(s, q, True) for q in questions]
    if any(r is True for r in results):
        return True
    if any(r is None for r in results):
        return None
    return False


EXEMPTIONS = (
    Exemption(
        id="b2b_2776",
        name="Business-to-business exemption",
        citation=f"{LC} §2776",
        routes_to="Borello",
        scope_text=(
            "the worker must contract as a business service provider (a sole proprietor or a business entity)"
        ),
        scope_reads=("business_entity",),
        in_scope=_is_business,
        criteria=B2B_CRITERIA,
        unverified=f"§2776(a)(5)-(12) wording {UNVERIFIED}",
    ),
    Exemption(
        id="professional_services_2778",
        name="Professional-services exemption",
        citation=f"{LC} §2778",
        routes_to="Borello",
        scope_text=(
            "the work must be in a listed professional-services category; software engineering, data "
            "science and ML engineering are not listed"
        ),
        scope_reads=("professional_service_category",),
        in_scope=_is_listed_profession,
        criteria=PS_CRITERIA,
        unverified=f"§2778 conditions and occupation-specific terms {UNVERIFIED}",
    ),
)

# Borello: the principal test is the right to control the manner and means; secondary indicia follow.
BORELLO = "S. G. Borello & Sons, Inc. v. Department of Industrial Relations (1989) 48 Cal.3d 341, 350-351"
BORELLO_NOTE = "Borello factors are weighed together; the right to control is the principal test."


def _bo_control(s: Signals) -> None:
    s.pick("controls_how", {"client": EMPLOYEE, "shared": NEUTRAL, "worker": CONTRACTOR})
    s.flag("set_hours", yes=EMPLOYEE)
    s.flag("supervised", yes=EMPLOYEE)
    s.pick("location_set_by", {"client": EMPLOYEE, "worker": CONTRACTOR})


def _bo_discharge(s: Signals) -> None:
    s.flag("terminate_at_will", yes=EMPLOYEE)
    s.note("Borello calls the right to discharge at will, without cause, strong evidence of employment.")


def _bo_distinct(s: Signals) -> None:
    s.pick(
        "business_entity",
        {"none": EMPLOYEE, "sole_proprietor": CONTRACTOR, "llc": CONTRACTOR, "corporation": CONTRACTOR},
    )
    s.flag("multiple_clients", yes=CONTRACTOR)
    s.flag("markets_to_public", yes=CONTRACTOR)


def _bo_skill(s: Signals) -> None:
    s.flag("specialized_skills", yes=CONTRACTOR)
    s.flag("training_by_client", yes=EMPLOYEE, no=NEUTRAL)


def _bo_tools(s: Signals) -> None:
    s.pick("tools_provided_by", {"client": EMPLOYEE, "mixed": NEUTRAL, "worker": CONTRACTOR})
    s.pick("work_location", {"client_site": EMPLOYEE, "hybrid": NEUTRAL, "remote_own_premises": CONTRACTOR})


def _bo_length(s: Signals) -> None:
    s.flag("indefinite", yes=EMPLOYEE)
    s.number("duration_months", permanence_months)


def _bo_payment(s: Signals) -> None:
    s.pick(
        "payment_basis",
        {"hourly": EMPLOYEE, "salary": EMPLOYEE, "project": CONTRACTOR, "milestone": CONTRACTOR},
    )


def _bo_regular_business(s: Signals) -> None:
    s.pick(
        "usual_course_of_business", {"integral": EMPLOYEE, "usual_course": EMPLOYEE, "outside": CONTRACTOR}
    )


def _bo_belief(s: Signals) -> None:
    s.flag("written_contract", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("benefits_provided", yes=EMPLOYEE)


def _bo_profit(s: Signals) -> None:
    s.flag("profit_loss_opportunity", yes=CONTRACTOR)
    s.pick("worker_investment", {"none": EMPLOYEE, "minor": NEUTRAL, "significant": CONTRACTOR})
    s.flag("can_hire_helpers", yes=CONTRACTOR)


def _bo(id: str, name: str, reads: tuple[str, ...], weigh: Weigh, pin: str = "350-351") -> Factor:
    return Factor(
        id=id,
        name=name,
        citation=f"Borello, 48 Cal.3d at {pin}",
        reads=reads,
        weigh=weigh,
        weight_note=BORELLO_NOTE,
        group="borello",
        unverified=f"pin cite {UNVERIFIED}" if pin == "355" else "",
    )


BORELLO_FACTORS = (
    _bo(
        "borello_control",
        "Right to control the manner and means (principal test)",
        ("controls_how", "set_hours", "supervised", "location_set_by"),
        _bo_control,
        "350",
    ),
    _bo(
        "borello_discharge",
        "Right to discharge at will, without cause",
        ("terminate_at_will",),
        _bo_discharge,
    ),
    _bo(
        "borello_distinct_business",
        "Engaged in a distinct occupation or business",
        ("business_entity", "multiple_clients", "markets_to_public"),
        _bo_distinct,
    ),
    _bo(
        "borello_skill",
        "Kind of occupation (specialist work without supervision) and skill required",
        ("specialized_skills", "training_by_client"),
        _bo_skill,
    ),
    _bo(
        "borello_tools_place",
        "Who supplies the instrumentalities, tools and place of work",
        ("tools_provided_by", "work_location"),
        _bo_tools,
    ),
    _bo(
        "borello_length",
        "Length of time for which the services are performed",
        ("indefinite", "duration_months"),
        _bo_length,
    ),
    _bo("borello_payment", "Method of payment: by the time or by the job", ("payment_basis",), _bo_payment),
    _bo(
        "borello_regular_business",
        "Whether the work is part of the principal's regular business",
        ("usual_course_of_business",),
        _bo_regular_business,
    ),
    _bo(
        "borello_belief",
        "Whether the parties believe they are creating an employment relationship",
        ("written_contract", "benefits_provided"),
        _bo_belief,
    ),
    _bo(
        "borello_profit_investment",
        "Opportunity for profit or loss; investment; employment of helpers",
        ("profit_loss_opportunity", "worker_investment", "can_hire_helpers"),
        _bo_profit,
        "355",
    ),
)

CITE_2775 = f"{LC} §2775(b)(1)"

RULE_SET = RuleSet(
    id="abc_california",
    name="California ABC test (Labor Code §2775) with §2776 B2B and §2778 professional-services exemptions",
    version="2020-09-04.r1",
    citation=(
        f"{CITE_2775}; §§2776, 2778; penalties §226.8; Dynamex Operations West v. Superior Court (2018) 4 "
        "Cal.5th 903"
    ),
    effective_from=date(2020, 9, 4),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "In force. Codified by AB 5 (former §2750.3, effective 2020-01-01) and recast as §§2775-2787 by AB "
        "2257 (effective 2020-09-04). Governs the Labor Code, the Unemployment Insurance Code and the IWC "
        "wage orders."
    ),
    jurisdiction="US-CA",
    factors=(
        prong_a(f"{CITE_2775}(A)"),
        prong_b(f"{CITE_2775}(B)", places_alternative=False),
        prong_c(f"{CITE_2775}(C)"),
    ),
    test=ABC,
    applies_to="California Labor Code, Unemployment Insurance Code and IWC wage orders",
    dates_note=f"AB 2257's 2020-09-04 effective date is from a secondary source {UNVERIFIED}.",
    exemptions=EXEMPTIONS,
    fallback_name="Borello (multi-factor right-to-control test)",
    fallback_citation=BORELLO,
    fallback_factors=BORELLO_FACTORS,
    history=(
        Instrument(
            "AB 5 (Lab. Code former §2750.3)",
            "Stats. 2019, ch. 296",
            date(2020, 1, 1),
            "superseded",
            f"Replaced by AB 2257's §§2775-2787 {UNVERIFIED}.",
        ),
    ),
    unverified=(
        f"§2776(a)(5)-(12) criteria wording {UNVERIFIED}.",
        f"§2778 conditions and occupation-specific terms {UNVERIFIED}.",
        f"§2777 referral-agency coverage of technology services {UNVERIFIED} (not modelled).",
        f"Borello pin cites beyond 350-351 {UNVERIFIED}.",
    ),
    notes=(
        "Hiring entity carries the burden: every prong (and every exemption criterion) must be demonstrated.",
        "§2783 licensed professions (e.g. licensed professional engineers — not 'software engineers') also "
        "route to Borello; not modelled.",
    ),
)
