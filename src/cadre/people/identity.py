"""Normalising identifiers so one person is recognised across sources. Pure module.

Each function returns the canonical value stored in Identity.value, or raises ValueError with a
message fit for the user. Canonical forms: e-mail lower case; phone E.164-like digits with '+';
GitHub login lower case; ORCID 0000-0000-0000-000X; LinkedIn '/in/slug'; website host+path.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

EMAIL = "email"
PHONE = "phone"
GITHUB = "github"
ORCID = "orcid"
OPENREVIEW = "openreview"
DBLP = "dblp"
LINKEDIN = "linkedin"
WEBSITE = "website"
KINDS = (EMAIL, PHONE, GITHUB, ORCID, OPENREVIEW, DBLP, LINKEDIN, WEBSITE)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GITHUB_RE = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$")
_ORCID_RE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_OPENREVIEW_RE = re.compile(r"^~[^\s~]+[0-9]+$")


def _strip_url(value: str, hosts: tuple[str, ...]) -> str:
    """Drop scheme, 'www.' and a known host, leaving the path."""
    v = value.strip()
    if "://" not in v and any(v.lower().startswith(h) or v.lower().startswith("www." + h) for h in hosts):
        v = "https://" + v
    if "://" in v:
        parts = urlsplit(v)
        host = parts.netloc.lower().removeprefix("www.")
        if host in hosts:
            return parts.path + (("?" + parts.query) if parts.query else "")
    return v


def _orcid_checksum_ok(digits: str) -> bool:
    """ISO 7064 MOD 11-2, as ORCID specifies."""
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def normalise(kind: str, raw: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown identity type {kind!r}; expected one of {', '.join(KINDS)}")
    value = (raw or "").strip()
    if not value:
        raise ValueError(f"{kind} is empty")
    if kind == EMAIL:
        value = value.removeprefix("mailto:").lower()
        if not _EMAIL_RE.match(value):
            raise ValueError(f"not an e-mail address: {raw!r}")
        return value
    if kind == PHONE:
        digits = re.sub(r"\D", "", value)
        if value.startswith("00"):
            digits = digits[2:]
        elif not value.startswith("+") and len(digits) == 10:
            digits = "1" + digits  # North American number without country code
        if not 8 <= len(digits) <= 15:
            raise ValueError(f"not a phone number: {raw!r}")
        return "+" + digits
    if kind == GITHUB:
        login = _strip_url(value, ("github.com",)).strip("/").split("/")[0].lstrip("@").lower()
        if not _GITHUB_RE.match(login):
            raise ValueError(f"not a GitHub login: {raw!r}")
        return login
    if kind == ORCID:
        path = _strip_url(value, ("orcid.org",)).strip("/").upper()
        m = _ORCID_RE.match(path)
        if not m or not _orcid_checksum_ok("".join(m.groups())):
            raise ValueError(f"not a valid ORCID iD: {raw!r}")
        return "-".join(m.groups())
    if kind == OPENREVIEW:
        path = _strip_url(value, ("openreview.net",))
        if path.startswith("/profile"):
            path = path.split("id=", 1)[-1]
        if not _OPENREVIEW_RE.match(path):
            raise ValueError(f"not an OpenReview profile id (like ~Jane_Doe1): {raw!r}")
        return path
    if kind == DBLP:
        path = _strip_url(value, ("dblp.org", "dblp.uni-trier.de")).strip("/")
        path = path.removeprefix("pid/").removesuffix(".html")
        if not re.match(r"^[\w/-]+$", path):
            raise ValueError(f"not a DBLP person key: {raw!r}")
        return path.lower()
    if kind == LINKEDIN:
        path = _strip_url(value, ("linkedin.com",)).rstrip("/").lower()
        m = re.match(r"^/?in/([^/?#]+)", path)
        if not m:
            raise ValueError(f"not a LinkedIn profile URL (linkedin.com/in/...): {raw!r}")
        return f"/in/{m.group(1)}"
    # WEBSITE
    url = value if "://" in value else "https://" + value
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if "." not in host:
        raise ValueError(f"not a web address: {raw!r}")
    return host + parts.path.rstrip("/")
