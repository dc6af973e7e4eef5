"""Illinois ABC test — only under specific statutes.

Illinois has no single classification test. The ABC test applies under the Wage Payment and Collection Act
(820 ILCS 115/2; Costello v. BeavEx, 810 F.3d 1045 (7th Cir. 2016)) and the Unemployment Insurance Act
(820 ILCS 405/212): free from control; outside the usual course of business **or** outside all places of
business; independently established trade. Other Illinois laws use other tests — the Minimum Wage Law
(overtime) an economic-reality test, workers' compensation and the Human Rights Act right-to-control or
economic-reality tests, construction the Employee Classification Act presumption — so a failing result
here is about wage payment (deductions, final pay, timely payment) and unemployment insurance, not
overtime. The Freelance Worker Protection Act (820 ILCS 193) adds contract and payment duties for
freelancers paid $500 or more by one client within 120 days.
"""

from __future__ import annotations

from datetime import date

from cadre.compliance.rules.abc_common import prong_a, prong_b, prong_c
from cadre.compliance.rules.base import ABC, IN_FORCE, UNVERIFIED, Instrument, RuleSet

IWPCA = "820 ILCS 115/2"
UI = "820 ILCS 405/212"

RULE_SET = RuleSet(
    id="abc_illinois",
    name="Illinois ABC test (Wage Payment and Collection Act; Unemployment Insurance Act)",
    version="2016-01-13.r1",
    citation=f"{IWPCA} (IWPCA); {UI} (UI Act); Costello v. BeavEx, Inc., 810 F.3d 1045 (7th Cir. 2016)",
    effective_from=date(2016, 1, 13),
    effective_to=None,
    status=IN_FORCE,
    status_note=(
        "In force, but only under the IWPCA and the Unemployment Insurance Act. The Illinois Minimum Wage "
        "Law (overtime) uses an economic-reality test, workers' compensation and the Human Rights Act use "
        "other tests, and construction has the Employee Classification Act presumption (820 ILCS 185)."
    ),
    jurisdiction="US-IL",
    factors=(
        prong_a(f"{IWPCA} (1); {UI}(A)"),
        prong_b(f"{IWPCA} (2); {UI}(B)", places_alternative=True),
        prong_c(f"{IWPCA} (3); {UI}(C)"),
    ),
    test=ABC,
    applies_to=(
        "Illinois Wage Payment and Collection Act and Unemployment Insurance Act only — not the Minimum "
        "Wage Law (overtime), workers' compensation or the Human Rights Act"
    ),
    dates_note=(
        "The statutes are older; 2016-01-13 is the recalled decision date of Costello v. BeavEx, which "
        f"applied the IWPCA's ABC definition {UNVERIFIED}."
    ),
    history=(
        Instrument(
            "Freelance Worker Protection Act",
            "820 ILCS 193",
            date(2024, 7, 1),
            IN_FORCE,
            "Written-contract and timely-payment duties for freelancers paid >= $500 by one client within "
            f"120 days; effective date and duties {UNVERIFIED}.",
        ),
    ),
    unverified=(
        f"Costello v. BeavEx decision date {UNVERIFIED}.",
        f"Exact lettering of the UI Act §212 prongs {UNVERIFIED}.",
        f"Freelance Worker Protection Act effective date (2024-07-01) and duties {UNVERIFIED}.",
    ),
    notes=(
        "ABC applies under the IWPCA and UI Act only; overtime claims under the Illinois Minimum Wage Law "
        "use an economic-reality test (see the FLSA regimes for the federal equivalent).",
    ),
)
