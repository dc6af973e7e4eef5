"""Identifier normalisation: the basis of recognising one person across sources (no database)."""

import pytest

from cadre.people.identity import normalise


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("email", "  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("email", "mailto:a@b.io", "a@b.io"),
        ("phone", "(415) 555-0100", "+14155550100"),
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("phone", "0049 30 1234567", "+49301234567"),
        ("github", "https://github.com/Octo-Cat/", "octo-cat"),
        ("github", "github.com/torvalds/linux", "torvalds"),
        ("github", "@Some-User", "some-user"),
        ("orcid", "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid", "000000021694233X", "0000-0002-1694-233X"),
        ("openreview", "https://openreview.net/profile?id=~Jane_Doe1", "~Jane_Doe1"),
        ("dblp", "https://dblp.org/pid/123/4567.html", "123/4567"),
        ("linkedin", "https://www.linkedin.com/in/Jane-Doe-123/?trk=x", "/in/jane-doe-123"),
        ("website", "HTTPS://www.Jane.dev/blog/", "jane.dev/blog"),
    ],
)
def test_normalises_to_one_canonical_form(kind, raw, expected):
    assert normalise(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("email", "not-an-email"),
        ("phone", "12"),
        ("github", "-bad-"),
        ("orcid", "0000-0002-1825-0098"),  # checksum fails
        ("openreview", "Jane Doe"),
        ("linkedin", "https://linkedin.com/company/acme"),
        ("website", "localhost"),
        ("email", "   "),
        ("fax", "123"),
    ],
)
def test_rejects_what_is_not_an_identifier(kind, raw):
    with pytest.raises(ValueError):
        normalise(kind, raw)
