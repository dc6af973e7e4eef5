"""The O*NET dev set builder on a tiny O*NET-format fixture (the real files are not needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.matching.devset import ATTRIBUTION, EVIDENCE_KINDS, SENIORITIES, DevSet, build_devset
from cadre.taxonomy.ontology import load_ontology

DEV, DS, DBA, CEO, LONE = "15-1252.00", "15-2051.00", "15-1243.00", "11-1011.00", "15-1299.08"

OCCUPATIONS = {
    DEV: "Software Developers",
    DS: "Data Scientists",
    DBA: "Database Architects",
    CEO: "Chief Executives",
    LONE: "Computer Systems Engineers/Architects",
}
TECH = {  # (Example, Hot Technology)
    DEV: [("Python", "Y"), ("Oracle Java", "Y"), ("JavaScript", "Y"), ("Git", "N"), ("Docker", "N")]
    + [("Kubernetes", "N"), ("Microsoft Excel", "Y"), ("Trello", "N")],
    DS: [("Python", "Y"), ("R", "Y"), ("Structured query language SQL", "Y"), ("Apache Spark", "N")]
    + [("TensorFlow", "N"), ("Tableau", "Y"), ("Microsoft Excel", "Y"), ("Minitab", "N")],
    DBA: [("Oracle Database", "Y"), ("MySQL", "Y"), ("PostgreSQL", "N"), ("MongoDB", "N")]
    + [("Structured query language SQL", "Y"), ("Microsoft Excel", "Y")],
    CEO: [("Microsoft Excel", "Y"), ("Microsoft Word", "Y"), ("Microsoft PowerPoint", "Y")]
    + [("Blackbaud The Raiser's Edge", "N")],
    LONE: [("Atlassian JIRA", "Y"), ("Docker", "Y"), ("Apache Spark", "N"), ("MongoDB", "N")]
    + [("Microsoft Visual C# .NET", "N"), ("Microsoft Excel", "Y")],
}
ALTERNATES = {
    DEV: ["Application Developer", "Software Engineer", "Backend Engineer", "Full Stack Developer"],
    DS: ["Data Science Lead", "Machine Learning Scientist", "Quantitative Modeler", "Analytics Scientist"],
    DBA: ["Database Designer", "Data Architect", "Database Engineer (DBE)"],
    CEO: ["Chief Executive Officer (CEO)", "President"],
    LONE: ["Systems Architect"],  # one title for two requisitions: they fall back on the occupation title
}
RELATED = [  # (code, related code, tier)
    (DEV, DS, "Primary-Short"),
    (DEV, DBA, "Supplemental"),  # supplemental ties are not relevant
    (DS, DBA, "Primary-Long"),
    (DS, DEV, "Primary-Short"),
    (DBA, DS, "Primary-Short"),
    (CEO, DEV, "Primary-Short"),
]
ZONES = {DEV: 4, DS: 5, DBA: 4, CEO: 5}  # LONE has no job zone row


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))  # CRLF, as O*NET ships them


@pytest.fixture(scope="module")
def onet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("onet")
    _write(
        root / "Occupation Data.txt",
        ["O*NET-SOC Code", "Title", "Description"],
        [[code, title, f"Work as {title.lower()}."] for code, title in OCCUPATIONS.items()],
    )
    _write(
        root / "Technology Skills.txt",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
        [
            [code, ex, "43232202", "Development environment software", hot, "N"]
            for code in TECH
            for ex, hot in TECH[code]
        ],
    )
    _write(
        root / "Alternate Titles.txt",
        ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"],
        [
            [code, title, title[title.find("(") + 1 : -1] if "(" in title else "n/a", "08"]
            for code, titles in ALTERNATES.items()
            for title in titles
        ],
    )
    tasks = []
    for n, code in enumerate(OCCUPATIONS):
        for i in range(5):
            tasks.append(
                [
                    code,
                    str(1000 + 10 * n + i),
                    f"Do task {i} of {OCCUPATIONS[code]}.",
                    "Core",
                    "90",
                    "08/2023",
                    "Incumbent",
                ]
            )
    _write(
        root / "Task Statements.txt",
        ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"],
        tasks,
    )
    _write(
        root / "Related Occupations.txt",
        ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
        [[a, b, tier, str(i + 1)] for i, (a, b, tier) in enumerate(RELATED)],
    )
    _write(
        root / "Job Zones.txt",
        ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"],
        [[code, str(zone), "08/2023", "Analyst"] for code, zone in ZONES.items()],
    )
    return root


def build(onet_dir: Path, **kw) -> DevSet:
    kw.setdefault("people_per_occupation", 12)
    kw.setdefault("generic_share", 1.0)  # with five occupations every skill would count as generic
    return build_devset(onet_dir, **kw)


def test_same_seed_same_devset_other_seed_differs(onet_dir):
    a, b = build(onet_dir, seed=3), build(onet_dir, seed=3)
    assert a == b
    assert build(onet_dir, seed=4) != a


def test_occupations_below_min_mapped_skills_are_dropped(onet_dir):
    ds = build(onet_dir)  # CEO maps 3 skills (Excel, Word, PowerPoint), the others 6-7
    assert set(ds.occupations) == {DEV, DS, DBA, LONE}
    assert {p.occupation for p in ds.people} == {DEV, DS, DBA, LONE}
    assert {r.occupation for r in ds.requisitions} == {DEV, DS, DBA, LONE}
    assert len(ds.people) == 4 * 12 and len(ds.requisitions) == 4 * 2
    assert CEO in build(onet_dir, min_mapped_skills=3).occupations


def test_generic_skills_do_not_count_and_are_never_must_haves(onet_dir):
    ds = build(onet_dir, generic_share=0.5)  # Excel is in 5/5 occupations: generic; Python 2/5 is not
    assert set(ds.occupations) == {DEV, DS, DBA, LONE}
    assert all("excel" not in r.must for r in ds.requisitions)
    assert build(onet_dir, generic_share=0.5, min_mapped_skills=7).occupations == {}


def test_relevance_grades(onet_dir):
    ds = build(onet_dir)
    occupation = {p.key: p.occupation for p in ds.people}
    expected_related = {DEV: {DS}, DS: {DBA, DEV}, DBA: {DS}, LONE: set()}
    assert set(ds.relevance) == {r.key for r in ds.requisitions}
    for req in ds.requisitions:
        grades = ds.relevance[req.key]
        assert {k for k, g in grades.items() if g == 2} == {
            k for k, o in occupation.items() if o == req.occupation
        }
        assert {occupation[k] for k, g in grades.items() if g == 1} == expected_related[req.occupation]
        assert set(grades.values()) <= {1, 2}
    dev_req = next(r for r in ds.requisitions if r.occupation == DEV)
    assert not any(occupation[k] == DBA for k in ds.relevance[dev_req.key])  # supplemental tier
    assert ds.attribution == ATTRIBUTION


def test_people_and_requisitions_are_well_formed(onet_dir):
    ds = build(onet_dir)
    slugs = set(load_ontology().skills)
    assert [p.key for p in ds.people] == [f"p{i:05d}" for i in range(len(ds.people))]
    assert [r.key for r in ds.requisitions] == [f"r{i:05d}" for i in range(len(ds.requisitions))]
    for p in ds.people:
        assert p.skills and p.headline and p.summary.endswith(".")
        assert p.seniority in SENIORITIES
        assert len({s for s, _, _ in p.skills}) == len(p.skills)
        for slug, kind, years in p.skills:
            assert slug in slugs
            assert kind in EVIDENCE_KINDS
            assert 0 <= years <= 12
    for r in ds.requisitions:
        assert set(r.must) <= slugs and set(r.nice) <= slugs
        assert not set(r.must) & set(r.nice)
        assert 3 <= len(r.must) <= 5 and 2 <= len(r.nice) <= 3
        assert r.seniority in SENIORITIES
        assert "Must have hands-on experience with" in r.description
        assert r.description.count("Do task") == 3


def test_requisition_titles_differ_from_headlines_where_possible(onet_dir):
    ds = build(onet_dir, people_per_occupation=30)
    for r in ds.requisitions:
        headlines = {p.headline for p in ds.people if p.occupation == r.occupation}
        assert r.title not in headlines
        if r.occupation == LONE:
            assert r.title == OCCUPATIONS[LONE]  # one alternate title only: people keep it
            assert headlines == {"Systems Architect"}  # no related occupations: no career changers
        else:
            assert r.title in ALTERNATES[r.occupation]


def test_unmapped_technologies_reach_some_summaries(onet_dir):
    ds = build(onet_dir, people_per_occupation=30)
    assert any("Trello" in p.summary for p in ds.people if p.occupation == DEV)
    assert not any("Trello" in p.summary for p in ds.people if p.occupation == DBA)
