"""Pairwise and B-cubed scores on hand-made clusterings, and record normalisation (pure, no DB)."""

from __future__ import annotations

import pytest

from cadre.resolution.metrics import bcubed, clusters_from_pairs, pairwise
from cadre.resolution.records import exact_key_pairs, normalise_record, split_full_name

TRUTH = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "c"}
# Predicted: {1,2} {3,4,5} {6}
PRED = {1: 1, 2: 1, 3: 3, 4: 3, 5: 3, 6: 6}


def test_pairwise_exact_values():
    # True pairs: 12 13 23 45 (4). Predicted: 12 34 35 45 (4). Shared: 12 45 (2).
    s = pairwise(PRED, TRUTH)
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)


def test_bcubed_exact_values():
    # Per-record precision: 1,1,1/3,2/3,2/3,1 -> 14/3 / 6 = 7/9; recall: 2/3,2/3,1/3,1,1,1 -> 14/3 / 6 = 7/9.
    s = bcubed(PRED, TRUTH)
    assert s.precision == pytest.approx(7 / 9) and s.recall == pytest.approx(7 / 9)
    assert s.f1 == pytest.approx(7 / 9)


def test_perfect_and_singletons():
    assert pairwise(TRUTH, TRUTH).f1 == 1.0 and bcubed(TRUTH, TRUTH).f1 == 1.0
    singletons = {i: i for i in TRUTH}
    s = pairwise(singletons, TRUTH)
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)
    b = bcubed(singletons, TRUTH)
    assert b.precision == 1.0 and b.recall == pytest.approx((1 / 3 * 3 + 1 / 2 * 2 + 1) / 6)


def test_clusters_from_pairs_is_transitive_and_named_by_smallest_id():
    assert clusters_from_pairs([1, 2, 3, 4, 5], [(3, 2), (2, 5)]) == {1: 1, 2: 2, 3: 2, 4: 4, 5: 2}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dr. Jane van der Berg, PhD", ("jane", "van der berg")),
        ("Berg, Jane", ("jane", "berg")),
        ("Zoë O'Brien", ("zoe", "obrien")),
        ("Prince", ("prince", "")),
        ("", ("", "")),
    ],
)
def test_split_full_name(raw, expected):
    assert split_full_name(raw) == expected


def test_normalise_record_and_exact_keys():
    rec = normalise_record(
        {
            "unique_id": 7,
            "full_name": "José  García",
            "email": "Jose@Example.ORG",
            "github": "https://github.com/JGarcia",
            "orcid": "not-an-orcid",
            "affiliation": "The Acme Corp.",
            "city": "São Paulo",
        }
    )
    assert rec["first_name"] == "jose" and rec["last_name"] == "garcia" and rec["first_initial"] == "j"
    assert rec["affiliation"] == "acme" and rec["city"] == "sao paulo"
    assert rec["exact_keys"] == ["email:jose@example.org", "github:jgarcia"]  # invalid ORCID ignored
    other = normalise_record({"unique_id": 3, "full_name": "J. Garcia", "emails": ["jose@example.org"]})
    assert exact_key_pairs([rec, other]) == [(3, 7, "email:jose@example.org")]
