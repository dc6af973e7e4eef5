"""A test-local URLconf for the structured-interview pages and API, used only while the lead has not
mounted `cadre.screening.interview_views.urlpatterns` and `cadre.screening.interview_api.router` yet
(see `interview_helpers.interview_urls`). Everything else is the project's own URLconf."""

from __future__ import annotations

from django.urls import include, path
from ninja import NinjaAPI

from cadre import urls as project_urls
from cadre.api.auth import API_AUTH
from cadre.api.routes import api as project_api
from cadre.screening import interview_views
from cadre.screening.interview_api import router

api = NinjaAPI(title="interviews (tests)", urls_namespace="interviews-test", auth=API_AUTH, docs_url=None)
for exc_class, handler in project_api._exception_handlers.items():  # the same error mapping as /api/
    api.add_exception_handler(exc_class, handler)
api.add_router("", router)

urlpatterns = [
    path("api/", api.urls),
    path("", include(interview_views.urlpatterns)),
    *project_urls.urlpatterns,
]
