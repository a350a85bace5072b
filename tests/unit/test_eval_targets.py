"""The quality targets, measured on the labelled set in tests/data/eval."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.evaluation import EvaluationResult, LabelledArticle, evaluate, load_eval_set

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"


@pytest.fixture(scope="module")
def labelled() -> list[LabelledArticle]:
    return load_eval_set(EVAL_DIR)[1]


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    entities, articles = load_eval_set(EVAL_DIR)
    return evaluate(entities, articles)


@pytest.mark.parametrize(
    ("case", "minimum"),
    [
        pytest.param("exact", 30, id="exact"),
        pytest.param("possessive", 15, id="possessive"),
        pytest.param("typo", 20, id="typo"),
        pytest.param("diacritic", 12, id="diacritic"),
        pytest.param("cyrillic", 12, id="cyrillic"),
        pytest.param("acronym", 10, id="acronym"),
        pytest.param("suffix", 8, id="suffix"),
    ],
)
def test_eval_set_has_enough_mentions_of_each_case(
    labelled: list[LabelledArticle], case: str, minimum: int
) -> None:
    counts = Counter(mention.case for item in labelled for mention in item.mentions)
    assert counts[case] >= minimum


@pytest.mark.parametrize(
    ("trap", "minimum"),
    [
        pytest.param("acronym-inside-word", 12, id="acronym-inside-word"),
        pytest.param("ambiguous-word", 15, id="ambiguous-word"),
        pytest.param("no-mention", 20, id="no-mention"),
    ],
)
def test_eval_set_has_enough_articles_with_each_trap(
    labelled: list[LabelledArticle], trap: str, minimum: int
) -> None:
    assert sum(trap in item.negatives for item in labelled) >= minimum


@pytest.mark.parametrize(
    ("case", "target"),
    [
        pytest.param("exact", 0.99, id="exact"),
        pytest.param("possessive", 0.99, id="possessive"),
        pytest.param("diacritic", 0.99, id="diacritic"),
        pytest.param("cyrillic", 0.99, id="cyrillic"),
        pytest.param("typo", 0.95, id="typo"),
    ],
)
def test_matching_recall_meets_target_per_case(
    result: EvaluationResult, case: str, target: float
) -> None:
    misses = [m for m in result.matching.misses if m.case == case]
    assert result.matching.case_recall(case) >= target, misses


def test_matching_precision_meets_target(result: EvaluationResult) -> None:
    assert result.matching.precision >= 0.98, result.matching.false_positive_list


def test_deal_type_accuracy_meets_target(result: EvaluationResult) -> None:
    if result.deals is None:
        pytest.skip("watchlists/deals.py (analyse_deal) is not available yet")
    assert result.deals.types.rate >= 0.90, result.deals.confusion


def test_deal_amounts_match_exactly_often_enough(result: EvaluationResult) -> None:
    if result.deals is None:
        pytest.skip("watchlists/deals.py (analyse_deal) is not available yet")
    assert result.deals.amounts.rate >= 0.95, [
        m for m in result.deals.mismatches if m.part == "amounts"
    ]


def test_story_clustering_precision_meets_target(result: EvaluationResult) -> None:
    if result.stories is None:
        pytest.skip("watchlists/stories.py (StoryIndex) is not available yet")
    assert result.stories.precision >= 0.98, result.stories.wrong_pairs


def test_story_clustering_recall_meets_target(result: EvaluationResult) -> None:
    if result.stories is None:
        pytest.skip("watchlists/stories.py (StoryIndex) is not available yet")
    assert result.stories.recall >= 0.90, result.stories.missed_pairs
