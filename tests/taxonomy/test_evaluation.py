"""The SkillSpan CoNLL scorer on a hand-made file with known P/R/F1."""

from __future__ import annotations

from cadre.taxonomy.evaluation import bio_spans, parse_conll, score

CONLL = (
    "Strong\tB-Skill\tO\n"
    "Python\tI-Skill\tB-Knowledge\n"
    "and\tO\tO\n"
    "teamwork\tB-Skill\tO\n"
    "\n"
    "\n"
    "Docker\tO\tB-Knowledge\n"
    "experience\tO\tO\n"
    "\n"
    "Benefits\tO\tO\n"
)


def test_bio_spans_open_on_stray_i_tags():
    assert bio_spans(["B-Skill", "I-Skill", "O", "I-Skill", "B-Skill"]) == [(0, 1), (3, 3), (4, 4)]


def test_parse_conll_reads_skill_and_knowledge_spans():
    sentences = parse_conll(CONLL)
    assert [s.tokens[0] for s in sentences] == ["Strong", "Docker", "Benefits"]
    assert sentences[0].gold == ((0, 1), (1, 1), (3, 3))
    assert sentences[1].gold == ((0, 0),)
    assert sentences[2].gold == ()
    assert sentences[0].labels == ("B-Skill", "I-Skill", "O", "B-Skill")


def test_score_counts_overlaps_exactly():
    predictions = {"Strong": [(1, 1), (2, 2)], "Docker": [], "Benefits": [(0, 0)]}
    result = score(parse_conll(CONLL), lambda s: predictions[s.tokens[0]])
    # predicted: (1,1) overlaps gold, (2,2) and Benefits do not -> P = 1/3
    # gold: (0,1) and (1,1) found, (3,3) and Docker missed -> R = 2/4
    assert result["precision"] == round(1 / 3, 4)
    assert result["recall"] == 0.5
    assert result["f1"] == round(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), 4)
    assert result["sentences"] == 3


def test_score_of_nothing_is_zero_not_an_error():
    assert score([], lambda s: [])["f1"] == 0.0
