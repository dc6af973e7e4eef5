"""Golden tests of the NYC Local Law 144 bias audit (compliance.md §2c and the engine rules of §6)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from django.template import Context, Engine

from cadre.compliance import ll144, reports
from cadre.compliance.ll144 import AuditMetadata, CategoryError, LL144Config, ll144_audit

TOP_KEYS = {"mode", "median", "tables", "unknown", "excluded", "config"}
ROW_KEYS = {"category", "sex", "race_ethnicity", "n", "selected_or_above", "rate", "impact_ratio", "excluded"}


def people(*groups):
    """(sex, race, selected, count) groups -> the three parallel lists."""
    sex, race, selected = [], [], []
    for s, r, sel, count in groups:
        sex += [s] * count
        race += [r] * count
        selected += [sel] * count
    return sex, race, selected


def audit(*groups, **kwargs):
    sex, race, selected = people(*groups)
    return ll144_audit(sex, race, selected=selected, **kwargs)


def row(report, table, category):
    return next(r for r in report["tables"][table] if r["category"] == category)


# --- shape ----------------------------------------------------------------------------------------------


def test_exact_json_shape():
    report = audit(
        ("Male", "White", True, 30),
        ("Male", "White", False, 20),
        ("Female", "Black or African American", True, 20),
        ("Female", "Black or African American", False, 30),
        ("Male", "Black or African American", True, 10),
        ("Female", "White", True, 10),
    )
    json.dumps(report)
    assert set(report) == TOP_KEYS  # no "warnings" when every table is meaningful
    assert report["mode"] == "selection" and report["median"] is None
    assert set(report["tables"]) == {"sex", "race_ethnicity", "intersectional"}
    assert set(report["unknown"]) == {"sex", "race_ethnicity", "intersectional"}
    for rows in report["tables"].values():
        for r in rows:
            assert set(r) == ROW_KEYS
    male = row(report, "sex", "Male")
    assert male == {
        "category": "Male",
        "sex": "Male",
        "race_ethnicity": None,
        "n": 60,
        "selected_or_above": 40,
        "rate": 0.666667,
        "impact_ratio": 1.0,
        "excluded": False,
    }
    female = row(report, "sex", "Female")
    assert female["rate"] == 0.5 and female["impact_ratio"] == 0.75  # (30/60) / (40/60)
    black_female = row(report, "intersectional", "Black or African American / Female")
    assert black_female["sex"] == "Female" and black_female["race_ethnicity"] == "Black or African American"
    # categories in canonical order, only those with people
    assert [r["category"] for r in report["tables"]["race_ethnicity"]] == [
        "White",
        "Black or African American",
    ]
    assert [r["category"] for r in report["tables"]["intersectional"]] == [
        "White / Male",
        "White / Female",
        "Black or African American / Male",
        "Black or African American / Female",
    ]


def test_config_records_every_choice_and_the_audit_metadata():
    meta = AuditMetadata(
        tool="Cadre matching score",
        tool_version="2.1",
        audit_date=date(2026, 11, 26),
        data_source="historical applicants 2025",
        distribution_date=date(2025, 3, 1),
        auditor="Independent Audits LLC",
    )
    report = audit(("Male", "White", True, 5), ("Female", "Asian", False, 5), metadata=meta)
    config = report["config"]
    assert config["audit"] == {
        "tool": "Cadre matching score",
        "tool_version": "2.1",
        "audit_date": "2026-11-26",
        "data_source": "historical applicants 2025",
        "distribution_date": "2025-03-01",
        "auditor": "Independent Audits LLC",
    }
    assert config["mode"] == "selection" and config["sample_size"] == 10
    assert config["exclusion_threshold"] == 0.02 and config["exclusion_threshold_exact"] == "1/50"
    assert config["exclusion_base"] == "sample" and config["strict_categories"] is True
    assert config["unknown_in_median"] is True
    assert config["categories"]["race_ethnicity"] == list(ll144.RACE_ETHNICITY)
    assert "independently" in config["tables"]


# --- engine rules ---------------------------------------------------------------------------------------


def test_reference_is_the_highest_rate_category_not_the_largest():
    report = audit(
        ("Male", "White", True, 50), ("Male", "White", False, 50), ("Female", "Asian", True, 9),
        ("Female", "Asian", False, 1),
    )  # fmt: skip
    assert row(report, "race_ethnicity", "Asian")["impact_ratio"] == 1.0
    assert row(report, "race_ethnicity", "White")["impact_ratio"] == 0.555556  # (1/2) / (9/10)
    assert row(report, "sex", "Male")["impact_ratio"] == 0.555556


def test_ratio_of_exactly_four_fifths():
    report = audit(
        ("Male", "White", True, 60), ("Male", "White", False, 40),
        ("Female", "White", True, 48), ("Female", "White", False, 52),
    )  # fmt: skip
    female = row(report, "sex", "Female")
    assert female["impact_ratio"] == 0.8
    assert reports.below_four_fifths(female["impact_ratio"]) is False
    assert reports.below_four_fifths(0.799999) is True


def test_unknowns_are_excluded_from_rates_but_counted():
    report = audit(
        ("Male", "White", True, 5), ("Male", "White", False, 5),
        ("Female", "Asian", True, 4), ("Female", "Asian", False, 6),
        ("", "Asian", True, 3),  # unknown sex, known race
        ("Unknown", "", True, 2),  # both unknown
        ("female", "unknown", False, 1),  # known sex, unknown race
    )  # fmt: skip
    assert row(report, "sex", "Male")["rate"] == 0.5
    female = row(report, "sex", "Female")
    assert female["n"] == 11 and female["selected_or_above"] == 4
    assert report["unknown"] == {"sex": 5, "race_ethnicity": 3, "intersectional": 6}
    assert sum(r["n"] for r in report["tables"]["sex"]) + report["unknown"]["sex"] == 26
    asian = row(report, "race_ethnicity", "Asian")
    assert asian["n"] == 13 and asian["selected_or_above"] == 7  # the unknown-sex people count here
    assert row(report, "intersectional", "Asian / Female")["n"] == 10


def test_intersectional_disparity_hidden_by_equal_marginals():
    report = audit(
        ("Male", "White", True, 10), ("Male", "White", False, 40),
        ("Female", "White", True, 40), ("Female", "White", False, 10),
        ("Male", "Black or African American", True, 40), ("Male", "Black or African American", False, 10),
        ("Female", "Black or African American", True, 10), ("Female", "Black or African American", False, 40),
    )  # fmt: skip
    for table in ("sex", "race_ethnicity"):
        assert [(r["rate"], r["impact_ratio"]) for r in report["tables"][table]] == [(0.5, 1.0), (0.5, 1.0)]
    black_female = row(report, "intersectional", "Black or African American / Female")
    assert black_female["rate"] == 0.2 and black_female["impact_ratio"] == 0.25
    assert row(report, "intersectional", "White / Female")["impact_ratio"] == 1.0


def test_scoring_mode_counts_strictly_above_the_median():
    sex = ["Male", "Male", "Male", "Female", "Female", "Female"]
    race = ["White", "Black or African American", "White", "Black or African American", "White", "Asian"]
    scores = [1, 2, 3, 2, 2, 4]  # median of the full sample = 2; three people sit exactly on it
    report = ll144_audit(sex, race, scores=scores)
    assert report["mode"] == "scoring" and report["median"] == 2.0
    male, female = row(report, "sex", "Male"), row(report, "sex", "Female")
    assert (male["selected_or_above"], female["selected_or_above"]) == (1, 1)  # ">=" would give 2 and 3
    assert male["impact_ratio"] == female["impact_ratio"] == 1.0
    assert "strictly above" in report["config"]["rate"]


def test_scoring_median_with_an_even_sample_and_decimal_scores():
    report = ll144_audit(
        ["Male", "Female", "Male", "Female"], ["White"] * 4, scores=["0.1", "0.2", "0.15", "0.3"]
    )
    assert report["median"] == 0.175
    assert row(report, "sex", "Male")["selected_or_above"] == 0
    assert row(report, "sex", "Female")["selected_or_above"] == 2


def test_median_with_or_without_unknown_people():
    sex = ["Male", "Female", "Male", "Female", "", "", ""]
    race = ["White", "White", "Asian", "Asian", "White", "Asian", ""]
    scores = [1, 2, 3, 4, 10, 10, 10]
    included = ll144_audit(sex, race, scores=scores)
    assert included["median"] == 4.0 and included["config"]["median_n"] == 7
    excluded = ll144_audit(sex, race, scores=scores, config=LL144Config(unknown_in_median=False))
    assert excluded["median"] == 2.5 and excluded["config"]["median_n"] == 4
    assert excluded["config"]["unknown_in_median"] is False
    assert "known" in excluded["config"]["median_sample"]
    assert row(excluded, "sex", "Female")["selected_or_above"] == 1


def test_two_percent_exclusion_is_reported_with_count_rate_and_justification():
    report = audit(
        ("Male", "White", True, 30), ("Male", "White", False, 30),
        ("Female", "Black or African American", True, 15), ("Female", "Black or African American", False, 24),
        ("Female", "Asian", True, 1),  # 1 of 100 = 1% < 2%, and a 100% rate that must not set the reference
    )  # fmt: skip
    asian = row(report, "race_ethnicity", "Asian")
    assert asian == {
        "category": "Asian",
        "sex": None,
        "race_ethnicity": "Asian",
        "n": 1,
        "selected_or_above": 1,
        "rate": 1.0,
        "impact_ratio": None,
        "excluded": True,
    }
    assert row(report, "race_ethnicity", "White")["impact_ratio"] == 1.0  # 0.5 is the top once Asian is out
    assert row(report, "race_ethnicity", "Black or African American")["impact_ratio"] == 0.769231
    entry = next(e for e in report["excluded"] if e["table"] == "race_ethnicity")
    assert (
        entry["category"] == "Asian" and entry["n"] == 1 and entry["rate"] == 1.0 and entry["share"] == 0.01
    )
    assert "2%" in entry["justification"] and "1 of the 100" in entry["justification"]
    assert "§5-301(d)" in entry["justification"]
    assert {(e["table"], e["category"]) for e in report["excluded"]} == {
        ("race_ethnicity", "Asian"),
        ("intersectional", "Asian / Female"),
    }


def test_exactly_two_percent_is_kept():
    report = audit(
        ("Male", "White", True, 49), ("Male", "White", False, 49), ("Female", "Asian", True, 2)
    )  # fmt: skip
    asian = row(report, "race_ethnicity", "Asian")
    assert asian["excluded"] is False and asian["impact_ratio"] == 1.0


def test_exclusion_base_and_switching_it_off():
    groups = (
        ("Male", "White", True, 30), ("Male", "White", False, 30),
        ("Female", "Black or African American", True, 19), ("Female", "Black or African American", False, 19),
        ("Female", "Asian", True, 2),
        ("Male", "", False, 10),
    )  # fmt: skip
    by_sample = audit(*groups)  # Asian: 2 of 110 = 1.8%
    assert row(by_sample, "race_ethnicity", "Asian")["excluded"] is True
    by_dimension = audit(*groups, config=LL144Config(exclusion_base="dimension"))  # 2 of 100 = 2%
    assert row(by_dimension, "race_ethnicity", "Asian")["excluded"] is False
    assert by_dimension["config"]["exclusion_base"] == "dimension"
    off = audit(*groups, config=LL144Config(exclusion_threshold=Fraction(0)))
    assert off["excluded"] == [] and row(off, "race_ethnicity", "Asian")["impact_ratio"] == 1.0
    assert off["config"]["exclusion_rule"] == "off"


def test_one_category_only_is_a_labelled_partial_report():
    report = audit(("Male", "White", True, 3), ("Male", "Asian", False, 3))
    assert set(report) == TOP_KEYS | {"warnings"}
    assert any("Sex" in w and "not meaningful" in w for w in report["warnings"])
    assert row(report, "sex", "Male")["impact_ratio"] is None
    assert row(report, "race_ethnicity", "White")["impact_ratio"] == 1.0


def test_nobody_selected_warns_that_ratios_are_undefined():
    report = audit(("Male", "White", False, 3), ("Female", "Asian", False, 3))
    assert all(r["impact_ratio"] is None for rows in report["tables"].values() for r in rows)
    assert any("undefined" in w for w in report["warnings"])


# --- category names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("white", "White"),
        ("  BLACK OR AFRICAN  american ", "Black or African American"),
        ("American Indian or Alaska Native", "Native American or Alaska Native"),
        (
            "Native Hawaiian or Other Pacific Islander (Not Hispanic or Latino)",
            "Native Hawaiian or Pacific Islander",
        ),
        ("Two or More Races (Not Hispanic or Latino)", "Two or More Races"),
        ("hispanic or latino", "Hispanic or Latino"),
        ("", None),
        ("Unknown", None),
        (None, None),
    ],
)
def test_race_names(value, expected):
    assert ll144.normalize_category("race_ethnicity", value) == expected


def test_unknown_category_names_are_an_error_listing_names_and_rows():
    with pytest.raises(CategoryError) as caught:
        ll144_audit(
            ["Male", "M", "Female", "M", "X"],
            ["White", "White", "Caucasian", "Asian", "White"],
            selected=[True] * 5,
            rows=[2, 3, 4, 5, 6],
        )
    message = str(caught.value)
    assert "'M' (rows 3, 5)" in message and "'X' (row 6)" in message
    assert "'Caucasian' (row 4)" in message
    assert "Male, Female" in message
    assert caught.value.unknown == {"sex": {"M": [3, 5], "X": [6]}, "race_ethnicity": {"Caucasian": [4]}}


def test_lenient_mode_counts_unknown_names_as_unknown_and_says_so():
    report = ll144_audit(
        ["Male", "M", "Female", "Female"],
        ["White", "White", "Asian", "Asian"],
        selected=[True, True, False, True],
        config=LL144Config(strict=False),
    )
    assert report["unknown"]["sex"] == 1
    assert report["config"]["strict_categories"] is False
    assert report["config"]["read_as_unknown"] == {"sex": {"M": 1}, "race_ethnicity": {}}
    assert any("'M'" in w for w in report["warnings"])


# --- bad input ----------------------------------------------------------------------------------------------


def test_bad_arguments():
    with pytest.raises(ValueError, match="exactly one"):
        ll144_audit(["Male"], ["White"])
    with pytest.raises(ValueError, match="exactly one"):
        ll144_audit(["Male"], ["White"], selected=[True], scores=[1])
    with pytest.raises(ValueError, match="one value per person"):
        ll144_audit(["Male", "Female"], ["White"], selected=[True, False])
    with pytest.raises(ValueError, match="empty"):
        ll144_audit([], [], selected=[])
    with pytest.raises(ValueError, match="row 2: score 'nan'"):
        ll144_audit(["Male", "Female"], ["White", "White"], scores=[1, "nan"])
    with pytest.raises(ValueError, match="not a finite number"):
        ll144_audit(["Male"], ["White"], scores=[float("inf")])
    with pytest.raises(ValueError, match="no one with a known"):
        ll144_audit(["", "Male"], ["White", ""], scores=[1, 2], config=LL144Config(unknown_in_median=False))


# --- renderings ---------------------------------------------------------------------------------------------


def sample_report():
    return audit(
        ("Male", "White", True, 30), ("Male", "White", False, 30),
        ("Female", "Black or African American", True, 10), ("Female", "Black or African American", False, 29),
        ("Female", "Asian", True, 1), ("", "White", True, 4),
        metadata=AuditMetadata(tool="Screener", audit_date=date(2026, 11, 26), data_source="test data",
                               distribution_date=date(2026, 1, 5)),
    )  # fmt: skip


def test_html_template_renders_standalone_with_django_engine():
    templates = Path(ll144.__file__).parent / "templates"
    engine = Engine(dirs=[str(templates)])
    html = engine.get_template("compliance/ll144_report.html").render(
        Context(reports.html_context(sample_report()))
    )
    assert '<section class="ll144"' in html and "<svg" in html
    assert "2026-11-26" in html and "2026-01-05" in html and "test data" in html
    assert "below 0.8" in html and "excluded" in html and "Unknown (not in rates)" in html
    full = reports.ll144_html(sample_report(), full_page=True)
    assert full.startswith("<!doctype html>") and "<title>Bias audit: Screener</title>" in full


def test_csv_has_one_row_per_category_plus_unknowns():
    import csv
    import io

    text = reports.ll144_csv(sample_report())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(reports.CSV_FIELDS)
    assert {r["audit_date"] for r in rows} == {"2026-11-26"}
    assert {r["distribution_date"] for r in rows} == {"2026-01-05"}
    unknown = [r for r in rows if r["category"] == "Unknown"]
    assert [(r["table"], r["n"]) for r in unknown] == [
        ("sex", "4"),
        ("race_ethnicity", "0"),
        ("intersectional", "4"),
    ]
    asian = next(r for r in rows if r["table"] == "race_ethnicity" and r["category"] == "Asian")
    assert asian["excluded"] == "yes" and asian["impact_ratio"] == "" and "§5-301(d)" in asian["note"]
    female = next(r for r in rows if r["table"] == "sex" and r["category"] == "Female")
    assert female["n"] == "40" and female["rate"] == "0.275"


def test_pdf_is_a_pdf():
    data = reports.ll144_pdf(sample_report())
    assert data.startswith(b"%PDF") and len(data) > 2000
