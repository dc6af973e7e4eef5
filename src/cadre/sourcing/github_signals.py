"""GitHub bundles: their layout, and the open-source signals read from them. Pure module: no Django.

A bundle is one JSON object holding saved GitHub REST API responses about one person:

    {
      "user":          {...},        # GET /users/{login}                        (required)
      "repos":         [...],        # GET /users/{login}/repos (all pages, concatenated)
      "pull_requests": [...],        # GET /search/issues?q=author:{login}+type:pr+is:merged
                                     #   the `items` list, or the whole {"total_count", "items"} response
      "events":        [...],        # GET /users/{login}/events (only merged PullRequestEvents are read)
      "pr_repos":      [...],        # GET /repos/{owner}/{repo} of the repositories the PRs went to:
                                     #   their language and topics map the PRs to skills
      "languages":     {"owner/repo": {"Python": 12345}},  # GET /repos/{o}/{r}/languages (bytes)
      "fetched_at":    "2024-05-01T12:00:00Z"              # when the responses were saved (optional)
    }

Every key but "user" is optional, and a bare user object (a file holding only /users/{login}) is a
bundle too. A JSON list of bundles holds several people.

Signals (kept in the SourceRecord payload under "signals"):
- languages: per language, how many of the person's own non-fork repos use it as their main language,
  and the bytes GitHub counted when "languages" is given;
- total_stars over own non-fork repos;
- maintainer: the person owns, or has admin/maintain permission on, a non-fork repository with at least
  MAINTAINER_MIN_STARS stars (organisation repos count when the bundle carries them with a
  `permissions` object, as authenticated responses do). Stars are the bar because anyone can own a repo;
  users depending on it is what makes someone a maintainer;
- merged pull requests to OTHER people's repositories (the repository owner is not the person): the
  strongest signal, since someone else reviewed and accepted the work. A PR to the person's own repo
  proves nothing a repository does not already show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cadre.taxonomy.extraction import extract_skills
from cadre.taxonomy.ontology import load_ontology

MAINTAINER_MIN_STARS = 50
MAX_REPOS = 1000  # per bundle; GitHub users with more are organisations in disguise
MAX_PULL_REQUESTS = 500

# GitHub (linguist) language names and topics the ontology does not spell the same way.
GITHUB_NAMES = {
    "shell": "shell-scripting",
    "hcl": "terraform",
    "jupyter notebook": "jupyter",
    "dockerfile": "docker",
    "c++": "cpp",
    "c#": "csharp",
}

_REPO_URL = re.compile(r"/repos/([^/]+)/([^/?#]+)")
_KEY = re.compile(r"[\s_-]+")


class BundleError(ValueError):
    """The JSON is not a GitHub bundle (with the reason, for the import report)."""


@dataclass
class Repo:
    full_name: str
    owner: str
    name: str
    fork: bool
    stars: int
    forks: int
    language: str
    topics: list[str]
    pushed_at: dt.datetime | None
    created_at: dt.datetime | None
    description: str
    url: str
    owner_is_org: bool
    can_admin: bool  # admin or maintain permission (only in authenticated responses)


@dataclass
class MergedPullRequest:
    repo: str  # owner/name of the repository it was merged into
    number: int
    title: str
    merged_at: dt.datetime | None
    url: str

    @property
    def ref(self) -> str:
        return f"{self.repo}#{self.number}"


@dataclass
class Bundle:
    login: str
    user: dict[str, Any]
    repos: list[Repo] = field(default_factory=list)  # every repo listed, own or not
    merged_prs: list[MergedPullRequest] = field(default_factory=list)  # to others' repos only
    own_prs_skipped: int = 0  # merged PRs into the person's own repositories (not a signal)
    targets: dict[str, Repo] = field(default_factory=dict)  # repos the PRs went to, when known
    language_bytes: dict[str, dict[str, int]] = field(default_factory=dict)

    def own_repos(self) -> list[Repo]:
        """Non-fork repositories the person owns, most recently pushed first."""
        own = [r for r in self.repos if r.owner.lower() == self.login.lower() and not r.fork]
        return sorted(own, key=lambda r: (r.pushed_at or _EPOCH, r.full_name), reverse=True)

    def maintained(self, min_stars: int = MAINTAINER_MIN_STARS) -> list[Repo]:
        # The person's own repo list wins over a copy embedded in a PR event.
        repos = {r.full_name: r for r in [*self.targets.values(), *self.repos]}
        return sorted(
            (
                r
                for r in repos.values()
                if not r.fork
                and r.stars >= min_stars
                and (r.owner.lower() == self.login.lower() or r.can_admin)
            ),
            key=lambda r: (-r.stars, r.full_name),
        )

    def signals(self, min_stars: int = MAINTAINER_MIN_STARS) -> dict[str, Any]:
        own = self.own_repos()
        counts = Counter(r.language for r in own if r.language)
        byte_totals: Counter[str] = Counter()
        for r in own:
            for lang, n in self.language_bytes.get(r.full_name, {}).items():
                byte_totals[lang] += n
        names = sorted(set(counts) | set(byte_totals), key=lambda k: (-byte_totals[k], -counts[k], k))
        maintained = self.maintained(min_stars)
        return {
            "languages": [{"language": k, "repos": counts[k], "bytes": byte_totals[k]} for k in names],
            "own_repos": len(own),
            "forks": sum(1 for r in self.repos if r.fork and r.owner.lower() == self.login.lower()),
            "total_stars": sum(r.stars for r in own),
            "maintainer": bool(maintained),
            "maintainer_min_stars": min_stars,
            "maintainer_repos": [{"repo": r.full_name, "stars": r.stars} for r in maintained],
            "merged_prs_to_others": len(self.merged_prs),
            "merged_pr_repos": sorted({p.repo for p in self.merged_prs}),
            "merged_prs_to_own_repos": self.own_prs_skipped,
        }


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def parse_time(value: Any) -> dt.datetime | None:
    """GitHub's ISO 8601 UTC timestamps ("2024-05-01T12:00:00Z"); None when missing or garbled."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def repo_from(data: Any) -> Repo | None:
    """A Repo from a /repos/{o}/{r} or /users/{login}/repos entry (or a PR's base.repo)."""
    if not isinstance(data, dict):
        return None
    full_name = _text(data.get("full_name"))
    owner_obj = _obj(data.get("owner"))
    owner = _text(owner_obj.get("login")) or full_name.partition("/")[0]
    name = _text(data.get("name")) or full_name.partition("/")[2]
    if not owner or not name:
        return None
    permissions = _obj(data.get("permissions"))
    topics: list[Any] = data["topics"] if isinstance(data.get("topics"), list) else []
    return Repo(
        full_name=full_name or f"{owner}/{name}",
        owner=owner,
        name=name,
        fork=bool(data.get("fork")),
        stars=_int(data.get("stargazers_count", data.get("watchers_count"))),
        forks=_int(data.get("forks_count")),
        language=_text(data.get("language")),
        topics=[t for t in topics if isinstance(t, str) and t][:50],
        pushed_at=parse_time(data.get("pushed_at")),
        created_at=parse_time(data.get("created_at")),
        description=_text(data.get("description"))[:500],
        url=_text(data.get("html_url")) or f"https://github.com/{owner}/{name}",
        owner_is_org=owner_obj.get("type") == "Organization" or "organization" in data,
        can_admin=bool(permissions.get("admin") or permissions.get("maintain")),
    )


def _list(bundle: dict[str, Any], key: str) -> list[Any]:
    value = bundle.get(key)
    if value is None:
        return []
    if isinstance(value, dict) and isinstance(value.get("items"), list):  # a whole search response
        value = value["items"]
    if not isinstance(value, list):
        raise BundleError(f'"{key}" must be a list of GitHub API objects')
    return value


def _is_user(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("login"), str) and bool(data["login"].strip())


def split_bundles(data: Any) -> list[dict[str, Any]]:
    """The bundles in a decoded file: one bundle, a bare user object, or a list of either."""
    items = data if isinstance(data, list) else [data]
    if not items:
        raise BundleError("the file holds an empty list")
    return [b if isinstance(b, dict) else {} for b in items]


def parse_bundle(raw: dict[str, Any]) -> Bundle:
    """Read one bundle (or bare user object); BundleError says what is wrong with it."""
    user = raw.get("user", raw) if isinstance(raw, dict) else None
    if not _is_user(user):
        raise BundleError(
            'not a GitHub bundle: expected {"user": {"login": ...}, "repos": [...], ...} '
            "or a /users/{login} object"
        )
    assert isinstance(user, dict)
    if user.get("type") == "Organization":
        raise BundleError(f"{user['login']} is an organisation, not a person")
    login = user["login"].strip()
    bundle = Bundle(login=login, user=user)
    if raw is user:
        return bundle
    bundle.repos = [r for r in map(repo_from, _list(raw, "repos")[:MAX_REPOS]) if r is not None]
    for target in map(repo_from, _list(raw, "pr_repos")):
        if target is not None:
            bundle.targets[target.full_name.lower()] = target
    languages = raw.get("languages") or {}
    if not isinstance(languages, dict):
        raise BundleError('"languages" must map "owner/repo" to {"Language": bytes}')
    bundle.language_bytes = {
        str(k): {str(lang): _int(n) for lang, n in v.items()}
        for k, v in languages.items()
        if isinstance(v, dict)
    }
    _read_pull_requests(bundle, _list(raw, "pull_requests"), _list(raw, "events"))
    return bundle


def _read_pull_requests(bundle: Bundle, items: list[Any], events: list[Any]) -> None:
    """Merged PRs the person authored, from search items and PullRequestEvents, once each."""
    me = bundle.login.lower()
    seen: set[str] = set()

    def add(repo: str, number: Any, title: Any, merged_at: Any, url: Any, author: Any) -> None:
        if not repo or "/" not in repo or _int(number) == 0:
            return
        if isinstance(author, str) and author and author.lower() != me:
            return  # a PR someone else wrote (e.g. one the person merged into their own repo)
        key = f"{repo.lower()}#{_int(number)}"
        if key in seen or len(bundle.merged_prs) >= MAX_PULL_REQUESTS:
            return
        seen.add(key)
        if repo.partition("/")[0].lower() == me:
            bundle.own_prs_skipped += 1
            return
        bundle.merged_prs.append(
            MergedPullRequest(repo, _int(number), _text(title)[:250], parse_time(merged_at), _text(url))
        )

    for item in items:
        pr = _obj(_obj(item).get("pull_request"))
        if not pr:
            continue  # an issue, not a pull request
        # Newer search results say when the PR was merged; older ones only answer an is:merged query.
        merged_at = pr.get("merged_at") if "merged_at" in pr else item.get("closed_at")
        if not merged_at:
            continue
        match = _REPO_URL.search(_text(item.get("repository_url")) or _text(item.get("url")))
        repo = f"{match.group(1)}/{match.group(2)}" if match else ""
        author = _obj(item.get("user")).get("login")
        add(repo, item.get("number"), item.get("title"), merged_at, item.get("html_url"), author)
    for event in events:
        if _obj(event).get("type") != "PullRequestEvent":
            continue
        payload = _obj(event.get("payload"))
        pr = _obj(payload.get("pull_request"))
        if payload.get("action") != "closed" or not (pr.get("merged") or pr.get("merged_at")):
            continue
        target = repo_from(_obj(pr.get("base")).get("repo"))
        if target is not None:
            bundle.targets.setdefault(target.full_name.lower(), target)
        repo = _text(_obj(event.get("repo")).get("name")) or (target.full_name if target else "")
        author = _obj(pr.get("user")).get("login")
        merged_at = pr.get("merged_at") or event.get("created_at")
        number = pr.get("number") or payload.get("number")
        add(repo, number, pr.get("title"), merged_at, pr.get("html_url"), author)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --- languages and topics to ontology skills -------------------------------------------------------


def _key(text: str) -> str:
    return _KEY.sub(" ", text.strip().lower())


@lru_cache(maxsize=1)
def _skill_index() -> dict[str, str]:
    """Every name, alias and slug of the shipped ontology, normalised the way topics are written.
    Strict aliases ("Go", "R") are safe here: a language field or a topic is never prose."""
    index: dict[str, str] = {}
    for skill in load_ontology().skills.values():
        for name in (skill.slug, skill.name, *skill.aliases, *skill.strict_aliases):
            index.setdefault(_key(name), skill.slug)
    for name, slug in GITHUB_NAMES.items():
        if slug in load_ontology().skills:
            index[_key(name)] = slug
    return index


def skills_for_term(term: str) -> list[str]:
    """Ontology skill slugs for a GitHub language name or topic ("Jupyter Notebook", "deep-learning")."""
    if not term:
        return []
    slug = _skill_index().get(_key(term))
    if slug:
        return [slug]
    # Multi-word topics ("natural-language-processing", "pytorch-lightning-models").
    return sorted({m.skill_id for m in extract_skills(term.replace("-", " "))})


def skills_for_repo(repo: Repo) -> list[str]:
    found: dict[str, None] = {}
    for term in [repo.language, *repo.topics]:
        for slug in skills_for_term(term):
            found.setdefault(slug)
    return list(found)


def skills_for_pull_request(pr: MergedPullRequest, target: Repo | None) -> list[str]:
    """The target repository's language and topics, plus skills named in the PR title."""
    found: dict[str, None] = dict.fromkeys(skills_for_repo(target)) if target else {}
    for mention in extract_skills(pr.title):
        found.setdefault(mention.skill_id)
    return list(found)
