"""New Jersey ABC test, N.J.S.A. 43:21-19(i)(6)(A)-(C).

Services are employment unless (A) the individual has been and will continue to be free from control or
direction over the performance of the service, under the contract and in fact; (B) the service is either
outside the usual course of the business **or** performed outside of all the places of business of the
enterprise; and (C) the individual is customarily engaged in an independently established trade,
occupation, profession or business. The unemployment statute's test also governs the Wage and Hour Law and
the Wage Payment Law (Hargrove v. Sleepy's, 2015).

NJDOL's rule codifying the test (proposed N.J.A.C. 12:11, published 2025-05-05) would treat mandatory apps
or software as evidence of control and make liability insurance irrelevant to prong C. It is proposed and
paused (Executive Order 7, 2026-01-23; the Legislature's ACR 177 objects); whether it was adopted or lapsed
is unverified, so this rule set follows the statute only.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.abc_common import prong_a, prong_b, prong_c
from cadre.compliance.rules.base import ABC, IN_FORCE, PROPOSED_PAUSED, UNVERIFIED, Instrument, RuleSet

CITE = "N.J.S.A. 43:21-19(i)(6)"

RULE_SET = RuleSet(
    id="abc_new_jersey",
    name="New Jersey ABC test (N.J.S.A. 43:21-19(i)(6))",
    version="2015-01-14.r1",
    citation=f"{CITE}(A)-(C); Hargrove v. Sleepy's, LLC, 220 N.J. 289 (2015); East Bay Drywall (2022)",
    effective_from=date(2015, 1, 14),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "Statute in force. The NJDOL rule that would codify it (proposed N.J.A.C. 12:11, published "
        "2025-05-05) is proposed and frozen: Executive Order 7 (2026-01-23) paused pending rules for 90 "
        "days and ACR 177 (Dec. 2025) objects to it. Whether it was adopted, re-proposed or expired is "
        f"{UNVERIFIED}."
    ),
    jurisdiction="US-NJ",
    factors=(
        prong_a(f"{CITE}(A)"),
        prong_b(f"{CITE}(B)", places_alternative=True),
        prong_c(f"{CITE}(C)"),
    ),
    test=ABC,
    applies_to="New Jersey Unemployment Compensation Law, Wage and Hour Law and Wage Payment Law",
    dates_note=(
        "The unemployment statute's ABC test is much older; 2015-01-14 is the recalled date of Hargrove v. "
        f"Sleepy's, which applied it to the wage laws {UNVERIFIED}."
    ),
    history=(
        Instrument(
            "NJDOL proposed rule codifying the ABC test",
            f"proposed N.J.A.C. 12:11 (57 N.J.R., 2025-05-05; cite {UNVERIFIED})",
            date(2025, 5, 5),
            PROPOSED_PAUSED,
            "Paused by Executive Order 7 (2026-01-23); ACR 177 objects. NJ proposals lapse about a year "
            f"after publication {UNVERIFIED}.",
        ),
    ),
    unverified=(
        f"Status of proposed N.J.A.C. 12:11 (adopted, re-proposed or expired) {UNVERIFIED}.",
        f"Hargrove v. Sleepy's date and citation {UNVERIFIED}.",
        f"How 'outside all places of business' treats remote work from the worker's home {UNVERIFIED}.",
    ),
    watch_for=(
        "N.J.A.C. 12:11 is adopted (apps/software as control evidence; insurance irrelevant to prong C)",
    ),
    notes=(
        "Prong B is met if the work is outside the usual course of business OR outside all places of "
        "business.",
    ),
)
