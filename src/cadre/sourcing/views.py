"""The Import page: editors upload resumes, an ATS export or GitHub bundles, see the report, and see
recent import runs. Thin: the upload path and the permission check are cadre.sourcing.uploads'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.core.exceptions import CadreError
from cadre.sourcing import selectors
from cadre.sourcing.importers import registry
from cadre.sourcing.uploads import MAX_UPLOAD_FILES, import_uploads
from cadre.web.http import editor_required

SOURCES = [
    ("resume", "Resumes (PDF, DOCX, TXT, JSON Resume)"),
    ("csv", "Candidate export from another ATS (CSV)"),
    ("github", "GitHub API bundle (JSON)"),
]


class ImportForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES, initial="resume", label="What are you importing?")
    mapping = forms.ChoiceField(
        choices=[(name, name.capitalize()) for name in sorted(registry.CSV_MAPPINGS)],
        initial="generic",
        required=False,
        label="CSV column mapping",
        help_text="Only for CSV exports: which ATS's column names the file uses.",
    )


@editor_required
def import_page(request: HttpRequest) -> HttpResponse:
    report: dict[str, Any] | None = None
    error = ""
    form = ImportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        options = {"mapping": form.cleaned_data["mapping"] or "generic"} if source == "csv" else {}
        try:
            report = import_uploads(
                request.user, source, request.FILES.getlist("files"), via="web", **options
            ).as_dict()
        except CadreError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            error, status = exc.message, 422
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "report": report,
        "error": error,
        "max_files": MAX_UPLOAD_FILES,
        "runs": list(selectors.recent_runs(20)),
    }
    return render(request, "sourcing/import.html", context, status=status)
