import pytest

from cadre.core.exceptions import Conflict, Forbidden, ValidationFailed
from cadre.people.services import create_person
from cadre.pipeline.models import AppendOnlyError, Application, StageEvent
from cadre.pipeline.selectors import pipeline_board, stage_counts
from cadre.pipeline.services import (
    create_application,
    move_application,
    register_stage_guard,
)


def test_stage_history_is_append_only(tenant_a, recruiter):
    event = move_application(
        recruiter, tenant_a.application, to_stage="screening", reason="phone screen booked"
    )
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert StageEvent.objects.get(pk=event.pk).reason == "phone screen booked"


def test_a_stale_board_cannot_move_a_card_twice(tenant_a, recruiter, make_user):
    stale = Application.objects.get(pk=tenant_a.application.pk)
    move_application(recruiter, tenant_a.application, to_stage="screening")
    with pytest.raises(Conflict):
        move_application(make_user("r2"), stale, to_stage="rejected")
    assert Application.objects.get(pk=stale.pk).stage == "screening"


def test_person_applies_once_per_requisition(tenant_a, recruiter):
    with pytest.raises(Conflict):
        create_application(recruiter, person=tenant_a.person, requisition=tenant_a.requisition)


def test_stage_guards_can_block_a_move(tenant_a, recruiter, monkeypatch):
    def gates_must_pass(application, target, user):
        if target == "placed":
            raise Forbidden("placement gates have not passed: IP assignment unsigned")

    # Only this guard: the compliance app's real placement gates are tested in tests/compliance.
    monkeypatch.setattr("cadre.pipeline.services._stage_guards", [])
    register_stage_guard(gates_must_pass)
    with pytest.raises(Forbidden, match="IP assignment"):
        move_application(recruiter, tenant_a.application, to_stage="placed")
    move_application(recruiter, tenant_a.application, to_stage="offer")
    assert Application.objects.get(pk=tenant_a.application.pk).stage == "offer"


def test_unknown_stage_is_rejected(tenant_a, recruiter):
    with pytest.raises(ValidationFailed):
        move_application(recruiter, tenant_a.application, to_stage="hired")


def test_board_columns_are_truncated_but_counted(tenant_a, recruiter, django_assert_num_queries):
    for i in range(7):
        person = create_person(recruiter, full_name=f"Candidate {i}")
        create_application(recruiter, person=person, requisition=tenant_a.requisition)
    with django_assert_num_queries(2):
        board = pipeline_board(tenant_a.requisition, per_stage=5)
    sourced = board[0]
    assert (
        sourced.stage == "sourced" and sourced.count == 8 and len(sourced.cards) == 5 and sourced.hidden == 3
    )
    assert stage_counts(recruiter)["sourced"] == 8
    assert stage_counts(tenant_a.hiring_manager)["sourced"] == 8


def test_hiring_manager_sees_own_notes_but_not_other_clients_activity(tenant_a, tenant_b, recruiter):
    from cadre.pipeline.selectors import timeline
    from cadre.pipeline.services import add_note

    hm = tenant_a.hiring_manager
    add_note(hm, tenant_a.person, body="Great system design answers")
    add_note(recruiter, tenant_a.person, body="Internal: salary expectations high")
    bodies = [a.body for a in timeline(hm, tenant_a.person)]
    assert "Great system design answers" in bodies
    assert "Internal: salary expectations high" not in bodies
    assert timeline(hm, tenant_b.person) == []
