"""Synthetic talent pools and requisitions for `cadre bench match`: realistic skill distributions
drawn from the ontology (role families' core skills, their neighbours, a Zipf long tail over all skills),
evidence of every kind with ages, and filter attributes in plausible proportions. Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cadre.matching import scoring
from cadre.matching.index import (
    ENGAGEMENT_BITS,
    NO_DAY,
    NO_OFFSET,
    MatchIndex,
    PersonAttributes,
    SkillVocabulary,
    aggregate_evidence,
    day_number,
)
from cadre.matching.query import HardFilters, MatchQuery, text_terms
from cadre.taxonomy.models import CLEARANCE_ORDER, SENIORITY_ORDER
from cadre.taxonomy.ontology import Ontology

COUNTRIES = ["US", "CA", "GB", "IN", "DE"]
COUNTRY_P = [0.78, 0.08, 0.06, 0.05, 0.03]
UTC_OFFSETS = {"US": [-480, -420, -360, -300], "CA": [-480, -300], "GB": [0], "IN": [330], "DE": [60]}
CITIES = {
    "US": ["new york", "san francisco", "seattle", "austin", "boston", "chicago", "denver", "atlanta"],
    "CA": ["toronto", "vancouver", "montreal"],
    "GB": ["london", "manchester", "edinburgh"],
    "IN": ["bengaluru", "hyderabad", "pune"],
    "DE": ["berlin", "munich"],
}
SENIORITY_P = {"junior": 0.15, "mid": 0.35, "senior": 0.3, "staff": 0.12, "principal": 0.05, "director": 0.03}
KIND_P = {
    "resume": 0.38,
    "employment": 0.2,
    "repository": 0.12,
    "merged_pr": 0.08,
    "publication": 0.06,
    "credential": 0.06,
    "self_reported": 0.08,
    "assessment": 0.02,
}
_FILLER_TEXT = """
    built shipped production models pipelines platform customers latency scale team led owned improved
    reduced cost accuracy launched designed deployed research data systems services
"""
FILLER = _FILLER_TEXT.split()


def vocabulary(ontology: Ontology) -> SkillVocabulary:
    slugs = sorted(ontology.skills)
    col = {s: i for i, s in enumerate(slugs)}
    return SkillVocabulary(
        slugs=slugs,
        names=[ontology.skills[s].name for s in slugs],
        parent=[col.get(ontology.skills[s].parent or "", -1) for s in slugs],
    )


@dataclass
class SyntheticPool:
    index: MatchIndex
    family: npt.NDArray[np.int16]
    families: list[str]
    person_skills: list[npt.NDArray[np.int32]]  # kept only when documents are needed

    def documents(self, ontology: Ontology) -> Iterator[tuple[int, str]]:
        """(person_id, profile text) for the full-text index: headline, skills and filler words."""
        names = self.index.vocab.names
        fam_names = [ontology.role_families[f].name for f in self.families]
        order = self.index.people.seniority_order
        rng = np.random.default_rng(11)
        filler = rng.integers(0, len(FILLER), size=(self.index.size, 6))
        for row, pid in enumerate(self.index.people.person_ids):
            sen = order[int(self.index.people.seniority[row])]
            words = " ".join(FILLER[j] for j in filler[row])
            skills = ", ".join(names[c] for c in self.person_skills[row])
            yield int(pid), f"{sen} {fam_names[int(self.family[row])]}. {skills}. {words}"


def synthetic_pool(
    ontology: Ontology,
    n_people: int,
    *,
    seed: int = 42,
    as_of: dt.date | None = None,
    keep_skills: bool = True,
) -> SyntheticPool:
    as_of = as_of or dt.date(2026, 11, 1)
    rng = np.random.default_rng(seed)
    vocab = vocabulary(ontology)
    n_skills = len(vocab.slugs)
    families = sorted(ontology.role_families)
    core = [
        np.array([vocab.col[s] for s in ontology.role_families[f].core_skills if s in vocab.col])
        for f in families
    ]
    neighbours = []
    for cols in core:
        near = set()
        for c in cols:
            near.update(vocab.children.get(int(c), []))
            if vocab.parent[int(c)] >= 0:
                near.add(vocab.parent[int(c)])
        near -= set(int(c) for c in cols)
        neighbours.append(np.array(sorted(near) or [int(cols[0])]))
    # Long tail: a fixed popularity order, hot technologies first, Zipf-distributed.
    # Long tail popularity: skills many role families share first (Python, SQL, PyTorch...), then
    # hot technologies, then the rest in a fixed shuffled order.
    shared = {c: sum(c in set(cols.tolist()) for cols in core) for c in range(n_skills)}
    popularity = np.array(
        sorted(
            range(n_skills),
            key=lambda c: (
                -shared[c],
                not ontology.skills[vocab.slugs[c]].hot_technology,
                (c * 7919) % n_skills,
            ),
        )
    )
    zipf_p = 1.0 / np.arange(1, n_skills + 1) ** 1.1
    zipf_p /= zipf_p.sum()

    family = rng.integers(0, len(families), n_people).astype(np.int16)
    per_person = rng.integers(6, 17, n_people)
    total = int(per_person.sum())
    owner = np.repeat(np.arange(n_people, dtype=np.int32), per_person)
    source = rng.random(total)
    fam_of_slot = family[owner]
    skill = np.empty(total, np.int32)
    tail = source >= 0.7
    skill[tail] = popularity[rng.choice(n_skills, size=int(tail.sum()), p=zipf_p)]
    for f in range(len(families)):
        in_f = fam_of_slot == f
        is_core = in_f & (source < 0.5)
        skill[is_core] = core[f][rng.integers(0, len(core[f]), int(is_core.sum()))]
        is_near = in_f & (source >= 0.5) & (source < 0.7)
        skill[is_near] = neighbours[f][rng.integers(0, len(neighbours[f]), int(is_near.sum()))]
    # 1-3 pieces of evidence per skill slot.
    n_ev = rng.choice([1, 1, 1, 2, 2, 3], size=total)
    ev_owner = np.repeat(owner, n_ev)
    ev_skill = np.repeat(skill, n_ev)
    n = len(ev_owner)
    kinds = list(KIND_P)
    kind = np.array([scoring.KIND_CODE[k] for k in kinds], np.int8)[
        rng.choice(len(kinds), size=n, p=np.array(list(KIND_P.values())))
    ]
    age_days = np.minimum(rng.exponential(3.0 * 365, n), 15 * 365).astype(np.int32)
    day = (day_number(as_of) - age_days).astype(np.int32)
    day[rng.random(n) < 0.1] = NO_DAY
    evidence_id = np.arange(1, n + 1, dtype=np.int64)
    columns = aggregate_evidence(n_people, n_skills, ev_owner, ev_skill, kind, day, evidence_id, as_of=as_of)

    country = rng.choice(len(COUNTRIES), size=n_people, p=COUNTRY_P).astype(np.int16)
    authorized = {}
    home_ok = rng.random(n_people) < 0.88
    us_extra = rng.random(n_people) < 0.03
    for i, c in enumerate(COUNTRIES):
        ok = (country == i) & home_ok
        if c == "US":
            ok |= us_extra
        authorized[c] = np.flatnonzero(ok).astype(np.int32)
    cities = sorted({c for cs in CITIES.values() for c in cs})
    city = np.array(
        [
            cities.index(CITIES[COUNTRIES[c]][j % len(CITIES[COUNTRIES[c]])])
            for c, j in zip(country, rng.integers(0, 100, n_people), strict=True)
        ],
        np.int32,
    )
    offsets = np.array(
        [
            UTC_OFFSETS[COUNTRIES[c]][j % len(UTC_OFFSETS[COUNTRIES[c]])]
            for c, j in zip(country, rng.integers(0, 100, n_people), strict=True)
        ],
        np.int16,
    )
    offsets[rng.random(n_people) < 0.2] = NO_OFFSET
    sen_levels = list(SENIORITY_P)
    seniority = np.array([SENIORITY_ORDER.index(s) for s in sen_levels], np.int8)[
        rng.choice(len(sen_levels), size=n_people, p=list(SENIORITY_P.values()))
    ]
    seniority[rng.random(n_people) < 0.1] = -1
    clearance = rng.choice(
        len(CLEARANCE_ORDER), size=n_people, p=[0.9, 0.03, 0.01, 0.04, 0.015, 0.005]
    ).astype(np.int8)
    expires = np.full(n_people, NO_DAY, np.int32)
    has = clearance > 0
    expires[has] = day_number(as_of) + rng.integers(-200, 1500, int(has.sum()))
    available = np.full(n_people, NO_DAY, np.int32)
    known = rng.random(n_people) < 0.5
    available[known] = day_number(as_of) + rng.integers(-30, 150, int(known.sum()))
    engagement = np.zeros(n_people, np.int8)
    picky = rng.random(n_people) < 0.4
    engagement[picky] = rng.integers(1, 8, int(picky.sum()))
    rate = np.full(n_people, np.nan, np.float32)
    has_rate = rng.random(n_people) < 0.5
    rate[has_rate] = np.round(rng.lognormal(np.log(80), 0.35, int(has_rate.sum())), 0)
    people = PersonAttributes(
        person_ids=np.arange(1, n_people + 1, dtype=np.int64),
        seniority=seniority,
        country=country,
        city=city,
        relocate=rng.random(n_people) < 0.2,
        remote_pref=rng.choice(4, size=n_people, p=[0.45, 0.3, 0.15, 0.1]).astype(np.int8),
        clearance=clearance,
        clearance_expires=expires,
        available_from=available,
        utc_offset=offsets,
        engagement=engagement,
        min_rate_hourly=rate,
        rate_currency=np.zeros(n_people, np.int16),
        authorized=authorized,
        authorization_known=rng.random(n_people) < 0.8,
        countries=list(COUNTRIES),
        cities=cities,
        currencies=["USD"],
        seniority_order=list(SENIORITY_ORDER),
        clearance_order=list(CLEARANCE_ORDER),
    )
    index = MatchIndex(vocab, people, columns, as_of, signature=f"synthetic:{n_people}:{seed}")
    person_skills: list[npt.NDArray[np.int32]] = []
    if keep_skills:
        bounds = np.r_[0, np.cumsum(per_person)]
        person_skills = [np.unique(skill[bounds[i] : bounds[i + 1]]) for i in range(n_people)]
    return SyntheticPool(index, family, families, person_skills)


def synthetic_queries(
    ontology: Ontology, n: int, *, seed: int = 7, as_of: dt.date | None = None
) -> list[MatchQuery]:
    """Varied requisitions: each family's core skills as must-haves, neighbours as nice-to-haves,
    a platform sometimes, and a realistic mix of hard filters."""
    as_of = as_of or dt.date(2026, 11, 1)
    rng = np.random.default_rng(seed)
    families = sorted(ontology.role_families)
    platforms = sorted(ontology.platforms)
    all_skills = sorted(ontology.skills)
    queries = []
    for i in range(n):
        fam = ontology.role_families[families[i % len(families)]]
        core = list(fam.core_skills)
        k = int(rng.integers(2, 6))
        must = tuple(core[j] for j in sorted(rng.choice(len(core), size=min(k, len(core)), replace=False)))
        rest = [s for s in core if s not in must] + [
            all_skills[int(j)] for j in rng.integers(0, len(all_skills), 3)
        ]
        nice = tuple(dict.fromkeys(rest[j] for j in rng.integers(0, len(rest), int(rng.integers(0, 4)))))
        nice = tuple(s for s in nice if s not in must)
        plat = (
            ontology.platforms[platforms[int(rng.integers(0, len(platforms)))]]
            if rng.random() < 0.4
            else None
        )
        policy = str(rng.choice(["remote", "hybrid", "onsite"], p=[0.5, 0.35, 0.15]))
        filters = HardFilters(
            work_country="US" if rng.random() < 0.85 else "GB",
            sponsorship_available=bool(rng.random() < 0.2),
            clearance="secret" if rng.random() < 0.08 else "none",
            remote_policy=policy,
            city="" if policy == "remote" else str(rng.choice(CITIES["US"])),
            tz_offset_minutes=-300 if rng.random() < 0.3 else None,
            max_tz_difference_hours=3 if rng.random() < 0.3 else None,
            start_day=day_number(as_of) + int(rng.integers(14, 90)) if rng.random() < 0.5 else None,
            pay_max_hourly=float(rng.integers(70, 160)) if rng.random() < 0.6 else None,
            engagement_type=str(rng.choice(list(ENGAGEMENT_BITS))) if rng.random() < 0.7 else "",
        )
        seniority = str(rng.choice(["mid", "senior", "staff"]))
        names = [ontology.skills[s].name for s in must + nice]
        queries.append(
            MatchQuery(
                must=must,
                nice=nice,
                platform_skills=plat.skills if plat else (),
                platform_name=plat.name if plat else "",
                seniority=seniority,
                terms=text_terms(f"{seniority} {fam.name}", " ".join(names)),
                filters=filters,
                label=f"{seniority} {fam.name}",
            )
        )
    return queries
