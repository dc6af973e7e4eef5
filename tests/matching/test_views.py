"""Matching pages: a requisition's Matches tab (explanations, relaxing filters, add to pipeline or pool,
save the search), the person panel and work preferences, pools, saved searches, job-description search
and the requisition form's hard requirements."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.matching.helpers import evidence as _evidence
from tests.matching.helpers import person
from tests.requisitions.test_profiling import ISSUE_EXAMPLE
from tests.web.helpers import login

from cadre.core.exceptions import Forbidden
from cadre.core.models import AuditLog, DecisionRecord
from cadre.matching import selectors, services
from cadre.matching.models import SavedSearch, TalentPoolMember
from cadre.people.models import Person, WorkPreferences
from cadre.people.services import set_work_preferences
from cadre.pipeline.models import Application
from cadre.requisitions.models import Requisition
from cadre.requisitions.profile_api import draft_fields, draft_skills
from cadre.requisitions.selectors import draft_profile_from_text, ready_for_sourcing
from cadre.requisitions.services import save_profile
from cadre.taxonomy.models import Skill

pytestmark = pytest.mark.django_db


def evidence(p: Person, slug: str, kind: str = "employment", *args, **kwargs) -> None:
    _evidence(p, slug, kind, *args, **kwargs)


HTMX = {"HX-Request": "true"}


@pytest.fixture
def strong(recruiter) -> Person:
    p = person(recruiter, "Sam Strong", "Staff ML engineer, inference")
    evidence(p, "pytorch", "merged_pr", 0.5, detail="Fixed the DDP hang in pytorch/pytorch#1234")
    evidence(p, "kubernetes", "employment", 1)
    return p


@pytest.fixture
def weak(recruiter) -> Person:
    p = person(recruiter, "Wes Weak", "Data analyst dabbling in ML")
    evidence(p, "pytorch", "resume", 9)
    return p


def matches_url(requisition: Requisition) -> str:
    return f"/requisitions/{requisition.pk}/matches/"


def card_html(page: str, person_id: int) -> str:
    """The <article> of one ranked person."""
    found = re.search(rf'<article class="card match-card" id="match-{person_id}".*?</article>', page, re.S)
    assert found, f"no card for person {person_id}"
    return found.group(0)


# -- the Matches tab --------------------------------------------------------------------------------


def test_matches_tab_ranks_people_and_explains_why(recruiter, req, strong, weak):
    client = login(recruiter)
    detail = client.get(f"/requisitions/{req.pk}/").content.decode()
    assert f'href="{matches_url(req)}"' in detail  # the tab

    response = client.get(matches_url(req))
    assert response.status_code == 200
    page = response.content.decode()
    # Query summary: must-haves, nice-to-haves, seniority and the active hard filters.
    assert "Looking for" in page and "MLflow" in page and "Senior" in page
    assert "Authorized to work in US (no sponsorship)" in page
    # Counts line, then ranked cards best first.
    assert "<strong>2</strong> people have a required skill, <strong>2</strong> pass the hard filters" in page
    assert page.index(f'id="match-{strong.pk}"') < page.index(f'id="match-{weak.pk}"')
    top = card_html(page, strong.pk)
    assert "#1" in top and "Staff ML engineer, inference" in top
    assert f'href="/people/{strong.pk}/"' in top
    assert re.search(r'<span class="chip chip-match" title="PyTorch: merged pull request, \w+ \d{4}', top)
    assert "Fixed the DDP hang in pytorch/pytorch#1234" in top  # evidence detail on the card
    assert 'class="chip chip-absent"' in top and "MLflow" in top  # nice-to-have missing
    assert "Add to pipeline" in top
    second = card_html(page, weak.pk)
    assert 'class="chip chip-missing"' in second and "Kubernetes" in second
    assert "Validate in interview" in second and "No evidence of Kubernetes" in second
    score = re.search(r'aria-valuenow="(\d+)"', top)
    assert score and 0 < int(score.group(1)) <= 100
    # The ranking shown is on record for audits.
    assert DecisionRecord.objects.filter(subject_id=str(req.pk), kind="match_ranking").count() == 2


def test_cards_show_how_the_score_adds_up(recruiter, req, strong):
    page = login(recruiter).get(matches_url(req)).content.decode()
    card = card_html(page, strong.pk)
    assert "How the score adds up" in card
    assert "Must-haves" in card and "Text relevance" in card


def test_hard_filters_are_relaxed_from_the_query_string(recruiter, req):
    req.clearance_required = "secret"
    req.save()
    uncleared = person(recruiter, "Una Cleared", "ML engineer", authorized_countries=["US"])
    evidence(uncleared, "pytorch")
    client = login(recruiter)

    page = client.get(matches_url(req)).content.decode()
    assert 'class="card match-card"' not in page
    assert "every one fails a hard filter" in page  # the empty state's reason
    assert "excluded: security clearance 1" in page
    assert f"{matches_url(req)}?relax=work_authorization&amp;relax=clearance" in page  # "relax every"

    page = client.get(matches_url(req), {"relax": "clearance"}).content.decode()
    assert f'id="match-{uncleared.pk}"' in page
    assert 'value="clearance" checked' in page
    assert "Relaxed: Security clearance" in page

    # The API's comma form works too; an unknown filter is reported, not a crash.
    assert (
        f'id="match-{uncleared.pk}"'
        in client.get(matches_url(req), {"relax": "clearance,pay"}).content.decode()
    )
    bad = client.get(matches_url(req), {"relax": "astrology", "top": "abc"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_add_to_pipeline_from_a_card(recruiter, req, strong):
    client = login(recruiter)
    response = client.post(f"/requisitions/{req.pk}/matches/add/", {"person_id": strong.pk}, headers=HTMX)
    assert response.status_code == 200
    assert "In pipeline" in response.content.decode()
    application = Application.objects.get(requisition=req, person=strong)
    assert application.source == "matching" and application.stage == "sourced"

    again = client.post(f"/requisitions/{req.pk}/matches/add/", {"person_id": strong.pk}, headers=HTMX)
    assert again.status_code == 409 and again["X-Cadre-Fragment"] == "1"
    assert "already in the pipeline" in again.content.decode()

    # People in the pipeline leave the list unless asked for, then carry a badge.
    assert f'id="match-{strong.pk}"' not in client.get(matches_url(req)).content.decode()
    page = client.get(matches_url(req), {"include_in_pipeline": "on"}).content.decode()
    assert "✓ In pipeline" in card_html(page, strong.pk)

    # Without JavaScript: a redirect back to the same search and a flash message.
    plain = client.post(f"/requisitions/{req.pk}/matches/add/", {"person_id": strong.pk, "back": "top=5"})
    assert plain.status_code == 302 and plain["Location"] == f"{matches_url(req)}?top=5"


def test_add_to_pipeline_shows_the_profile_approval_gate(recruiter, tenant_a):
    requisition = tenant_a.requisition
    draft = draft_profile_from_text(ISSUE_EXAMPLE)
    save_profile(recruiter, requisition, skills=draft_skills(draft), **draft_fields(draft))
    requisition.refresh_from_db()
    assert not ready_for_sourcing(requisition)
    candidate = person(recruiter, "Gia Gate", "ML platform engineer")
    evidence(candidate, "pytorch")
    client = login(recruiter)
    page = client.get(matches_url(requisition)).content.decode()
    assert f'id="match-{candidate.pk}"' in page

    response = client.post(
        f"/requisitions/{requisition.pk}/matches/add/", {"person_id": candidate.pk}, headers=HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "technical lead" in html and "approval" in html and 'role="alert"' in html
    assert "Add to pipeline" in html  # the button stays for a retry after approval
    assert not Application.objects.filter(person=candidate).exists()


def test_add_to_pool_from_a_card(recruiter, req, strong):
    pool = services.create_pool(recruiter, name="LLM serving bench")
    client = login(recruiter)
    page = client.get(matches_url(req)).content.decode()
    assert f'<option value="{pool.pk}">LLM serving bench (0)</option>' in card_html(page, strong.pk)

    response = client.post(
        "/matching/pools/members/", {"pool": pool.pk, "person_id": strong.pk}, headers=HTMX
    )
    assert response.status_code == 200 and "Added to LLM serving bench." in response.content.decode()
    member = TalentPoolMember.objects.get(pool=pool, person=strong)
    assert member.added_by == recruiter

    again = client.post("/matching/pools/members/", {"pool": pool.pk, "person_id": strong.pk}, headers=HTMX)
    assert again.status_code == 409 and "already in the pool" in again.content.decode()
    no_pool = client.post("/matching/pools/members/", {"pool": "", "person_id": strong.pk}, headers=HTMX)
    assert no_pool.status_code == 422 and "required" in no_pool.content.decode()


def test_save_a_requisition_search_and_run_it_again(recruiter, req, strong):
    client = login(recruiter)
    page = client.get(matches_url(req), {"relax": "clearance", "top": "20"}).content.decode()
    assert 'name="relax" value="clearance"' in page and "Save this search" in page
    response = client.post(
        "/matching/searches/new/",
        {"name": "Serving, no clearance", "requisition": req.pk, "relax": ["clearance"], "top": "20"},
        headers=HTMX,
    )
    assert response.status_code == 200 and "Saved as “Serving, no clearance”" in response.content.decode()
    search = SavedSearch.objects.get(owner=recruiter)
    assert (search.requisition, search.relaxed_filters, search.top) == (req, ["clearance"], 20)

    listing = client.get("/matching/searches/").content.decode()
    run_url = f"{matches_url(req)}?relax=clearance&amp;top=20&amp;saved={search.pk}"
    assert "Serving, no clearance" in listing and run_url in listing and "never" in listing
    ran = client.get(matches_url(req), {"relax": "clearance", "top": "20", "saved": search.pk})
    assert "Running the saved search “Serving, no clearance”" in ran.content.decode()
    search.refresh_from_db()
    assert search.last_run_at is not None

    blank = client.post("/matching/searches/new/", {"name": " ", "requisition": req.pk}, headers=HTMX)
    assert blank.status_code == 422 and 'role="alert"' in blank.content.decode()

    client.post(f"/matching/searches/{search.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_saved_searches_are_private(recruiter, make_user, req):
    search = services.save_search(recruiter, name="Mine", requisition=req)
    other = login(make_user("rory"))
    assert "Mine" not in other.get("/matching/searches/").content.decode()
    other.post(f"/matching/searches/{search.pk}/delete/")
    assert SavedSearch.objects.filter(pk=search.pk).exists()


# -- roles ------------------------------------------------------------------------------------------


def test_hiring_managers_get_403_and_see_no_matching(recruiter, tenant_a, req):
    pool = services.create_pool(recruiter, name="Bench")
    client = login(tenant_a.hiring_manager)
    for url in (
        matches_url(req),
        f"/people/{tenant_a.person.pk}/matches/",
        f"/people/{tenant_a.person.pk}/preferences/card/",
        "/matching/text/",
        "/matching/pools/",
        f"/matching/pools/{pool.pk}/",
        "/matching/searches/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"/requisitions/{req.pk}/matches/add/", {"person_id": tenant_a.person.pk}).status_code
        == 403
    )
    assert client.post("/matching/pools/members/", {"pool": pool.pk, "person_id": 1}).status_code == 403
    detail = client.get(f"/requisitions/{tenant_a.requisition.pk}/").content.decode()
    assert "/matches/" not in detail
    person_page = client.get(f"/people/{tenant_a.person.pk}/").content.decode()
    assert "Matching requisitions" not in person_page and "Work preferences" not in person_page
    assert "/matching/text/" not in person_page  # no nav entry


def test_compliance_officer_reads_matches_without_actions(compliance_officer, req, strong):
    client = login(compliance_officer)
    page = client.get(matches_url(req)).content.decode()
    assert f'id="match-{strong.pk}"' in page and "Add to pipeline" not in page
    response = client.post(f"/requisitions/{req.pk}/matches/add/", {"person_id": strong.pk}, headers=HTMX)
    assert response.status_code == 403
    assert client.get(f"/people/{strong.pk}/preferences/").status_code == 403


def test_anonymous_users_are_sent_to_login(client, req):
    response = client.get(matches_url(req))
    assert response.status_code == 302 and "/login/" in response["Location"]


# -- the person page --------------------------------------------------------------------------------


def test_person_page_loads_matching_requisitions_lazily(recruiter, req, strong):
    client = login(recruiter)
    page = client.get(f"/people/{strong.pk}/").content.decode()
    assert f'hx-get="/people/{strong.pk}/matches/"' in page and 'hx-trigger="load"' in page
    assert f'hx-get="/people/{strong.pk}/preferences/card/"' in page

    panel = client.get(f"/people/{strong.pk}/matches/", headers=HTMX).content.decode()
    assert "Matching requisitions" in panel and req.title in panel
    assert f'href="/requisitions/{req.pk}/matches/?include_in_pipeline=on"' in panel
    assert 'class="chip chip-sm chip-match"' in panel and "PyTorch" in panel and "Kubernetes" in panel

    nobody = person(recruiter, "Nora None", "Sales")
    empty = client.get(f"/people/{nobody.pk}/matches/").content.decode()
    assert "No open requisition asks for a skill this person has evidence for." in empty


def test_edit_work_preferences(recruiter, tenant_a):
    target = tenant_a.person
    client = login(recruiter)
    card = client.get(f"/people/{target.pk}/preferences/card/").content.decode()
    assert "Not recorded" in card and f'href="/people/{target.pk}/preferences/"' in card
    assert client.get(f"/people/{target.pk}/preferences/").status_code == 200

    form = {
        "seniority": "senior",
        "country": "us",
        "city": "Austin",
        "remote_preference": "remote",
        "authorized_countries": "US, ca",
        "clearance_level": "secret",
        "clearance_expires": "2031-01-31",
        "available_from": "2030-02-01",
        "engagement_types": ["contract", "contract_to_hire"],
        "min_rate": "95.00",
        "rate_currency": "USD",
        "rate_unit": "hour",
    }
    response = client.post(f"/people/{target.pk}/preferences/", form)
    assert response.status_code == 302 and response["Location"] == f"/people/{target.pk}/"
    prefs = WorkPreferences.objects.get(person=target)
    assert (prefs.country, prefs.authorized_countries, prefs.clearance_level) == (
        "US",
        ["US", "CA"],
        "secret",
    )
    assert prefs.engagement_types == ["contract", "contract_to_hire"]
    assert AuditLog.objects.filter(object_type="people.workpreferences", object_id=str(prefs.pk)).exists()
    card = client.get(f"/people/{target.pk}/preferences/card/").content.decode()
    assert "US, CA" in card and "Contract, Contract-to-hire" in card and "95.00 USD per hour" in card

    # A bad country code is shown on its field and nothing is saved.
    bad = client.post(f"/people/{target.pk}/preferences/", {**form, "country": "U1", "city": "Dallas"})
    assert bad.status_code == 200
    assert "is not a two-letter ISO country code" in bad.content.decode()
    assert WorkPreferences.objects.get(person=target).city == "Austin"
    bad = client.post(f"/people/{target.pk}/preferences/", {**form, "authorized_countries": "US, USA"})
    assert "USA" in bad.content.decode() and 'class="field has-error"' in bad.content.decode()
    assert WorkPreferences.objects.get(person=target).authorized_countries == ["US", "CA"]


def test_set_work_preferences_is_for_editors(compliance_officer, recruiter, tenant_a):
    with pytest.raises(Forbidden):
        set_work_preferences(compliance_officer, tenant_a.person, country="US")
    prefs = set_work_preferences(recruiter, tenant_a.person, country="gb")
    assert prefs.country == "GB"
    assert set_work_preferences(recruiter, tenant_a.person, city="Leeds").country == "GB"  # others kept


# -- pools, job-description search ------------------------------------------------------------------


def test_talent_pool_pages(recruiter, compliance_officer, strong):
    client = login(recruiter)
    response = client.post("/matching/pools/", {"name": "Inference bench", "description": "vLLM, Triton"})
    pool_url = response["Location"]
    assert response.status_code == 302 and re.fullmatch(r"/matching/pools/\d+/", pool_url)
    duplicate = client.post("/matching/pools/", {"name": "inference BENCH"}).content.decode()
    assert "already exists" in duplicate

    pool = selectors.talent_pools().get(name="Inference bench")
    services.add_to_pool(recruiter, pool, strong, note="Call in March")
    listing = client.get("/matching/pools/").content.decode()
    assert "Inference bench" in listing and "vLLM, Triton" in listing
    page = client.get(pool_url).content.decode()
    assert "Staff ML engineer, inference" in page and "Call in March" in page and "rita" in page
    assert "Remove" in page

    removed = client.post(f"{pool_url}members/{strong.pk}/remove/", headers=HTMX)
    assert removed.status_code == 200 and removed.content == b""
    assert not TalentPoolMember.objects.filter(pool=pool).exists()
    gone = client.post(f"{pool_url}members/{strong.pk}/remove/")
    assert gone.status_code == 302

    reader = login(compliance_officer)
    assert "New talent pool" not in reader.get("/matching/pools/").content.decode()
    assert "Remove" not in reader.get(pool_url).content.decode()


def test_job_description_search(recruiter, strong):
    client = login(recruiter)
    assert client.get("/matching/text/").status_code == 200
    response = client.post(
        "/matching/text/",
        {"text": "Senior engineer to build LLM serving with PyTorch on Kubernetes.", "top": 10},
    )
    page = response.content.decode()
    assert "Read from the text" in page and f'id="match-{strong.pk}"' in page
    top = card_html(page, strong.pk)
    assert 'class="chip chip-match"' in top and "PyTorch" in top
    assert "Add to pipeline" not in top  # no requisition to add to
    assert "Save this search" in page

    saved = client.post(
        "/matching/searches/new/",
        {"name": "Serving JD", "text": "PyTorch and Kubernetes for LLM serving", "top": "10"},
        headers=HTMX,
    )
    assert saved.status_code == 200
    search = SavedSearch.objects.get(name="Serving JD")
    assert f"/matching/text/?saved={search.pk}" in client.get("/matching/searches/").content.decode()
    rerun = client.get("/matching/text/", {"saved": search.pk}).content.decode()
    assert "Running the saved search" in rerun and f'id="match-{strong.pk}"' in rerun
    assert "PyTorch and Kubernetes for LLM serving</textarea>" in rerun


def test_job_description_of_stop_words_explains_why_nothing_matched(recruiter, strong):
    client = login(recruiter)
    page = client.post("/matching/text/", {"text": "the and of with a to"}).content.decode()
    assert "only common words (stop-words)" in page and 'class="card match-card"' not in page
    empty = client.post("/matching/text/", {"text": ""}).content.decode()
    assert "This field is required." in empty


# -- the requisition form's hard requirements -------------------------------------------------------


def test_requisition_form_has_hard_requirements(recruiter, tenant_a):
    client = login(recruiter)
    page = client.get("/requisitions/new/").content.decode()
    assert "Hard requirements" in page
    for name in (
        "work_country",
        "sponsorship_available",
        "clearance_required",
        "time_zone",
        "max_tz_difference_hours",
        "start_date",
    ):
        assert f'name="{name}"' in page, name
    assert page.index("Hard requirements") < page.index('name="work_country"')

    data = {
        "client": tenant_a.client.pk,
        "title": "Cleared ML engineer",
        "seniority": "senior",
        "status": "open",
        "engagement_type": "contract",
        "openings": "1",
        "remote_policy": "remote",
        "currency": "USD",
        "rate_unit": "hour",
        "must_skills": [Skill.objects.get(slug="pytorch").pk],
        "work_country": "de",
        "sponsorship_available": "on",
        "clearance_required": "secret",
        "time_zone": "Europe/Berlin",
        "max_tz_difference_hours": "3",
        "start_date": "2030-09-01",
    }
    response = client.post("/requisitions/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Requisition.objects.get(title="Cleared ML engineer")
    assert (created.work_country, created.sponsorship_available, created.clearance_required) == (
        "DE",
        True,
        "secret",
    )
    assert (created.time_zone, created.max_tz_difference_hours) == ("Europe/Berlin", 3)
    assert created.start_date == dt.date(2030, 9, 1)
    edit = client.get(f"/requisitions/{created.pk}/edit/").content.decode()
    assert 'value="DE"' in edit and 'value="2030-09-01"' in edit
    assert '<option value="Europe/Berlin" selected>' in edit
    assert "Secret clearance" in client.get(f"/requisitions/{created.pk}/").content.decode()

    orphan = client.post("/requisitions/new/", {**data, "title": "No zone", "time_zone": ""}).content.decode()
    assert "Choose the team&#x27;s time zone" in orphan
    bad = client.post("/requisitions/new/", {**data, "title": "Bad country", "work_country": "D1"})
    assert "not a two-letter ISO country code" in bad.content.decode()
    assert not Requisition.objects.filter(title__in=["No zone", "Bad country"]).exists()
