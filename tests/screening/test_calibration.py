"""Calibration of structured interviews: the alpha shown per competency is the reliability module's on
the same ratings, a severe rater is found and trended over time, client scoping holds on the page and
the API, and the inline-SVG chart geometry is right (pure, no database)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.api.conftest import ApiClient
from tests.screening.interview_helpers import (  # noqa: F401 (interview_urls is a fixture)
    applicant,
    interview_urls,
    interviewer,
    new_interview,
)
from tests.web.helpers import login

from cadre.core.exceptions import NotFound
from cadre.core.services import create_api_token
from cadre.screening import calibration_charts as charts
from cadre.screening import interview_selectors, interview_services, reliability
from cadre.screening.models import Scorecard

# ------------------------------------------------------------------------------------------ chart geometry


def test_alpha_chart_places_dots_on_the_bands():
    rows = [
        charts.AlphaBar("Coding", 0.9, "reliable", "0.900 reliable"),
        charts.AlphaBar("MLOps", 0.7, "tentative", "0.700 tentative"),
        charts.AlphaBar("Data engineering", None, None, "n/a"),
    ]
    c = charts.alpha_chart(rows, plot_w=400)
    bands = {b["kind"]: b for b in c["bands"]}
    assert c["x0"] == bands["unreliable"]["x"] and c["x1"] == bands["reliable"]["x"] + bands["reliable"]["w"]
    assert bands["tentative"]["x"] == pytest.approx(c["x0"] + 0.667 * 400, abs=0.1)
    assert bands["reliable"]["x"] == pytest.approx(c["x0"] + 0.8 * 400, abs=0.1)
    coding, mlops, data = c["rows"]
    assert bands["reliable"]["x"] < coding["x"] <= c["x1"]
    assert bands["tentative"]["x"] < mlops["x"] < bands["reliable"]["x"]
    assert data["has_value"] is False and data["x"] is None
    assert coding["y"] < mlops["y"] < data["y"]
    # A negative alpha extends the axis below 0 to the next fifth.
    negative = charts.alpha_chart([charts.AlphaBar("Stats", -0.15, "unreliable", "-0.150")], plot_w=400)
    assert negative["ticks"][0]["label"] == "-0.2"
    assert negative["rows"][0]["x"] < negative["zero_x"]


def test_severity_chart_error_bars_are_95_percent_intervals():
    rows = [
        charts.SeverityDot("Kofi Mensah", -1.2, 0.1, 24, "severe", True),
        charts.SeverityDot("Ivan Petrov", 0.3, 0.2, 24, "neutral", False),
        charts.SeverityDot("New interviewer", None, None, 0, "neutral", False),
    ]
    c = charts.severity_chart(rows, threshold=0.5, plot_w=300)
    assert c["extent"] == 1.5  # |-1.2| + 1.96 * 0.1 = 1.396, rounded up to the half point
    scale = 300 / (2 * c["extent"])
    kofi, ivan, new = c["rows"]
    assert kofi["x"] == pytest.approx(c["zero_x"] - 1.2 * scale, abs=0.1)
    assert kofi["bar_x1"] == pytest.approx(c["zero_x"] - (1.2 + 1.96 * 0.1) * scale, abs=0.1)
    assert kofi["bar_x2"] == pytest.approx(c["zero_x"] - (1.2 - 1.96 * 0.1) * scale, abs=0.1)
    assert kofi["kind"] == "flagged-severe" and ivan["kind"] == "neutral"
    assert c["threshold_lo_x"] == pytest.approx(c["zero_x"] - 0.5 * scale, abs=0.1)
    assert ivan["x"] > c["zero_x"] and new["has_value"] is False


def test_trend_chart_orders_periods_and_puts_lenient_above():
    series = [
        charts.TrendSeries(
            "Kofi", (charts.TrendPoint("2026-03", -1.0, 6), charts.TrendPoint("2026-01", -0.5, 4))
        ),
        charts.TrendSeries("Ivan", (charts.TrendPoint("2026-02", 0.5, 5),)),
    ]
    c = charts.trend_chart(series, plot_w=500)
    assert c["periods"] == ["2026-01", "2026-02", "2026-03"]
    kofi, ivan = c["lines"]
    assert [p["x"] for p in kofi["points"]] == [c["x0"], c["x0"] + 500]  # January first, March last
    assert kofi["points"][1]["y"] > kofi["points"][0]["y"] > c["zero_y"]  # more severe = lower
    assert ivan["points"][0]["y"] < c["zero_y"] and ivan["points"][0]["x"] == c["x0"] + 250
    assert kofi["color"] != ivan["color"]
    assert kofi["path"] == " ".join(f"{p['x']},{p['y']}" for p in kofi["points"])


# ------------------------------------------------------------------------------------------ data

# Six candidates' "true" level per competency index; Ivan rates it, Jade is one point more generous on
# odd candidates, Kofi one point harsher (not below 1).
TRUE = [
    [3, 2, 4, 3],
    [2, 2, 3, 1],
    [4, 3, 4, 4],
    [1, 2, 2, 3],
    [3, 4, 3, 2],
    [2, 3, 1, 2],
]


def level_of(rater: str, candidate: int, competency: int) -> int:
    true = TRUE[candidate][competency % 4]
    if rater == "jade" and candidate % 2:
        return min(4, true + 1)
    if rater == "kofi":
        return max(1, true - 1)
    return true


@pytest.fixture
def panel(db, recruiter, make_user, tenant_a):
    """Six candidates on tenant A's requisition, each interviewed (technical screen) by Ivan, Jade and
    Kofi; Kofi's first three scorecards dated in January, everything else in March."""
    raters = {name: interviewer(make_user, name) for name in ("ivan", "jade", "kofi")}
    applications = [tenant_a.application] + [
        applicant(recruiter, tenant_a.requisition, f"Candidate {i}", f"cand{i}") for i in range(1, 6)
    ]
    raw: list[reliability.Rating] = []
    for c, application in enumerate(applications):
        interview = new_interview(recruiter, application, list(raters.values()))
        slugs = interview_services.kit_slugs(interview)
        for name, user in raters.items():
            levels = {slug: level_of(name, c, i) for i, slug in enumerate(slugs)}
            card = interview_services.start_scorecard(user, interview)
            interview_services.submit_scorecard(
                user,
                card,
                ratings=[
                    {"competency": s, "level": v, "evidence": "Explained it step by step, with an example."}
                    for s, v in levels.items()
                ],
                recommendation="yes",
            )
            when = dt.datetime(2026, 1 if (name == "kofi" and c < 3) else 3, 10, 12, tzinfo=dt.UTC)
            Scorecard.objects.filter(pk=card.pk).update(submitted_at=when)
            raw += [reliability.Rating(user.pk, application.pk, s, v, when) for s, v in levels.items()]
    return raters, applications, raw


# ------------------------------------------------------------------------------------------ selectors


def test_alpha_per_competency_is_the_reliability_modules_on_the_same_ratings(panel, recruiter, tenant_a):
    raters, applications, raw = panel
    cal = interview_selectors.calibration(recruiter, requisition_id=tenant_a.requisition.pk)
    expected = reliability.per_competency_reliability(raw)
    score = {(r.rater_id, r.candidate_id, r.competency): r.score for r in raw}
    assert {r.competency: r.alpha for r in cal.per_competency} == {k: v.alpha for k, v in expected.items()}
    assert len(cal.ratings) == len(raw) and cal.n_scorecards == 18 and cal.n_candidates == 6
    # ... and each is Krippendorff's ordinal alpha of the raters x candidates matrix itself.
    for result in cal.per_competency:
        matrix = [[score[(u.pk, a.pk, result.competency)] for a in applications] for u in raters.values()]
        assert result.alpha == pytest.approx(
            reliability.krippendorff_alpha(matrix, "ordinal", value_domain=[1, 2, 3, 4])
        )
        assert result.alpha is not None and result.n_pairable_units == 6
        assert result.interpretation == reliability.interpret_alpha(result.alpha)


def test_a_severe_rater_is_flagged_and_trended(panel, recruiter):
    raters, _applications, raw = panel
    cal = interview_selectors.calibration(recruiter, period="month")
    by_rater = {str(s.rater_id): s for s in cal.severity}
    kofi = by_rater[str(raters["kofi"].pk)]
    expected = {str(s.rater_id): s for s in reliability.rater_severity(raw)}
    assert kofi.mean_deviation == pytest.approx(expected[str(raters["kofi"].pk)].mean_deviation)
    assert kofi.mean_deviation < -0.5 and kofi.direction == "severe" and kofi.flagged
    assert not by_rater[str(raters["ivan"].pk)].flagged
    kofi_trend = [p for p in cal.trend if str(p.rater_id) == str(raters["kofi"].pk)]
    assert [(p.period, p.n) for p in kofi_trend] == [("2026-01", 12), ("2026-03", 12)]
    assert cal.rater_name(raters["kofi"].pk) == "Kofi Mensah"
    quarterly = interview_selectors.calibration(recruiter, period="quarter")
    assert {p.period for p in quarterly.trend} == {"2026-Q1"}


def test_calibration_is_scoped_to_the_hiring_managers_clients(panel, tenant_a, tenant_b):
    with pytest.raises(NotFound):
        interview_selectors.calibration(tenant_b.hiring_manager, requisition_id=tenant_a.requisition.pk)
    with pytest.raises(NotFound):
        interview_selectors.calibration(tenant_b.hiring_manager, client_id=tenant_a.client.pk)
    assert interview_selectors.calibration(tenant_b.hiring_manager).ratings == []
    mine = interview_selectors.calibration(tenant_a.hiring_manager, client_id=tenant_a.client.pk)
    assert len(mine.ratings) == len(panel[2])


# ------------------------------------------------------------------------------------------ page and API


@pytest.mark.usefixtures("interview_urls")
def test_calibration_page_shows_the_same_alpha_and_the_charts(panel, recruiter, tenant_a):
    raw = panel[2]
    response = login(recruiter).get(f"/screening/calibration/?requisition={tenant_a.requisition.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    for competency, result in reliability.per_competency_reliability(raw).items():
        assert result.alpha is not None
        assert f"{result.alpha:.3f}" in page, competency
    assert page.count("<svg") == 3  # alpha dots, severity dot plot, severity over time
    assert len(re.findall(r'<polyline class="series"', page)) == 3  # one line per interviewer
    assert "Kofi Mensah" in page and "severe (flagged)" in page
    assert "reliable" in page and "tentative" in page and "unreliable" in page
    assert "<script" not in page.split("</head>", 1)[1]  # no chart library: server-built SVG


@pytest.mark.usefixtures("interview_urls")
def test_calibration_page_and_api_scoping(panel, tenant_a, tenant_b, recruiter):
    other = login(tenant_b.hiring_manager)
    assert other.get(f"/screening/calibration/?requisition={tenant_a.requisition.pk}").status_code == 404
    assert other.get(f"/screening/calibration/?client={tenant_a.client.pk}").status_code == 404
    assert "0 ratings" in re.sub(r"\s+", " ", other.get("/screening/calibration/").content.decode())
    bad = login(recruiter).get("/screening/calibration/?period=fortnight")
    assert bad.status_code == 422 and "period must be month or quarter" in bad.content.decode()

    api_b = ApiClient(create_api_token(tenant_b.hiring_manager))
    assert api_b.get("/api/screening/calibration", requisition=tenant_a.requisition.pk).status_code == 404
    api = ApiClient(create_api_token(tenant_a.hiring_manager))
    body = api.get("/api/screening/calibration", requisition=tenant_a.requisition.pk).json()
    expected = reliability.per_competency_reliability(panel[2])
    assert {r["competency"]: r["alpha"] for r in body["reliability"]} == {
        k: round(v.alpha, 6) for k, v in expected.items() if v.alpha is not None
    }
    assert body["bands"] == {"reliable": 0.8, "tentative": 0.667}
    assert any(s["name"] == "Kofi Mensah" and s["flagged"] for s in body["severity"])
