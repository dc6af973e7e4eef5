"""Fixtures for the placements tests: an application at the offer stage, extended offers of each engagement
type, an accepted contract placement with its rate card, cleared compliance gates, and an API client.

Built on tests/conftest.py's tenants (tenant_a / tenant_b: a client with its hiring manager, an open
requisition, a person and their application) so scoping tests can reuse the second client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from tests.api.conftest import ApiClient

from cadre.compliance.gate_services import record_gate, review_classification
from cadre.compliance.models import ClassificationAssessment
from cadre.core.services import create_api_token
from cadre.pipeline.services import move_application
from cadre.placements import services
from cadre.placements.models import Offer, Placement

TODAY = timezone.localdate()
START = TODAY + dt.timedelta(days=14)
PAST = (TODAY - dt.timedelta(days=30)).isoformat()

CONTRACT_TERMS: dict[str, Any] = {
    "engagement_type": "contract",
    "vehicle": "w2",
    "pay_rate": "60",
    "bill_rate": "95",
    "hours_per_week": "40",
    "start_date": START,
    "end_date": START + dt.timedelta(weeks=26) - dt.timedelta(days=1),
    "work_state": "CA",
    "terms": "Remote, laptop provided",
    "expires_on": TODAY + dt.timedelta(days=7),
}
DIRECT_HIRE_TERMS: dict[str, Any] = {
    "engagement_type": "direct_hire",
    "salary": "180000",
    "bonus": "20000",
    "start_date": START,
    "work_state": "NY",
    "expires_on": TODAY + dt.timedelta(days=7),
}
CONTRACT_TO_HIRE_TERMS: dict[str, Any] = {
    "engagement_type": "contract_to_hire",
    "pay_rate": "70",
    "bill_rate": "105",
    "salary": "165000",
    "start_date": START,
    "work_state": "TX",
    "expires_on": TODAY + dt.timedelta(days=7),
}

IP_GATE = {
    "signed_on": PAST,
    "signatory": "Ana Lima",
    "prior_inventions": [],
    "carve_outs": {"open_source": True, "open_source_note": "Own-time OSS", "publication": False},
    "work_state": "NY",
    "statutory_notice_included": True,
}
WORK_GATE = {"country": "US", "document_type": "US passport", "citizen": True, "verified_on": PAST}


def api_client(user) -> ApiClient:
    return ApiClient(create_api_token(user))


@pytest.fixture
def api_as():
    return api_client


@pytest.fixture
def application_at_offer(tenant_a, recruiter):
    """tenant_a with its application moved to the offer stage (client, requisition, person, application)."""
    move_application(recruiter, tenant_a.application, to_stage="offer", reason="Client wants to hire")
    tenant_a.application.refresh_from_db()
    return tenant_a


def make_extended_offer(recruiter, tenant, terms: dict[str, Any]) -> Offer:
    offer = services.create_offer(recruiter, tenant.application, **terms)
    return services.extend_offer(recruiter, offer)


@pytest.fixture
def extended_contract_offer(application_at_offer, recruiter) -> Offer:
    return make_extended_offer(recruiter, application_at_offer, CONTRACT_TERMS)


@pytest.fixture
def extended_direct_hire_offer(application_at_offer, recruiter) -> Offer:
    return make_extended_offer(recruiter, application_at_offer, DIRECT_HIRE_TERMS)


@pytest.fixture
def accepted_contract_placement(extended_contract_offer, recruiter) -> Placement:
    """A contract placement (pending start) accepted from a 60/95 W-2 offer in CA, with its first rate card
    (overtime 90/142.5, double time 120/190) and 100% of the commission to the recruiter."""
    return services.accept_offer(recruiter, extended_contract_offer)


def clear_placement_gates(tenant, recruiter, compliance_officer) -> None:
    """Pass every gate the tenant's requisition requires (classification reviewed, IP, work authorization)."""
    app = tenant.application
    assessment = ClassificationAssessment.objects.create(
        application=app,
        requisition=app.requisition,
        answers={},
        result={},
        engine_version="test",
        inputs_digest="0" * 64,
        risk_level="low",
        vehicle="w2_agency",
        created_by=recruiter,
    )
    review_classification(compliance_officer, assessment, "W-2 through the agency; low risk")
    record_gate(recruiter, app, "ip_assignment", IP_GATE)
    record_gate(recruiter, app, "work_authorization", WORK_GATE)


@contextmanager
def on_day(day: dt.date) -> Iterator[None]:
    """Run placement services as if today were `day` (a placement starts only on or after its start date,
    and the fixtures' START is two weeks ahead)."""
    with mock.patch.object(services, "_today", return_value=day):
        yield


def start_on_its_day(actor: Any, placement: Placement, **kwargs: Any) -> Placement:
    """Start the placement on its start date (or today, if that is later)."""
    with on_day(max(placement.start_date, TODAY)):
        return services.start_placement(actor, placement, **kwargs)
