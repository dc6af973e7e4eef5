"""GitHub importer (bundles, signals, merged PRs to others' repos only) and the live client replayed
through a fake transport: no network is touched."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cadre.people.models import Fact, Identity, Person, SkillEvidence, SourceRecord
from cadre.people.services import create_person
from cadre.sourcing.github_client import GithubClient, GithubClientError, Response
from cadre.sourcing.github_signals import parse_bundle, skills_for_term
from cadre.sourcing.importers import github as github_importer
from cadre.sourcing.importers.github import GithubImporter, import_user

pytestmark = pytest.mark.django_db

API = "https://api.github.com"


def repo(full_name, *, language="", topics=(), stars=0, fork=False, pushed="2024-03-01T10:00:00Z", **extra):
    owner, name = full_name.split("/")
    return {
        "name": name,
        "full_name": full_name,
        "owner": {"login": owner, "type": extra.pop("owner_type", "User")},
        "html_url": f"https://github.com/{full_name}",
        "fork": fork,
        "stargazers_count": stars,
        "forks_count": 1,
        "language": language or None,
        "topics": list(topics),
        "pushed_at": pushed,
        "created_at": "2021-01-05T00:00:00Z",
        **extra,
    }


def search_pr(full_name, number, title, merged_at, author="adalov"):
    return {
        "repository_url": f"{API}/repos/{full_name}",
        "html_url": f"https://github.com/{full_name}/pull/{number}",
        "number": number,
        "title": title,
        "user": {"login": author},
        "state": "closed",
        "closed_at": merged_at,
        "pull_request": {"url": f"{API}/repos/{full_name}/pulls/{number}", "merged_at": merged_at},
    }


def pr_event(full_name, number, title, author, *, language="C++", merged=True):
    return {
        "type": "PullRequestEvent",
        "repo": {"name": full_name},
        "created_at": "2024-04-02T09:00:00Z",
        "payload": {
            "action": "closed",
            "number": number,
            "pull_request": {
                "number": number,
                "title": title,
                "merged": merged,
                "merged_at": "2024-04-02T09:00:00Z" if merged else None,
                "user": {"login": author},
                "base": {"repo": repo(full_name, language=language, stars=80000)},
            },
        },
    }


USER = {
    "login": "AdaLov",
    "type": "User",
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "blog": "https://ada.dev/",
    "location": "London",
    "bio": "Inference engineer",
}
BUNDLE = {
    "user": USER,
    "repos": [
        repo("AdaLov/tiny-llm", language="Python", topics=["pytorch", "llm"], stars=120),
        repo(
            "AdaLov/k8s-tools", language="Go", topics=["kubernetes"], stars=3, pushed="2023-01-01T00:00:00Z"
        ),
        repo("AdaLov/transformers", language="Python", fork=True),
    ],
    "pull_requests": {
        "total_count": 4,
        "items": [
            search_pr(
                "huggingface/transformers", 123, "Fix CUDA memory leak in generate", "2024-02-01T12:00:00Z"
            ),
            search_pr("AdaLov/tiny-llm", 5, "Add README", "2024-01-01T12:00:00Z"),  # own repo
            search_pr("numpy/numpy", 7, "Draft", None),  # closed, never merged
            {"number": 9, "title": "An issue", "repository_url": f"{API}/repos/numpy/numpy"},
        ],
    },
    "events": [
        pr_event("pytorch/pytorch", 999, "Speed up JAX interop", "AdaLov"),
        pr_event("AdaLov/tiny-llm", 6, "Add Rust bindings", "bob"),  # someone else's PR, merged by Ada
        pr_event("pytorch/pytorch", 1000, "WIP", "AdaLov", merged=False),
    ],
    "pr_repos": [repo("huggingface/transformers", language="Python", topics=["nlp", "deep-learning"])],
    "languages": {"AdaLov/tiny-llm": {"Python": 50000, "Cuda": 1200}},
    "fetched_at": "2024-05-01T12:00:00Z",
}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def evidence(person, kind):
    return person.skill_evidence.filter(kind=kind)


def test_signals_are_read_from_the_bundle():
    bundle = parse_bundle(copy.deepcopy(BUNDLE))
    assert [r.full_name for r in bundle.own_repos()] == ["AdaLov/tiny-llm", "AdaLov/k8s-tools"]
    assert sorted(p.ref for p in bundle.merged_prs) == ["huggingface/transformers#123", "pytorch/pytorch#999"]
    signals = bundle.signals()
    assert signals["total_stars"] == 123 and signals["own_repos"] == 2 and signals["forks"] == 1
    assert signals["maintainer"] is True
    assert signals["maintainer_repos"] == [{"repo": "AdaLov/tiny-llm", "stars": 120}]
    assert signals["merged_prs_to_others"] == 2 and signals["merged_prs_to_own_repos"] == 1
    assert signals["languages"][0] == {"language": "Python", "repos": 1, "bytes": 50000}
    assert {"language": "Go", "repos": 1, "bytes": 0} in signals["languages"]
    assert bundle.signals(min_stars=500)["maintainer"] is False


def test_languages_and_topics_map_through_ontology_aliases():
    assert skills_for_term("Python") == ["python"]
    assert skills_for_term("Go") == ["go"]
    assert skills_for_term("Jupyter Notebook") == ["jupyter"]
    assert skills_for_term("deep-learning") == ["deep-learning"]
    assert skills_for_term("natural-language-processing") == ["nlp"]
    assert skills_for_term("hello-world") == []


def test_bundle_import_writes_facts_skills_and_merged_prs(tmp_path):
    report = GithubImporter().run([write(tmp_path, "ada.json", BUNDLE)])
    assert (report.created, report.updated, report.skipped, report.errors) == (1, 0, 0, [])
    person = Person.objects.get()
    assert (person.full_name, person.location, person.headline) == (
        "Ada Lovelace",
        "London",
        "Inference engineer",
    )
    assert set(person.identities.values_list("kind", "value")) == {
        ("github", "adalov"),
        ("email", "ada@example.org"),
        ("website", "ada.dev"),
    }
    record = SourceRecord.objects.get(source="github")
    assert record.external_id == "github:adalov" and record.payload["raw"] == BUNDLE
    assert record.payload["signals"]["merged_prs_to_others"] == 2

    repos = {f.title: f for f in person.facts.filter(kind=Fact.Kind.REPOSITORY)}
    assert set(repos) == {"AdaLov/tiny-llm", "AdaLov/k8s-tools"}  # the fork is not a fact
    tiny = repos["AdaLov/tiny-llm"].data
    assert (tiny["stars"], tiny["language"], tiny["topics"], tiny["maintainer"]) == (
        120,
        "Python",
        ["pytorch", "llm"],
        True,
    )
    assert tiny["pushed_at"].startswith("2024-03-01")

    own = {e.skill.slug: e for e in evidence(person, SkillEvidence.Kind.REPOSITORY)}
    assert set(own) == {"python", "pytorch", "llm", "go", "kubernetes"}
    assert own["python"].observed_on == dt.date(2024, 3, 1)
    assert own["go"].observed_on == dt.date(2023, 1, 1)

    prs = evidence(person, SkillEvidence.Kind.MERGED_PR)
    by_ref: dict[str, set[str]] = {}
    for e in prs:
        by_ref.setdefault(e.detail.split()[0], set()).add(e.skill.slug)
    # Own-repo PRs, others' PRs into Ada's repo and unmerged PRs are not merged-PR evidence.
    assert set(by_ref) == {"huggingface/transformers#123", "pytorch/pytorch#999"}
    assert by_ref["huggingface/transformers#123"] >= {"python", "nlp", "deep-learning", "cuda"}
    assert by_ref["pytorch/pytorch#999"] >= {"cpp", "jax"}
    fix = prs.get(skill__slug="cuda")
    assert fix.detail == "huggingface/transformers#123 Fix CUDA memory leak in generate"
    assert fix.observed_on == dt.date(2024, 2, 1) and fix.source_record == record


def test_reimport_is_skipped_and_changed_payload_updates(tmp_path):
    path = write(tmp_path, "ada.json", BUNDLE)
    GithubImporter().run([path])
    counts = (Fact.objects.count(), SkillEvidence.objects.count(), SourceRecord.objects.count())
    again = GithubImporter().run([path])
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)
    assert (Fact.objects.count(), SkillEvidence.objects.count(), SourceRecord.objects.count()) == counts
    newer = copy.deepcopy(BUNDLE)
    newer["fetched_at"] = "2024-06-01T00:00:00Z"
    report = GithubImporter().run([write(tmp_path, "ada2.json", newer)])
    assert (report.created, report.updated) == (0, 1) and Person.objects.count() == 1


def test_joins_an_existing_person_on_github_login(tmp_path, recruiter):
    known = create_person(recruiter, full_name="A. Lovelace", identities=[("github", "github.com/adalov")])
    report = GithubImporter(actor=recruiter).run([write(tmp_path, "ada.json", BUNDLE)], via="web")
    assert (report.created, report.updated) == (0, 1)
    assert Person.objects.count() == 1
    assert Identity.objects.get(kind="email").person == known
    assert known.facts.filter(kind=Fact.Kind.REPOSITORY).count() == 2


def test_bare_user_object_and_a_list_of_bundles(tmp_path):
    bare = {"login": "octo-cat", "type": "User", "name": None, "email": None, "blog": ""}
    report = GithubImporter().run([write(tmp_path, "octo.json", bare)])
    assert report.created == 1 and Person.objects.get().full_name == "octo-cat"
    mixed = [BUNDLE, {"user": {"login": "helix", "type": "Organization"}}, {"repos": []}]
    report = GithubImporter().run([write(tmp_path, "many.json", mixed)])
    assert report.created == 1
    assert [e["item"] for e in report.errors] == ["many.json #2", "many.json #3"]
    assert "organisation, not a person" in report.errors[0]["error"]
    assert "not a GitHub bundle" in report.errors[1]["error"]


def test_bad_payloads_are_clear_per_file_errors(tmp_path):
    (tmp_path / "broken.json").write_text('{"user": {"login": "x",}')
    (tmp_path / "empty.json").write_bytes(b"")
    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:
        f.truncate(11 * 1024 * 1024)
    bad_repos = write(tmp_path, "bad.json", {"user": {"login": "kay"}, "repos": "nope"})
    bad_login = write(tmp_path, "login.json", {"login": "not a login!"})
    files = [tmp_path / "broken.json", tmp_path / "empty.json", huge, bad_repos, bad_login]
    report = GithubImporter().run(files)
    errors = {e["item"]: e["error"] for e in report.errors}
    assert errors["broken.json"].startswith("malformed JSON at line 1")
    assert errors["empty.json"] == "the file is empty (0 bytes)"
    assert "the limit is 10 MB" in errors["huge.json"]
    assert errors["bad.json"] == '"repos" must be a list of GitHub API objects'
    assert "not a GitHub login" in errors["login.json"]
    assert Person.objects.count() == 0 and SourceRecord.objects.count() == 0


def test_cli_with_files(tmp_path, capsys):
    call_command("import", "github", str(write(tmp_path, "ada.json", BUNDLE)), "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["errors"]) == (1, [])
    with pytest.raises(CommandError, match="give one or more FILEs"):
        call_command("import", "github")


# --- the live client, replayed ----------------------------------------------------------------------


class FakeGitHub:
    """Recorded responses by URL; anything not recorded is a 404, as GitHub would answer."""

    def __init__(self, routes):
        self.routes = routes
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url, headers, timeout):
        self.calls.append((url, dict(headers)))
        status, body, headers_out = self.routes.get(url, (404, {"message": "Not Found"}, {}))
        return Response(status, headers_out, json.dumps(body).encode())


def recorded_routes():
    page2 = f"{API}/user/1/repos?type=owner&sort=pushed&per_page=2&page=2"
    search = f"{API}/search/issues?q=author:adalov+type:pr+is:merged&sort=updated&per_page=2"
    return {
        f"{API}/users/adalov": (200, USER, {}),
        f"{API}/users/adalov/repos?type=owner&sort=pushed&per_page=2": (
            200,
            BUNDLE["repos"][:2],
            {"Link": f'<{page2}>; rel="next", <{page2}>; rel="last"'},
        ),
        page2: (200, BUNDLE["repos"][2:], {}),
        search: (200, BUNDLE["pull_requests"], {}),
        f"{API}/repos/huggingface/transformers": (200, BUNDLE["pr_repos"][0], {}),
        f"{API}/repos/AdaLov/tiny-llm/languages": (200, {"Python": 50000}, {}),
    }


def test_client_builds_the_bundle_following_link_pages():
    fake = FakeGitHub(recorded_routes())
    bundle = GithubClient(token="t0k", fetch=fake, per_page=2, max_language_repos=1).bundle("AdaLov")
    assert [r["full_name"] for r in bundle["repos"]] == [r["full_name"] for r in BUNDLE["repos"]]
    assert len(bundle["pull_requests"]) == 4
    assert [r["full_name"] for r in bundle["pr_repos"]] == ["huggingface/transformers"]
    assert bundle["languages"] == {"AdaLov/tiny-llm": {"Python": 50000}}
    assert all(h["Authorization"] == "Bearer t0k" for _, h in fake.calls)
    assert f"{API}/repos/numpy/numpy" in [u for u, _ in fake.calls]  # a 404 repo is skipped, not fatal


def test_client_caps_pages():
    routes = recorded_routes()
    fake = FakeGitHub(routes)
    bundle = GithubClient(fetch=fake, per_page=2, max_repo_pages=1).bundle("adalov")
    assert len(bundle["repos"]) == 2
    assert "Authorization" not in fake.calls[0][1]


def test_live_import_feeds_the_importer(monkeypatch):
    fake = FakeGitHub(recorded_routes())
    client = GithubClient(fetch=fake, per_page=2)
    report = import_user("adalov", client=client)
    assert (report.created, report.errors) == (1, [])
    person = Person.objects.get()
    assert evidence(person, SkillEvidence.Kind.MERGED_PR).filter(detail__startswith="huggingface/").exists()
    monkeypatch.setattr(github_importer, "GithubClient", lambda **kw: GithubClient(fetch=fake, per_page=2))
    call_command("import", "github", "--user", "adalov", "--json")  # same payload: skipped


def test_client_no_such_user_and_rate_limit(capsys):
    with pytest.raises(GithubClientError, match="no such GitHub user: ghost"):
        GithubClient(fetch=FakeGitHub({})).bundle("ghost")
    limited = {
        f"{API}/users/adalov": (
            403,
            {"message": "API rate limit exceeded"},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000"},
        )
    }
    with pytest.raises(GithubClientError, match=r"rate limit reached; it resets at 2023-11-14 22:13:20 UTC"):
        GithubClient(fetch=FakeGitHub(limited)).bundle("adalov")
    secondary = {f"{API}/users/adalov": (429, {"message": "slow down"}, {"Retry-After": "60"})}
    with pytest.raises(GithubClientError, match="resets in 60 seconds"):
        GithubClient(fetch=FakeGitHub(secondary)).bundle("adalov")
    with pytest.raises(GithubClientError, match="not a GitHub login"):
        GithubClient(fetch=FakeGitHub({})).bundle("../etc")


def test_cli_live_errors_are_command_errors(monkeypatch):
    monkeypatch.setattr(github_importer, "GithubClient", lambda **kw: GithubClient(fetch=FakeGitHub({})))
    with pytest.raises(CommandError, match="no such GitHub user: ghost"):
        call_command("import", "github", "--user", "ghost")


def test_api_upload(recruiter):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from cadre.core.services import create_api_token

    upload = SimpleUploadedFile("ada.json", json.dumps(BUNDLE).encode(), content_type="application/json")
    headers = {"Authorization": f"Bearer {create_api_token(recruiter)}"}
    response = Client().post("/api/imports/github", {"files": [upload]}, headers=headers)
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["errors"]) == (1, [])
