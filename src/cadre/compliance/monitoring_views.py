"""Web pages for compliance monitoring: the compliance dashboard, adverse impact per pipeline stage, the
LL144 bias audits of Cadre's scoring tools (matching and screening assessments; HTML, CSV, PDF, one view
and one template parametrised by `LL144_TOOLS`) and recording a person's self-identification.

Every page needs the demographics permission (admins, compliance officers, or the view_demographics
permission); recording self-identification needs the compliance-officer or admin role. Others get 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from cadre.clients.selectors import clients_visible_to
from cadre.compliance import demographics, monitoring, reports
from cadre.compliance.models import SelfIdentification
from cadre.core.exceptions import ValidationFailed
from cadre.core.models import DecisionRecord
from cadre.people.models import Person
from cadre.people.selectors import get_person
from cadre.requisitions.selectors import requisitions_visible_to
from cadre.web.http import fetch

View = Callable[..., HttpResponse]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def demographics_required(view: View) -> View:
    """Logged in and allowed to read self-identified demographics; 403 otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not demographics.can_read_demographics(request.user):
            raise PermissionDenied("demographic monitoring is for compliance officers and admins")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def recorder_required(view: View) -> View:
    """Logged in as a compliance officer or admin; 403 otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not demographics.can_record_demographics(request.user):
            raise PermissionDenied("only compliance officers and admins record self-identification")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


OTHER_PAGES = (  # compliance pages built elsewhere; the dashboard links those that exist
    (
        "compliance-classify",
        "Worker classification",
        "The classification questionnaire (FLSA, IRS, state ABC tests) with risk and engagement vehicle.",
    ),
    ("compliance-rule-sets", "Classification rule sets", "The versioned rules the questionnaire applies."),
    (
        "compliance-notices",
        "Candidate notices",
        "Notices about automated tools given to candidates, per jurisdiction and template version.",
    ),
    ("compliance-retention", "Retention", "How long each kind of record is kept, and the last runs."),
)


def _other_pages() -> list[dict[str, str]]:
    pages = []
    for name, title, text in OTHER_PAGES:
        try:
            pages.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return pages


# --- dashboard -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoringTool:
    """One automated scoring tool audited under LL144 from its DecisionRecords (monitoring.SCORED_TOOLS)."""

    kind: str  # the DecisionRecord kind the audit reads
    slug: str  # in file names
    url_name: str
    tab: str
    title: str
    intro: str  # what the audited scores are
    card: str  # the dashboard's description
    stat_label: str
    empty_hint: str  # where the scores come from, when there are none yet

    @property
    def tool(self) -> str:
        return monitoring.SCORED_TOOLS[self.kind][0]

    def records(self) -> int:
        return DecisionRecord.objects.filter(kind=self.kind, subject_type=monitoring.MATCH_SUBJECT).count()


LL144_TOOLS: tuple[ScoringTool, ...] = (
    ScoringTool(
        kind=monitoring.MATCH_KIND,
        slug="matching",
        url_name="compliance-ll144",
        tab="LL144 audit: matching",
        title="NYC Local Law 144 bias audit: Cadre matching",
        intro="the match scores Cadre recorded: the latest score of each person for each requisition",
        card="Scoring rates (share above the median match score) and impact ratios from the matching "
        "decision records, with the fields a public summary needs. Download as CSV or PDF.",
        stat_label="Matching decision records",
        empty_hint="Match scores are recorded each time a requisition's matches are ranked.",
    ),
    ScoringTool(
        kind=monitoring.ASSESSMENT_KIND,
        slug="assessments",
        url_name="compliance-ll144-assessments",
        tab="LL144 audit: assessments",
        title="NYC Local Law 144 bias audit: Cadre screening assessments",
        intro="the assessment scores Cadre recorded: the latest graded sitting of each person for each "
        "requisition",
        card="Scoring rates (share above the median assessment score) and impact ratios from the scores of "
        "graded screening sittings, with the fields a public summary needs. Download as CSV or PDF.",
        stat_label="Assessment score records",
        empty_hint="A score is recorded when a candidate's assessment sitting is fully graded.",
    ),
)
TOOLS_BY_KIND = {t.kind: t for t in LL144_TOOLS}


@demographics_required
def compliance_home(request: HttpRequest) -> HttpResponse:
    people = Person.objects.filter(merged_into__isnull=True).count()
    self_ids = SelfIdentification.objects.filter(person__merged_into__isnull=True)
    context = {
        "people_total": people,
        "self_id_total": self_ids.count(),
        "declined_total": self_ids.filter(sex="", race_ethnicity="").count(),
        "audits": [{"tool": t, "url": reverse(t.url_name), "records": t.records()} for t in LL144_TOOLS],
        "other_pages": _other_pages(),
        "can_record": demographics.can_record_demographics(request.user),
    }
    return render(request, "compliance/home.html", context)


# --- adverse impact --------------------------------------------------------------------------------------


def chart_geometry(groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The impact-ratio bar chart of one adverse-impact table (reference group marked)."""
    if not groups:
        return None
    bars: list[tuple[str, float | None, str, str]] = []
    for g in groups:
        ratio = g["impact_ratio"]
        if ratio is None:
            bars.append((g["group"], None, "none", "n/a"))
        else:
            kind = "low" if g["below_four_fifths"] else ("ref" if g["reference"] else "ok")
            bars.append((g["group"], ratio, kind, f"{ratio:.3f}"))
    return reports.ratio_chart(bars)


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2e}" if value < 0.0001 else f"{value:.4f}"


def _num(value: float | None, places: int) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _table(report: dict[str, Any]) -> dict[str, Any]:
    rows = [
        g
        | {
            "rate_text": _num(g["rate"], 4),
            "ratio_text": _num(g["impact_ratio"], 4),
            "z_text": _num(g["z"], 3),
            "p_text": _p(g["p_z"]),
            "fisher_text": _p(g["fisher_p"]),
        }
        for g in report["groups"]
    ]
    return report | {"rows": rows, "chart": chart_geometry(report["groups"])}


@demographics_required
def adverse_impact(request: HttpRequest) -> HttpResponse:
    requisition_id = _int(request.GET.get("requisition"))
    client_id = _int(request.GET.get("client"))
    dimension = request.GET.get("dimension", "")
    if dimension not in monitoring.DIMENSIONS:
        dimension = ""
    data = fetch(monitoring.stage_funnel_counts, request.user, requisition=requisition_id, client=client_id)
    shown = [dimension] if dimension else list(monitoring.DIMENSIONS)
    stages = [stage | {"tables": [_table(stage["dimensions"][d]) for d in shown]} for stage in data["stages"]]
    context = {
        "data": data,
        "stages": stages,
        "filters": {"requisition": requisition_id, "client": client_id, "dimension": dimension},
        "requisitions": requisitions_visible_to(request.user)
        .select_related("client")
        .only("id", "title", "client__name")
        .order_by("client__name", "title", "id"),
        "clients": clients_visible_to(request.user).only("id", "name").order_by("name"),
        "dimensions": [(d, monitoring.DIMENSION_LABELS[d]) for d in monitoring.DIMENSIONS],
    }
    return render(request, "compliance/adverse_impact.html", context)


# --- LL144 audits of Cadre's scoring tools ---------------------------------------------------------------


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()) if (raw or "").strip() else None
    except ValueError:
        return None


def _download_url(request: HttpRequest, fmt: str) -> str:
    params: QueryDict = request.GET.copy()
    params["format"] = fmt
    return f"{request.path}?{params.urlencode()}"


def ll144_download(report: dict[str, Any], tool: ScoringTool, fmt: str) -> HttpResponse | None:
    """The report as a CSV or PDF attachment (None for any other format)."""
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(reports.ll144_csv(report), content_type="text/csv; charset=utf-8")
    elif fmt == "pdf":
        response = HttpResponse(reports.ll144_pdf(report), content_type="application/pdf")
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="cadre-{tool.slug}-ll144-{stamp}.{fmt}"'
    return response


def _ll144_page(request: HttpRequest, tool: ScoringTool) -> HttpResponse:
    since = _date(request.GET.get("since"))
    requisition_id = _int(request.GET.get("requisition"))
    fmt = request.GET.get("format", "html")
    report: dict[str, Any] | None = None
    error = ""
    try:
        report = fetch(
            monitoring.scoring_ll144_audit,
            request.user,
            kind=tool.kind,
            since=since,
            requisition=requisition_id,
        )
    except ValidationFailed as exc:
        error = exc.message
    if report is not None:
        download = ll144_download(report, tool, fmt)
        if download is not None:
            return download
    context = {
        "tool": tool,
        "tools": LL144_TOOLS,
        "report": report,
        "report_html": mark_safe(reports.ll144_html(report)) if report is not None else "",
        "error": error,
        "filters": {"since": since.isoformat() if since else "", "requisition": requisition_id},
        "requisitions": requisitions_visible_to(request.user)
        .select_related("client")
        .only("id", "title", "client__name")
        .order_by("client__name", "title", "id"),
        "csv_url": _download_url(request, "csv"),
        "pdf_url": _download_url(request, "pdf"),
    }
    status = 200 if report is not None or fmt == "html" else 404
    return render(request, "compliance/ll144_audit.html", context, status=status)


@demographics_required
def ll144_matching(request: HttpRequest) -> HttpResponse:
    return _ll144_page(request, TOOLS_BY_KIND[monitoring.MATCH_KIND])


@demographics_required
def ll144_assessments(request: HttpRequest) -> HttpResponse:
    return _ll144_page(request, TOOLS_BY_KIND[monitoring.ASSESSMENT_KIND])


# --- self-identification ---------------------------------------------------------------------------------


class SelfIdForm(forms.Form):
    sex = forms.ChoiceField(
        choices=[("", "Declined / not given")]
        + [(c.value, c.label) for c in SelfIdentification.Sex if c.value],
        required=False,
    )
    race_ethnicity = forms.ChoiceField(
        label="Race/ethnicity",
        choices=[("", "Declined / not given")]
        + [(c.value, c.label) for c in SelfIdentification.RaceEthnicity if c.value],
        required=False,
    )
    collected_via = forms.ChoiceField(
        label="Collected via",
        choices=[(v, v.capitalize()) for v in demographics.COLLECTED_VIA],
        initial="form",
    )
    form_version = forms.CharField(label="Form version", max_length=32, required=False)


@recorder_required
def self_id_form(request: HttpRequest, pk: int) -> HttpResponse:
    person = fetch(get_person, request.user, pk)
    current = demographics.demographics_for(request.user, [person.pk]).get(person.pk)
    if request.method == "POST":
        form = SelfIdForm(request.POST)
        if form.is_valid():
            try:
                demographics.record_self_identification(request.user, person, **form.cleaned_data)
            except ValidationFailed as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Self-identification of {person.full_name} saved.")
                return redirect("compliance-self-id", pk=person.pk)
    else:
        initial = {"collected_via": "form"}
        if current:
            initial |= {k: current[k] for k in ("sex", "race_ethnicity", "collected_via", "form_version")}
        form = SelfIdForm(initial=initial)
    context = {"person": person, "current": current, "form": form}
    return render(request, "compliance/self_id_form.html", context, status=422 if form.errors else 200)


@recorder_required
def self_id_lookup(request: HttpRequest) -> HttpResponse:
    """The dashboard's "record for person #" box."""
    pk = _int(request.GET.get("person"))
    if pk is None:
        messages.error(request, "Give a person's number (it is in the address of their page).")
        return redirect("compliance-home")
    return redirect("compliance-self-id", pk=pk)


@recorder_required
def self_id_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of self-identification answers (person_id, sex, race_ethnicity)."""
    if request.method != "POST":
        return redirect("compliance-home")
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > MAX_IMPORT_BYTES:
        messages.error(request, "Choose a CSV file (at most 5 MB).")
        return redirect("compliance-home")
    try:
        text = upload.read().decode("utf-8-sig")
        result = demographics.import_self_identification(
            request.user, text, form_version=request.POST.get("form_version", "")
        )
    except UnicodeDecodeError:
        messages.error(request, "The file is not UTF-8 text.")
        return redirect("compliance-home")
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("compliance-home")
    if not result.ok:
        shown = "; ".join(f"line {e['row']}: {' '.join(e['errors'])}" for e in result.errors[:10])
        more = f" (and {len(result.errors) - 10} more)" if len(result.errors) > 10 else ""
        messages.error(request, f"Nothing was imported; fix these rows and upload again. {shown}{more}")
    else:
        messages.success(
            request, f"Imported {result.created} new and {result.updated} updated self-identifications."
        )
    return redirect(reverse("compliance-home"))


urlpatterns: list[URLPattern] = [
    path("compliance/", compliance_home, name="compliance-home"),
    path("compliance/adverse-impact/", adverse_impact, name="compliance-adverse-impact"),
    path("compliance/ll144/matching/", ll144_matching, name="compliance-ll144"),
    path("compliance/ll144/assessments/", ll144_assessments, name="compliance-ll144-assessments"),
    path("compliance/people/<int:pk>/self-id/", self_id_form, name="compliance-self-id"),
    path("compliance/self-id/", self_id_lookup, name="compliance-self-id-lookup"),
    path("compliance/self-id/import/", self_id_import, name="compliance-self-id-import"),
]
