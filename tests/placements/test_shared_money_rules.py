"""The shared helpers the placements modules use: cents rounding per currency (core.money.to_cents), the
CSV-safe cell (core.csvsafe), the one margin rule (economics.rate_warnings), and the LL144 CSV using it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from cadre.compliance.reports import ll144_csv
from cadre.core.csvsafe import safe_cell, safe_text
from cadre.core.money import Money, minor_unit, to_cents
from cadre.placements import economics, offer_terms

D = Decimal


def test_to_cents_rounds_half_up_per_currency():
    assert to_cents(D("1.005"), "USD") == D("1.01")
    assert to_cents(D("-1.005"), "EUR") == D("-1.01")
    assert to_cents(D("1234.5"), "JPY") == D("1235")  # yen have no minor unit
    assert minor_unit("JPY") == 1 and minor_unit("GBP") == D("0.01")
    assert str(Money(D("99.5"), "JPY")) == "100 JPY"


def test_csv_cells_escape_text_only():
    assert safe_cell(D("-1234.50")) == D("-1234.50")
    assert safe_cell(-3) == -3 and safe_cell(-0.5) == -0.5
    assert safe_cell(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2) and safe_cell(None) is None
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("-1234.50") == "'-1234.50"  # text that looks like a number is still text
    assert safe_cell(True) == "True"
    assert [safe_text(s) for s in ("+1", "@a", "\tx", "\nx", "Ana")] == ["'+1", "'@a", "'\tx", "'\nx", "Ana"]


def test_one_margin_rule_with_codes():
    (neg,) = economics.rate_warnings(D(60), D(55))
    assert neg.code == economics.NEGATIVE_MARGIN and neg.text.startswith("negative margin")
    (zero,) = economics.rate_warnings(D(60), D(60))
    assert zero.code == economics.ZERO_MARGIN
    assert economics.rate_warnings(D(60), D(95)) == [] and economics.rate_warnings(None, D(1)) == []
    assert economics.is_negative_margin(D(60), D(55)) and not economics.is_negative_margin(D(60), D(60))
    assert offer_terms.margin_warnings(D(60), D(55)) == [neg.text]
    assert economics.markup_of(D(20), D(30)) == D("0.5") and economics.markup_of(D(0), D(30)) is None


def test_ll144_csv_escapes_text_cells():
    row = {
        "category": "=cmd|' /C calc'!A0",
        "sex": "Female",
        "race_ethnicity": None,
        "n": 12,
        "selected_or_above": 6,
        "rate": 0.5,
        "impact_ratio": 0.75,
        "excluded": False,
    }
    report = {
        "mode": "selection",
        "median": None,
        "config": {"audit": {"auditor": "@Ana Auditor", "tool": "Cadre"}, "sample_size": 12},
        "tables": {"sex": [row], "race_ethnicity": [], "intersectional": []},
        "unknown": {"sex": 0, "race_ethnicity": 0, "intersectional": 0},
        "excluded": [],
    }
    rows = list(csv.DictReader(io.StringIO(ll144_csv(report))))
    first = rows[0]
    assert first["category"] == "'=cmd|' /C calc'!A0" and first["auditor"] == "'@Ana Auditor"
    assert (first["n"], first["rate"], first["impact_ratio"]) == ("12", "0.5", "0.75")
