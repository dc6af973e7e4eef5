"""Inter-rater reliability and rater severity (pure, no database)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from cadre.screening.reliability import (
    RELIABILITY_VERSION,
    Rating,
    ReliabilityInputError,
    deviations,
    icc,
    icc_anova,
    interpret_alpha,
    krippendorff_alpha,
    latest_ratings,
    per_competency_reliability,
    period_of,
    rater_severity,
    severity_over_time,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns).
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def _raters_by_units(targets_by_judges: list[list[int]]) -> list[list[float | None]]:
    return [[float(row[j]) for row in targets_by_judges] for j in range(len(targets_by_judges[0]))]


def _nominal_alpha_by_hand(matrix: list[list[int | None]]) -> float:
    """Coincidence-matrix nominal alpha written out from Krippendorff (2011), to cross-check the package."""
    coincidences: defaultdict[tuple[int, int], float] = defaultdict(float)
    for j in range(len(matrix[0])):
        values = [v for row in matrix if (v := row[j]) is not None]
        m = len(values)
        if m < 2:
            continue
        for a in range(m):
            for b in range(m):
                if a != b:
                    coincidences[(values[a], values[b])] += 1.0 / (m - 1)
    n_c: defaultdict[int, float] = defaultdict(float)
    for (c, _k), weight in coincidences.items():
        n_c[c] += weight
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return 1 - observed / expected


# --- Krippendorff's alpha --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)],
)
def test_alpha_matches_krippendorffs_published_example(level: str, published: float) -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, level)  # type: ignore[arg-type]
    assert alpha is not None
    assert round(alpha, 3) == published


def test_alpha_nominal_matches_an_independent_computation_on_random_data() -> None:
    rng = random.Random(8)
    for _ in range(20):
        matrix: list[list[int | None]] = [
            [rng.choice([1, 2, 3, 4, None]) for _ in range(15)] for _ in range(rng.randint(2, 5))
        ]
        try:
            expected = _nominal_alpha_by_hand(matrix)
        except ZeroDivisionError:
            continue
        got = krippendorff_alpha(matrix, "nominal")  # type: ignore[arg-type]
        assert got == pytest.approx(expected, abs=1e-9)


def test_alpha_perfect_agreement_is_one_and_systematic_disagreement_is_negative() -> None:
    assert krippendorff_alpha([[1, 2, 3, 4], [1, 2, 3, 4]]) == pytest.approx(1.0)
    assert krippendorff_alpha([[1, 4, 1, 4], [4, 1, 4, 1]], "interval") < 0  # type: ignore[operator]


def test_alpha_undefined_without_pairable_data_or_variation() -> None:
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # no unit with two ratings
    assert krippendorff_alpha([[3, 3, None], [3, 3, 1]]) is None  # pairable values all equal
    assert krippendorff_alpha([[float("nan"), 2, 3], [1, 2, 4]]) is not None  # NaN = missing


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([], "empty"),
        ([[1, 2], [1]], "rater row 1 has 1 units, expected 2"),
        ([[1, "x"], [1, 2]], "not a number"),
        ([[1, True], [1, 2]], "not a number"),
        ([[1, float("inf")], [1, 2]], "not finite"),
    ],
)
def test_alpha_rejects_bad_matrices_clearly(matrix: list[list[object]], message: str) -> None:
    with pytest.raises(ReliabilityInputError, match=message):
        krippendorff_alpha(matrix)  # type: ignore[arg-type]


def test_alpha_rejects_an_unknown_level() -> None:
    with pytest.raises(ReliabilityInputError, match="level must be one of"):
        krippendorff_alpha([[1, 2], [1, 2]], "ratio")  # type: ignore[arg-type]


# --- ICC ------------------------------------------------------------------------------------------------


def test_icc_anova_matches_shrout_fleiss_mean_squares() -> None:
    anova = icc_anova(_raters_by_units(SHROUT_FLEISS))
    assert anova is not None
    assert (anova.n_units, anova.n_raters, anova.dropped_units) == (6, 4, 0)
    # Published (Table 3): BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02.
    assert (round(anova.bms, 2), round(anova.wms, 2), round(anova.jms, 2), round(anova.ems, 2)) == (
        11.24,
        6.26,
        32.49,
        1.02,
    )


@pytest.mark.parametrize(
    ("kind", "published"),
    [
        ("ICC(1,1)", 0.17),
        ("ICC(2,1)", 0.29),
        ("ICC(3,1)", 0.71),
        ("ICC(1,k)", 0.44),
        ("ICC(2,k)", 0.62),
        ("ICC(3,k)", 0.91),
    ],
)
def test_icc_matches_shrout_fleiss_table_4(kind: str, published: float) -> None:
    value = icc(_raters_by_units(SHROUT_FLEISS), kind)  # type: ignore[arg-type]
    assert value is not None
    assert round(value, 2) == published


def test_icc_uses_complete_cases_only() -> None:
    matrix = _raters_by_units(SHROUT_FLEISS)
    with_gaps = [[*row, None if i == 0 else 3.0, 7.0 if i == 1 else None] for i, row in enumerate(matrix)]
    anova = icc_anova(with_gaps)
    assert anova is not None and anova.dropped_units == 2 and anova.n_units == 6
    assert icc(with_gaps, "ICC(2,1)") == pytest.approx(icc(matrix, "ICC(2,1)"))


def test_icc_is_none_when_too_little_data_or_no_variance() -> None:
    assert icc([[1, None], [2, 3]]) is None  # one complete unit
    assert icc([[2, 2, 2], [2, 2, 2]], "ICC(3,1)") is None  # zero denominator
    with pytest.raises(ReliabilityInputError, match="kind must be one of"):
        icc([[1, 2], [1, 2]], "ICC(4,1)")  # type: ignore[arg-type]


# --- per competency -------------------------------------------------------------------------------------


def _ratings_from_matrix(matrix: Sequence[Sequence[int | None]], competency: str) -> list[Rating]:
    out = []
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value is not None:
                out.append(Rating(f"r{i}", f"c{j:02d}", competency, value, date(2025, 1, 1 + j)))
    return out


def test_per_competency_reliability_equals_alpha_on_the_same_matrix() -> None:
    coding: list[list[int | None]] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 4],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 4],
    ]
    design = [[1, 4, 2, 3, 1, 4], [4, 1, 3, 1, 2, 2]]
    results = per_competency_reliability(
        _ratings_from_matrix(coding, "coding") + _ratings_from_matrix(design, "ml_system_design")
    )
    assert list(results) == ["coding", "ml_system_design"]
    c = results["coding"]
    assert c.alpha == pytest.approx(krippendorff_alpha(coding, "ordinal"))  # type: ignore[arg-type]
    assert (c.n_units, c.n_raters, c.n_pairable_units, c.n_pairable) == (10, 3, 10, 28)
    assert c.interpretation == "reliable" and c.reason is None
    d = results["ml_system_design"]
    assert d.alpha is not None and d.alpha < 0.667 and d.interpretation == "unreliable"
    assert d.as_dict()["n_raters"] == 2


def test_per_competency_reliability_reports_why_alpha_is_missing() -> None:
    few = _ratings_from_matrix([[1, 2, 3, None], [1, 3, None, 4]], "mlops")
    result = per_competency_reliability(few)["mlops"]
    assert result.alpha is None and result.interpretation is None
    assert result.reason is not None and "2 candidate(s)" in result.reason and "at least 5" in result.reason
    same = _ratings_from_matrix([[3] * 6, [3] * 6], "coding")
    assert "undefined" in (per_competency_reliability(same)["coding"].reason or "")
    assert per_competency_reliability(few, min_units=2)["mlops"].alpha is not None


def test_interpretation_thresholds() -> None:
    assert interpret_alpha(0.80) == "reliable"
    assert interpret_alpha(0.7999) == "tentative"
    assert interpret_alpha(0.667) == "tentative"
    assert interpret_alpha(0.6669) == "unreliable"
    assert interpret_alpha(None) is None


def test_latest_rating_wins_regardless_of_input_order() -> None:
    early = Rating("a", "c1", "coding", 2, date(2025, 1, 1))
    late = Rating("a", "c1", "coding", 4, datetime(2025, 1, 2, 9, tzinfo=UTC))
    tie = Rating("a", "c1", "coding", 1, datetime(2025, 1, 2, 9, tzinfo=UTC))
    for order in ([early, late, tie], [tie, late, early], [late, early, tie]):
        assert latest_ratings(order) == [late]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": 5}, "between 1 and 4"),
        ({"score": 0}, "between 1 and 4"),
        ({"score": 2.5}, "must be an int"),
        ({"score": True}, "must be an int"),
        ({"competency": ""}, "competency"),
        ({"at": "2025-01-01"}, "must be a date"),
    ],
)
def test_rating_validation(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "rater_id": 1,
        "candidate_id": 2,
        "competency": "coding",
        "score": 3,
        "at": date(2025, 1, 1),
    }
    with pytest.raises(ReliabilityInputError, match=message):
        Rating(**{**base, **kwargs})  # type: ignore[arg-type]


# --- rater severity -------------------------------------------------------------------------------------


def _panel(bias: dict[str, int], n_candidates: int, start: date = date(2025, 1, 6)) -> list[Rating]:
    """Every rater rates every candidate on coding: the candidate's true level plus the rater's bias."""
    ratings = []
    for c in range(n_candidates):
        true_level = 2 + (c % 2)  # 2 or 3, so +-1 stays on the 1-4 scale
        for rater, b in bias.items():
            ratings.append(Rating(rater, f"cand{c}", "coding", true_level + b, start + timedelta(days=7 * c)))
    return ratings


def test_a_lenient_and_a_severe_rater_are_flagged_with_the_right_sign() -> None:
    ratings = _panel({"ann": 0, "bob": 0, "cy": 0, "lenny": 1, "sev": -1}, 6)
    by_rater = {s.rater_id: s for s in rater_severity(ratings)}
    assert by_rater["lenny"].mean_deviation == pytest.approx(1.25)  # t+1 against mean(t, t, t, t-1)
    assert by_rater["lenny"].direction == "lenient" and by_rater["lenny"].flagged
    assert by_rater["sev"].mean_deviation == pytest.approx(-1.25)
    assert by_rater["sev"].direction == "severe" and by_rater["sev"].flagged
    assert by_rater["ann"].mean_deviation == pytest.approx(0.0)
    assert by_rater["ann"].direction == "neutral" and not by_rater["ann"].flagged
    assert by_rater["ann"].n == 6 and by_rater["ann"].n_ratings == 6
    assert [s.rater_id for s in rater_severity(ratings)] == ["ann", "bob", "cy", "lenny", "sev"]


def test_severity_needs_enough_overlap_before_flagging() -> None:
    ratings = _panel({"ann": 0, "bob": 0, "cy": 0, "lenny": 1}, 3)
    lenny = next(s for s in rater_severity(ratings) if s.rater_id == "lenny")
    assert lenny.direction == "lenient" and lenny.n == 3 and not lenny.flagged
    assert "only 3 overlapping" in lenny.note
    assert next(s for s in rater_severity(ratings, min_n=3) if s.rater_id == "lenny").flagged


def test_a_noisy_rater_is_not_flagged_for_a_large_but_unstable_deviation() -> None:
    ratings = []
    for c, level in enumerate([4, 1, 4, 1, 4, 4]):  # others always say 2
        ratings += [Rating(r, f"c{c}", "coding", 2, date(2025, 2, 1)) for r in ("a", "b")]
        ratings.append(Rating("noisy", f"c{c}", "coding", level, date(2025, 2, 1)))
    noisy = next(s for s in rater_severity(ratings) if s.rater_id == "noisy")
    assert noisy.mean_deviation == pytest.approx(1.0) and noisy.direction == "lenient"
    assert noisy.se is not None and noisy.se > 0.5
    assert not noisy.flagged and "within noise" in noisy.note


def test_rater_with_no_co_rated_candidates_is_listed_without_a_score() -> None:
    ratings = _panel({"a": 0, "b": 0}, 2) + [Rating("solo", "lonely", "coding", 4, date(2025, 3, 1))]
    solo = next(s for s in rater_severity(ratings) if s.rater_id == "solo")
    assert (solo.n, solo.mean_deviation, solo.flagged, solo.n_ratings) == (0, None, False, 1)
    assert "no candidate" in solo.note


def test_severity_can_be_limited_to_one_competency() -> None:
    ratings = _panel({"a": 0, "b": 0, "c": 0, "lenny": 1}, 6)
    ratings += [Rating(r.rater_id, r.candidate_id, "mlops", 2, r.at) for r in ratings]
    all_comp = {s.rater_id: s for s in rater_severity(ratings)}
    mlops = {s.rater_id: s for s in rater_severity(ratings, competency="mlops")}
    assert all_comp["lenny"].n == 12 and all_comp["lenny"].mean_deviation == pytest.approx(0.5)
    assert mlops["lenny"].mean_deviation == pytest.approx(0.0) and not mlops["lenny"].flagged


def test_deviation_is_against_the_other_raters_mean() -> None:
    ratings = [
        Rating("a", "c", "coding", 1, date(2025, 1, 1)),
        Rating("b", "c", "coding", 2, date(2025, 1, 1)),
        Rating("c", "c", "coding", 4, date(2025, 1, 1)),
    ]
    got = {d.rater_id: d.deviation for d in deviations(ratings)}
    assert got == {"a": pytest.approx(1 - 3.0), "b": pytest.approx(2 - 2.5), "c": pytest.approx(4 - 1.5)}


def test_severity_parameters_are_validated() -> None:
    with pytest.raises(ReliabilityInputError, match="threshold"):
        rater_severity([], threshold=0)
    with pytest.raises(ReliabilityInputError, match="min_n"):
        rater_severity([], min_n=1)
    with pytest.raises(ReliabilityInputError, match="period"):
        severity_over_time([], period="week")  # type: ignore[arg-type]


def test_severity_over_time_shows_a_rater_drifting_by_quarter() -> None:
    q1 = _panel({"a": 0, "b": 0, "c": 0, "drift": 0}, 6, start=date(2025, 1, 6))
    q2 = _panel({"a": 0, "b": 0, "c": 0, "drift": 1}, 6, start=date(2025, 4, 7))
    q2 = [Rating(r.rater_id, f"q2-{r.candidate_id}", r.competency, r.score, r.at) for r in q2]
    points = [p for p in severity_over_time(q1 + q2, period="quarter") if p.rater_id == "drift"]
    assert [(p.period, p.period_start, p.n) for p in points] == [
        ("2025-Q1", date(2025, 1, 1), 6),
        ("2025-Q2", date(2025, 4, 1), 6),
    ]
    assert points[0].mean_deviation == pytest.approx(0.0) and not points[0].flagged
    assert points[1].mean_deviation == pytest.approx(1.0) and points[1].flagged
    months = {p.period for p in severity_over_time(q1 + q2, period="month") if p.rater_id == "drift"}
    assert months == {"2025-01", "2025-02", "2025-04", "2025-05"}


def test_period_labels() -> None:
    assert period_of(date(2025, 11, 30), "quarter") == ("2025-Q4", date(2025, 10, 1))
    assert period_of(datetime(2025, 3, 31, 23, 0), "month") == ("2025-03", date(2025, 3, 1))


def test_results_do_not_depend_on_input_order() -> None:
    ratings = _panel({"a": 0, "b": 1, "c": -1, "d": 0}, 8)
    shuffled = list(ratings)
    random.Random(3).shuffle(shuffled)
    assert rater_severity(ratings) == rater_severity(shuffled)
    assert per_competency_reliability(ratings) == per_competency_reliability(shuffled)
    assert severity_over_time(ratings) == severity_over_time(shuffled)


def test_version_is_declared() -> None:
    assert RELIABILITY_VERSION.startswith("reliability-")
