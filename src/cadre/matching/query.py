"""What a search asks for: skills, seniority, text terms and hard filters. Pure data, no database.

A MatchQuery is built from a requisition (matching.loader), from free job-description text, or by the
bench; the index answers it the same way whatever its origin. `digest()` is what DecisionRecords keep so
an auditor can tell two rankings asked the same question.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

# Hard filters a search can relax one by one (the UI's checkboxes, the API's `relax=`).
FILTERS: tuple[str, ...] = (
    "work_authorization",
    "clearance",
    "location",
    "time_zone",
    "availability",
    "pay",
    "engagement_type",
)
FILTER_LABELS = {
    "work_authorization": "Work authorization",
    "clearance": "Security clearance",
    "location": "Location / remote",
    "time_zone": "Time zone",
    "availability": "Availability date",
    "pay": "Pay band",
    "engagement_type": "Engagement type",
}

HOURS_PER_YEAR = 2080  # 52 weeks x 40 hours, to compare hourly rates with annual salaries

# English stop-words plus filler common in job ads; they carry no signal for full-text relevance.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each etc few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own per
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very via was we were what when where which while who whom why
    will with would you your yours yourself yourselves role roles job jobs work working team teams
    looking seeking candidate candidates experience experienced years year strong ability able plus must
    nice required requirements preferred including include includes using use used new well within
    across etc
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")
MAX_TERMS = 48


def text_terms(*texts: str, limit: int = MAX_TERMS) -> tuple[str, ...]:
    """Distinct lower-case search terms in first-seen order, without stop-words and one-letter noise."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _TOKEN.findall((text or "").lower()):
            for part in re.split(r"[.+#]+", token) if any(c in token for c in ".+#") else [token]:
                if len(part) < 2 or part in STOP_WORDS or part.isdigit():
                    continue
                seen.setdefault(part, None)
                if len(seen) >= limit:
                    return tuple(seen)
    return tuple(seen)


@dataclass(frozen=True)
class HardFilters:
    """Requirements a person must meet to be shown at all. None/blank = no requirement."""

    work_country: str = ""
    sponsorship_available: bool = False
    clearance: str = "none"
    remote_policy: str = ""  # onsite | hybrid | remote; "" = no location requirement
    city: str = ""
    tz_offset_minutes: int | None = None
    max_tz_difference_hours: int | None = None
    start_day: int | None = None  # days since 1970-01-01
    pay_max_hourly: float | None = None
    currency: str = "USD"
    engagement_type: str = ""


@dataclass(frozen=True)
class MatchQuery:
    must: tuple[str, ...] = ()
    nice: tuple[str, ...] = ()
    platform_skills: tuple[str, ...] = ()
    platform_name: str = ""
    seniority: str = ""
    terms: tuple[str, ...] = ()
    filters: HardFilters = field(default_factory=HardFilters)
    relaxed: frozenset[str] = frozenset()
    exclude_person_ids: frozenset[int] = frozenset()
    label: str = ""

    def digest(self, *, index_signature: str = "") -> str:
        data = asdict(self)
        data["relaxed"] = sorted(self.relaxed)
        data["exclude_person_ids"] = sorted(self.exclude_person_ids)
        data["index"] = index_signature
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    @property
    def has_skills(self) -> bool:
        return bool(self.must or self.nice)

    def is_empty(self) -> bool:
        return not (self.must or self.nice or self.platform_skills or self.terms)
