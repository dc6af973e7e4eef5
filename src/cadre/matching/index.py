"""The in-memory match index and the ranker. Pure numpy: no database, so the same code answers the web
app (built from the DB by matching.loader) and the 1M-people bench (built from synthetic arrays).

Layout: one column per ontology skill (CSC), each holding the people with evidence for it, sorted by
row, with the combined strength and the best single piece of evidence. Person attributes are flat arrays
for the hard filters. Names, photos, ages, genders, ethnicities and zip codes are not in the index at all:
they cannot be inputs.

Ranking is exact: the structured score s0 (skills, platform, seniority) is computed for everyone who has
any required skill; only people whose s0 could still reach the top k once text relevance (<= its weight)
is added are sent to full-text search, which is then exact for them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from cadre.matching import scoring
from cadre.matching.query import FILTER_LABELS, HardFilters, MatchQuery
from cadre.matching.textindex import TermIndex
from cadre.taxonomy.models import CLEARANCE_ORDER, SENIORITY_ORDER

EPOCH = dt.date(1970, 1, 1)
NO_DAY = np.iinfo(np.int32).min  # unknown date
NO_OFFSET = np.iinfo(np.int16).min  # unknown time zone
ENGAGEMENT_BITS = {"contract": 1, "contract_to_hire": 2, "direct_hire": 4}
REMOTE_CODES = {"any": 0, "remote": 1, "hybrid": 2, "onsite": 3}
MAX_TEXT_POOL = 50_000  # beyond this many people to re-rank by text the ranking says it is approximate
TEXT_CHUNK = 2000  # candidates read per step of the text re-ranking
TEXT_RETRIEVAL_LIMIT = 2000  # text-only searches rank the best this many full-text hits
TOP_LIMIT = 500

I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]


def day_number(value: dt.date | None) -> int:
    return int(NO_DAY) if value is None else (value - EPOCH).days


def day_date(value: int) -> dt.date | None:
    return None if value == NO_DAY else EPOCH + dt.timedelta(days=int(value))


@dataclass
class SkillVocabulary:
    """Ontology skills as columns, with parent links for partial credit."""

    slugs: list[str]
    names: list[str]
    parent: list[int]  # column of the parent skill or -1

    def __post_init__(self) -> None:
        self.col = {slug: i for i, slug in enumerate(self.slugs)}
        self._expansions: dict[str, list[tuple[int, float, str]]] = {}
        self.children: dict[int, list[int]] = {}
        for child, parent in enumerate(self.parent):
            if parent >= 0:
                self.children.setdefault(parent, []).append(child)

    def descendants(self, col: int) -> list[int]:
        out: list[int] = []
        stack = list(self.children.get(col, ()))
        while stack:
            c = stack.pop()
            if c not in out:
                out.append(c)
                stack.extend(self.children.get(c, ()))
        return sorted(out)

    def expansions(self, slug: str) -> list[tuple[int, float, str]]:
        """(column, credit, how) for every way a person can meet a requirement for `slug`."""
        cached = self._expansions.get(slug)
        if cached is None:
            cached = self._expansions[slug] = self._expand(slug)
        return cached

    def _expand(self, slug: str) -> list[tuple[int, float, str]]:
        col = self.col.get(slug)
        if col is None:
            return []
        out = [(col, scoring.VIA_EXACT, "exact")]
        out += [(c, scoring.VIA_CHILD, "more specific") for c in self.descendants(col)]
        if self.parent[col] >= 0:
            out.append((self.parent[col], scoring.VIA_PARENT, "broader"))
        return out


@dataclass
class PersonAttributes:
    """One entry per person row; unknown values pass filters and become points to validate."""

    person_ids: npt.NDArray[np.int64]  # ascending
    seniority: npt.NDArray[np.int8]  # index in SENIORITY_ORDER, -1 unknown
    country: npt.NDArray[np.int16]  # index in countries, -1 unknown
    city: npt.NDArray[np.int32]  # index in cities, -1 unknown
    relocate: npt.NDArray[np.bool_]
    remote_pref: npt.NDArray[np.int8]  # REMOTE_CODES
    clearance: npt.NDArray[np.int8]  # index in CLEARANCE_ORDER
    clearance_expires: I32  # day number, NO_DAY = no expiry recorded
    available_from: I32  # day number, NO_DAY = unknown
    utc_offset: npt.NDArray[np.int16]  # minutes, NO_OFFSET = unknown
    engagement: npt.NDArray[np.int8]  # ENGAGEMENT_BITS mask, 0 = open to all
    min_rate_hourly: F32  # NaN = unknown
    rate_currency: npt.NDArray[np.int16]  # index in currencies
    authorized: dict[str, I32]  # country -> sorted rows authorized to work there
    authorization_known: npt.NDArray[np.bool_]  # False: the person has not said; passes, to validate
    countries: list[str]
    cities: list[str]
    currencies: list[str]
    seniority_order: list[str]
    clearance_order: list[str]


def unknown_attributes(
    person_ids: npt.NDArray[np.int64], seniority: npt.NDArray[np.int8]
) -> PersonAttributes:
    """People about whom only skills and seniority are known: every hard filter passes them."""
    n = len(person_ids)
    return PersonAttributes(
        person_ids=person_ids,
        seniority=seniority,
        country=np.full(n, -1, np.int16),
        city=np.full(n, -1, np.int32),
        relocate=np.zeros(n, bool),
        remote_pref=np.zeros(n, np.int8),
        clearance=np.zeros(n, np.int8),
        clearance_expires=np.full(n, NO_DAY, np.int32),
        available_from=np.full(n, NO_DAY, np.int32),
        utc_offset=np.full(n, NO_OFFSET, np.int16),
        engagement=np.zeros(n, np.int8),
        min_rate_hourly=np.full(n, np.nan, np.float32),
        rate_currency=np.zeros(n, np.int16),
        authorized={},
        authorization_known=np.zeros(n, bool),
        countries=[],
        cities=[],
        currencies=["USD"],
        seniority_order=list(SENIORITY_ORDER),
        clearance_order=list(CLEARANCE_ORDER),
    )


@dataclass
class SkillColumns:
    indptr: npt.NDArray[np.int64]
    rows: I32
    strength: F32
    best_kind: npt.NDArray[np.int8]
    best_day: I32
    best_evidence: npt.NDArray[np.int64]
    n_evidence: npt.NDArray[np.int32]

    def column(self, col: int) -> tuple[I32, F32]:
        a, b = int(self.indptr[col]), int(self.indptr[col + 1])
        return self.rows[a:b], self.strength[a:b]

    def lookup(self, col: int, rows: I32) -> npt.NDArray[np.int64]:
        """Positions into the nnz arrays for (col, row) pairs, -1 where the person lacks the skill."""
        a, b = int(self.indptr[col]), int(self.indptr[col + 1])
        col_rows = self.rows[a:b]
        pos = np.searchsorted(col_rows, rows)
        found = pos < (b - a)
        found[found] = col_rows[pos[found]] == rows[found]
        return np.where(found, pos + a, -1).astype(np.int64)


def aggregate_evidence(
    n_people: int,
    n_skills: int,
    person_row: I32,
    skill_col: I32,
    kind: npt.NDArray[np.int8],
    day: I32,
    evidence_id: npt.NDArray[np.int64],
    *,
    as_of: dt.date,
) -> SkillColumns:
    """Combine every piece of evidence into one strength per (person, skill), column-major."""
    if len(person_row) == 0:
        empty_i32 = np.zeros(0, np.int32)
        return SkillColumns(
            np.zeros(n_skills + 1, np.int64),
            empty_i32,
            np.zeros(0, np.float32),
            np.zeros(0, np.int8),
            empty_i32.copy(),
            np.zeros(0, np.int64),
            empty_i32.copy(),
        )
    today = day_number(as_of)
    age_years = np.where(day == NO_DAY, scoring.UNDATED_AGE_YEARS, (today - day.astype(np.float64)) / 365.25)
    strength = scoring.evidence_strength(kind, age_years)
    key = skill_col.astype(np.int64) * n_people + person_row.astype(np.int64)
    # Sort by key, strongest piece first within a key (ties: lowest evidence id) so `first` is the best.
    order = np.lexsort((evidence_id, -strength, key))
    key, strength = key[order], strength[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    log_miss = np.log1p(-np.clip(strength, 0.0, 0.999999))
    combined = 1.0 - np.exp(np.add.reduceat(log_miss, first))
    counts = np.diff(np.r_[first, len(key)]).astype(np.int32)
    best = order[first]
    cols = (key[first] // n_people).astype(np.int64)
    indptr = np.zeros(n_skills + 1, np.int64)
    np.cumsum(np.bincount(cols, minlength=n_skills), out=indptr[1:])
    return SkillColumns(
        indptr=indptr,
        rows=(key[first] % n_people).astype(np.int32),
        strength=combined.astype(np.float32),
        best_kind=kind[best].astype(np.int8),
        best_day=day[best].astype(np.int32),
        best_evidence=evidence_id[best].astype(np.int64),
        n_evidence=counts,
    )


# Full-text retrieval over everyone (FTS5 or PostgreSQL): person ids, best first.
TextSearcher = Callable[[Sequence[str], int], Sequence[int]]
# Extra facts about pieces of evidence for explanations: {evidence_id: {"detail":..., "source":...}}.
EvidenceDetails = Callable[[Sequence[int]], Mapping[int, Mapping[str, Any]]]


@dataclass
class Ranked:
    person_id: int
    score: float
    components: dict[str, float]
    explanation: dict[str, Any]


@dataclass
class RankResult:
    results: list[Ranked]
    considered: int  # people with at least one required skill (or a text hit)
    eligible: int  # of those, people passing every hard filter
    excluded_by: dict[str, int]
    reason: str  # why the list is empty, or ""
    approximate: bool
    weights: dict[str, float]
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class MatchIndex:
    vocab: SkillVocabulary
    people: PersonAttributes
    skills: SkillColumns
    as_of: dt.date
    signature: str = ""
    terms: TermIndex | None = None  # profile text, for BM25 relevance
    vectors: npt.NDArray[np.float32] | None = None  # optional unit-length profile embeddings, row order
    _auth_masks: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict, repr=False)
    _profiles: dict[int, dict[int, float]] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.people.person_ids)

    def rows_of(self, person_ids: Sequence[int]) -> I32:
        ids = np.asarray(person_ids, dtype=np.int64)
        pos = np.searchsorted(self.people.person_ids, ids)
        ok = pos < self.size
        ok[ok] = self.people.person_ids[pos[ok]] == ids[ok]
        return pos[ok].astype(np.int32)

    # -- skill coverage -------------------------------------------------------------------------------

    def _coverage_dense(self, slugs: Sequence[str]) -> tuple[F32, npt.NDArray[np.uint8]]:
        """Sum over requirements of the best credit x strength, and how many requirements each person
        meets, for everyone."""
        total = np.zeros(self.size, np.float32)
        hits = np.zeros(self.size, np.uint8)
        for slug in slugs:
            cov = np.zeros(self.size, np.float32)
            for col, credit, _how in self.vocab.expansions(slug):
                rows, strength = self.skills.column(col)
                if len(rows):
                    cov[rows] = np.maximum(cov[rows], scoring.requirement_value(strength, credit))
            total += cov
            hits += cov > 0
        return total, hits

    def row_profile(self, row: int) -> dict[int, float]:
        """{column: strength} of one person (cached): scoring one person against many requisitions."""
        profile = self._profiles.get(row)
        if profile is None:
            if len(self._profiles) > 4096:
                self._profiles.clear()
            profile = {}
            one = np.array([row], np.int32)
            for col in range(len(self.vocab.slugs)):
                pos = int(self.skills.lookup(col, one)[0])
                if pos >= 0:
                    profile[col] = float(self.skills.strength[pos])
            self._profiles[row] = profile
        return profile

    def has_any(self, row: int, slugs: Sequence[str]) -> bool:
        """Whether the person meets at least one of the requirements (any route)."""
        profile = self.row_profile(row)
        return any(col in profile for slug in slugs for col, _c, _h in self.vocab.expansions(slug))

    def upper_bound(self, row: int, query: MatchQuery) -> float:
        """The most this person could score for `query` (full text relevance assumed): lets a caller
        skip queries that cannot reach a top list without running them (exactly, not a guess)."""
        weights = scoring.weights_for(
            has_must=bool(query.must),
            has_nice=bool(query.nice),
            has_platform=bool(query.platform_skills),
            has_text=bool(query.terms) and self.terms is not None,
        )
        one = np.array([row], np.int32)
        total = 0.0
        for weight, slugs in ((weights.must, query.must), (weights.nice, query.nice)):
            if slugs:
                total += weight * float(self._coverage_rows(slugs, one)[0][0]) / len(slugs)
        if query.platform_skills:
            cover = float(self._coverage_rows(query.platform_skills, one)[0][0])
            total += weights.platform * cover / len(query.platform_skills)
        order = self.people.seniority_order
        sen = int(self.people.seniority[row])
        gap = abs(sen - order.index(query.seniority)) if query.seniority in order and sen >= 0 else None
        total += weights.seniority * scoring.seniority_fit(gap)
        return total + weights.text + 1e-6

    def _coverage_rows(self, slugs: Sequence[str], rows: I32) -> tuple[F32, npt.NDArray[np.uint8]]:
        if len(rows) == 1:  # one person: dictionary lookups beat array searches
            profile = self.row_profile(int(rows[0]))
            total1 = np.zeros(1, np.float32)
            hits1 = np.zeros(1, np.uint8)
            for slug in slugs:
                best = np.float32(0.0)
                for col, credit, _how in self.vocab.expansions(slug):
                    if col in profile:
                        value = scoring.requirement_value(np.array([profile[col]], np.float32), credit)[0]
                        best = max(best, value)
                total1 += best
                hits1 += best > 0
            return total1, hits1
        total = np.zeros(len(rows), np.float32)
        hits = np.zeros(len(rows), np.uint8)
        for slug in slugs:
            cov = np.zeros(len(rows), np.float32)
            for col, credit, _how in self.vocab.expansions(slug):
                pos = self.skills.lookup(col, rows)
                got = pos >= 0
                cov[got] = np.maximum(
                    cov[got], scoring.requirement_value(self.skills.strength[pos[got]], credit)
                )
            total += cov
            hits += cov > 0
        return total, hits

    # -- hard filters -----------------------------------------------------------------------------------

    @staticmethod
    def _code(vocabulary: list[str], value: str) -> int:
        """Position of a value in an attribute vocabulary; -2 (matches nobody) if absent."""
        try:
            return vocabulary.index(value)
        except ValueError:
            return -2

    def _authorized_mask(self, country: str) -> npt.NDArray[np.bool_]:
        mask = self._auth_masks.get(country)
        if mask is None:
            mask = np.zeros(self.size, bool)
            mask[self.people.authorized.get(country, np.zeros(0, np.int32))] = True
            self._auth_masks[country] = mask
        return mask

    def _filter_masks(
        self, f: HardFilters, relaxed: frozenset[str]
    ) -> dict[str, Callable[[I32], npt.NDArray[np.bool_]]]:
        """One test per active filter, each taking candidate rows and returning who passes."""
        p = self.people
        masks: dict[str, Callable[[I32], npt.NDArray[np.bool_]]] = {}
        if "work_authorization" not in relaxed and f.work_country and not f.sponsorship_available:
            allowed = self._authorized_mask(f.work_country.upper())
            known = p.authorization_known
            masks["work_authorization"] = lambda r: allowed[r] | ~known[r]
        if "clearance" not in relaxed and f.clearance and f.clearance != "none":
            need = p.clearance_order.index(f.clearance)
            today = day_number(self.as_of)

            def clearance(r: I32) -> npt.NDArray[np.bool_]:
                expires = p.clearance_expires[r]
                return (p.clearance[r] >= need) & ((expires == NO_DAY) | (expires >= today))

            masks["clearance"] = clearance
        if "location" not in relaxed and f.remote_policy in ("onsite", "hybrid"):
            country_code = self._code(p.countries, f.work_country.upper())
            city_code = self._code(p.cities, f.city.lower())

            def location(r: I32) -> npt.NDArray[np.bool_]:
                ok = p.remote_pref[r] != REMOTE_CODES["remote"]
                moves = p.relocate[r]
                if f.work_country:
                    country = p.country[r]
                    ok &= (country == country_code) | (country == -1) | moves
                if f.city:
                    city = p.city[r]
                    ok &= (city == city_code) | (city == -1) | moves
                return ok

            masks["location"] = location
        elif "location" not in relaxed and f.remote_policy == "remote":
            masks["location"] = lambda r: p.remote_pref[r] != REMOTE_CODES["onsite"]
        if (
            "time_zone" not in relaxed
            and f.tz_offset_minutes is not None
            and f.max_tz_difference_hours is not None
        ):
            centre, limit = f.tz_offset_minutes, f.max_tz_difference_hours * 60

            def time_zone(r: I32) -> npt.NDArray[np.bool_]:
                off = p.utc_offset[r].astype(np.int32)
                diff = np.abs(off - centre) % 1440
                return (off == NO_OFFSET) | (np.minimum(diff, 1440 - diff) <= limit)

            masks["time_zone"] = time_zone
        if "availability" not in relaxed and f.start_day is not None:
            start = f.start_day

            def availability(r: I32) -> npt.NDArray[np.bool_]:
                avail = p.available_from[r]
                return (avail == NO_DAY) | (avail <= start)

            masks["availability"] = availability
        if "pay" not in relaxed and f.pay_max_hourly is not None:
            cap = np.float32(f.pay_max_hourly)
            currency = self._code(p.currencies, f.currency)

            def pay(r: I32) -> npt.NDArray[np.bool_]:
                rate = p.min_rate_hourly[r]
                # A rate in another currency cannot be compared: it passes and is flagged to validate.
                return np.isnan(rate) | (p.rate_currency[r] != currency) | (rate <= cap)

            masks["pay"] = pay
        if "engagement_type" not in relaxed and f.engagement_type in ENGAGEMENT_BITS:
            bit = ENGAGEMENT_BITS[f.engagement_type]
            masks["engagement_type"] = lambda r: (p.engagement[r] == 0) | ((p.engagement[r] & bit) > 0)
        return masks

    # -- ranking --------------------------------------------------------------------------------------

    def rank(
        self,
        query: MatchQuery,
        *,
        top: int = 50,
        text_searcher: TextSearcher | None = None,
        evidence_details: EvidenceDetails | None = None,
        only_person_ids: Sequence[int] | None = None,
        explain: bool = True,
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> RankResult:
        """Rank people for `query`; deterministic for the same index and query (ties: lower person id)."""
        t0 = time.perf_counter()
        top = max(1, min(int(top), TOP_LIMIT))
        use_text = bool(query.terms) and self.terms is not None
        has_platform = bool(query.platform_skills)
        use_semantic = query_vector is not None and self.vectors is not None
        weights = scoring.weights_for(
            has_must=bool(query.must),
            has_nice=bool(query.nice),
            has_platform=has_platform,
            has_text=use_text,
            has_semantic=use_semantic,
        )
        timings: dict[str, float] = {}
        empty = RankResult([], 0, 0, {}, "", False, weights.as_dict(), timings)
        if query.is_empty():
            empty.reason = "The search names no skills and no searchable words."
            return empty

        # 1. Candidates: anyone with a must-have (or, with none, a nice-to-have); text-only otherwise.
        required = query.must or query.nice
        dense: dict[str, F32] = {}
        if only_person_ids is not None:
            cand = np.sort(self.rows_of(only_person_ids))
            if required:
                _, hits = self._coverage_rows(required, cand)
                cand = cand[hits > 0]
        elif required:
            total, hits_all = self._coverage_dense(required)
            dense["must" if query.must else "nice"] = total
            cand = np.flatnonzero(hits_all).astype(np.int32)
        elif text_searcher is not None and query.terms:
            cand = np.sort(self.rows_of(text_searcher(query.terms, TEXT_RETRIEVAL_LIMIT)))
        else:
            cand = np.zeros(0, np.int32)
        if query.exclude_person_ids and len(cand):
            drop = self.rows_of(sorted(query.exclude_person_ids))
            cand = cand[~np.isin(cand, drop)]
        considered = len(cand)
        timings["candidates"] = (time.perf_counter() - t0) * 1000
        if not considered:
            names = ", ".join(self._name(s) for s in required) if required else " ".join(query.terms)
            empty.reason = (
                f"Nobody in the talent pool has evidence for any of: {names}."
                if required
                else f"No profile contains any of the words: {names}."
            )
            return empty

        # 2. Hard filters on the candidates; count who each filter excluded.
        # Each person is counted once, under the first filter they fail (filters run in FILTERS order).
        excluded_by: dict[str, int] = {}
        for name, test in self._filter_masks(query.filters, query.relaxed).items():
            ok = test(cand)
            excluded_by[name] = int(len(cand) - ok.sum())
            cand = cand[ok]
        timings["filters"] = (time.perf_counter() - t0) * 1000
        if not len(cand):
            blockers = ", ".join(
                f"{FILTER_LABELS[k].lower()} ({v})" for k, v in sorted(excluded_by.items()) if v
            )
            return RankResult(
                [],
                considered,
                0,
                excluded_by,
                f"{considered} people have the skills, but every one fails a hard filter: {blockers}. "
                "Relax a filter to see them.",
                False,
                weights.as_dict(),
                timings,
            )

        # 3. Structured score for every eligible candidate.
        comp = self._components(query, cand, dense)
        comp["semantic"] = np.zeros(len(cand))
        if weights.semantic and self.vectors is not None and query_vector is not None:
            sims = self.vectors[cand] @ query_vector.astype(np.float32)
            comp["semantic"] = np.clip(sims.astype(np.float64), 0.0, 1.0)
        s0 = (
            weights.must * comp["must"]
            + weights.nice * comp["nice"]
            + weights.platform * comp["platform"]
            + weights.seniority * comp["seniority"]
            + weights.semantic * comp["semantic"]
        )
        # 4. Text relevance only where it can change the top k (exact), capped at MAX_TEXT_POOL.
        text = np.zeros(len(cand), np.float64)
        approximate = False
        if use_text and self.terms is not None:
            text, approximate = self._text_relevance(query, cand, s0, weights.text, top)
        comp["text"] = text
        final = s0 + weights.text * text
        timings["score"] = (time.perf_counter() - t0) * 1000

        # 5. Top k: highest score first, then lowest person id (scores rounded as shown, so float noise cannot
        # reorder ties between platforms).
        rounded = np.round(final, 6)  # the precision scores are shown with: equal shown scores tie
        k = min(top, len(cand))
        if len(cand) > 4 * k:
            cut = np.partition(rounded, len(rounded) - k)[len(rounded) - k]
            sel = np.flatnonzero(rounded >= cut)
        else:
            sel = np.arange(len(cand))
        order = sel[np.lexsort((self.people.person_ids[cand[sel]], -rounded[sel]))][:k]
        if not explain:
            results = [
                Ranked(int(self.people.person_ids[cand[j]]), round(float(final[j]), 6), {}, {}) for j in order
            ]
            timings["total"] = (time.perf_counter() - t0) * 1000
            return RankResult(
                results, considered, len(cand), excluded_by, "", approximate, weights.as_dict(), timings
            )
        results = self._explain(
            query,
            cand[order],
            {n: v[order] for n, v in comp.items()},
            final[order],
            weights,
            evidence_details,
        )
        timings["total"] = (time.perf_counter() - t0) * 1000
        return RankResult(
            results, considered, len(cand), excluded_by, "", approximate, weights.as_dict(), timings
        )

    def _text_relevance(
        self, query: MatchQuery, cand: I32, s0: npt.NDArray[np.float64], weight: float, top: int
    ) -> tuple[npt.NDArray[np.float64], bool]:
        """Text relevance where it can still change the top k. Candidates are read in falling s0 order,
        a chunk at a time, until the best anyone unread could reach (their s0 + the whole text weight)
        is below the current k-th final score: exact, and usually a few thousand documents."""
        text = np.zeros(len(cand), np.float64)
        if self.terms is None:
            return text, False
        # Many candidates: score everyone from the query terms' postings (one pass, exact).
        if (
            len(cand) > TEXT_CHUNK
            and self.terms.postings_size(query.terms) < 2 * len(cand) * self.terms.avg_len
        ):
            return self.terms.relevance_all(query.terms)[cand], False
        kth = np.partition(s0, len(s0) - min(top, len(s0)))[len(s0) - min(top, len(s0))]
        pool = np.flatnonzero(s0 >= kth - weight)
        pool = pool[np.lexsort((cand[pool], -s0[pool]))]
        best = np.zeros(0)
        done = 0
        while done < len(pool):
            if len(best) >= top and s0[pool[done]] + weight < best[-top]:
                break
            if done >= MAX_TEXT_POOL:
                return text, True
            chunk = pool[done : done + TEXT_CHUNK]
            text[chunk] = self.terms.relevance(cand[chunk], query.terms)
            best = np.sort(np.r_[best, s0[chunk] + weight * text[chunk]])[-top:]
            done += len(chunk)
        return text, False

    def _components(
        self, query: MatchQuery, rows: I32, dense: dict[str, F32]
    ) -> dict[str, npt.NDArray[np.float64]]:
        n = len(rows)
        comp: dict[str, npt.NDArray[np.float64]] = {}
        for name, slugs in (("must", query.must), ("nice", query.nice), ("platform", query.platform_skills)):
            if not slugs:
                comp[name] = np.zeros(n)
                continue
            # Looking up a few rows is cheap; for many rows one pass over the skill columns is cheaper.
            if name not in dense and n > self.size // 32:
                dense[name], _ = self._coverage_dense(slugs)
            if name in dense:
                comp[name] = dense[name][rows].astype(np.float64) / len(slugs)
            else:
                total, _ = self._coverage_rows(slugs, rows)
                comp[name] = total.astype(np.float64) / len(slugs)
        order = self.people.seniority_order
        sen = self.people.seniority[rows].astype(np.int64)
        if query.seniority in order:
            gap = np.abs(sen - order.index(query.seniority))
            fit = np.array(scoring.SENIORITY_FIT_BY_GAP)[
                np.minimum(gap, len(scoring.SENIORITY_FIT_BY_GAP) - 1)
            ]
            comp["seniority"] = np.where(sen < 0, scoring.SENIORITY_UNKNOWN_FIT, fit)
        else:
            comp["seniority"] = np.full(n, scoring.SENIORITY_UNKNOWN_FIT)
        return comp

    # -- explanations ---------------------------------------------------------------------------------

    def _name(self, slug: str) -> str:
        col = self.vocab.col.get(slug)
        return self.vocab.names[col] if col is not None else slug

    def _requirement_matches(self, slug: str, rows: I32) -> list[dict[str, Any] | None]:
        """Per row: how the requirement is met (best credit x strength), or None."""
        best: list[dict[str, Any] | None] = [None] * len(rows)
        best_value = np.zeros(len(rows), np.float32)
        for col, credit, how in self.vocab.expansions(slug):
            pos = self.skills.lookup(col, rows)
            for i in np.flatnonzero(pos >= 0):
                p = int(pos[i])
                value = float(scoring.requirement_value(self.skills.strength[p : p + 1], credit)[0])
                if value > best_value[i]:
                    best_value[i] = value
                    best[i] = {
                        "skill": slug,
                        "name": self._name(slug),
                        "via": how,
                        "via_skill": self.vocab.slugs[col],
                        "via_name": self.vocab.names[col],
                        "credit": credit,
                        "strength": round(float(self.skills.strength[p]), 4),
                        "evidence": {
                            "id": int(self.skills.best_evidence[p]),
                            "kind": scoring.EVIDENCE_KINDS[int(self.skills.best_kind[p])],
                            "kind_label": scoring.KIND_LABEL[
                                scoring.EVIDENCE_KINDS[int(self.skills.best_kind[p])]
                            ],
                            "observed_on": (
                                d.isoformat() if (d := day_date(int(self.skills.best_day[p]))) else None
                            ),
                            "count": int(self.skills.n_evidence[p]),
                        },
                    }
        return best

    def _explain(
        self,
        query: MatchQuery,
        rows: I32,
        comp: dict[str, npt.NDArray[np.float64]],
        final: npt.NDArray[np.float64],
        weights: scoring.Weights,
        evidence_details: EvidenceDetails | None,
    ) -> list[Ranked]:
        per_req: dict[str, list[dict[str, Any] | None]] = {}
        for slug in dict.fromkeys(query.must + query.nice + query.platform_skills):
            per_req[slug] = self._requirement_matches(slug, rows)
        details: Mapping[int, Mapping[str, Any]] = {}
        if evidence_details is not None:
            ids = sorted({m["evidence"]["id"] for ms in per_req.values() for m in ms if m is not None})
            details = evidence_details(ids) if ids else {}
        p = self.people
        out: list[Ranked] = []
        for i, row in enumerate(rows):

            def section(slugs: tuple[str, ...], i: int = i) -> dict[str, Any]:
                matched, missing = [], []
                for slug in slugs:
                    m = per_req[slug][i]
                    if m is None:
                        missing.append({"skill": slug, "name": self._name(slug)})
                    else:
                        m = {**m, "evidence": {**m["evidence"], **details.get(m["evidence"]["id"], {})}}
                        matched.append(m)
                return {"matched": matched, "missing": missing}

            must, nice = section(query.must), section(query.nice)
            platform = section(query.platform_skills)
            sen_i = int(p.seniority[row])
            person_sen = p.seniority_order[sen_i] if sen_i >= 0 else None
            components = {k: round(float(v[i]), 6) for k, v in comp.items()}
            explanation: dict[str, Any] = {
                "must_have": must,
                "nice_to_have": nice,
                "platform": {"name": query.platform_name, **platform, "fit": components["platform"]},
                "seniority": {
                    "required": query.seniority or None,
                    "person": person_sen,
                    "fit": components["seniority"],
                },
                "text_relevance": components["text"],
                "semantic_similarity": components["semantic"] if weights.semantic else None,
                "components": components,
                "weights": weights.as_dict(),
                "validate_in_interview": self._to_validate(query, row, must, nice, person_sen),
            }
            out.append(Ranked(int(p.person_ids[row]), round(float(final[i]), 6), components, explanation))
        return out

    def _to_validate(
        self,
        query: MatchQuery,
        row: int,
        must: dict[str, Any],
        nice: dict[str, Any],
        person_sen: str | None,
    ) -> list[str]:
        notes: list[str] = []
        for m in must["missing"]:
            notes.append(f"No evidence of {m['name']} (must-have): ask for concrete work with it.")
        for m in must["matched"]:
            ev = m["evidence"]
            if m["via"] != "exact":
                notes.append(
                    f"{m['name']} is inferred from {m['via_name']} ({m['via']}): confirm hands-on use."
                )
            elif m["strength"] < scoring.WEAK_STRENGTH:
                when = f" from {ev['observed_on'][:4]}" if ev.get("observed_on") else ""
                notes.append(
                    f"{m['name']} rests on a {ev['kind_label']}{when} only: probe depth and recency."
                )
        if query.seniority and person_sen and person_sen != query.seniority:
            notes.append(
                f"Seniority reads as {person_sen}, the role asks for {query.seniority}: check scope."
            )
        elif query.seniority and not person_sen:
            notes.append("Seniority unknown: check the scope of recent roles.")
        p, f = self.people, query.filters
        if f.start_day is not None and p.available_from[row] == NO_DAY:
            notes.append("Availability date unknown: confirm the start date.")
        if f.pay_max_hourly is not None and np.isnan(p.min_rate_hourly[row]):
            notes.append("Rate expectations unknown: confirm they fit the pay band.")
        if f.work_country and not f.sponsorship_available:
            if "work_authorization" in query.relaxed:
                notes.append(
                    f"Work authorization for {f.work_country} was not required in this search: verify."
                )
            elif not p.authorization_known[row]:
                notes.append(f"Work authorization for {f.work_country} unknown: verify before submitting.")
        if f.tz_offset_minutes is not None and p.utc_offset[row] == NO_OFFSET:
            notes.append("Time zone unknown: confirm working-hours overlap.")
        return notes
