"""`cadre audit adverse-impact` and `cadre audit ll144` on CSV files: JSON shape, report files, and clear
errors for bad input."""

from __future__ import annotations

import csv
import io
import json
import statistics
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

ROW_KEYS = {"category", "sex", "race_ethnicity", "n", "selected_or_above", "rate", "impact_ratio", "excluded"}


def write_csv(tmp_path, header, rows, name="data.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_json(*args):
    out = StringIO()
    call_command("audit", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def ai1_file(tmp_path):
    rows = (
        [["White", "yes"]] * 48
        + [["White", "no"]] * 32
        + [["Black", "1"]] * 12
        + [["Black", "0"]] * 28
        + [["", "TRUE"], ["unknown", "false"]]
    )
    return write_csv(tmp_path, ["race", "hired"], rows)


def ll144_rows():
    """Sex x race with a strong sex effect; one Asian person (under 2%); three unknowns."""
    rows = []
    for i in range(40):
        rows.append(["Male", "White", "1" if i < 24 else "0", 60 + i % 10])
        rows.append(["Female", "White", "1" if i < 12 else "0", 50 + i % 10])
    for i in range(20):
        rows.append(["Male", "Black or African American", "1" if i < 10 else "0", 58 + i % 10])
        rows.append(["female", "black or african american", "1" if i < 6 else "0", 49 + i % 10])
    rows.append(["Female", "Asian", "1", 90])
    rows += [["", "White", "1", 70], ["Unknown", "", "0", 40], ["Male", "unknown", "1", 65]]
    return rows


def ll144_file(tmp_path, rows=None, name="aedt.csv"):
    return write_csv(tmp_path, ["sex", "race_ethnicity", "selected", "score"], rows or ll144_rows(), name)


# --- adverse-impact -------------------------------------------------------------------------------------


def test_adverse_impact_json(tmp_path):
    report = run_json(
        "adverse-impact", str(ai1_file(tmp_path)), "--group-col", "race", "--selected-col", "hired"
    )
    assert report["group_cols"] == ["race"] and report["selected_col"] == "hired"
    assert report["rows"] == 122 and report["unknown"] == 2 and report["total"] == 120
    assert report["reference"] == "White" and report["flagged"] == ["Black"]
    black = next(g for g in report["groups"] if g["group"] == "Black")
    assert black["impact_ratio"] == 0.5 and black["impact_ratio_exact"] == "1/2"
    assert black["z"] == pytest.approx(-3.098, abs=5e-4)
    assert black["p_z"] == pytest.approx(0.00195, abs=5e-6)
    assert black["fisher_p"] == pytest.approx(0.0034092, abs=5e-8)
    assert report["partial"] is False and report["warnings"] == []


def test_adverse_impact_boundary_and_intersection(tmp_path):
    rows = (
        [["F", "x", "1"]] * 24 + [["F", "y", "1"]] * 24 + [["F", "x", "0"]] * 52
        + [["M", "x", "1"]] * 60 + [["M", "y", "0"]] * 40
    )  # fmt: skip
    path = write_csv(tmp_path, ["Sex", "site", "sel"], rows)
    report = run_json("adverse-impact", str(path), "--group-col", "sex", "--selected-col", "SEL")
    female = next(g for g in report["groups"] if g["group"] == "F")
    assert female["impact_ratio_exact"] == "4/5" and female["below_four_fifths"] is False
    assert report["group_cols"] == ["Sex"]  # matched ignoring case
    both = run_json(
        "adverse-impact", str(path), "--group-col", "sex", "--group-col", "site", "--selected-col", "sel"
    )
    assert [g["group"] for g in both["groups"]] == ["F / x", "F / y", "M / x", "M / y"]
    assert both["reference"] == "M / x"  # F / y and M / x both select 100%: the larger group wins the tie
    assert {g["group"]: g["impact_ratio"] for g in both["groups"]}["F / y"] == 1.0


def test_adverse_impact_one_group_is_a_partial_report(tmp_path):
    path = write_csv(tmp_path, ["g", "s"], [["A", "yes"], ["A", "no"], ["", "no"]])
    report = run_json("adverse-impact", str(path), "--group-col", "g", "--selected-col", "s")
    assert report["partial"] is True and "not meaningful" in report["warnings"][0]
    assert report["unknown"] == 1


def test_adverse_impact_readable_output(tmp_path):
    out = StringIO()
    call_command(
        "audit", "adverse-impact", str(ai1_file(tmp_path)), "--group-col", "race", "--selected-col", "hired",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "White (reference)" in text and "0.5000" in text and "Impact ratio" in text
    assert "2 row(s) with an unknown group" in text


# --- ll144 ----------------------------------------------------------------------------------------------


def test_ll144_selection_json_shape(tmp_path):
    report = run_json("ll144", str(ll144_file(tmp_path)), "--selected-col", "selected")
    assert set(report) == {"mode", "median", "tables", "unknown", "excluded", "config"}
    assert report["mode"] == "selection" and report["median"] is None
    for rows in report["tables"].values():
        assert all(set(r) == ROW_KEYS for r in rows)
    sex = {r["category"]: r for r in report["tables"]["sex"]}
    assert (sex["Male"]["n"], sex["Male"]["selected_or_above"]) == (61, 35)
    assert (sex["Female"]["n"], sex["Female"]["selected_or_above"]) == (61, 19)
    assert sex["Female"]["impact_ratio"] == round(19 / 35, 6)
    assert report["unknown"] == {"sex": 2, "race_ethnicity": 2, "intersectional": 3}
    assert [(e["table"], e["category"]) for e in report["excluded"]] == [
        ("race_ethnicity", "Asian"),
        ("intersectional", "Asian / Female"),
    ]
    assert report["config"]["input"] == {
        "file": "aedt.csv",
        "sex_column": "sex",
        "race_ethnicity_column": "race_ethnicity",
        "selected_column": "selected",
    }
    assert report["config"]["audit"]["data_source"] == "CSV file aedt.csv (124 rows)"


def test_ll144_scoring_with_reports(tmp_path):
    out_csv, out_pdf, out_html = tmp_path / "s.csv", tmp_path / "s.pdf", tmp_path / "s.html"
    err = StringIO()
    out = StringIO()
    call_command(
        "audit", "ll144", str(ll144_file(tmp_path)), "--score-col", "score", "--json",
        "--csv", str(out_csv), "--pdf", str(out_pdf), "--html", str(out_html),
        "--data-source", "2025 applicants to NYC roles", "--distribution-date", "2025-02-01",
        "--audit-date", "2026-11-20", "--tool", "Cadre screening score", "--tool-version", "1.4",
        "--no-unknown-in-median",
        stdout=out, stderr=err,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["mode"] == "scoring"
    assert report["config"]["unknown_in_median"] is False and report["config"]["median_n"] == 121
    assert report["config"]["input"]["score_column"] == "score"
    assert report["config"]["audit"] == {
        "tool": "Cadre screening score",
        "tool_version": "1.4",
        "audit_date": "2026-11-20",
        "data_source": "2025 applicants to NYC roles",
        "distribution_date": "2025-02-01",
        "auditor": "",
    }
    known = [r[3] for r in ll144_rows() if r[0] not in ("", "Unknown") and r[1] not in ("", "unknown")]
    assert report["median"] == statistics.median(known)
    above = sum(r["selected_or_above"] for r in report["tables"]["sex"])
    assert above == sum(r[3] > report["median"] for r in ll144_rows() if r[0] not in ("", "Unknown"))
    assert out_pdf.read_bytes().startswith(b"%PDF")
    html = out_html.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "Cadre screening score" in html
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert {r["data_source"] for r in rows} == {"2025 applicants to NYC roles"}
    assert {r["distribution_date"] for r in rows} == {"2025-02-01"}
    assert {r["audit_date"] for r in rows} == {"2026-11-20"}
    assert sum(r["category"] == "Unknown" for r in rows) == 3
    assert "wrote PDF report" in err.getvalue()


def test_ll144_scoring_ties_at_the_median(tmp_path):
    rows = [
        ["Male", "White", "", "1"],
        ["Male", "Asian", "", "2"],
        ["Male", "White", "", "3"],
        ["Female", "Asian", "", "2"],
        ["Female", "White", "", "2"],
        ["Female", "Asian", "", "4"],
    ]
    report = run_json("ll144", str(ll144_file(tmp_path, rows)), "--score-col", "score")
    assert report["median"] == 2.0
    assert [(r["category"], r["selected_or_above"]) for r in report["tables"]["sex"]] == [
        ("Male", 1),
        ("Female", 1),
    ]


def test_ll144_readable_output(tmp_path):
    out = StringIO()
    call_command("audit", "ll144", str(ll144_file(tmp_path)), "--selected-col", "selected", stdout=out)
    text = out.getvalue()
    for expected in ("LL144 bias audit", "Sex", "Race/ethnicity", "Intersectional", "Unknown (not in rates)"):
        assert expected in text
    assert "excluded:" in text


def test_ll144_one_group_only_is_partial(tmp_path):
    rows = [["Male", "White", "1", "1"], ["Male", "Asian", "0", "2"], ["Male", "White", "0", "3"]]
    report = run_json("ll144", str(ll144_file(tmp_path, rows)), "--selected-col", "selected")
    assert any("not meaningful" in w for w in report["warnings"])
    assert report["tables"]["sex"][0]["impact_ratio"] is None


def test_ll144_lenient(tmp_path):
    rows = [["M", "White", "1", "1"], ["Female", "Caucasian", "0", "2"], ["Male", "Asian", "1", "3"]]
    with pytest.raises(CommandError, match=r"'M' \(row 2\).*'Caucasian' \(row 3\)"):
        run_json("ll144", str(ll144_file(tmp_path, rows)), "--selected-col", "selected")
    report = run_json("ll144", str(ll144_file(tmp_path, rows)), "--selected-col", "selected", "--lenient")
    assert report["unknown"]["sex"] == 1 and report["unknown"]["race_ethnicity"] == 1
    assert report["config"]["strict_categories"] is False
    assert report["config"]["read_as_unknown"] == {"sex": {"M": 1}, "race_ethnicity": {"Caucasian": 1}}
    assert report["warnings"]


# --- errors ---------------------------------------------------------------------------------------------


def test_missing_columns_are_named_with_the_columns_present(tmp_path):
    path = write_csv(tmp_path, ["gender", "race", "hired"], [["Male", "White", "1"]])
    with pytest.raises(CommandError) as caught:
        run_json("ll144", str(path), "--selected-col", "hired")
    message = str(caught.value)
    assert "missing columns 'sex', 'race_ethnicity'" in message
    assert "the file has: 'gender', 'race', 'hired'" in message
    with pytest.raises(CommandError, match="missing column 'picked'"):
        run_json("adverse-impact", str(path), "--group-col", "race", "--selected-col", "picked")


def test_non_numeric_scores_name_the_rows(tmp_path):
    rows = [["Male", "White", "", "1.5"], ["Female", "White", "", "abc"], ["Male", "Asian", "", ""],
            ["Female", "Asian", "", "nan"], ["Male", "White", "", "1e2"]]  # fmt: skip
    with pytest.raises(CommandError) as caught:
        run_json("ll144", str(ll144_file(tmp_path, rows)), "--score-col", "score")
    message = str(caught.value)
    assert "column 'score' must hold numeric scores" in message
    assert "row 3 has 'abc'" in message and "row 4 is blank" in message and "row 5 has 'nan'" in message
    assert "row 6" not in message


def test_bad_selected_values_name_the_rows(tmp_path):
    path = write_csv(tmp_path, ["g", "s"], [["A", "Yes"], ["B", "maybe"], ["A", "N"], ["B", "0"]])
    with pytest.raises(CommandError) as caught:
        run_json("adverse-impact", str(path), "--group-col", "g", "--selected-col", "s")
    message = str(caught.value)
    assert "must be 1/0, true/false or yes/no" in message
    assert "row 3 has 'maybe'" in message and "row 4 has 'N'" in message
    assert "row 2" not in message


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("sex,race_ethnicity,selected\nMale,White,1\nFemale,Caf\xe9,0\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"not UTF-8 text \(undecodable byte 0xe9 on line 3\)"):
        run_json("ll144", str(path), "--selected-col", "selected")


def test_utf8_bom_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffsex,race_ethnicity,selected\r\nMale,White,1\r\n\r\nFemale,Asian,0\r\n".encode())
    report = run_json("ll144", str(path), "--selected-col", "selected")
    assert report["config"]["sample_size"] == 2


@pytest.mark.parametrize(
    "content, message",
    [("", "the file is empty"), ("sex,race_ethnicity,selected\n", "no data rows")],
)
def test_empty_files(tmp_path, content, message):
    path = tmp_path / "empty.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run_json("ll144", str(path), "--selected-col", "selected")


def test_no_such_file_and_bad_options(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_json("ll144", str(tmp_path / "nope.csv"), "--selected-col", "selected")
    path = ll144_file(tmp_path)
    with pytest.raises(CommandError, match="not allowed with"):
        run_json("ll144", str(path), "--selected-col", "selected", "--score-col", "score")
    with pytest.raises(CommandError, match="one of the arguments"):
        run_json("ll144", str(path))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run_json("ll144", str(path), "--selected-col", "selected", "--distribution-date", "1/2/2025")
