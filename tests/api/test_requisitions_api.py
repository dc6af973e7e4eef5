from cadre.core.models import AuditLog
from cadre.requisitions.models import Requisition


def _payload(client_id, **extra):
    body = {
        "client_id": client_id,
        "title": "Staff MLOps engineer",
        "role_family": "mlops-engineer",
        "seniority": "staff",
        "engagement_type": "contract_to_hire",
        "remote_policy": "remote",
        "duration_months": 6,
        "openings": 2,
        "currency": "USD",
        "pay_min": "95.00",
        "pay_max": "120.50",
        "bill_min": "140",
        "bill_max": "175",
        "skills": [
            {"skill": "kubernetes", "importance": "must"},
            {"skill": "mlflow", "importance": "nice"},
        ],
    }
    body.update(extra)
    return body


def test_create_and_read_requisition(api, tenant_a):
    response = api.post("/api/requisitions", _payload(tenant_a.client.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pay_max"] == "120.50" and body["bill_min"] == "140.00"
    assert body["skills"] == [
        {"skill": "kubernetes", "importance": "must"},
        {"skill": "mlflow", "importance": "nice"},
    ]
    assert body["client_name"] == "Northwind Robotics" and body["version"] == 1
    assert api.get(f"/api/requisitions/{body['id']}").json()["title"] == "Staff MLOps engineer"


def test_validation_errors_name_the_field(api, tenant_a):
    before = Requisition.objects.count()
    response = api.post("/api/requisitions", _payload(tenant_a.client.pk, pay_min="-5", seniority="wizard"))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"pay_min", "seniority"} <= fields
    missing = api.post("/api/requisitions", {"client_id": tenant_a.client.pk})
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "title"
    assert Requisition.objects.count() == before


def test_inverted_pay_band_and_unknown_references_are_rejected(api, tenant_a):
    inverted = api.post("/api/requisitions", _payload(tenant_a.client.pk, pay_min="130", pay_max="120"))
    assert inverted.status_code == 422
    assert "pay band" in inverted.json()["detail"]
    skill = api.post("/api/requisitions", _payload(tenant_a.client.pk, skills=[{"skill": "cobol-on-mars"}]))
    assert skill.status_code == 422 and skill.json()["field"] == "skills"
    assert api.post("/api/requisitions", _payload(999999)).status_code == 404


def test_malformed_json_and_wrong_types(api, tenant_a):
    assert api.post("/api/requisitions", raw="{not json").status_code == 400
    wrong = api.post("/api/requisitions", _payload(tenant_a.client.pk, openings="several"))
    assert wrong.status_code == 422
    extra = api.post("/api/requisitions", _payload(tenant_a.client.pk, salary_hint="lots"))
    assert extra.status_code == 422


def test_oversized_payload_is_413_and_writes_nothing(api, tenant_a):
    before = Requisition.objects.count()
    huge = _payload(tenant_a.client.pk, description="x" * (11 * 1024 * 1024))
    response = api.post("/api/requisitions", huge)
    assert response.status_code == 413
    assert "10 MB" in response.json()["detail"]
    assert Requisition.objects.count() == before


def test_stale_version_is_409_and_keeps_the_first_edit(api, tenant_a, api_as, make_user):
    other = api_as(make_user("rob", "recruiter"))
    url = f"/api/requisitions/{tenant_a.requisition.pk}"
    first = api.patch(url, {"version": 1, "title": "Principal ML engineer"})
    assert first.status_code == 200 and first.json()["version"] == 2
    second = other.patch(url, {"version": 1, "openings": 5})
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
    tenant_a.requisition.refresh_from_db()
    assert tenant_a.requisition.title == "Principal ML engineer"
    assert tenant_a.requisition.openings == 1


def test_update_is_audited_with_before_and_after(api, tenant_a, recruiter):
    url = f"/api/requisitions/{tenant_a.requisition.pk}"
    assert api.patch(url, {"version": 1, "status": "on_hold"}).status_code == 200
    entry = AuditLog.objects.filter(object_type="requisitions.requisition", action="update").first()
    assert entry.actor == recruiter and entry.via == "api"
    assert entry.before["status"] == "open" and entry.after["status"] == "on_hold"
    assert "status" in entry.changed_fields()


def test_pagination_and_filters(api, tenant_a, recruiter):
    from cadre.requisitions.services import create_requisition

    for i in range(12):
        create_requisition(recruiter, client=tenant_a.client, title=f"Data engineer {i}", status="draft")
    page = api.get("/api/requisitions", page=2, page_size=5, status="draft")
    assert page.status_code == 200
    body = page.json()
    assert body["count"] == 12 and len(body["items"]) == 5
    assert all(item["status"] == "draft" for item in body["items"])
    assert api.get("/api/requisitions", q="Northwind").json()["count"] == 13
    assert api.get("/api/requisitions", page=0).status_code == 422


def test_delete_requisition_with_pipeline_is_refused(api, tenant_a):
    response = api.delete(f"/api/requisitions/{tenant_a.requisition.pk}")
    assert response.status_code == 409
    assert Requisition.objects.filter(pk=tenant_a.requisition.pk).exists()
