"""Resume text -> contact details, sections, employment and education entries. Pure module.

Plain heuristics, deterministic and explainable: headings are short lines naming a known section;
an entry is a line holding a year range ("2019 - Present"); contact details are found by pattern.
JSON Resume (jsonresume.org schema) maps field by field instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "profile", "about", "about me", "objective"),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career",
    ),
    "education": ("education", "academic background", "degrees"),
    "skills": ("skills", "technical skills", "core skills", "technologies", "tools", "expertise"),
    "projects": ("projects", "selected projects", "open source", "open-source"),
    "publications": ("publications", "papers", "selected publications", "research"),
    "certifications": ("certifications", "certificates", "credentials", "licenses"),
    # Sections we do not parse, listed so they end the section above them.
    "other": ("interests", "hobbies", "languages", "awards", "honors", "references", "volunteering"),
}
_HEADING_INDEX = {alias: key for key, aliases in SECTION_HEADINGS.items() for alias in aliases}

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(
    r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{2,4}\b"
)
GITHUB_RE = re.compile(r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9-]{1,39})(?![A-Za-z0-9-])", re.I)
LINKEDIN_RE = re.compile(r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/[A-Za-z0-9_%-]+/?", re.I)
ORCID_RE = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_DATE = r"(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}|\d{1,2}/(?:19|20)\d{2})"
RANGE_RE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:-|–|—|to|until)\s*(?P<end>{_DATE}|present|current|now|today)", re.I
)
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
DEGREE_RE = re.compile(
    r"\b(ph\.?\s?d|doctor(?:ate)?|m\.?\s?sc?\b|master'?s?|m\.?eng|mba|b\.?\s?sc?\b|bachelor'?s?|b\.?eng|"
    r"b\.?a\b|m\.?a\b|m\.?s\.|b\.?s\.|associate)",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-•*▪◦·]|\d+[.)])\s+")
_SPLIT = re.compile(r"\s+(?:at|@)\s+|\s+[-–—|]\s+|,\s+|\s{3,}")


@dataclass
class Entry:
    title: str
    organisation: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    lines: list[str] = field(default_factory=list)


@dataclass
class ParsedResume:
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    github: list[str] = field(default_factory=list)
    linkedin: list[str] = field(default_factory=list)
    orcid: list[str] = field(default_factory=list)
    headline: str = ""
    location: str = ""
    summary: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    employment: list[Entry] = field(default_factory=list)
    education: list[Entry] = field(default_factory=list)
    publications: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    skills_text: str = ""  # text whose skills are evidence (the whole visible resume)

    def identities(self) -> list[tuple[str, str]]:
        return (
            [("email", e) for e in self.emails]
            + [("github", g) for g in self.github]
            + [("linkedin", li) for li in self.linkedin]
            + [("orcid", o) for o in self.orcid]
            + [("phone", p) for p in self.phones[:1]]
        )


def parse_date(text: str | None, *, end: bool = False) -> dt.date | None:
    """'Mar 2021', '03/2021', '2021', '2021-03-01' -> a date; 'present' -> None."""
    if not text:
        return None
    t = text.strip().lower().rstrip(".")
    if m := re.match(r"^((?:19|20)\d{2})-(\d{1,2})(?:-(\d{1,2}))?", t):
        return dt.date(int(m[1]), min(max(int(m[2]), 1), 12), int(m[3]) if m[3] else 1)
    if m := re.match(r"^(\d{1,2})/((?:19|20)\d{2})$", t):
        return dt.date(int(m[2]), min(max(int(m[1]), 1), 12), 1)
    if m := re.match(r"^([a-z]{3,9})\.?\s+((?:19|20)\d{2})$", t):
        return dt.date(int(m[2]), _MONTHS.get(m[1][:3], 1), 1)
    if m := re.match(r"^((?:19|20)\d{2})$", t):
        return dt.date(int(m[1]), 12 if end else 1, 1)
    return None


def _heading(line: str) -> str | None:
    """A short line naming a section ("EXPERIENCE", "Technical Skills:"), or "Interests: chess"."""
    head = line.split(":", 1)[0] if ":" in line else line
    clean = re.sub(r"[^a-z &-]", "", head.strip().lower()).strip()
    if not clean or len(head.strip()) > 40:
        return None
    return _HEADING_INDEX.get(clean)


def _looks_like_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in line) or "@" in line or "/" in line:
        return False
    return all(w[0].isupper() or w.lower() in {"de", "van", "von", "da", "del", "la", "le"} for w in words)


def _split_title_org(text: str) -> tuple[str, str]:
    parts = [p.strip(" ,|-–—()") for p in _SPLIT.split(text) if p.strip(" ,|-–—()")]
    if not parts:
        return "", ""
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _entries(body: str) -> list[Entry]:
    """Each line with a year range starts an entry; a title line just above it is used if the dated
    line holds nothing else ("ML Engineer, Acme" / "2020 - 2023")."""
    entries: list[Entry] = []
    previous = ""
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = RANGE_RE.search(line)
        if m and not _BULLET.match(raw):
            rest = (line[: m.start()] + " " + line[m.end() :]).strip(" ,|-–—()")
            if len(rest) < 3 and previous:
                rest = previous
                if entries and entries[-1].lines and entries[-1].lines[-1] == previous:
                    entries[-1].lines.pop()
            title, org = _split_title_org(rest)
            entries.append(
                Entry(
                    title, org, parse_date(m["start"]), parse_date(m["end"], end=True) if m["end"] else None
                )
            )
        elif entries:
            entries[-1].lines.append(_BULLET.sub("", line))
        previous = line
    return entries


def _education(body: str) -> list[Entry]:
    entries = _entries(body)
    if entries:
        return entries
    found = []
    for raw in body.splitlines():
        line = raw.strip()
        if line and DEGREE_RE.search(line):
            years = YEAR_RE.findall(line)
            rest = YEAR_RE.sub("", line).strip(" ,|-–—()")
            title, org = _split_title_org(rest)
            end = dt.date(int(years[-1]), 6, 1) if years else None
            found.append(Entry(title, org, None, end))
    return found


def _items(body: str) -> list[str]:
    return [_BULLET.sub("", line).strip() for line in body.splitlines() if len(line.strip()) > 3]


def parse_text(text: str) -> ParsedResume:
    lines = [line.rstrip() for line in text.splitlines()]
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in lines:
        key = _heading(line)
        if key is not None:
            current = key
            sections.setdefault(key, [])
            if ":" in line and line.split(":", 1)[1].strip():  # "Skills: Python, SQL"
                sections[key].append(line.split(":", 1)[1].strip())
            continue
        sections.setdefault(current, []).append(line)
    bodies = {k: "\n".join(v).strip() for k, v in sections.items()}
    header = bodies.get("header", "")
    parsed = ParsedResume(sections={k: v for k, v in bodies.items() if v}, skills_text=text)
    parsed.emails = list(dict.fromkeys(e.lower() for e in EMAIL_RE.findall(text)))
    parsed.github = list(dict.fromkeys(g.lower() for g in GITHUB_RE.findall(text)))
    parsed.linkedin = list(dict.fromkeys(LINKEDIN_RE.findall(text)))
    parsed.orcid = list(dict.fromkeys(ORCID_RE.findall(text)))
    phone_text = EMAIL_RE.sub(" ", header or text[:2000])
    parsed.phones = [p.strip() for p in PHONE_RE.findall(phone_text) if not RANGE_RE.search(p)][:2]
    header_lines = [line.strip() for line in (header or text).splitlines() if line.strip()]
    for i, line in enumerate(header_lines[:8]):
        if _looks_like_name(line):
            parsed.name = line
            rest = header_lines[i + 1 : i + 3]
            if rest and not EMAIL_RE.search(rest[0]) and not PHONE_RE.search(rest[0]):
                parsed.headline = rest[0][:200]
            break
    parsed.summary = bodies.get("summary", "")[:2000]
    parsed.employment = _entries(bodies.get("experience", ""))
    parsed.education = _education(bodies.get("education", ""))
    parsed.publications = _items(bodies.get("publications", ""))
    parsed.projects = _items(bodies.get("projects", ""))
    return parsed


def _json_entries(rows: Any, title_key: str, org_key: str) -> list[Entry]:
    entries = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        title = str(row.get(title_key) or row.get("studyType") or "").strip()
        org = str(row.get(org_key) or row.get("company") or row.get("institution") or "").strip()
        if title_key == "studyType" and row.get("area"):
            title = f"{title} {row['area']}".strip()
        lines = [str(row.get("summary") or "")] + [str(h) for h in row.get("highlights") or []]
        entries.append(
            Entry(
                title or org,
                org,
                parse_date(row.get("startDate")),
                parse_date(row.get("endDate"), end=True),
                [x for x in lines if x],
            )
        )
    return entries


def parse_json_resume(data: Any) -> ParsedResume:
    """jsonresume.org schema v1: basics, work, education, skills, projects, publications."""
    if not isinstance(data, dict) or not isinstance(data.get("basics"), dict):
        raise ValueError("not a JSON Resume: the top-level 'basics' object is missing")
    basics = data["basics"]
    parsed = ParsedResume(name=str(basics.get("name") or "").strip())
    parsed.headline = str(basics.get("label") or "")[:200]
    parsed.summary = str(basics.get("summary") or "")[:2000]
    if basics.get("email"):
        parsed.emails = [str(basics["email"])]
    if basics.get("phone"):
        parsed.phones = [str(basics["phone"])]
    location = basics.get("location") or {}
    if isinstance(location, dict):
        parsed.location = ", ".join(
            str(location[k]) for k in ("city", "region", "countryCode") if location.get(k)
        )
    for profile in basics.get("profiles") or []:
        if not isinstance(profile, dict):
            continue
        network = str(profile.get("network") or "").lower()
        value = str(profile.get("url") or profile.get("username") or "")
        if network == "github" or "github.com" in value:
            parsed.github.append(value)
        elif network == "linkedin" or "linkedin.com" in value:
            parsed.linkedin.append(value)
        elif network == "orcid" or "orcid.org" in value:
            parsed.orcid.append(value)
    parsed.employment = _json_entries(data.get("work"), "position", "name")
    parsed.education = _json_entries(data.get("education"), "studyType", "institution")
    parsed.publications = [
        str(p.get("name")) for p in data.get("publications") or [] if isinstance(p, dict) and p.get("name")
    ]
    parsed.projects = [
        str(p.get("name")) for p in data.get("projects") or [] if isinstance(p, dict) and p.get("name")
    ]
    skill_words: list[str] = []
    for skill in data.get("skills") or []:
        if isinstance(skill, dict):
            skill_words += [str(skill.get("name") or "")] + [str(k) for k in skill.get("keywords") or []]
    parsed.sections = {"skills": ", ".join(w for w in skill_words if w)}
    texts = [parsed.summary, parsed.sections["skills"]]
    for e in parsed.employment:
        texts += [e.title, *e.lines]
    for p in data.get("projects") or []:
        if isinstance(p, dict):
            texts += [str(p.get("description") or ""), ", ".join(str(k) for k in p.get("keywords") or [])]
    parsed.skills_text = "\n".join(t for t in texts if t)
    return parsed
