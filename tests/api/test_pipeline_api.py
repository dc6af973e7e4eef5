from cadre.pipeline.models import Activity, StageEvent


def test_add_person_to_pipeline_and_reject_duplicates(api, tenant_a, tenant_b):
    body = {"person_id": tenant_b.person.pk, "requisition_id": tenant_a.requisition.pk}
    created = api.post("/api/applications", body)
    assert created.status_code == 201 and created.json()["stage"] == "sourced"
    assert api.post("/api/applications", body).status_code == 409
    assert api.post("/api/applications", {**body, "requisition_id": 987654}).status_code == 404


def test_move_writes_event_activity_and_bumps_version(api, tenant_a, recruiter):
    url = f"/api/applications/{tenant_a.application.pk}/move"
    response = api.post(url, {"to_stage": "screening", "reason": "Strong PyTorch PRs"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["application"]["stage"] == "screening" and body["application"]["version"] == 2
    assert body["event"]["from_stage"] == "sourced" and body["event"]["actor"] == recruiter.username
    events = api.get(f"/api/applications/{tenant_a.application.pk}/events").json()
    assert [(e["from_stage"], e["to_stage"]) for e in events] == [
        ("", "sourced"),
        ("sourced", "screening"),
    ]
    assert Activity.objects.filter(application=tenant_a.application, kind="stage_change").count() == 2


def test_move_validation(api, tenant_a):
    url = f"/api/applications/{tenant_a.application.pk}/move"
    assert api.post(url, {"to_stage": "hired-ish"}).status_code == 422
    assert api.post(url, {"to_stage": "sourced"}).status_code == 422
    assert api.post(url, {"to_stage": "screening", "version": 7}).status_code == 409
    assert StageEvent.objects.filter(application=tenant_a.application).count() == 1


def test_hiring_manager_decides_only_on_submitted(api, api_as, tenant_a):
    hm = api_as(tenant_a.hiring_manager)
    url = f"/api/applications/{tenant_a.application.pk}/move"
    assert hm.post(url, {"to_stage": "screening"}).status_code == 403
    assert api.post(url, {"to_stage": "submitted"}).status_code == 200
    assert hm.post(url, {"to_stage": "client_interview"}).status_code == 200
    assert (
        hm.post(
            "/api/applications",
            {"person_id": tenant_a.person.pk, "requisition_id": tenant_a.requisition.pk},
        ).status_code
        == 403
    )


def test_delete_only_without_history(api, tenant_a, tenant_b):
    fresh = api.post(
        "/api/applications",
        {"person_id": tenant_b.person.pk, "requisition_id": tenant_a.requisition.pk},
    ).json()
    assert api.delete(f"/api/applications/{fresh['id']}").status_code == 204
    api.post(f"/api/applications/{tenant_a.application.pk}/move", {"to_stage": "screening"})
    assert api.delete(f"/api/applications/{tenant_a.application.pk}").status_code == 409


def test_notes_on_the_timeline(api, tenant_a, tenant_b):
    created = api.post(
        "/api/activities",
        {"person_id": tenant_a.person.pk, "body": "Prefers remote; available in March"},
    )
    assert created.status_code == 201
    assert api.post("/api/activities", {"person_id": tenant_a.person.pk, "body": ""}).status_code == 422
    mismatched = {
        "person_id": tenant_a.person.pk,
        "application_id": tenant_b.application.pk,
        "body": "x",
    }
    assert api.post("/api/activities", mismatched).status_code == 409
    bodies = [a["body"] for a in api.get("/api/activities", person_id=tenant_a.person.pk).json()]
    assert bodies[0] == "Prefers remote; available in March"
