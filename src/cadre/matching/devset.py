"""A labelled dev set for candidate matching, synthesised from the O*NET database files.

`build_devset(onet_dir)` reads the O*NET text files (tab-separated, as published: "Occupation Data.txt",
"Technology Skills.txt", "Alternate Titles.txt", "Task Statements.txt", "Related Occupations.txt",
"Job Zones.txt") from wherever they are; nothing is copied into the project. Every person and requisition
belongs to one O*NET-SOC occupation, which is the label and is never part of the text a ranker sees:
a person is relevant to a requisition with grade 2 when they share the occupation, grade 1 when the
person's occupation is a primary related occupation of the requisition's, else 0.

How it is built (deterministic for a seed: one random.Random, everything iterated in sorted order):
- Each technology "Example" of Technology Skills.txt is run through the project's skill extractor; the
  ontology slugs it yields are the occupation's mapped skills. Commodity titles ("Data base user
  interface and query software") are too generic to map and are not used.
- Office tools nearly every occupation lists (Excel, Word, Outlook, ...) would let any occupation pass
  the threshold, so a slug mapped in more than `generic_share` of the file's occupations is "generic":
  people may still carry it, but it does not count toward `min_mapped_skills` and is never a must-have.
  What remains are the computer, maths, engineering and science occupations (and some managers).
- People: ~60% of the occupation's mapped skills (hot technologies kept more often, generic ones less),
  1-3 noise skills taken from other kept occupations, an evidence kind and years_ago per skill, a
  headline from the occupation's alternate titles (sometimes its short form, sometimes a related
  occupation's: career changers), a summary of 2-4 task statements (sometimes one from another
  occupation) and sometimes a sentence naming technologies the ontology does not know, so full-text
  search has real words to find. Seniority is the Job Zone shifted by noise.
- Requisitions: an alternate title no person of the occupation uses as headline (where the occupation
  has enough titles), 3 task statements plus a sentence naming the must-have technologies by their
  O*NET names, 3-5 must-have skills favouring hot technologies, 2-3 nice-to-haves.
- Keys ("p00042", "r00007") are assigned after a shuffle so they do not reveal the occupation.

Pure module: no Django import, no database.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cadre.taxonomy.extraction import extract_skills
from cadre.taxonomy.ontology import Ontology, load_ontology

ATTRIBUTION = (
    "O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (CC BY 4.0)"
)
EVIDENCE_KINDS = (
    "resume",
    "employment",
    "repository",
    "merged_pr",
    "credential",
    "publication",
    "self_reported",
)
SENIORITIES = ("junior", "mid", "senior", "staff", "principal")
RELATED_TIERS = frozenset({"Primary-Short", "Primary-Long"})

# Evidence kind weights (same order as EVIDENCE_KINDS): skills of the occupation, off-occupation noise.
_EVIDENCE_WEIGHTS = (0.30, 0.25, 0.10, 0.05, 0.08, 0.04, 0.18)
_SCIENCE_EVIDENCE_WEIGHTS = (0.28, 0.24, 0.08, 0.03, 0.07, 0.12, 0.18)  # researchers publish
_NOISE_EVIDENCE_WEIGHTS = (0.20, 0.10, 0.05, 0.02, 0.03, 0.02, 0.58)  # stray skills: mostly self-reported
# Job Zone (1-5) -> index into SENIORITIES before noise; zones are preparation levels, not ranks.
_ZONE_BASE = {1: 0, 2: 0, 3: 1, 4: 1, 5: 2}
_PERSON_SHIFT = ((-1, 0, 1, 2, 3), (0.2, 0.4, 0.25, 0.1, 0.05))
_REQUISITION_SHIFT = ((0, 1, 2), (0.5, 0.35, 0.15))
_TOOL_SENTENCES = ("Tools: {}.", "Hands-on with {}.", "Day to day I work with {}.", "Also used {}.")


@dataclass(frozen=True)
class DevPerson:
    key: str  # e.g. "p00042"
    occupation: str  # O*NET-SOC code, the label (never shown to the ranker)
    headline: str  # an alternate title of the occupation (free text)
    summary: str  # 2-4 sampled task statements joined with ". "
    skills: tuple[tuple[str, str, int], ...]  # (ontology skill slug, evidence kind, years_ago)
    seniority: str  # one of SENIORITIES


@dataclass(frozen=True)
class DevRequisition:
    key: str
    occupation: str
    title: str
    description: str
    must: tuple[str, ...]
    nice: tuple[str, ...]
    seniority: str


@dataclass
class DevSet:
    people: list[DevPerson]
    requisitions: list[DevRequisition]
    relevance: dict[str, dict[str, int]]  # requisition key -> {person key: grade}; absent = 0
    attribution: str = ATTRIBUTION
    occupations: dict[str, str] = field(default_factory=dict)  # kept O*NET-SOC code -> title


@dataclass(frozen=True)
class _Occupation:
    code: str
    title: str
    zone: int
    tasks: tuple[str, ...]
    alternate_titles: tuple[str, ...]
    short_titles: dict[str, str]  # alternate title -> its short form
    skills: tuple[str, ...]  # every mapped slug, sorted
    distinctive: tuple[str, ...]  # mapped slugs that are not generic, sorted
    hot: frozenset[str]  # slugs mapped from a Hot Technology of this occupation
    names: dict[str, tuple[str, ...]]  # slug -> the O*NET example names it was mapped from
    unmapped: tuple[str, ...]  # example names the ontology does not know


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def _sentence(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _weighted_sample(rng: random.Random, items: Sequence[str], weights: Sequence[float], n: int) -> list[str]:
    """n distinct items drawn without replacement, each pick proportional to its weight."""
    pool, w = list(items), list(weights)
    picked: list[str] = []
    while pool and len(picked) < n:
        i = rng.choices(range(len(pool)), weights=w)[0]
        picked.append(pool.pop(i))
        w.pop(i)
    return picked


def _seniority(rng: random.Random, zone: int, shift: tuple[tuple[int, ...], tuple[float, ...]]) -> str:
    level = _ZONE_BASE.get(zone, 1) + rng.choices(shift[0], weights=shift[1])[0]
    return SENIORITIES[max(0, min(len(SENIORITIES) - 1, level))]


def _load_occupations(
    onet_dir: Path, ontology: Ontology, generic_share: float
) -> tuple[dict[str, _Occupation], dict[str, list[str]]]:
    """Every occupation with at least one mapped skill, and the primary related occupations of each."""
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for row in _read_tsv(onet_dir / "Occupation Data.txt"):
        titles[row["O*NET-SOC Code"]] = row["Title"]
        descriptions[row["O*NET-SOC Code"]] = row.get("Description", "")

    tech: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in _read_tsv(onet_dir / "Technology Skills.txt"):
        if row["Example"]:
            tech[row["O*NET-SOC Code"]].append((row["Example"], row.get("Hot Technology", "N") == "Y"))
    examples = sorted({name for rows in tech.values() for name, _ in rows})
    mapped = {name: sorted({m.skill_id for m in extract_skills(name, ontology)}) for name in examples}

    occupation_slugs = {code: {s for name, _ in rows for s in mapped[name]} for code, rows in tech.items()}
    df: dict[str, int] = defaultdict(int)
    for slugs in occupation_slugs.values():
        for slug in slugs:
            df[slug] += 1
    generic = {slug for slug, n in df.items() if n > generic_share * max(1, len(tech))}

    tasks: dict[str, list[str]] = defaultdict(list)
    for row in _read_tsv(onet_dir / "Task Statements.txt"):
        if row["Task"]:
            tasks[row["O*NET-SOC Code"]].append(_sentence(row["Task"]))
    alternates: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _read_tsv(onet_dir / "Alternate Titles.txt"):
        short = row.get("Short Title", "")
        alternates[row["O*NET-SOC Code"]][row["Alternate Title"]] = "" if short.lower() == "n/a" else short
    zones = {row["O*NET-SOC Code"]: int(row["Job Zone"]) for row in _read_tsv(onet_dir / "Job Zones.txt")}
    related: dict[str, list[str]] = defaultdict(list)
    for row in _read_tsv(onet_dir / "Related Occupations.txt"):
        tier = row.get("Relatedness Tier")
        if tier is None or tier in RELATED_TIERS:  # releases before 28.0 have no tiers: take every row
            related[row["O*NET-SOC Code"]].append(row["Related O*NET-SOC Code"])

    occupations: dict[str, _Occupation] = {}
    for code in sorted(tech):
        slugs = occupation_slugs[code]
        if not slugs:
            continue
        names: dict[str, set[str]] = defaultdict(set)
        hot: set[str] = set()
        for name, is_hot in tech[code]:
            for slug in mapped[name]:
                names[slug].add(name)
                if is_hot:
                    hot.add(slug)
        title = titles.get(code, code)
        own_tasks = tasks.get(code) or [
            s for s in (_sentence(part) for part in descriptions.get(code, "").split(". ")) if s
        ]
        alts = alternates.get(code, {})
        occupations[code] = _Occupation(
            code=code,
            title=title,
            zone=zones.get(code, 3),
            tasks=tuple(own_tasks),
            alternate_titles=tuple(sorted(t for t in alts if t and t.lower() != title.lower())),
            short_titles={t: s for t, s in alts.items() if s},
            skills=tuple(sorted(slugs)),
            distinctive=tuple(sorted(slugs - generic)),
            hot=frozenset(hot),
            names={slug: tuple(sorted(n)) for slug, n in names.items()},
            unmapped=tuple(sorted({name for name, _ in tech[code] if not mapped[name]})),
        )
    return occupations, {code: sorted(set(rel)) for code, rel in related.items()}


def build_devset(
    onet_dir: Path,
    *,
    people_per_occupation: int = 20,
    requisitions_per_occupation: int = 2,
    seed: int = 7,
    min_mapped_skills: int = 5,
    generic_share: float = 0.2,
    ontology: Ontology | None = None,
) -> DevSet:
    """People and requisitions for every occupation with >= min_mapped_skills distinctive mapped skills.

    `generic_share`: a skill mapped in more than this share of the occupations is generic (see module
    docstring); 1.0 turns the rule off.
    """
    onto = ontology or load_ontology()
    rng = random.Random(seed)
    everything, related = _load_occupations(Path(onet_dir), onto, generic_share)
    kept = {code: occ for code, occ in everything.items() if len(occ.distinctive) >= min_mapped_skills}
    codes = sorted(kept)

    people_drafts: list[DevPerson] = []
    requisition_drafts: list[DevRequisition] = []
    for code in codes:
        occ = kept[code]
        n_req = requisitions_per_occupation
        alts = list(occ.alternate_titles)
        rng.shuffle(alts)
        if len(alts) > n_req:  # enough titles: requisitions and people never share one
            requisition_titles, headlines = alts[:n_req], alts[n_req:]
        elif alts:
            requisition_titles, headlines = [occ.title], alts
        else:
            requisition_titles, headlines = [occ.title], [occ.title]
        others = [c for c in codes if c != code]
        career_change = [
            c for c in related.get(code, []) if c in everything and everything[c].alternate_titles
        ]
        for _ in range(people_per_occupation):
            people_drafts.append(_person(rng, occ, headlines, kept, others, everything, career_change))
        for i in range(n_req):
            requisition_drafts.append(_requisition(rng, occ, requisition_titles[i % len(requisition_titles)]))

    rng.shuffle(people_drafts)
    rng.shuffle(requisition_drafts)
    people = [replace(p, key=f"p{i:05d}") for i, p in enumerate(people_drafts)]
    requisitions = [replace(r, key=f"r{i:05d}") for i, r in enumerate(requisition_drafts)]

    by_occupation: dict[str, list[str]] = defaultdict(list)
    for person in people:
        by_occupation[person.occupation].append(person.key)
    relevance: dict[str, dict[str, int]] = {}
    for req in requisitions:
        grades: dict[str, int] = {}
        for other in related.get(req.occupation, []):
            if other != req.occupation:
                grades.update(dict.fromkeys(by_occupation.get(other, []), 1))
        grades.update(dict.fromkeys(by_occupation[req.occupation], 2))
        relevance[req.key] = grades
    return DevSet(
        people=people,
        requisitions=requisitions,
        relevance=relevance,
        attribution=ATTRIBUTION,
        occupations={code: kept[code].title for code in codes},
    )


# An occupation's task statements are split in two halves: people describe their work with one half,
# requisitions with the other, so full-text search cannot win by finding the very same sentences.
def _person_tasks(occ: _Occupation) -> list[str]:
    return list(occ.tasks[1::2]) if len(occ.tasks) >= 4 else list(occ.tasks)


def _requisition_tasks(occ: _Occupation) -> list[str]:
    return list(occ.tasks[0::2]) if len(occ.tasks) >= 4 else list(occ.tasks)


def _person(
    rng: random.Random,
    occ: _Occupation,
    headlines: list[str],
    kept: dict[str, _Occupation],
    others: list[str],
    everything: dict[str, _Occupation],
    career_change: list[str],
) -> DevPerson:
    # Headline: mostly one of the occupation's titles, now and then its short form or a related
    # occupation's title (someone moving between neighbouring roles).
    if career_change and rng.random() < 0.08:
        headline = rng.choice(everything[rng.choice(career_change)].alternate_titles)
    else:
        headline = rng.choice(headlines)
    if headline in occ.short_titles and rng.random() < 0.15:
        headline = occ.short_titles[headline]

    own = _person_tasks(occ)
    tasks = rng.sample(own, min(len(own), rng.randint(2, 4))) if own else []
    if others and tasks and rng.random() < 0.15:
        stray = _person_tasks(kept[rng.choice(others)])
        if stray:
            tasks[rng.randrange(len(tasks))] = rng.choice(stray)
    summary = ". ".join(tasks) + ("." if tasks else "")
    if occ.unmapped and rng.random() < 0.5:
        tools = rng.sample(occ.unmapped, min(len(occ.unmapped), rng.randint(1, 3)))
        summary = f"{summary} {rng.choice(_TOOL_SENTENCES).format(_join_names(tools))}".strip()

    distinctive = set(occ.distinctive)
    sparse = rng.random() < 0.1  # a thin profile
    chosen: list[str] = []
    for slug in occ.skills:
        keep = 0.75 if slug in occ.hot else 0.5
        if slug not in distinctive:
            keep *= 0.5
        if sparse:
            keep *= 0.5
        if rng.random() < keep:
            chosen.append(slug)
    have = [s for s in chosen if s in distinctive]
    missing = [s for s in occ.distinctive if s not in chosen]
    if len(have) < 2 and missing:
        chosen.extend(rng.sample(missing, min(len(missing), 2 - len(have))))

    science = occ.code.startswith("19-") or "Scientist" in occ.title
    weights = _SCIENCE_EVIDENCE_WEIGHTS if science else _EVIDENCE_WEIGHTS
    skills: dict[str, tuple[str, int]] = {}
    for slug in sorted(chosen):
        kind = rng.choices(EVIDENCE_KINDS, weights=weights)[0]
        skills[slug] = (kind, min(12, int(rng.triangular(0, 13, 0))))
    for _ in range(rng.randint(1, 3) if others else 0):
        pool = kept[rng.choice(others)].distinctive
        slug = rng.choice(pool)
        if slug not in skills and slug not in occ.skills:
            kind = rng.choices(EVIDENCE_KINDS, weights=_NOISE_EVIDENCE_WEIGHTS)[0]
            skills[slug] = (kind, min(12, int(rng.triangular(0, 13, 4))))
    return DevPerson(
        key="",
        occupation=occ.code,
        headline=headline,
        summary=summary,
        skills=tuple((slug, kind, years) for slug, (kind, years) in sorted(skills.items())),
        seniority=_seniority(rng, occ.zone, _PERSON_SHIFT),
    )


def _requisition(rng: random.Random, occ: _Occupation, title: str) -> DevRequisition:
    pool = occ.distinctive
    weights = [3.0 if slug in occ.hot else 1.0 for slug in pool]
    n_must = min(rng.randint(3, 5), max(1, len(pool) - 2))
    must = _weighted_sample(rng, pool, weights, n_must)
    rest = [s for s in pool if s not in must]
    n_nice = rng.randint(2, 3)
    nice = rng.sample(rest, min(n_nice, len(rest)))
    if len(nice) < n_nice:  # thin occupation: fall back on its generic tools
        generic = [s for s in occ.skills if s not in pool]
        nice += rng.sample(generic, min(n_nice - len(nice), len(generic)))

    own = _requisition_tasks(occ)
    tasks = rng.sample(own, min(3, len(own)))
    names = [rng.choice(occ.names[slug]) for slug in must]
    names = list(dict.fromkeys(names))  # one O*NET name can map to two must-haves ("Visual C# .NET")
    description = " ".join(
        [
            ". ".join(tasks) + ("." if tasks else ""),
            f"Must have hands-on experience with {_join_names(names)}.",
        ]
    ).strip()
    return DevRequisition(
        key="",
        occupation=occ.code,
        title=title,
        description=description,
        must=tuple(must),
        nice=tuple(nice),
        seniority=_seniority(rng, occ.zone, _REQUISITION_SHIFT),
    )
