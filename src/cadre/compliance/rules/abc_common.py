"""The three prongs shared by the state ABC tests, as factor builders.

An ABC test presumes the worker is an employee unless the hiring entity demonstrates all three prongs:

* A — free from the hiring entity's control and direction, under the contract and in fact;
* B — work outside the usual course of the hiring entity's business (New Jersey and Illinois also accept
  work performed outside all of the hiring entity's places of business);
* C — customarily engaged in an independently established trade, occupation or business.

Each prong is a factor whose direction means: "contractor" = prong met, "employee" = prong fails,
"neutral" = not shown (unanswered). Failing any prong makes the worker an employee; a prong that is not
shown leaves the presumption of employment in place. Where the agency contracts the worker and places
them with a client, prong B is read against both: supplying this kind of work is the agency's own usual
course of business, so prong B fails relative to the agency (Cadre's conservative reading).
"""

from __future__ import annotations

from cadre.compliance.rules.base import (
    CONTRACTOR,
    EMPLOYEE,
    NEUTRAL,
    UNVERIFIED,
    Decision,
    Factor,
    Signals,
)

PRONG_WEIGHT = (
    "Prong: must be met. All three prongs must be met; failing any one makes the worker an employee."
)
CONTROL_READS = ("controls_how", "set_hours", "location_set_by", "supervised", "training_by_client")
COURSE_READS = ("usual_course_of_business", "contracting_party")
PLACES_READS = (*COURSE_READS, "work_location")
BUSINESS_READS = (
    "multiple_clients",
    "markets_to_public",
    "business_entity",
    "business_license",
    "exclusive_to_client",
)

AGENCY_COURSE = (
    "the agency contracts the worker, and supplying this work to clients is the agency's usual business"
)
CLIENT_DIRECT = "the client contracts with the worker directly (the agency only introduced them)"


def _failed(s: Signals) -> list[str]:
    return [f.text for f in s.facts if f.direction == EMPLOYEE]


def weigh_control(s: Signals) -> Decision:
    s.pick("controls_how", {"client": EMPLOYEE, "shared": EMPLOYEE, "worker": CONTRACTOR})
    s.flag("set_hours", yes=EMPLOYEE)
    s.pick("location_set_by", {"client": EMPLOYEE, "worker": CONTRACTOR})
    s.flag("supervised", yes=EMPLOYEE)
    s.flag("training_by_client", yes=EMPLOYEE, no=NEUTRAL)
    failed = _failed(s)
    if failed:
        return Decision(
            EMPLOYEE, "prong fails: the worker is not free from control (" + "; ".join(failed) + ")"
        )
    if s.value("controls_how") == "worker" and s.value("set_hours") is False and s.answered("supervised"):
        return Decision(
            CONTRACTOR, "prong met: free from control and direction over how and when the work is done"
        )
    return Decision(
        NEUTRAL,
        "not shown: the hiring entity must demonstrate freedom from control; who directs the work, who "
        "sets the hours and whether the worker is supervised must all be answered",
    )


def _course(s: Signals) -> tuple[list[str], bool]:
    """Record the usual-course facts; return (failing facts, met relative to the client)."""
    s.pick(
        "usual_course_of_business", {"integral": EMPLOYEE, "usual_course": EMPLOYEE, "outside": CONTRACTOR}
    )
    if s.value("contracting_party") == "agency":
        s.fact("contracting_party", EMPLOYEE, text=AGENCY_COURSE, change=CLIENT_DIRECT)
    elif s.value("contracting_party") == "client":
        s.fact("contracting_party", NEUTRAL)
    return _failed(s), s.value("usual_course_of_business") == "outside"


def weigh_course(s: Signals) -> Decision:
    """Prong B with only the usual-course limb (California, Massachusetts)."""
    failed, outside = _course(s)
    if failed:
        return Decision(
            EMPLOYEE,
            "prong fails: the work is within the usual course of business (" + "; ".join(failed) + ")",
        )
    if outside:
        if not s.answered("contracting_party"):
            s.note("Who contracts the worker was not answered; prong B was read against the client only.")
        return Decision(
            CONTRACTOR, "prong met: the work is outside the hiring entity's usual course of business"
        )
    return Decision(NEUTRAL, "not shown: whether the work is within the client's usual course of business")


def weigh_course_or_places(s: Signals) -> Decision:
    """Prong B with the alternative limb: outside the usual course OR outside all places of business."""
    failed, outside = _course(s)
    location = s.value("work_location")
    on_site = NEUTRAL if outside and not failed else EMPLOYEE
    s.pick("work_location", {"client_site": on_site, "hybrid": on_site, "remote_own_premises": CONTRACTOR})
    s.note(
        "Whether a remote worker's own premises count as outside all of the hiring entity's places of "
        f"business is fact-specific in the case law {UNVERIFIED}."
    )
    if location == "remote_own_premises":
        return Decision(
            CONTRACTOR,
            "prong met through the alternative limb: the work is performed outside all of the hiring "
            "entity's places of business",
        )
    if outside and not failed:
        return Decision(
            CONTRACTOR, "prong met: the work is outside the hiring entity's usual course of business"
        )
    if failed and location is not None:
        return Decision(
            EMPLOYEE,
            "prong fails: the work is within the usual course of business and is not performed outside all "
            "of the hiring entity's places of business (" + "; ".join(_failed(s)) + ")",
        )
    return Decision(
        NEUTRAL,
        "not shown: neither the usual-course limb nor the places-of-business limb is demonstrated",
    )


def weigh_independent_business(s: Signals) -> Decision:
    clients = s.value("multiple_clients")
    markets = s.value("markets_to_public")
    entity = s.value("business_entity")
    s.flag("multiple_clients", yes=CONTRACTOR)
    s.flag("markets_to_public", yes=CONTRACTOR)
    s.pick(
        "business_entity",
        {"none": NEUTRAL, "sole_proprietor": CONTRACTOR, "llc": CONTRACTOR, "corporation": CONTRACTOR},
    )
    s.flag("business_license", yes=CONTRACTOR, no=NEUTRAL)
    s.flag("exclusive_to_client", yes=EMPLOYEE, no=NEUTRAL)
    if s.value("exclusive_to_client") is True:
        return Decision(
            EMPLOYEE, "prong fails: the worker is restricted from offering the services to others"
        )
    if clients is False and markets is False:
        return Decision(
            EMPLOYEE,
            "prong fails: no other clients and no services offered to the public, so no independently "
            "established business is shown",
        )
    established = (
        markets is True
        or entity in ("sole_proprietor", "llc", "corporation")
        or (s.value("business_license") is True)
    )
    if clients is True and established:
        return Decision(
            CONTRACTOR,
            "prong met: customarily engaged in an independently established business of the same nature",
        )
    return Decision(
        NEUTRAL,
        "not shown: an independently established business needs other clients and an established business "
        "presence (an entity, a licence, or marketing to the public)",
    )


def prong_a(citation: str, unverified: str = "") -> Factor:
    return Factor(
        id="prong_a_control",
        name="A: free from control and direction, under the contract and in fact",
        citation=citation,
        reads=CONTROL_READS,
        weigh=weigh_control,
        weight_note=PRONG_WEIGHT,
        group="prong",
        unverified=unverified,
    )


def prong_b(citation: str, *, places_alternative: bool, unverified: str = "") -> Factor:
    name = "B: outside the usual course of the hiring entity's business"
    if places_alternative:
        name += ", or outside all of its places of business"
    return Factor(
        id="prong_b_usual_course",
        name=name,
        citation=citation,
        reads=PLACES_READS if places_alternative else COURSE_READS,
        weigh=weigh_course_or_places if places_alternative else weigh_course,
        weight_note=PRONG_WEIGHT,
        group="prong",
        unverified=unverified,
    )


def prong_c(citation: str, unverified: str = "") -> Factor:
    return Factor(
        id="prong_c_independent_business",
        name="C: customarily engaged in an independently established trade, occupation or business",
        citation=citation,
        reads=BUSINESS_READS,
        weigh=weigh_independent_business,
        weight_note=PRONG_WEIGHT,
        group="prong",
        unverified=unverified,
    )
