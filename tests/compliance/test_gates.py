"""Placement-gate rules (pure: no database)."""

from __future__ import annotations

from datetime import date

import pytest

from cadre.compliance import gates
from cadre.compliance.gates import RequisitionFacts, evaluate, required_kinds
from cadre.compliance.models import PlacementGate

AS_OF = date(2026, 11, 26)
US = RequisitionFacts(work_country="US")
SECRET = RequisitionFacts(work_country="US", clearance_required="secret", background_check_required=True)


def ip_details(**overrides):
    details = {
        "signed_on": "2026-11-01",
        "signatory": "Ana Lima",
        "prior_inventions": ["Sparse attention kernel (2023)"],
        "carve_outs": {
            "open_source": True,
            "open_source_note": "Contributions to Apache-2.0 projects on own time",
            "publication": False,
        },
        "work_state": "TX",
    }
    details.update(overrides)
    return details


def clearance_details(**overrides):
    details = {
        "level": "top_secret",
        "agency": "DCSA",
        "expires_on": "2028-06-30",
        "verified_on": "2026-11-20",
    }
    details.update(overrides)
    return details


def work_auth_details(**overrides):
    details = {
        "country": "US",
        "document_type": "Permanent resident card",
        "expires_on": "2030-01-01",
        "verified_on": "2026-11-20",
    }
    details.update(overrides)
    return details


def reasons(kind, details, facts=US, as_of=AS_OF):
    result = evaluate(kind, details, facts, as_of=as_of)
    return result.passed, result.reason


# --- which gates ------------------------------------------------------------------------------------


def test_kinds_and_labels_match_the_model():
    assert dict(PlacementGate.Kind.choices) == gates.KIND_LABELS
    assert set(gates.KINDS) == set(PlacementGate.Kind.values)


def test_every_requisition_needs_classification_ip_and_work_authorization():
    assert required_kinds(US) == ("classification", "ip_assignment", "work_authorization")


def test_clearance_and_background_check_only_when_the_requisition_asks():
    assert required_kinds(SECRET) == (
        "classification",
        "ip_assignment",
        "clearance",
        "work_authorization",
        "background_check",
    )
    assert "clearance" not in required_kinds(RequisitionFacts(clearance_required="none"))


def test_facts_of_reads_a_requisition_like_object():
    class Req:
        work_country = "us"
        clearance_required = "secret"
        background_check_required = True
        sponsorship_available = False

    assert gates.facts_of(Req()) == RequisitionFacts("US", "secret", True, False)


def test_unknown_gate_is_an_error():
    with pytest.raises(gates.UnknownGate):
        evaluate("drug_test", {}, US, as_of=AS_OF)


# --- IP assignment ----------------------------------------------------------------------------------


def test_ip_assignment_passes_with_schedule_and_carve_outs():
    result = evaluate("ip_assignment", ip_details(), US, as_of=AS_OF)
    assert result.passed and result.status == "passed" and result.reason == ""
    assert result.verified_on == date(2026, 11, 1)
    assert result.version == gates.GATE_VERSION


def test_empty_prior_inventions_schedule_is_fine_when_declared():
    assert reasons("ip_assignment", ip_details(prior_inventions=[]))[0]


def test_missing_prior_inventions_declaration_fails():
    details = ip_details()
    del details["prior_inventions"]
    passed, reason = reasons("ip_assignment", details)
    assert not passed and "prior-inventions schedule not declared" in reason


def test_unsigned_agreement_fails_with_every_reason():
    passed, reason = reasons("ip_assignment", {"work_state": "TX"})
    assert not passed
    for part in ("signature date", "signatory", "prior-inventions", "carve-outs not stated"):
        assert part in reason


def test_signature_after_the_check_date_fails():
    passed, reason = reasons("ip_assignment", ip_details(signed_on="2026-12-01"))
    assert not passed and "after the check date" in reason


def test_carve_outs_must_be_stated_and_noted_when_granted():
    details = ip_details(carve_outs={"open_source": True, "publication": None})
    passed, reason = reasons("ip_assignment", details)
    assert not passed
    assert "open-source carve-out granted without a note" in reason
    assert "publication carve-out not stated" in reason


def test_california_requires_the_statutory_notice():
    passed, reason = reasons("ip_assignment", ip_details(work_state="CA"))
    assert not passed and "statutory notice" in reason and "2870" in reason
    result = evaluate(
        "ip_assignment", ip_details(work_state="CA", statutory_notice_included=True), US, as_of=AS_OF
    )
    assert result.passed
    assert any("unverified" in note for note in result.notes)


@pytest.mark.parametrize("state", ["WA", "IL", "MN", "NC", "KS", "DE", "UT", "NV", "NJ"])
def test_other_listed_states_require_the_notice_too(state):
    assert not reasons("ip_assignment", ip_details(work_state=state))[0]
    assert reasons("ip_assignment", ip_details(work_state=state, statutory_notice_included=True))[0]


def test_unlisted_state_passes_with_an_unverified_note():
    result = evaluate("ip_assignment", ip_details(work_state="TX"), US, as_of=AS_OF)
    assert result.passed and "unverified" in result.notes[0]


def test_us_work_needs_a_work_state_but_other_countries_do_not():
    details = ip_details()
    del details["work_state"]
    assert "work state not given" in reasons("ip_assignment", details)[1]
    assert reasons("ip_assignment", details, RequisitionFacts(work_country="DE"))[0]


# --- clearance --------------------------------------------------------------------------------------


def test_clearance_at_or_above_the_required_level_passes():
    result = evaluate("clearance", clearance_details(), SECRET, as_of=AS_OF)
    assert result.passed and result.expires_on == date(2028, 6, 30)
    assert reasons("clearance", clearance_details(level="secret"), SECRET)[0]


def test_lower_clearance_level_fails_with_both_levels():
    passed, reason = reasons("clearance", clearance_details(level="confidential"), SECRET)
    assert not passed and reason == "Secret required, person holds Confidential"


def test_expired_clearance_fails():
    passed, reason = reasons("clearance", clearance_details(expires_on="2026-11-01"), SECRET)
    assert not passed and "clearance expired on 2026-11-01" in reason


def test_clearance_expiring_on_the_check_date_fails():
    assert not reasons("clearance", clearance_details(expires_on=AS_OF.isoformat()), SECRET)[0]


def test_clearance_passed_earlier_fails_once_expired():
    details = clearance_details(expires_on="2027-01-31")
    assert reasons("clearance", details, SECRET, as_of=date(2027, 1, 1))[0]
    assert not reasons("clearance", details, SECRET, as_of=date(2027, 2, 1))[0]


def test_missing_agency_fails():
    passed, reason = reasons("clearance", clearance_details(agency="  "), SECRET)
    assert not passed and reason == "granting agency not given"


def test_clearance_needs_verification_date_and_known_level():
    details = clearance_details(level="cosmic", verified_on=None)
    passed, reason = reasons("clearance", details, SECRET)
    assert not passed and "unknown clearance level" in reason and "verification date not given" in reason


def test_bad_dates_are_reported():
    passed, reason = reasons("clearance", clearance_details(expires_on="next year"), SECRET)
    assert not passed and "not a date" in reason


# --- work authorization -----------------------------------------------------------------------------


def test_work_authorization_for_the_work_country_passes():
    result = evaluate("work_authorization", work_auth_details(), US, as_of=AS_OF)
    assert result.passed and result.expires_on == date(2030, 1, 1)


def test_authorization_for_another_country_fails():
    passed, reason = reasons("work_authorization", work_auth_details(country="CA"))
    assert not passed and reason == "authorized for CA, the work is in US"


def test_sponsorship_only_where_the_requisition_offers_it():
    sponsored = work_auth_details(country="IN", sponsorship=True, document_type="H-1B approval notice")
    assert reasons("work_authorization", sponsored, RequisitionFacts(sponsorship_available=True))[0]
    passed, reason = reasons("work_authorization", sponsored)
    assert not passed and "does not offer sponsorship" in reason


def test_citizens_need_no_expiry_others_do():
    citizen = work_auth_details(citizen=True, document_type="US passport", expires_on=None)
    result = evaluate("work_authorization", citizen, US, as_of=AS_OF)
    assert result.passed and result.expires_on is None
    passed, reason = reasons("work_authorization", work_auth_details(expires_on=None))
    assert not passed and "expiry date not given" in reason


def test_a_citizens_document_must_be_unexpired_when_examined():
    expired = work_auth_details(citizen=True, document_type="US passport", expires_on="2020-03-01")
    passed, reason = reasons("work_authorization", expired)
    assert not passed and "Form I-9 needs an unexpired document" in reason
    # A passport valid when examined keeps the gate open-ended even after it lapses later.
    valid = work_auth_details(citizen=True, document_type="US passport", expires_on="2026-12-31")
    result = evaluate("work_authorization", valid, US, as_of=AS_OF)
    assert result.passed and result.expires_on is None


def test_expired_work_authorization_fails():
    passed, reason = reasons("work_authorization", work_auth_details(expires_on="2026-06-30"))
    assert not passed and "work authorization expired" in reason


def test_work_authorization_needs_document_and_verification():
    passed, reason = reasons("work_authorization", work_auth_details(document_type="", verified_on=""))
    assert not passed and "document type not given" in reason and "verification date not given" in reason


# --- background check -------------------------------------------------------------------------------


def test_clear_background_check_passes():
    assert reasons("background_check", {"completed_on": "2026-11-10", "result": "clear"}, SECRET)[0]


def test_consider_fails_unless_adjudicated_with_a_note():
    consider = {"completed_on": "2026-11-10", "result": "consider"}
    passed, reason = reasons("background_check", consider, SECRET)
    assert not passed and "individualized adjudication" in reason
    assert not reasons("background_check", {**consider, "adjudicated": True}, SECRET)[0]
    adjudicated = {
        **consider,
        "adjudicated": True,
        "adjudication_note": "2009 misdemeanour, unrelated to duties",
    }
    assert reasons("background_check", adjudicated, SECRET)[0]


def test_background_check_needs_completion_and_a_known_result():
    passed, reason = reasons("background_check", {"result": "pending"}, SECRET)
    assert not passed and "completion date not given" in reason and "must be 'clear' or 'consider'" in reason


# --- classification ---------------------------------------------------------------------------------


def test_classification_needs_a_reviewed_assessment():
    assert "no worker-classification assessment" in reasons("classification", {"assessment_id": None})[1]
    passed, reason = reasons("classification", {"assessment_id": 7, "status": "draft"})
    assert not passed and reason == "classification assessment #7 awaits compliance review"
    assert reasons("classification", {"assessment_id": 7, "status": "reviewed", "reviewed_on": "2026-11-20"})[
        0
    ]


def test_blocking_message_lists_each_gate_with_its_reason():
    message = gates.blocking_message(
        [("ip_assignment", "not recorded"), ("clearance", "Secret required, person holds Confidential")]
    )
    assert message == (
        "Cannot place: IP assignment signed — not recorded; "
        "Security clearance verified — Secret required, person holds Confidential"
    )
