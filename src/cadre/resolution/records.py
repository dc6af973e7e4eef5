"""Normalising person records for linkage. Pure: no Django, so the CLI evals and the DB path share it.

A linkage record is a flat dict with the columns in `FIELDS` (None when unknown) plus list columns
(`emails`, `affiliations`, `coauthors`, `skills`). Exact keys (e-mail, GitHub, ORCID, OpenReview,
phone) are compared outside the probabilistic model: two records sharing one are the same person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from cadre.people import identity

# Columns the eval-file CSV may carry (the list) and the extra ones FEBRL-like data has.
CSV_COLUMNS = (
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "affiliation",
    "city",
    "country",
    "github",
    "orcid",
    "title",
)
# Scalar columns of a normalised record; list columns are kept separately.
FIELDS = (
    "first_name",
    "last_name",
    "first_initial",
    "last_initial",
    "affiliation",
    "city",
    "country",
    "title",
    "dob",
    "address",
    "postcode",
    "street_number",
)
LIST_FIELDS = ("emails", "affiliations", "coauthors", "skills")
EXACT_KINDS = (identity.EMAIL, identity.GITHUB, identity.ORCID, identity.OPENREVIEW, identity.PHONE)

_HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "msc", "mba", "pe", "esq"})
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin"}
)
# Organisation words that vary between sources without changing the organisation.
_ORG_NOISE = frozenset(
    {"the", "inc", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co", "company", "plc", "sa"}
)
_TITLE_JOINERS = frozenset({"at", "of", "and", "in", "for"})
_ORG_ALIASES = {"univ": "university", "u": "university", "dept": "department", "inst": "institute"}


def fold(text: Any) -> str:
    """Lower case ASCII letters, digits and single spaces ('Zoë  O'Brien-Lee' -> 'zoe obrien lee')."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['’`]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


def split_full_name(full_name: str) -> tuple[str, str]:
    """('Dr. Jane van der Berg, PhD') -> ('jane', 'van der berg'); 'Berg, Jane' -> ('jane', 'berg')."""
    raw = (full_name or "").strip()
    if raw.count(",") == 1:
        last, first = raw.split(",", 1)
        if fold(first) and fold(first).split()[0] not in _SUFFIXES:
            raw = f"{first} {last}"
    words = [w for w in fold(raw).split() if w not in _HONORIFICS and w not in _SUFFIXES]
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    # The surname starts at the first particle after the given name ('van der berg').
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return words[0], " ".join(words[start:])


def normalise_org(name: Any) -> str:
    words = [_ORG_ALIASES.get(w, w) for w in fold(name).split()]
    return " ".join(w for w in words if w not in _ORG_NOISE)


def exact_value(kind: str, raw: Any) -> str | None:
    """The canonical identifier, or None when `raw` is empty or not valid for `kind`."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return identity.normalise(kind, str(raw))
    except ValueError:
        return None


def job_title(title: Any, organisations: Iterable[Any]) -> str | None:
    """The folded title without the organisation names a headline carries ('PhD student, University
    of Oxford' -> 'phd student'): the organisation is compared on its own, and counting it again
    in the title made colleagues look like one person."""
    text = f" {fold(title)} "
    for org in sorted({fold(o) for o in organisations} - {""}, key=len, reverse=True):
        text = text.replace(f" {org} ", " ")
    words = text.split()
    while words and words[-1] in _TITLE_JOINERS:
        words.pop()
    return " ".join(words) or None


def _clean(value: Any) -> str | None:
    text = fold(value)
    return text or None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if v is not None and str(v).strip()]


def normalise_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One raw record (CSV row, FEBRL row, or a person gathered from the DB) -> a linkage record."""
    first = _clean(raw.get("first_name"))
    last = _clean(raw.get("last_name"))
    if (not first or not last) and raw.get("full_name"):
        split_first, split_last = split_full_name(str(raw["full_name"]))
        first, last = first or split_first or None, last or split_last or None
    affiliations = sorted({a for a in (normalise_org(x) for x in _as_list(raw.get("affiliations"))) if a})
    affiliation = normalise_org(raw.get("affiliation")) or (affiliations[0] if affiliations else "")
    if affiliation and affiliation not in affiliations:
        affiliations = sorted({*affiliations, affiliation})
    emails = sorted({e for e in (exact_value(identity.EMAIL, x) for x in _as_list(raw.get("emails"))) if e})
    if (email := exact_value(identity.EMAIL, raw.get("email"))) and email not in emails:
        emails = sorted({*emails, email})
    record: dict[str, Any] = {
        "unique_id": raw["unique_id"],
        "first_name": first,
        "last_name": last,
        "first_initial": first[0] if first else None,
        "last_initial": last[0] if last else None,
        "affiliation": affiliation or None,
        "city": _clean(raw.get("city")),
        "country": _clean(raw.get("country")),
        "title": job_title(raw.get("title"), [raw.get("affiliation"), *_as_list(raw.get("affiliations"))]),
        "dob": _clean(raw.get("dob")),
        "address": _clean(raw.get("address")),
        "postcode": _clean(raw.get("postcode")),
        "street_number": _clean(raw.get("street_number")),
        "emails": emails,
        "affiliations": affiliations,
        "coauthors": sorted({c for c in (fold(x) for x in _as_list(raw.get("coauthors"))) if c}),
        "skills": sorted({s for s in (fold(x) for x in _as_list(raw.get("skills"))) if s}),
    }
    keys = set(exact_keys_of(raw))
    keys.update(f"{identity.EMAIL}:{e}" for e in emails)
    record["exact_keys"] = sorted(keys)
    return record


def exact_keys_of(raw: Mapping[str, Any]) -> Iterable[str]:
    """'kind:value' for each valid identifier in the raw record (scalar column or `<kind>s` list)."""
    for kind in EXACT_KINDS:
        for value in [raw.get(kind), *_as_list(raw.get(kind + "s"))]:
            if isinstance(value, list | tuple):
                continue
            if (canonical := exact_value(kind, value)) is not None:
                yield f"{kind}:{canonical}"


def exact_key_pairs(records: Iterable[Mapping[str, Any]]) -> list[tuple[Any, Any, str]]:
    """(first id, other id, shared key) for every record sharing an exact key with an earlier one."""
    first_owner: dict[str, Any] = {}
    pairs: dict[tuple[Any, Any], str] = {}
    for rec in records:
        for key in rec.get("exact_keys", ()):
            owner = first_owner.setdefault(key, rec["unique_id"])
            if owner != rec["unique_id"]:
                pair = (min(owner, rec["unique_id"]), max(owner, rec["unique_id"]))
                pairs.setdefault(pair, key)
    return [(a, b, key) for (a, b), key in sorted(pairs.items())]
