"""`cadre import github FILE...`: saved GitHub REST API payloads, one item per bundle.

The bundle layout and the signals are documented in cadre.sourcing.github_signals. Each bundle becomes
(or joins, on the exact GitHub login or public e-mail) a Person with a GitHub SourceRecord holding the
raw bundle and a summary of its signals, a repository Fact per own non-fork repo (and per maintained
organisation repo), repository skill evidence from languages and topics, and merged-PR skill evidence
for each pull request merged into someone else's repository. The JSON hash of the bundle is the
record's content hash, so the same saved payload imports once.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cadre.core.services import require_editor
from cadre.people import identity
from cadre.people.models import Fact, SkillEvidence, SourceRecord
from cadre.people.services import record_source
from cadre.sourcing import services
from cadre.sourcing.documents import DocumentError, decode_text
from cadre.sourcing.github_client import GithubClient
from cadre.sourcing.github_signals import (
    MAINTAINER_MIN_STARS,
    Bundle,
    Repo,
    parse_bundle,
    skills_for_pull_request,
    skills_for_repo,
    split_bundles,
)
from cadre.sourcing.importers.base import (
    CREATED,
    SKIPPED,
    UPDATED,
    Importer,
    ImportReport,
    Item,
    ItemError,
    read_limited,
    sha256_json,
)


def read_bundles(path: Path) -> list[dict[str, Any]]:
    """The bundles in one file; ItemError for an empty, over-size, undecodable or malformed file."""
    try:
        text = decode_text(read_limited(path))
    except DocumentError as exc:
        raise ItemError(str(exc)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    try:
        return split_bundles(data)
    except ValueError as exc:
        raise ItemError(str(exc)) from exc


def profile_identities(user: dict[str, Any]) -> list[tuple[str, str]]:
    """GitHub login, plus the public e-mail and blog/website when the profile shows them."""
    found = [(identity.GITHUB, str(user["login"]))]
    email = user.get("email")
    if isinstance(email, str) and email.strip():
        found.append((identity.EMAIL, email))
    blog = user.get("blog")
    if isinstance(blog, str) and blog.strip():
        # People often put their LinkedIn profile in the blog field; keep it as what it is.
        kind = identity.LINKEDIN if "linkedin.com/in/" in blog.lower() else identity.WEBSITE
        found.append((kind, blog))
    return found


def _profile(user: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "login",
        "id",
        "name",
        "company",
        "blog",
        "location",
        "email",
        "bio",
        "hireable",
        "twitter_username",
        "public_repos",
        "followers",
        "following",
        "created_at",
        "html_url",
    )
    return {k: user.get(k) for k in keys if user.get(k) not in (None, "")}


class GithubImporter(Importer):
    source = SourceRecord.Source.GITHUB

    def __init__(self, *, maintainer_stars: int | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.maintainer_stars = MAINTAINER_MIN_STARS if maintainer_stars is None else int(maintainer_stars)

    def items(self, path: Path) -> Iterator[Item]:
        bundles = read_bundles(path)
        for number, raw in enumerate(bundles, start=1):
            label = path.name if len(bundles) == 1 else f"{path.name} #{number}"
            yield Item(label=label, data=raw)

    def import_item(self, item: Item) -> str:
        raw = item.data
        bundle = parse_bundle(raw)  # BundleError is a ValueError: a per-item error
        try:
            login = identity.normalise(identity.GITHUB, bundle.login)
        except ValueError as exc:
            raise ItemError(str(exc)) from exc
        digest = sha256_json(raw)
        if self.already_imported(digest):
            return SKIPPED
        user = bundle.user
        identities = profile_identities(user)
        bio = " ".join(str(user.get("bio") or "").split())
        match = services.find_or_create_person(
            full_name=str(user.get("name") or "").strip() or bundle.login,
            identities=identities,
            actor=self.actor,
            headline=bio[:200],
            location=str(user.get("location") or "").strip(),
        )
        person = match.person
        signals = bundle.signals(self.maintainer_stars)
        payload: dict[str, Any] = {
            "login": login,
            "profile": _profile(user),
            "signals": signals,
            "merged_prs": [
                {
                    "ref": pr.ref,
                    "title": pr.title,
                    "merged_at": pr.merged_at.isoformat() if pr.merged_at else None,
                }
                for pr in bundle.merged_prs[:200]
            ],
            "fetched_at": raw.get("fetched_at") if raw is not user else None,
            "raw": raw,
        }
        record = record_source(
            person=person,
            source=self.source,
            payload=payload,
            content_sha256=digest,
            external_id=f"github:{login}",
            actor=self.actor,
        )
        self.remember(digest)
        conflicts = services.attach_identities(person, identities, record=record, actor=self.actor)
        self._write_repositories(person, record, bundle, {r["repo"] for r in signals["maintainer_repos"]})
        self._write_merged_prs(person, record, bundle)
        if conflicts:
            record.payload["identity_conflicts"] = conflicts
            record.save(update_fields=["payload"])
        if match.created:
            self.created_person(person.pk)
            return CREATED
        return UPDATED

    def _write_repositories(
        self, person: Any, record: SourceRecord, bundle: Bundle, maintained: set[str]
    ) -> None:
        own = bundle.own_repos()
        own_names = {r.full_name for r in own}
        # Organisation repos the person maintains are facts too; other people's repos are not.
        org = [r for r in bundle.repos if r.full_name in maintained and r.full_name not in own_names]
        for repo in [*own, *org]:
            services.add_fact(
                person,
                record,
                kind=Fact.Kind.REPOSITORY,
                title=repo.full_name,
                organisation=repo.owner if repo.owner_is_org else "",
                start_date=repo.created_at.date() if repo.created_at else None,
                data=_repo_data(repo, repo.full_name in maintained),
                actor=self.actor,
            )
        # One evidence row per skill, from the most recently pushed repository that shows it
        # (own_repos() is newest first), with how many repositories show it.
        per_skill: dict[str, list[Repo]] = {}
        for repo in own:
            for slug in skills_for_repo(repo):
                per_skill.setdefault(slug, []).append(repo)
        found = [
            (
                slug,
                f"{repos[0].full_name} ({repos[0].stars} stars)"
                + (f" and {len(repos) - 1} more own repos" if len(repos) > 1 else ""),
                repos[0].pushed_at.date() if repos[0].pushed_at else None,
            )
            for slug, repos in per_skill.items()
        ]
        services.add_skill_evidence(
            person, record, slugs=found, kind=SkillEvidence.Kind.REPOSITORY, actor=self.actor
        )

    def _write_merged_prs(self, person: Any, record: SourceRecord, bundle: Bundle) -> None:
        found: list[tuple[str, str, Any]] = []
        for pr in bundle.merged_prs:
            target = bundle.targets.get(pr.repo.lower())
            detail = f"{pr.ref} {pr.title}".strip()
            observed = pr.merged_at.date() if pr.merged_at else None
            found.extend((slug, detail, observed) for slug in skills_for_pull_request(pr, target))
        services.add_skill_evidence(
            person,
            record,
            slugs=found,
            kind=SkillEvidence.Kind.MERGED_PR,
            actor=self.actor,
            per_detail=True,  # every merged PR is its own piece of evidence
        )


def _repo_data(repo: Repo, maintainer: bool) -> dict[str, Any]:
    return {
        "name": repo.name,
        "full_name": repo.full_name,
        "url": repo.url,
        "description": repo.description,
        "stars": repo.stars,
        "forks": repo.forks,
        "language": repo.language,
        "topics": repo.topics,
        "pushed_at": repo.pushed_at.isoformat() if repo.pushed_at else None,
        "maintainer": maintainer,
    }


def import_user(
    login: str,
    *,
    client: GithubClient | None = None,
    actor: Any = None,
    via: str = "cli",
    resolve: bool = True,
    **options: Any,
) -> ImportReport:
    """Fetch one user's bundle live and import it like a saved one (the file is only a hand-over;
    the SourceRecord keeps the payload). GithubClientError when the fetch fails."""
    if actor is not None:
        require_editor(actor)  # before spending the rate limit
    client = client or GithubClient(token=os.environ.get("GITHUB_TOKEN", ""))
    bundle = client.bundle(login)
    with tempfile.TemporaryDirectory(prefix="cadre-github-") as tmp:
        path = Path(tmp) / f"github-{bundle['user']['login']}.json"
        path.write_text(json.dumps(bundle), encoding="utf-8")
        return GithubImporter(actor=actor, **options).run([path], via=via, resolve=resolve)
