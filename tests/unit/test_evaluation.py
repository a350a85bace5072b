"""The scoring functions of bot.evaluation on tiny hand-made inputs."""

from __future__ import annotations

import pytest

from bot.evaluation import (
    EvaluationResult,
    GoldDeal,
    GoldMention,
    LabelledArticle,
    PredictedDeal,
    amount_key,
    f1_score,
    parse_entities,
    parse_labelled_article,
    ratio,
    render_report,
    same_cluster_pairs,
    score_clusters,
    score_deals,
    score_matching,
)
from watchlists.model import Article, Match


def labelled(
    article_id: str,
    *mentions: tuple[str, str],
    negatives: tuple[str, ...] = (),
    deal: GoldDeal | None = None,
) -> LabelledArticle:
    return LabelledArticle(
        article=Article(id=article_id, title="t", text="x"),
        mentions=tuple(GoldMention(entity, case, entity) for entity, case in mentions),
        negatives=negatives,
        deal=deal,
    )


def match(entity: str, text: str | None = None) -> Match:
    surface = text or entity
    return Match(
        entity_id=1,
        entity=entity,
        alias=entity,
        field="text",
        start=0,
        end=len(surface),
        text=surface,
        score=100.0,
        kind="exact",
    )


SET = [
    labelled("a1", ("Alibaba", "exact"), ("RDIF", "possessive")),
    labelled("a2", ("Sberbank", "typo")),
    labelled("a3", negatives=("no-mention", "ambiguous-word")),
]
PREDICTED = {
    "a1": [match("Alibaba"), match("Alibaba", "Alibaba Group"), match("VK", "vk")],
    "a2": [],
    "a3": [match("Apple", "apple")],
}


def test_pairs_count_once_per_article_and_entity() -> None:
    score = score_matching(SET, PREDICTED)
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 2, 2)


def test_precision_recall_and_f1_follow_the_counts() -> None:
    score = score_matching(SET, PREDICTED)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("case", "total", "correct"),
    [
        pytest.param("exact", 1, 1, id="found-exact"),
        pytest.param("possessive", 1, 0, id="missed-possessive"),
        pytest.param("typo", 1, 0, id="missed-typo"),
    ],
)
def test_recall_is_grouped_by_case(case: str, total: int, correct: int) -> None:
    tally = score_matching(SET, PREDICTED).by_case[case]
    assert (tally.total, tally.correct) == (total, correct)


def test_case_without_gold_mentions_has_full_recall() -> None:
    assert score_matching(SET, PREDICTED).case_recall("cyrillic") == 1.0


@pytest.mark.parametrize(
    ("trap", "articles", "false_positives"),
    [
        pytest.param("no-mention", 1, 1, id="no-mention"),
        pytest.param("ambiguous-word", 1, 1, id="ambiguous-word"),
    ],
)
def test_false_positives_are_counted_per_trap(
    trap: str, articles: int, false_positives: int
) -> None:
    score = score_matching(SET, PREDICTED).by_trap[trap]
    assert (score.articles, score.false_positives, score.precision) == (
        articles,
        false_positives,
        0.0,
    )


def test_misses_and_false_positives_are_listed_with_their_text() -> None:
    score = score_matching(SET, PREDICTED)
    assert [(m.article_id, m.entity, m.case) for m in score.misses] == [
        ("a1", "RDIF", "possessive"),
        ("a2", "Sberbank", "typo"),
    ]
    assert [(f.article_id, f.entity, f.texts) for f in score.false_positive_list] == [
        ("a1", "VK", ("vk",)),
        ("a3", "Apple", ("apple",)),
    ]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        pytest.param(3, 4, 0.75, id="plain"),
        pytest.param(0, 0, 1.0, id="nothing-to-count"),
        pytest.param(0, 5, 0.0, id="none-right"),
    ],
)
def test_ratio_scores_empty_denominator_as_perfect(
    numerator: int, denominator: int, expected: float
) -> None:
    assert ratio(numerator, denominator) == expected


def test_f1_of_zero_precision_and_recall_is_zero() -> None:
    assert f1_score(0.0, 0.0) == 0.0


def test_amount_key_absorbs_float_noise() -> None:
    assert amount_key("usd", 14.6 * 1e9) == amount_key("USD", 14_600_000_000.0)


DEALS = [
    labelled(
        "d1",
        deal=GoldDeal("acquisition", "announced", frozenset({("USD", 2_000_000_000)})),
    ),
    labelled("d2", deal=GoldDeal("joint_venture", "in_talks", undisclosed=True)),
    labelled("d3", deal=GoldDeal("none")),
    labelled("d4"),
]


def test_deal_type_accuracy_and_confusion_cover_every_labelled_article() -> None:
    predicted = {
        "d1": PredictedDeal("acquisition", "completed", frozenset({("USD", 2_000_000_000)})),
        "d2": PredictedDeal("partnership", "in_talks"),
        "d3": PredictedDeal("none"),
    }
    score = score_deals(DEALS, predicted)
    assert (score.types.total, score.types.correct) == (3, 2)
    assert score.confusion == {
        "acquisition": {"acquisition": 1},
        "joint_venture": {"partnership": 1},
        "none": {"none": 1},
    }


def test_stage_and_amounts_are_scored_only_on_real_deals() -> None:
    predicted = {
        "d1": PredictedDeal("acquisition", "completed", frozenset({("USD", 2_000_000_000)})),
        "d2": PredictedDeal("joint_venture", "in_talks"),
        "d3": PredictedDeal("none", "", frozenset({("EUR", 5)})),
    }
    score = score_deals(DEALS, predicted)
    assert (score.stages.total, score.stages.correct) == (2, 1)
    assert (score.amounts.total, score.amounts.correct) == (2, 2)


def test_wrong_amount_set_is_a_mismatch() -> None:
    predicted = {
        "d1": PredictedDeal(
            "acquisition",
            "announced",
            frozenset({("USD", 2_000_000_000), ("USD", 300_000_000)}),
        ),
    }
    score = score_deals(DEALS, predicted)
    assert score.amounts.correct == 1
    assert [(m.article_id, m.part) for m in score.mismatches if m.part == "amounts"] == [
        ("d1", "amounts")
    ]


def test_missing_prediction_counts_as_none() -> None:
    score = score_deals(DEALS, {})
    assert score.confusion["acquisition"] == {"none": 1}


def test_pairs_are_counted_within_each_cluster() -> None:
    assert same_cluster_pairs({"a": "s1", "b": "s1", "c": "s1", "d": "s2"}) == {
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    }


def test_cluster_precision_and_recall_compare_pairs() -> None:
    gold = {"a": "g1", "b": "g1", "c": "g1", "d": "g2", "e": "g3"}
    predicted = {"a": "p1", "b": "p1", "c": "p2", "d": "p3", "e": "p3"}
    score = score_clusters(gold, predicted)
    assert (score.predicted_pairs, score.gold_pairs, score.common_pairs) == (2, 3, 1)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(1 / 3)
    assert score.wrong_pairs == (("d", "e"),)
    assert score.missed_pairs == (("a", "c"), ("b", "c"))


def test_singletons_everywhere_score_perfectly() -> None:
    score = score_clusters({"a": "g1", "b": "g2"}, {"a": "p1", "b": "p2"})
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_entities_are_numbered_in_file_order() -> None:
    entities = parse_entities(
        '[[entity]]\nname = "Shell"\nexclude = ["shell company"]\n'
        '[[entity]]\nname = "VK"\naliases = ["VKontakte"]\n'
    )
    assert [(e.id, e.name, e.aliases, e.exclude) for e in entities] == [
        (1, "Shell", (), ("shell company",)),
        (2, "VK", ("VKontakte",), ()),
    ]


def test_labelled_line_is_parsed_with_deal_and_story() -> None:
    item = parse_labelled_article(
        {
            "id": "e001",
            "title": "T",
            "text": "X",
            "published": "2026-11-03T08:00:00Z",
            "gold": {
                "entities": [{"entity": "RDIF", "case": "possessive"}],
                "negatives": ["no-mention"],
            },
            "deal": {
                "type": "joint_venture",
                "stage": "in_talks",
                "amounts": [{"currency": "usd", "value": 2e9, "text": "$2bn"}],
                "stakes": [{"percent": 25.0, "text": "a 25% stake"}],
            },
            "story": "s017",
        }
    )
    assert item.mentions == (GoldMention("RDIF", "possessive"),)
    assert item.deal == GoldDeal(
        "joint_venture", "in_talks", frozenset({("USD", 2_000_000_000)}), frozenset({25.0})
    )
    assert (item.negatives, item.story, item.article.published is not None) == (
        ("no-mention",),
        "s017",
        True,
    )


def test_report_lists_every_part_with_misses_and_wrong_pairs() -> None:
    result = EvaluationResult(
        articles=3,
        matching=score_matching(SET, PREDICTED),
        deals=score_deals(DEALS, {}),
        stories=score_clusters({"a": "g1", "b": "g2"}, {"a": "p1", "b": "p1"}),
    )
    report = render_report(result)
    assert "type accuracy" in report
    assert "Stories (pairwise)  precision   0.0%" in report
    assert "a2  Sberbank" in report
    assert "Wrongly merged pairs (1):\n  a + b" in report
