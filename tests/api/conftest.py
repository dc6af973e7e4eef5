import json

import pytest
from django.test import Client as HttpClient

from cadre.core.services import create_api_token


class ApiClient:
    """A thin JSON client that authenticates with a bearer token, like an integration would."""

    def __init__(self, token: str | None) -> None:
        self.http = HttpClient()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body=None, raw: bytes | str | None = None, **params):
        kwargs = {"headers": self.headers}
        if raw is not None or body is not None:
            kwargs["data"] = raw if raw is not None else json.dumps(body)
            kwargs["content_type"] = "application/json"
        if method == "get":
            return self.http.get(path, params, **kwargs)
        return getattr(self.http, method)(path, **kwargs)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None, raw=None):
        return self._send("post", path, body, raw)

    def patch(self, path, body=None):
        return self._send("patch", path, body)

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture
def api_as():
    def _as(user) -> ApiClient:
        return ApiClient(create_api_token(user) if user else None)

    return _as


@pytest.fixture
def api(api_as, recruiter) -> ApiClient:
    return api_as(recruiter)
