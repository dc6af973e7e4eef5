"""Placement reports from the database: margin with the firm's burden settings, recruiter splits,
time-to-fill, fill rate and mix; the page (charts, CSV) and the API; who may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.api.conftest import ApiClient
from tests.placements.operations_helpers import MONDAY, make_fee, make_placement, make_timesheet

from cadre.core.exceptions import Forbidden, ValidationFailed
from cadre.core.services import create_api_token
from cadre.placements import report_selectors
from cadre.placements.models import BurdenSetting, CommissionSplit, Placement, Timesheet
from cadre.requisitions.models import Requisition

pytestmark = pytest.mark.django_db
D = Decimal
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
WEEK = {i: ("8", "0", "0") for i in range(5)}


@pytest.fixture
def setup(tenant_a, tenant_b, recruiter, make_user):
    # The firm's Texas settings: SUTA 2.7 % on 9,000, workers' comp 0.50 per 100, no benefits. With FICA
    # (7.65 %) and FUTA after credit (0.6 %) the burden on the first 7,000 of pay is 11.45 %.
    BurdenSetting.objects.create(
        year=2026,
        state="TX",
        suta_rate=D("2.7"),
        suta_wage_base=D("9000"),
        workers_comp_per_100=D("0.50"),
        benefits_percent=D("0"),
    )
    a = make_placement(tenant_a, recruiter, work_state="TX")  # W-2, pay 60 / bill 95
    make_timesheet(a, MONDAY, WEEK, status=Timesheet.Status.APPROVED)
    make_timesheet(a, MONDAY + dt.timedelta(weeks=1), WEEK, status=Timesheet.Status.SUBMITTED)  # not counted
    make_fee(a, "10000.00", dt.date(2026, 3, 20))
    sam = make_user("sam", first_name="Sam", last_name="Sourcer")
    CommissionSplit.objects.create(placement=a, user=sam, role="sourcer", share_percent=D(25))
    b = make_placement(tenant_b, recruiter, vehicle="1099", pay="70", bill="100")
    make_timesheet(b, MONDAY, {0: ("10", "0", "0")}, status=Timesheet.Status.APPROVED)
    # Both requisitions were opened 30 days before the placements were made.
    opened = timezone.now() - dt.timedelta(days=30)
    Requisition.objects.filter(pk__in=[tenant_a.requisition.pk, tenant_b.requisition.pk]).update(
        created_at=opened
    )
    return a, b


def test_margin_by_client_uses_approved_hours_fees_and_the_firms_burden(setup, recruiter):
    report = report_selectors.placement_report(recruiter, *PERIOD)
    rows = {row.label: row.figures for row in report.by_client}
    north = rows["Northwind Robotics"]
    # 40 h: revenue 3,800, pay 2,400, burden 2,400 × 11.45 % = 274.80; plus the 10,000 fee
    assert (north.hours, north.revenue, north.pay, north.fees) == (D(40), D(3800), D(2400), D(10000))
    assert north.burden.quantize(D("0.01")) == D("274.80")
    assert north.gross_profit.quantize(D("0.01")) == D("11125.20")
    helix = rows["Helix Health"]
    assert (helix.revenue, helix.pay, helix.burden) == (D(1000), D(700), D(0))  # 1099: no employer burden
    assert report.warnings == []


def test_margin_by_recruiter_follows_commission_splits(setup, recruiter):
    report = report_selectors.placement_report(recruiter, *PERIOD)
    rows = {row.label: row.figures.gross_profit.quantize(D("0.01")) for row in report.by_recruiter}
    # Northwind's 11,125.20: 25 % to Sam, 75 % to the placement's recruiter (plus all of Helix's 300)
    assert rows == {"Sam Sourcer": D("2781.30"), "rita": D("8343.90") + D("300.00")}


def test_time_to_fill_fill_rate_and_mix(setup, recruiter):
    report = report_selectors.placement_report(
        recruiter, timezone.localdate() - dt.timedelta(days=365), timezone.localdate()
    )
    assert report.time_to_fill_all.count == 2 and report.time_to_fill_all.median == 30.0
    assert report.fill.openings == 2 and report.fill.filled == 2
    assert [(m.label, m.total) for m in report.mix] == [("Contract", 2)]
    assert {v: n for v, _l, n in report.mix[0].by_vehicle} == {"w2": 1, "1099": 1}


def test_cancelled_placements_do_not_count_as_fills(setup, recruiter):
    a, _b = setup
    Placement.objects.filter(pk=a.pk).update(status=Placement.Status.CANCELLED)
    report = report_selectors.placement_report(
        recruiter, timezone.localdate() - dt.timedelta(days=365), timezone.localdate()
    )
    assert report.fill.filled == 1 and report.time_to_fill_all.count == 1


def test_reports_are_for_recruiters_and_admins(setup, tenant_a, compliance_officer, client):
    with pytest.raises(Forbidden):
        report_selectors.placement_report(tenant_a.hiring_manager)
    with pytest.raises(Forbidden):
        report_selectors.placement_report(compliance_officer)
    client.force_login(tenant_a.hiring_manager)
    assert client.get(reverse("placement-reports")).status_code == 403


def test_bad_period(recruiter):
    with pytest.raises(ValidationFailed, match="before it starts"):
        report_selectors.placement_report(recruiter, dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_page_has_charts_and_csv_downloads(setup, recruiter, client):
    client.force_login(recruiter)
    url = reverse("placement-reports")
    html = client.get(url, {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
    assert html.count("<svg") >= 3
    assert "Margin by client" in html and "11,125.20" in html and "Sam Sourcer" in html
    response = client.get(url, {"start": "2026-01-01", "end": "2026-12-31", "download": "margin-client"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    north = next(r for r in rows if r["client"] == "Northwind Robotics")
    assert (north["burden"], north["gross_profit"], north["gross_margin"]) == (
        "274.80",
        "11125.20",
        "0.8062",
    )  # 11,125.20 / 13,800
    bad = client.get(url, {"start": "2026-05-01", "end": "2026-01-01"})
    assert bad.status_code == 422 and "before it starts" in bad.content.decode()


def test_api(setup, recruiter, tenant_a):
    data = (
        ApiClient(create_api_token(recruiter))
        .get("/api/reports/placements", start="2026-01-01", end="2026-12-31")
        .json()
    )
    north = next(r for r in data["margin_by_client"] if r["label"] == "Northwind Robotics")
    assert north["burden"] == "274.80" and north["revenue"] == "3800.00"
    hm = ApiClient(create_api_token(tenant_a.hiring_manager))
    assert hm.get("/api/reports/placements").status_code == 403


def test_csv_keeps_losses_numeric_and_escapes_formula_text(tenant_a, recruiter, client):
    """B3: a negative gross profit stays a number (-160.00, not '-160.00); a client name that a spreadsheet
    would run as a formula is escaped."""
    tenant_a.client.name = '=HYPERLINK("http://evil.example","click")'
    tenant_a.client.save(update_fields=["name"])
    loss = make_placement(tenant_a, recruiter, vehicle="1099", pay="100", bill="80")  # bill below pay
    make_timesheet(loss, MONDAY, {0: ("8", "0", "0")}, status=Timesheet.Status.APPROVED)
    client.force_login(recruiter)
    response = client.get(
        reverse("placement-reports"),
        {"start": "2026-01-01", "end": "2026-12-31", "download": "margin-client"},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["client"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (row["revenue"], row["pay"], row["gross_profit"], row["gross_margin"]) == (
        "640.00",
        "800.00",
        "-160.00",
        "-0.2500",
    )


def test_hours_without_a_rate_card_are_counted_and_flagged(tenant_a, recruiter, client):
    """B4: approved days before the first rate card are not priced, but they are named, not dropped."""
    placement = make_placement(tenant_a, recruiter, vehicle="1099")
    placement.rate_cards.update(effective_from=MONDAY + dt.timedelta(days=2))
    make_timesheet(placement, MONDAY, WEEK, status=Timesheet.Status.APPROVED)  # Mon-Fri, 8 h a day
    report = report_selectors.placement_report(recruiter, *PERIOD)
    (row,) = report.by_client
    assert row.figures.hours == D(24)  # Wednesday to Friday priced
    (warning,) = report.warnings
    days = f"{MONDAY.isoformat()}, {(MONDAY + dt.timedelta(days=1)).isoformat()}"
    assert f"placement #{placement.pk}" in warning and "16 approved hours on 2 days" in warning
    assert days in warning and "no rate card in force" in warning
    api = ApiClient(create_api_token(recruiter)).get("/api/reports/placements", start="2026-01-01")
    assert api.json()["warnings"] == [warning]
    client.force_login(recruiter)
    url = reverse("placement-reports")
    assert (
        "no rate card in force"
        in client.get(url, {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
    )
    csv_text = client.get(url, {"start": "2026-01-01", "end": "2026-12-31", "download": "margin-client"})
    assert warning in csv_text.content.decode()
