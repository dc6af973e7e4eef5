"""Massachusetts ABC test, M.G.L. c.149 §148B.

An individual performing any service is an employee unless (1) free from control and direction in
connection with the performance of the service, under the contract and in fact; **and** (2) the service is
performed outside the usual course of the business of the employer; **and** (3) the individual is
customarily engaged in an independently established trade, occupation, profession or business of the same
nature. Prong 2 has no "outside all places of business" alternative, and there is no business-to-business
exemption.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.abc_common import prong_a, prong_b, prong_c
from cadre.compliance.rules.base import ABC, IN_FORCE, UNVERIFIED, RuleSet

CITE = "M.G.L. c.149 §148B(a)"

RULE_SET = RuleSet(
    id="abc_massachusetts",
    name="Massachusetts ABC test (M.G.L. c.149 §148B)",
    version="2004-07-19.r1",
    citation=f"{CITE}(1)-(3); remedies c.149 §150",
    effective_from=date(2004, 7, 19),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "In force (Attorney General's guidance on mass.gov). Remedies: mandatory treble damages plus "
        "attorney's fees (c.149 §150); private suit after an AG right-to-sue letter, within 3 years. Weis "
        "v. Loomis, Sayles (Mass. App. Ct. 2024): an individual working through an intermediary entity may "
        "lack standing — relevant to corp-to-corp arrangements."
    ),
    jurisdiction="US-MA",
    factors=(
        prong_a(f"{CITE}(1)"),
        prong_b(f"{CITE}(2)", places_alternative=False),
        prong_c(f"{CITE}(3)"),
    ),
    test=ABC,
    applies_to="Massachusetts wage and hour laws (c.149 and c.151)",
    dates_note=(
        f"2004-07-19 is the recalled date of the 2004 amendment that set the current test {UNVERIFIED}."
    ),
    unverified=(
        f"Effective date of the current §148B wording (2004 amendment) {UNVERIFIED}.",
        f"Scope of Weis v. Loomis, Sayles for corp-to-corp standing {UNVERIFIED}.",
    ),
    notes=("No 'outside all places of business' alternative in prong 2; no business-to-business exemption.",),
)
