"""Competency frameworks and interview kits (pure, no database)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cadre.screening.frameworks import (
    COMPETENCIES,
    DATA_PATH,
    FRAMEWORK_VERSION,
    STAGES,
    FrameworkError,
    competency,
    framework_for,
    interview_kit,
    load_library,
    normalise_slug,
    parse_library,
    role_family_slugs,
)
from cadre.taxonomy.ontology import load_ontology

SENIORITIES = ("intern", "junior", "mid", "senior", "staff", "principal", "director", "executive")


def raw() -> dict[str, Any]:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


# --- the data -------------------------------------------------------------------------------------------


def test_shipped_data_is_the_declared_version() -> None:
    library = load_library()
    assert library.version == FRAMEWORK_VERSION
    assert len(library.digest) == 64


def test_the_seven_competencies_match_the_scorecard_model_and_the_ontology() -> None:
    from cadre.screening.models import Competency

    library = load_library()
    assert set(library.competencies) == set(COMPETENCIES) == set(Competency.values)
    ontology = load_ontology()
    for comp in library.competencies.values():
        assert comp.taxonomy_slug in ontology.competencies, comp.slug


@pytest.mark.parametrize("slug", COMPETENCIES)
def test_every_competency_has_four_anchored_levels(slug: str) -> None:
    comp = competency(slug)
    assert [lv.level for lv in comp.levels] == [1, 2, 3, 4]
    assert [lv.label for lv in comp.levels] == ["Below bar", "Developing", "Proficient", "Expert"]
    anchors = [lv.anchor for lv in comp.levels]
    assert len(set(anchors)) == 4  # each level says something different
    for lv in comp.levels:
        assert len(lv.anchor) >= 120, f"{slug} level {lv.level} anchor is too thin to rate against"
        assert len(lv.indicators) >= 3
    assert comp.level(3) is comp.levels[2]


@pytest.mark.parametrize("slug", COMPETENCIES)
def test_every_competency_has_three_to_five_questions_with_strong_answers(slug: str) -> None:
    comp = competency(slug)
    assert 3 <= len(comp.questions) <= 5
    for q in comp.questions:
        assert q.competency == slug and q.stage in comp.stages and 1 <= q.difficulty <= 4
        assert q.prompt.endswith(("?", "."))
        assert len(q.strong_answer) >= 3
    assert {q.stage for q in comp.questions} == set(comp.stages)


def test_question_ids_are_unique_across_competencies() -> None:
    ids = [q.id for slug in COMPETENCIES for q in competency(slug).questions]
    assert len(ids) == len(set(ids))


def test_unknown_competency_is_a_clear_error() -> None:
    with pytest.raises(FrameworkError, match="unknown competency 'statistics'"):
        competency("statistics")


# --- frameworks -----------------------------------------------------------------------------------------


def test_every_ontology_role_family_has_its_own_framework() -> None:
    ontology_slugs = set(load_ontology().role_families)
    assert set(role_family_slugs()) == ontology_slugs
    for slug in ontology_slugs:
        fw = framework_for(slug, "senior")
        assert not fw.is_generic and fw.role_family == slug
        assert sum(c.weight for c in fw.competencies) == pytest.approx(1.0)
        assert fw.must_have and set(fw.must_have) <= set(fw.required)
        weights = [c.weight for c in fw.competencies]
        assert weights == sorted(weights, reverse=True)


def test_role_family_weights_follow_the_role() -> None:
    assert framework_for("data-scientist").competencies[0].slug == "statistical_reasoning"
    assert framework_for("mlops-engineer").competencies[0].slug == "mlops"
    assert framework_for("data-engineer").competencies[0].slug == "data_engineering"
    assert framework_for("responsible-ai-officer").competencies[0].slug == "responsible_ai"
    assert "coding" not in framework_for("responsible-ai-officer").required


def test_slugs_are_normalised_to_the_ontology_spelling() -> None:
    assert normalise_slug(" ML_Engineer ") == "ml-engineer"
    assert normalise_slug("responsible ai officer") == "responsible-ai-officer"
    assert framework_for("ml_engineer").role_family == "ml-engineer"


def test_unknown_role_family_falls_back_to_the_generic_framework_with_a_note() -> None:
    fw = framework_for("quantum-whisperer", "mid")
    assert fw.is_generic and fw.role_family == "generic-ai"
    assert any("quantum-whisperer" in note and "generic" in note for note in fw.notes)
    none = framework_for(None)
    assert none.is_generic and any("No role family given" in n for n in none.notes)
    assert set(none.required) == set(COMPETENCIES)


def test_seniority_sets_the_expected_level() -> None:
    junior = framework_for("ml-engineer", "junior")
    staff = framework_for("ml-engineer", "Staff")
    coding_j, coding_s = junior.get("coding"), staff.get("coding")
    assert coding_j is not None and coding_s is not None and coding_j.must_have
    assert (coding_j.expected_level, coding_s.expected_level) == (2, 4)
    mlops_s = staff.get("mlops")
    assert mlops_s is not None and not mlops_s.must_have and mlops_s.expected_level == 3
    assert staff.seniority == "staff" and staff.question_difficulty == 4
    default = framework_for("ml-engineer")
    assert default.seniority == "mid" and any("No seniority given" in n for n in default.notes)


def test_unknown_seniority_is_an_error_listing_the_choices() -> None:
    with pytest.raises(FrameworkError, match="unknown seniority 'wizard'.*junior"):
        framework_for("ml-engineer", "wizard")


def test_framework_inputs_for_decision_rules() -> None:
    fw = framework_for("ml-engineer", "senior")
    assert fw.must_have == ("coding", "ml_system_design", "model_evaluation")
    assert fw.weights["coding"] == pytest.approx(0.25)
    payload = json.loads(json.dumps(fw.as_dict()))
    assert payload["version"] == FRAMEWORK_VERSION and len(payload["competencies"][0]["levels"]) == 4


# --- interview kits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", [*sorted(load_ontology().role_families), "unknown-role"])
@pytest.mark.parametrize("seniority", SENIORITIES)
def test_kits_fit_their_time_and_together_cover_every_competency(family: str, seniority: str) -> None:
    library = load_library()
    fw = framework_for(family, seniority)
    covered: set[str] = set()
    for stage in STAGES:
        kit = interview_kit(fw, stage)
        budget = library.stages[stage].minutes - library.stages[stage].overhead_minutes
        assert kit.competencies, f"{family} {seniority} {stage} has nothing to assess"
        assert kit.planned_minutes == sum(q.minutes for q in kit.questions) <= budget
        kit_slugs = {c.slug for c in kit.competencies}
        assert kit_slugs == {q.competency for q in kit.questions}
        assert all(q.stage == stage for q in kit.questions)
        assert all(stage in competency(s).stages for s in kit_slugs)
        assert not kit_slugs & set(kit.not_covered)
        assert len({q.id for q in kit.questions}) == len(kit.questions)
        covered |= kit_slugs
    assert covered == set(fw.required)


def test_kits_are_deterministic_and_the_seed_varies_questions_reproducibly() -> None:
    fw = framework_for("data-scientist", "mid")  # rai-01 and rai-05 are equally close to the target
    a = interview_kit(fw, "technical_screen", seed="req-41")
    b = interview_kit(framework_for("data-scientist", "mid"), "technical_screen", seed="req-41")
    assert a == b and a.digest == b.digest
    by_seed = {
        seed: tuple(q.id for q in interview_kit(fw, "final", seed=seed).questions)
        for seed in (f"req-{i}" for i in range(30))
    }
    assert len(set(by_seed.values())) > 1  # different requisitions do not all get the same questions
    assert by_seed["req-3"] == tuple(q.id for q in interview_kit(fw, "final", seed="req-3").questions)


def test_the_home_stage_comes_first_and_questions_target_the_seniority() -> None:
    staff = interview_kit(framework_for("ml-engineer", "staff"), "technical_screen")
    assert staff.competencies[0].slug == "coding"
    coding = [q for q in staff.questions if q.competency == "coding"]
    assert coding[0].difficulty == 4
    junior = interview_kit(framework_for("ml-engineer", "junior"), "technical_screen")
    assert all(q.difficulty <= 2 for q in junior.questions)
    final = interview_kit(framework_for("ml-engineer", "senior"), "final")
    assert final.competencies[0].slug == "responsible_ai"  # final is its home stage despite a 5% weight


def test_must_haves_get_a_second_question_when_time_remains() -> None:
    kit = interview_kit(framework_for("data-scientist", "senior"), "final")
    per = {c.slug: sum(1 for q in kit.questions if q.competency == c.slug) for c in kit.competencies}
    assert per["statistical_reasoning"] == 2


def test_a_competency_without_time_is_reported_with_where_to_assess_it() -> None:
    kit = interview_kit(framework_for("ml-engineer", "senior"), "system_design")
    assert kit.not_covered == ("responsible_ai",)
    assert any("Responsible AI" in n and "final interview" in n for n in kit.notes)


def test_kit_json_carries_the_rubric_and_versions() -> None:
    kit = interview_kit(framework_for("genai-engineer", "senior"), "system_design", seed="x")
    payload = json.loads(json.dumps(kit.as_dict()))
    assert payload["version"] == FRAMEWORK_VERSION and payload["stage"] == "system_design"
    assert payload["seed"] == "x" and payload["data_digest"] == load_library().digest
    first = payload["competencies"][0]
    assert [lv["level"] for lv in first["levels"]] == [1, 2, 3, 4]
    assert all(lv["anchor"] for lv in first["levels"])
    assert payload["questions"][0]["strong_answer"]
    assert payload["instructions"]


def test_unknown_stage_is_an_error() -> None:
    with pytest.raises(FrameworkError, match="unknown stage 'onsite'"):
        interview_kit(framework_for("ml-engineer"), "onsite")


# --- validation of framework data -----------------------------------------------------------------------


def _broken(edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    edit(data)
    return data


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            lambda d: d["competencies"][0]["levels"].pop("4"),
            "competencies[0].levels",
            "exactly levels 1, 2, 3",
        ),
        (
            lambda d: d["competencies"][1]["levels"]["2"].update(anchor=" "),
            "competencies[1].levels.2.anchor",
            "non-empty",
        ),
        (
            lambda d: d["competencies"][2].update(questions=[]),
            "competencies[2].questions",
            "3 to 5 questions",
        ),
        (
            lambda d: d["competencies"][0]["questions"][0].update(stage="final"),
            "competencies[0].questions[0].stage",
            "not one of the competency's stages",
        ),
        (
            lambda d: d["competencies"][0]["questions"][1].update(id="coding-01"),
            "competencies[0].questions",
            "used twice",
        ),
        (
            lambda d: d["competencies"][3]["questions"][0].update(difficulty=5),
            "competencies[3].questions[0].difficulty",
            "1 to 4",
        ),
        (lambda d: d["competencies"].pop(), "competencies", "missing competencies: responsible_ai"),
        (
            lambda d: d["role_families"][0]["competencies"][0].update(weight=0.5),
            "role_families[0].competencies",
            "add up to",
        ),
        (
            lambda d: d["role_families"][0]["competencies"][0].update(slug="vibes"),
            "role_families[0].competencies[0].slug",
            "unknown competency 'vibes'",
        ),
        (
            lambda d: [c.update(must_have=False) for c in d["role_families"][1]["competencies"]],
            "role_families[1].competencies",
            "at least one must-have",
        ),
        (lambda d: d["stages"].pop("final"), "stages", "exactly the stages"),
        (lambda d: d.update(default_seniority="guru"), "default_seniority", "not a defined seniority"),
    ],
)
def test_bad_framework_data_is_rejected_with_a_path(edit: Any, path: str, message: str) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_library(_broken(edit))
    assert caught.value.path == path
    assert message in caught.value.message


def test_data_edited_without_a_version_bump_refuses_to_load(tmp_path: Path) -> None:
    target = tmp_path / "competencies.json"
    target.write_text(json.dumps(_broken(lambda d: d.update(version="frameworks-9999"))), encoding="utf-8")
    with pytest.raises(FrameworkError, match="bump FRAMEWORK_VERSION"):
        load_library(target)


def test_a_different_library_can_be_passed_explicitly() -> None:
    data = _broken(lambda d: d["role_families"].append({**d["generic"], "slug": "prompt-engineer"}))
    library = parse_library(data)
    fw = framework_for("prompt-engineer", "mid", library=library)
    assert not fw.is_generic and fw.data_digest == library.digest != load_library().digest
    assert interview_kit(fw, "final", library=library).data_digest == library.digest


def test_framework_feeds_decide_directly() -> None:
    from cadre.screening.decisions import DEFAULT_RULES, Scorecard, decide

    fw = framework_for("ml-engineer", "senior")
    assert fw.expected_levels == {c.slug: c.expected_level for c in fw.competencies}
    cards = [
        Scorecard(1, "yes", dict.fromkeys(fw.must_have, 3)),
        Scorecard(2, "strong_yes", dict.fromkeys(fw.required, 3)),
    ]
    d = decide(
        cards,
        DEFAULT_RULES,
        required=fw.required,
        must_have=fw.must_have,
        weights=fw.weights,
        expected_levels=fw.expected_levels,
    )
    assert d.outcome == "advance"
