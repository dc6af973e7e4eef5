def test_client_crud_with_platform_stack(api):
    created = api.post("/api/clients", {"name": "Quanta Finance", "platforms": ["gcp-vertex", "snowflake"]})
    assert created.status_code == 201
    body = created.json()
    assert body["platforms"] == ["gcp-vertex", "snowflake"]
    url = f"/api/clients/{body['id']}"
    patched = api.patch(url, {"version": 1, "platforms": ["databricks"], "industry": "Finance"})
    assert patched.status_code == 200 and patched.json()["platforms"] == ["databricks"]
    assert patched.json()["version"] == 2
    assert api.post("/api/clients", {"name": "Quanta Finance"}).status_code == 422
    assert api.post("/api/clients", {"name": "X", "platforms": ["mainframe"]}).status_code == 422
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_client_with_requisitions_cannot_be_deleted(api, tenant_a):
    assert api.delete(f"/api/clients/{tenant_a.client.pk}").status_code == 409
