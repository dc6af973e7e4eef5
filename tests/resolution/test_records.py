"""Pure record and model-settings logic: the title without its organisation, no double-counted employer."""

from cadre.resolution import linkage
from cadre.resolution.records import job_title, normalise_record


def test_job_title_drops_the_organisation_a_headline_carries():
    assert job_title("PhD student, University of Oxford", ["University of Oxford"]) == "phd student"
    assert job_title("ML Engineer at Google", ["Google"]) == "ml engineer"
    assert job_title("Professor", []) == "professor"
    assert job_title("University of Oxford", ["University of Oxford"]) is None
    assert job_title(None, ["Google"]) is None
    # only whole words: 'Meta' inside 'Metaheuristics' stays
    assert job_title("Metaheuristics researcher", ["Meta"]) == "metaheuristics researcher"


def test_colleagues_headlines_no_longer_match_on_the_employer():
    a = normalise_record(
        {
            "unique_id": 1,
            "full_name": "Ann Lee",
            "title": "PhD student, Univ. of Oxford",
            "affiliation": "Univ. of Oxford",
        }
    )
    b = normalise_record(
        {
            "unique_id": 2,
            "full_name": "Bo Chen",
            "title": "Professor, Univ. of Oxford",
            "affiliations": ["Univ. of Oxford"],
        }
    )
    assert (a["title"], b["title"]) == ("phd student", "professor")
    assert a["affiliations"] == b["affiliations"] == ["university of oxford"]


def test_affiliation_is_scored_once_when_affiliations_are_present():
    names = {"first_name", "last_name", "first_initial", "last_initial"}
    both = linkage._settings(names | {"affiliation", "affiliations"}, term_frequencies=False)
    alone = linkage._settings(names | {"affiliation"}, term_frequencies=False)

    def compared(settings):
        return {c.get_comparison("duckdb").output_column_name for c in settings.comparisons}

    assert "affiliation" not in compared(both) and "affiliations" in compared(both)
    assert "affiliation" in compared(alone)


def test_em_never_trains_on_a_block_of_colleagues_or_neighbours():
    blocked = {c for rule in linkage.TRAINING_RULES for c in rule}
    assert not blocked & {"affiliation", "affiliations", "city", "country"}
