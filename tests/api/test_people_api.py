from cadre.people.models import Identity, Person, SourceRecord


def test_create_person_keeps_source_record_and_normalises_identities(api):
    response = api.post(
        "/api/people",
        {
            "full_name": "Mei Chen",
            "headline": "NLP engineer",
            "identities": [
                {"kind": "email", "value": "Mei.Chen@Example.org"},
                {"kind": "github", "value": "https://github.com/MeiChen-NLP/"},
                {"kind": "orcid", "value": "https://orcid.org/0000-0002-1825-0097"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {(i["kind"], i["value"]) for i in body["identities"]} == {
        ("email", "mei.chen@example.org"),
        ("github", "meichen-nlp"),
        ("orcid", "0000-0002-1825-0097"),
    }
    record = SourceRecord.objects.get(person_id=body["id"])
    assert record.source == "api" and record.payload["full_name"] == "Mei Chen"


def test_duplicate_identity_is_409_and_creates_nothing(api, tenant_a):
    people_before, identities_before = Person.objects.count(), Identity.objects.count()
    response = api.post(
        "/api/people",
        {
            "full_name": "Ana L.",
            "identities": [
                {"kind": "email", "value": "x@example.org"},
                {"kind": "github", "value": "github.com/AnaLima"},
            ],
        },
    )
    assert response.status_code == 409
    assert f"person {tenant_a.person.pk}" in response.json()["detail"]
    assert (Person.objects.count(), Identity.objects.count()) == (people_before, identities_before)


def test_invalid_identity_is_422(api):
    bad_orcid = api.post(
        "/api/people",
        {"full_name": "Z", "identities": [{"kind": "orcid", "value": "0000-0002-1825-0098"}]},
    )
    assert bad_orcid.status_code == 422 and bad_orcid.json()["field"] == "identities"
    bad_kind = api.post("/api/people", {"full_name": "Z", "identities": [{"kind": "myspace", "value": "z"}]})
    assert bad_kind.status_code == 422


def test_add_and_remove_identity(api, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}/identities"
    created = api.post(url, {"kind": "linkedin", "value": "https://www.linkedin.com/in/ana-lima/"})
    assert created.status_code == 201 and created.json()["value"] == "/in/ana-lima"
    assert api.post(url, {"kind": "linkedin", "value": "linkedin.com/in/ana-lima"}).status_code == 409
    assert api.delete(f"{url}/{created.json()['id']}").status_code == 204
    assert api.delete(f"{url}/{created.json()['id']}").status_code == 404


def test_search_by_name_and_by_identifier(api, tenant_a, tenant_b):
    assert [p["full_name"] for p in api.get("/api/people", q="lima").json()["items"]] == ["Ana Lima"]
    by_email = api.get("/api/people", q="BenOkafor@example.org").json()["items"]
    assert [p["full_name"] for p in by_email] == ["Ben Okafor"]


def test_patch_person_with_version(api, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}"
    assert api.patch(url, {"version": 1, "location": "Lisbon"}).json()["location"] == "Lisbon"
    assert api.patch(url, {"version": 1, "location": "Porto"}).status_code == 409
    assert api.get(url).json()["location"] == "Lisbon"


def test_only_admin_deletes_people(api, api_as, admin_user, tenant_a):
    url = f"/api/people/{tenant_a.person.pk}"
    assert api.delete(url).status_code == 403
    assert api_as(admin_user).delete(url).status_code == 204
    assert api.get(url).status_code == 404
