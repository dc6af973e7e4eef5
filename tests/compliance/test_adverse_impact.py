"""Golden tests of the adverse-impact statistics (compliance.md §2a fixtures AI-1 to AI-4, plus hand-made
cases): highest-rate reference, exact four-fifths boundary, z and Fisher tests, small-sample warnings."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest

from cadre.compliance import adverse_impact as ai
from cadre.compliance.adverse_impact import (
    GroupCounts,
    adverse_impact_report,
    fisher_exact,
    selection_table,
    tally,
    two_proportion_z,
)


def rows_by_group(counts):
    return {r.group: r for r in selection_table(counts)}


# --- AI-1 .. AI-4 ----------------------------------------------------------------------------------------


def test_ai1_white_48_of_80_black_12_of_40():
    rows = rows_by_group({"White": (48, 80), "Black": (12, 40)})
    white, black = rows["White"], rows["Black"]
    assert white.is_reference and white.impact_ratio == 1
    assert black.rate == Fraction(3, 10)
    assert black.impact_ratio == Fraction(1, 2)
    assert black.below_four_fifths is True
    assert black.z == pytest.approx(-3.098, abs=5e-4)
    assert black.p_z == pytest.approx(0.00195, abs=5e-6)
    assert black.fisher_p == pytest.approx(0.0034092, abs=5e-8)
    assert black.one_person_flip is False
    # the reference group is not tested against itself
    assert white.z is None and white.p_z is None and white.fisher_p is None


def test_ai2_ugesp_example_only_american_indians_flagged():
    rows = rows_by_group(
        {"White": (60, 100), "American Indian": (45, 100), "Hispanic": (48, 100), "Black": (51, 100)}
    )
    assert rows["American Indian"].impact_ratio == Fraction(3, 4)
    assert rows["Hispanic"].impact_ratio == Fraction(4, 5)
    assert rows["Black"].impact_ratio == Fraction(17, 20)
    flagged = sorted(g for g, r in rows.items() if r.below_four_fifths)
    assert flagged == ["American Indian"]


def test_ai3_exactly_four_fifths_is_not_flagged():
    rows = rows_by_group({"A": (48, 100), "B": (60, 100)})
    assert rows["A"].impact_ratio == Fraction(4, 5)  # exact, not 0.7999999...
    assert rows["A"].below_four_fifths is False
    just_below = rows_by_group({"A": (47, 100), "B": (60, 100)})["A"]
    assert just_below.impact_ratio == Fraction(47, 60) and just_below.below_four_fifths is True
    # the same boundary with unequal group sizes: 24/50 against 60/100
    assert rows_by_group({"A": (24, 50), "B": (60, 100)})["A"].below_four_fifths is False


def test_ai4_reference_is_the_highest_rate_not_the_largest_group():
    rows = rows_by_group({"Large": (500, 1000), "Small": (9, 10)})
    assert rows["Small"].is_reference and not rows["Large"].is_reference
    assert rows["Large"].impact_ratio == Fraction(5, 9)
    assert rows["Large"].as_dict()["impact_ratio"] == 0.555556
    assert rows["Large"].below_four_fifths is True
    assert any("small group" in w for w in rows["Small"].warnings)
    assert rows["Large"].fisher_p == pytest.approx(0.020916447815364225, rel=1e-9)


# --- reference ties, undefined cases ------------------------------------------------------------------------


def test_tied_highest_rates_prefer_the_larger_group_then_the_name():
    rows = rows_by_group({"B": (5, 10), "A": (50, 100), "C": (10, 40)})
    assert rows["A"].is_reference and not rows["B"].is_reference
    assert rows["A"].impact_ratio == rows["B"].impact_ratio == 1
    assert rows["C"].impact_ratio == Fraction(1, 2)
    same_size = rows_by_group({"Zed": (5, 10), "Amy": (5, 10)})
    assert same_size["Amy"].is_reference and same_size["Zed"].impact_ratio == 1


def test_nobody_selected_leaves_ratios_undefined():
    report = adverse_impact_report({"A": (0, 10), "B": (0, 20)})
    assert report["reference"] is None
    assert all(g["impact_ratio"] is None and g["below_four_fifths"] is None for g in report["groups"])
    assert report["partial"] is True and "undefined" in report["warnings"][0]


def test_one_group_only_is_a_labelled_partial_report():
    report = adverse_impact_report({"Only": (3, 10)}, unknown=2)
    assert report["partial"] is True
    assert "not meaningful" in report["warnings"][0]
    assert report["unknown"] == 2
    assert report["groups"][0]["impact_ratio"] == 1.0


def test_empty_group_has_no_rate():
    rows = rows_by_group({"A": (5, 10), "B": (0, 0)})
    assert rows["B"].rate is None and rows["B"].impact_ratio is None and rows["B"].below_four_fifths is None
    assert rows["B"].z is None


@pytest.mark.parametrize(
    "args", [("G", 5, 4), ("G", -1, 4), ("G", 1, -1)], ids=["selected>total", "negative", "neg-total"]
)
def test_group_counts_are_validated(args):
    with pytest.raises(ValueError):
        GroupCounts(*args)


def test_counts_must_be_integers():
    with pytest.raises(TypeError):
        GroupCounts("G", 1.5, 4)  # type: ignore[arg-type]


# --- the tests ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table, expected",
    [
        ((3, 1, 1, 3), 0.48571428571428565),  # Fisher's tea-tasting table
        ((1, 9, 11, 3), 0.0027594561852200836),
        ((45, 55, 60, 40), 0.04716548538301931),
        ((0, 5, 5, 0), 0.007936507936507938),
        ((5, 5, 5, 5), 1.0),
        ((0, 0, 3, 4), 1.0),
    ],
)
def test_fisher_exact_known_values(table, expected):
    assert fisher_exact(*table) == pytest.approx(expected, rel=1e-12)


def test_fisher_log_path_matches_exact_path(monkeypatch):
    exact = fisher_exact(130, 270, 180, 220)
    monkeypatch.setattr(ai, "_EXACT_FISHER_MAX_N", 0)
    assert fisher_exact(130, 270, 180, 220) == pytest.approx(exact, rel=1e-9)


def test_fisher_and_z_agree_with_scipy_on_random_tables():
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(7)
    for _ in range(300):
        a, b, c, d = (rng.randint(0, 30) for _ in range(4))
        assert fisher_exact(a, b, c, d) == pytest.approx(
            stats.fisher_exact([[a, b], [c, d]])[1], rel=1e-9, abs=1e-15
        )


def test_two_proportion_z_formula_and_undefined_cases():
    z, p = two_proportion_z(12, 40, 48, 80)
    assert z == pytest.approx(-0.3 / (0.25 * (1 / 40 + 1 / 80)) ** 0.5)
    assert p == pytest.approx(0.0019457736937391575, rel=1e-12)
    assert two_proportion_z(0, 10, 0, 20) == (None, None)  # pooled variance 0
    assert two_proportion_z(10, 10, 20, 20) == (None, None)
    assert two_proportion_z(1, 0, 1, 2) == (None, None)
    assert abs(two_proportion_z(30, 50, 30, 50)[0] or 0) == 0.0


# --- small-sample warnings -------------------------------------------------------------------------------


def test_one_person_flip_warning():
    rows = rows_by_group({"Ref": (2, 3), "Focal": (1, 3)})
    focal = rows["Focal"]
    assert focal.below_four_fifths and focal.one_person_flip
    assert any("one-person flip" in w for w in focal.warnings)
    assert any("expected cell" in w for w in focal.warnings)
    assert any("small group" in w for w in focal.warnings)


def test_large_balanced_groups_have_no_warnings():
    rows = rows_by_group({"A": (300, 1000), "B": (280, 1000)})
    assert rows["B"].warnings == () and rows["A"].warnings == ()


# --- JSON and tallies -------------------------------------------------------------------------------------


def test_report_is_json_ready_with_exact_fractions():
    report = adverse_impact_report({"White": (48, 80), "Black": (12, 40)}, unknown=3)
    json.dumps(report)
    black = next(g for g in report["groups"] if g["group"] == "Black")
    assert black["rate"] == 0.3 and black["rate_exact"] == "3/10"
    assert black["impact_ratio"] == 0.5 and black["impact_ratio_exact"] == "1/2"
    assert black["fisher_p"] == 0.00340922 and black["p_z"] == 0.00194577 and black["z"] == -3.098387
    white = next(g for g in report["groups"] if g["group"] == "White")
    assert white["impact_ratio_exact"] == "1/1" and white["reference"] is True
    assert report["reference"] == "White" and report["flagged"] == ["Black"]
    assert report["total"] == 120 and report["unknown"] == 3
    assert report["warnings"] == [] and report["partial"] is False
    assert report["config"]["threshold"] == "4/5"


def test_tally_counts_unknowns_separately():
    counts, unknown = tally([("A", True), ("B", False), (None, True), ("A", False), (None, False)])
    assert counts == {"A": (1, 2), "B": (0, 1)}
    assert unknown == 2
