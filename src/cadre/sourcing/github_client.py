"""The live GitHub client behind `cadre import github --user LOGIN`: fetch one person's bundle.

It asks the REST API for the layout cadre.sourcing.github_signals reads:
  /users/{login}; /users/{login}/repos (Link-header pages, capped); /search/issues for the person's
  merged pull requests (capped); /repos/{owner}/{repo} of the repositories those PRs went to (for their
  language and topics); /repos/{login}/{repo}/languages of the most-starred own repos (bytes).
Events are not fetched: the search answers "merged PRs by this author" directly and reaches further back.

The HTTP call is one injectable function (`fetch`), so tests replay recorded responses and nothing
touches the network. Errors are GithubClientError with a message fit for the user: no such user,
rate limit reached (with the reset time), bad token, GitHub unreachable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cadre.people import identity

API = "https://api.github.com"
TIMEOUT_SECONDS = 15.0
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class GithubClientError(Exception):
    """Why the bundle could not be fetched (safe to show)."""


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


Fetch = Callable[[str, Mapping[str, str], float], Response]


def urllib_fetch(url: str, headers: Mapping[str, str], timeout: float) -> Response:
    """GET with the standard library; HTTP errors come back as responses, network failures raise."""
    request = urllib.request.Request(url, headers=dict(headers), method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - https API URL
            body = reply.read(MAX_RESPONSE_BYTES + 1)
            return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()}, body)
    except urllib.error.HTTPError as exc:
        body = exc.read(MAX_RESPONSE_BYTES + 1) if exc.fp is not None else b""
        return Response(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, body)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise GithubClientError(f"cannot reach GitHub ({reason})") from exc


def next_link(headers: Mapping[str, str]) -> str:
    match = _NEXT.search(headers.get("link", ""))
    return match.group(1) if match else ""


def _reset_time(headers: Mapping[str, str]) -> str:
    try:
        at = dt.datetime.fromtimestamp(int(headers.get("x-ratelimit-reset", "")), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return "an unknown time"
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


class GithubClient:
    def __init__(
        self,
        *,
        token: str = "",
        fetch: Fetch | None = None,
        api: str = API,
        timeout: float = TIMEOUT_SECONDS,
        max_repo_pages: int = 3,
        max_pr_pages: int = 2,
        per_page: int = 100,
        max_pr_repos: int = 20,
        max_language_repos: int = 10,
    ) -> None:
        self.token = token
        self.fetch = fetch or urllib_fetch
        self.api = api.rstrip("/")
        self.timeout = timeout
        self.max_repo_pages = max_repo_pages
        self.max_pr_pages = max_pr_pages
        self.per_page = per_page
        self.max_pr_repos = max_pr_repos
        self.max_language_repos = max_language_repos
        self.requests = 0

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "cadre-sourcing",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, url: str, *, missing: str = "") -> tuple[Any, Response] | None:
        """Decoded JSON and the response; None on 404 when `missing` is "" (optional resource),
        else GithubClientError(missing)."""
        if not url.startswith(self.api + "/"):  # the token must never leave the API host
            raise GithubClientError(f"refusing to follow a link outside {self.api}: {url}")
        self.requests += 1
        reply = self.fetch(url, self._headers(), self.timeout)
        status, headers = reply.status, {k.lower(): v for k, v in reply.headers.items()}
        if status in (403, 429) and (headers.get("x-ratelimit-remaining") == "0" or status == 429):
            when = (
                f"in {headers['retry-after']} seconds"
                if "retry-after" in headers and headers.get("x-ratelimit-remaining") != "0"
                else f"at {_reset_time(headers)}"
            )
            hint = "" if self.token else "; set GITHUB_TOKEN for a higher limit"
            raise GithubClientError(f"GitHub rate limit reached; it resets {when}{hint}")
        if status == 404:
            if missing:
                raise GithubClientError(missing)
            return None
        if status == 401:
            raise GithubClientError("GitHub rejected the token (401); check GITHUB_TOKEN")
        if status >= 400:
            raise GithubClientError(f"GitHub answered {status} for {url}: {_message(reply.body)}")
        if len(reply.body) > MAX_RESPONSE_BYTES:
            raise GithubClientError(f"GitHub's answer for {url} is larger than 10 MB")
        try:
            return json.loads(reply.body.decode("utf-8")), reply
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GithubClientError(f"GitHub sent something that is not JSON for {url}") from exc

    def paginate(self, url: str, *, max_pages: int) -> list[Any]:
        """Follow rel="next" Link headers, at most `max_pages` pages."""
        items: list[Any] = []
        for _ in range(max_pages):
            got = self.get(url)
            if got is None:
                break
            data, reply = got
            page = data.get("items") if isinstance(data, dict) else data
            if not isinstance(page, list):
                raise GithubClientError(f"GitHub sent an unexpected page for {url}")
            items.extend(page)
            url = next_link({k.lower(): v for k, v in reply.headers.items()})
            if not url:
                break
        return items

    def bundle(self, login: str) -> dict[str, Any]:
        """Everything the importer reads about one GitHub user, in the bundle layout."""
        try:
            login = identity.normalise(identity.GITHUB, login)
        except ValueError as exc:
            raise GithubClientError(str(exc)) from exc
        got = self.get(f"{self.api}/users/{login}", missing=f"no such GitHub user: {login}")
        assert got is not None
        user = got[0]
        if not isinstance(user, dict) or not user.get("login"):
            raise GithubClientError(f"GitHub sent an unexpected profile for {login}")
        fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        repos = self.paginate(
            f"{self.api}/users/{login}/repos?type=owner&sort=pushed&per_page={self.per_page}",
            max_pages=self.max_repo_pages,
        )
        query = urllib.parse.quote_plus(f"author:{login} type:pr is:merged", safe=":")
        pull_requests = self.paginate(
            f"{self.api}/search/issues?q={query}&sort=updated&per_page={self.per_page}",
            max_pages=self.max_pr_pages,
        )
        return {
            "user": user,
            "repos": repos,
            "pull_requests": pull_requests,
            "pr_repos": self._pr_repos(login, pull_requests),
            "languages": self._languages(login, repos),
            "fetched_at": fetched_at,
        }

    def _pr_repos(self, login: str, pull_requests: list[Any]) -> list[Any]:
        """The repositories the person's PRs went to (not their own), most PRs first, capped."""
        counts: dict[str, int] = {}
        for item in pull_requests:
            url = item.get("repository_url", "") if isinstance(item, dict) else ""
            if url.startswith(self.api + "/repos/"):
                full_name = url.removeprefix(self.api + "/repos/")
                if full_name.partition("/")[0].lower() != login:
                    counts[full_name] = counts.get(full_name, 0) + 1
        wanted = sorted(counts, key=lambda k: (-counts[k], k))[: self.max_pr_repos]
        found = [self.get(f"{self.api}/repos/{name}") for name in wanted]
        return [got[0] for got in found if got is not None]  # a deleted repo (404) is skipped

    def _languages(self, login: str, repos: list[Any]) -> dict[str, Any]:
        own = [
            r
            for r in repos
            if isinstance(r, dict) and not r.get("fork") and isinstance(r.get("full_name"), str)
        ]
        own.sort(key=lambda r: -int(r.get("stargazers_count") or 0))
        languages: dict[str, Any] = {}
        for repo in own[: self.max_language_repos]:
            got = self.get(f"{self.api}/repos/{repo['full_name']}/languages")
            if got is not None and isinstance(got[0], dict):
                languages[repo["full_name"]] = got[0]
        return languages


def _message(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return body[:200].decode("utf-8", "replace")
    return str(data.get("message", "")) if isinstance(data, dict) else ""
