"""A small synthetic dedup run end to end (planted duplicates), exact keys, and incremental runs."""

from __future__ import annotations

import pytest

from cadre.core.models import DecisionRecord
from cadre.people.models import Fact, Person
from cadre.people.services import create_person, record_source
from cadre.resolution.models import LinkageModel, MatchCandidate, MergeRecord
from cadre.resolution.services import resolve_new_people, run_dedup

pytestmark = pytest.mark.django_db

FIRST = [
    "Amara",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kwame",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Paula",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
]
LAST = [
    "Adeyemi",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Laurent",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Silva",
    "Tanaka",
]
CITIES = ["Lisbon, Portugal", "Oslo, Norway", "Austin, USA", "Seoul, Korea"]


def _person(recruiter, name, *, location="", org="", identities=(), payload=None):
    p = create_person(recruiter, full_name=name, location=location, identities=identities)
    if org or payload:
        src = record_source(person=p, source="conference", payload=payload or {"name": name})
        if org:
            Fact.objects.create(
                person=p, kind="employment", title="ML engineer", organisation=org, source_record=src
            )
    return p


@pytest.fixture
def population(recruiter):
    # 30 distinct people: nobody shares a first and last name.
    for i in range(30):
        _person(
            recruiter,
            f"{FIRST[i % 20]} {LAST[(i * 7 + i // 20) % 20]}",
            location=CITIES[i % 4],
            org=f"Lab {i}",
        )
    planted = {
        "exact": (
            _person(recruiter, "Xavier Mendes", identities=[("email", "xavier@lab.org")]),
            _person(recruiter, "Xavi Mendes-Lopes", payload={"name": "Xavi", "email": "Xavier@Lab.org"}),
        ),
        "sure": (
            _person(recruiter, "Priya Raman", location="London, UK", org="DeepMind"),
            _person(recruiter, "Dr. Priya Raman", location="London, UK", org="DeepMind Ltd"),
        ),
        "unsure": (
            _person(recruiter, "Wei Zhang", location="Toronto, Canada"),
            _person(recruiter, "Wei Zhang", location="Montreal, Canada"),
        ),
    }
    return planted


def test_synthetic_run_merges_sure_pairs_and_queues_unsure_ones(population):
    summary = run_dedup()
    assert summary["people"] == 36 and summary["merged"] == 2 and summary["review"] == 1
    assert summary["exact_links"] == 1 and summary["trained"] is False
    x1, x2 = population["exact"]
    p1, p2 = population["sure"]
    w1, w2 = population["unsure"]
    assert Person.objects.get(pk=x2.pk).merged_into_id == x1.pk
    assert Person.objects.get(pk=p2.pk).merged_into_id == p1.pk
    assert Person.objects.filter(merged_into__isnull=True).count() == 34
    candidate = MatchCandidate.objects.get(status="pending")
    assert (candidate.left_id, candidate.right_id) == (w1.pk, w2.pk)
    assert 0.8 <= candidate.probability < 0.99
    assert {e["comparison"] for e in candidate.explanation} >= {"first_name", "last_name", "city"}
    exact = MergeRecord.objects.get(merged=x2)
    assert exact.automatic and exact.probability == 1.0
    decision = DecisionRecord.objects.get(pk=exact.decision_id)
    assert (
        decision.kind == "identity_resolution" and decision.explanation["exact_key"] == "email:xavier@lab.org"
    )
    assert decision.version == summary["model_version"] == LinkageModel.objects.get().version
    assert len(decision.inputs_digest) == 64
    # Deterministic and idempotent: a second run finds nothing new and uses the same model.
    again = run_dedup()
    assert (again["merged"], again["review"], again["model_version"]) == (0, 1, summary["model_version"])
    assert MatchCandidate.objects.count() == 3


def test_rejected_pair_is_not_proposed_again(population, recruiter):
    run_dedup()
    candidate = MatchCandidate.objects.get(status="pending")
    from cadre.resolution.services import reject_candidate

    reject_candidate(recruiter, candidate)
    again = run_dedup()
    assert again["review"] == 0 and again["skipped_rejected"] == 1


def test_incremental_resolution_of_new_people(population, recruiter):
    run_dedup()
    p1, _ = population["sure"]
    newcomer = _person(recruiter, "Priya Raman", location="London, UK", org="DeepMind")
    stranger = _person(recruiter, "Ulla Vester", location="Oslo, Norway")
    summary = resolve_new_people([newcomer.pk, stranger.pk])
    assert summary["merged"] == 1 and summary["people"] < 10  # only the neighbourhood was scored
    assert Person.objects.get(pk=newcomer.pk).merged_into_id == p1.pk
    assert Person.objects.get(pk=stranger.pk).merged_into_id is None
    assert resolve_new_people([])["merged"] == 0
