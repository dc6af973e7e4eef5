from django.test import Client as HttpClient
from tests.conftest import PASSWORD

from cadre.core.models import ApiToken


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/clients",
        "/api/requisitions",
        "/api/people",
        "/api/applications/{application_id}/move",
    ):
        assert path in paths
    assert client.get("/api/docs").status_code == 200


def test_anonymous_gets_401_with_message(api_as, db):
    response = api_as(None).get("/api/requisitions")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_bad_or_revoked_token_is_401(api_as, recruiter):
    from tests.api.conftest import ApiClient

    assert ApiClient("cad_not-a-real-token").get("/api/people").status_code == 401
    api = api_as(recruiter)
    assert api.get("/api/people").status_code == 200
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert api.get("/api/people").status_code == 401


def test_token_is_stored_hashed_and_records_use(api, recruiter):
    token = ApiToken.objects.get(user=recruiter)
    raw = api.headers["Authorization"].split()[1]
    assert raw not in token.key_hash and len(token.key_hash) == 64
    api.get("/api/people")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_session_auth_requires_csrf_on_writes(recruiter):
    browser = HttpClient(enforce_csrf_checks=True)
    assert browser.login(username=recruiter.username, password=PASSWORD)
    assert browser.get("/api/people").status_code == 200
    response = browser.post("/api/people", data={"full_name": "X"}, content_type="application/json")
    assert response.status_code == 403
    browser.get("/")  # any UI page (forms, htmx headers) sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/people",
        data={"full_name": "Xu Ming"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
