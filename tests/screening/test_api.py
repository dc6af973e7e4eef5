"""The screening API: recruiter endpoints (token auth, scoped), candidate portal endpoints (no auth, the
signed token), and no hidden material in any response or in the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.screening.screening_helpers import (
    CHURN,
    LATENCY,
    PRECISION,
    assert_no_leak,
    item_of,
    key_of,
    latest,
    make_assessment,
    predictions,
    token_of,
)

from cadre.core.services import create_api_token
from cadre.pipeline.services import move_application
from cadre.screening import services
from cadre.screening.bank import load_bank
from cadre.screening.models import Sitting, Submission

pytestmark = pytest.mark.django_db

MC = "mlops-canary-release"
SHORT = "mlops-ci-cd-for-models"


class Api:
    def __init__(self, user: Any = None) -> None:
        self.http = Client()
        self.headers = {"Authorization": f"Bearer {create_api_token(user)}"} if user else {}

    def get(self, path: str, **params: Any):
        return self.http.get(f"/api/{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None):
        data = json.dumps(body) if body is not None else ""
        return self.http.post(f"/api/{path}", data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any):
        return self.http.patch(
            f"/api/{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )

    def upload(self, path: str, name: str, data: bytes, **extra: Any):
        return self.http.post(
            f"/api/{path}", {"file": SimpleUploadedFile(name, data)}, headers=self.headers, **extra
        )


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def safe_json(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:500]
    text = response.content.decode()
    assert_no_leak(text)
    body = json.loads(text)
    assert not _keys(body) & {"hidden_key", "hidden_data", "nonce", "upload"}
    return body


def test_question_bank_endpoints(recruiter, tenant_a):
    load_bank()
    api = Api(recruiter)
    rows = safe_json(api.get("screening/questions", status="all"))
    assert {r["slug"] for r in rows} >= {CHURN, LATENCY, PRECISION, MC}
    churn = next(r for r in rows if r["slug"] == CHURN)
    assert churn["metric"]["name"] == "roc_auc" and churn["metric"]["floor"] == 0.5
    code = next(r for r in rows if r["slug"] == PRECISION)
    assert len(code["checks"]) == 12 and code["limits"]["memory_mb"] == 256
    mc = next(r for r in rows if r["slug"] == MC)
    assert len(mc["choices"]) == 4 and "correct" not in json.dumps(mc)
    detail = safe_json(api.get(f"screening/questions/{latest(MC).pk}"))
    assert detail["versions"][0]["version"] == 1
    edited = safe_json(
        api.post(f"screening/questions/{latest(MC).pk}/versions", {"version": 1, "title": "Canary releases"}),
        201,
    )
    assert edited["version"] == 2 and edited["title"] == "Canary releases"
    stale = api.post(f"screening/questions/{detail['question']['id']}/versions", {"version": 1, "title": "x"})
    assert stale.status_code == 409
    typo = api.post(f"screening/questions/{edited['id']}/versions", {"version": 2, "titel": "x"})
    assert typo.status_code == 422
    created = safe_json(
        api.post(
            "screening/questions",
            {
                "kind": "multiple_choice",
                "competency": "mlops",
                "title": "Rollback trigger",
                "prompt": "Which signal should roll a model back automatically?",
                "choices": ["error rate over its guardrail", "a drop in CPU use"],
                "correct": "a",
            },
        ),
        201,
    )
    assert created["slug"] == "rollback-trigger" and "correct" not in json.dumps(created)
    hm = Api(tenant_a.hiring_manager)
    assert hm.get("screening/questions").status_code == 200
    assert hm.post(f"screening/questions/{edited['id']}/status", {"status": "retired"}).status_code == 403


def test_assemble_publish_invite_and_the_candidate_portal(recruiter, tenant_a):
    load_bank()
    api = Api(recruiter)
    draft = safe_json(api.post("screening/assessments", {"requisition_id": tenant_a.requisition.pk}), 201)
    assert (
        draft["status"] == "draft" and draft["items"] and draft["competencies"][0]["competency"] == "coding"
    )
    patched = safe_json(api.patch(f"screening/assessments/{draft['id']}", {"pass_threshold": "0.5"}))
    assert patched["pass_threshold"] == "0.5000"
    published = safe_json(api.post(f"screening/assessments/{draft['id']}/publish"))
    assert published["status"] == "published"
    assert api.patch(f"screening/assessments/{draft['id']}", {"title": "x"}).status_code == 409
    invite = safe_json(
        api.post(f"applications/{tenant_a.application.pk}/sittings", {"assessment_id": draft["id"]}), 201
    )
    assert invite["url"].startswith("http://testserver/take/") and invite["sitting"]["status"] == "invited"
    token = token_of(invite["url"].removeprefix("http://testserver"))

    candidate = Api()  # no credentials at all
    view = safe_json(candidate.get(f"screening/portal/{token}"))
    assert view["status"] == "invited" and view["open"] is True and len(view["items"]) == len(draft["items"])
    assert all(i["submission"] is None for i in view["items"])
    ml_tasks = [i["question"] for i in view["items"] if i["question"]["kind"] == "ml_task"]
    assert ml_tasks, "the assembled assessment has an ML task"
    for question in ml_tasks:  # the best achievable score stays staff-side
        target = latest(question["slug"]).spec["scoring"]["target"]
        assert question["metric"]["target"] is None and f"{target:g}" not in question["metric"]["points_rule"]
    safe_json(candidate.post(f"screening/portal/{token}/start"))
    items = {i["question"]["slug"]: i for i in view["items"]}
    mc_items = [i for i in view["items"] if i["question"]["kind"] == "multiple_choice"]
    answers = {str(i["id"]): key_of(latest(i["question"]["slug"])) for i in mc_items}
    for written in (i for i in view["items"] if i["question"]["kind"] in ("short_answer", "take_home")):
        answers[str(written["id"])] = "A structured answer covering the failure modes."
    answers["999999"] = "a"
    partial = candidate.post(f"screening/portal/{token}/answers", {"answers": answers})
    assert partial.status_code == 422 and json.loads(partial.content)["errors"] == {
        "999999": "not an item of this assessment"
    }
    del answers["999999"]
    saved = safe_json(candidate.post(f"screening/portal/{token}/answers", {"answers": answers}))
    assert sorted(saved["saved"]) == sorted(int(k) for k in answers)
    churn = items[CHURN]
    file = candidate.http.get(f"/api/screening/portal/{token}/items/{churn['id']}/file")
    assert file.status_code == 200 and file.content == bytes(latest(CHURN).public_data)
    bad = safe_json(
        candidate.upload(
            f"screening/portal/{token}/items/{churn['id']}/upload", "p.csv", b"customer_id\nC1\n"
        ),
        201,
    )
    assert bad["status"] == "invalid" and any("missing columns" in e for e in bad["errors"])
    assert "score" not in bad and "result" not in bad
    good = safe_json(
        candidate.upload(
            f"screening/portal/{token}/items/{churn['id']}/upload", "p.csv", predictions(latest(CHURN))
        ),
        201,
    )
    assert good["status"] == "received" and good["attempt"] == 2
    done = safe_json(candidate.post(f"screening/portal/{token}/submit"))
    assert done["status"] == "submitted" and done["open"] is False
    assert all("score" not in (i["submission"] or {}) for i in done["items"])
    assert candidate.post(f"screening/portal/{token}/submit").status_code == 409

    sitting = safe_json(api.get(f"screening/sittings/{invite['sitting']['id']}"))
    assert sitting["status"] == "submitted" and sitting["pending"] >= 1
    scored = next(i for i in sitting["items"] if i["question"]["slug"] == CHURN)
    assert (
        scored["submission"]["result"]["metric"] == "roc_auc" and scored["submission"]["score"] == "1.000000"
    )
    for item in sitting["items"]:
        sub = item["submission"]
        if sub and sub["status"] == "needs_review":
            safe_json(
                api.post(f"screening/sittings/{sitting['id']}/submissions/{sub['id']}/grade", {"level": 3}),
            )
    final = safe_json(api.get(f"screening/sittings/{sitting['id']}"))
    assert final["status"] == "graded" and final["score"] is not None and final["outcome"] in ("pass", "fail")
    move_application(recruiter, tenant_a.application, to_stage="screening")
    to_stage = "submitted" if final["outcome"] == "pass" else "rejected"
    decided = safe_json(api.post(f"screening/sittings/{sitting['id']}/decision", {"to_stage": to_stage}))
    assert decided["decision"]["by"] == recruiter.username
    listed = safe_json(api.get(f"applications/{tenant_a.application.pk}/sittings"))
    assert [s["id"] for s in listed] == [sitting["id"]] and listed[0]["outcome"] == final["outcome"]


def test_portal_errors(recruiter, tenant_a):
    assessment = make_assessment(recruiter, tenant_a.requisition, [CHURN])
    sitting, path = services.invite(recruiter, tenant_a.application, assessment)
    token = token_of(path)
    candidate = Api()
    assert candidate.get(f"screening/portal/{token[:-4]}abcd").status_code == 403
    churn = item_of(assessment, CHURN)
    huge = candidate.upload(
        f"screening/portal/{token}/items/{churn.pk}/upload", "big.csv", b"customer_id,churn_probability\n",
        CONTENT_LENGTH=str(1024**3),
    )  # fmt: skip
    assert huge.status_code == 413 and "limit" in json.loads(huge.content)["detail"]
    assert not Submission.objects.exists()
    missing = candidate.http.post(f"/api/screening/portal/{token}/items/{churn.pk}/upload", {})
    assert missing.status_code == 422
    garbled = candidate.http.post(
        f"/api/screening/portal/{token}/items/{churn.pk}/upload",
        b"garbage",
        content_type="multipart/form-data",
    )
    assert garbled.status_code == 422 and "multipart" in json.loads(garbled.content)["detail"]
    services.cancel_sitting(recruiter, Sitting.objects.get(pk=sitting.pk))
    gone = candidate.get(f"screening/portal/{token}")
    assert gone.status_code == 410 and "no longer valid" in json.loads(gone.content)["detail"]


def test_hiring_managers_are_scoped(recruiter, tenant_a, tenant_b):
    mine = make_assessment(recruiter, tenant_a.requisition, [MC])
    theirs = make_assessment(recruiter, tenant_b.requisition, [MC])
    sitting_a, _ = services.invite(recruiter, tenant_a.application, mine)
    sitting_b, _ = services.invite(recruiter, tenant_b.application, theirs)
    hm = Api(tenant_a.hiring_manager)
    assert hm.get(f"screening/sittings/{sitting_a.pk}").status_code == 200
    assert hm.get(f"screening/sittings/{sitting_b.pk}").status_code == 404
    assert hm.get(f"applications/{tenant_b.application.pk}/sittings").status_code == 404
    assert hm.get(f"screening/assessments/{theirs.pk}").status_code == 404
    assert [a["id"] for a in safe_json(hm.get("screening/assessments"))] == [mine.pk]
    refused = hm.post(f"applications/{tenant_a.application.pk}/sittings", {"assessment_id": mine.pk})
    assert refused.status_code == 403
    assert Api().get(f"screening/sittings/{sitting_a.pk}").status_code == 401


def test_openapi_documents_the_portal_without_auth_and_without_hidden_fields(recruiter):
    schema = json.loads(Api(recruiter).get("openapi.json").content)
    text = json.dumps(schema)
    assert "hidden_key" not in text and "hidden_data" not in text
    portal_ops = {p: ops for p, ops in schema["paths"].items() if p.startswith("/api/screening/portal/")}
    assert len(portal_ops) == 6
    for ops in portal_ops.values():
        for op in ops.values():
            assert not op.get("security")  # no credentials needed: the token is in the path
    upload = schema["paths"]["/api/screening/portal/{token}/items/{item_id}/upload"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    sittings = schema["paths"]["/api/applications/{application_id}/sittings"]
    assert {"get", "post"} <= set(sittings) and sittings["get"].get("security")
