"""The evaluation's per-language breakdown: Russian told by the share of Cyrillic letters."""

from __future__ import annotations

import pytest

from bot.evaluation import (
    GoldDeal,
    GoldMention,
    LabelledArticle,
    PredictedDeal,
    evaluate,
    language_of,
    render_report,
    score_by_language,
)
from watchlists.model import Article, Entity, Match


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param("Contoso buys Northwind", "Contoso said it bought Northwind.", "other"),
        pytest.param("Сбербанк покупает долю", "Банк купил 25% акций компании.", "ru"),
        pytest.param(
            "Contoso and Сбербанк", "Contoso said it would work with Сбербанк in Europe.", "other"
        ),
        pytest.param("РФПИ и Mubadala", "РФПИ и Mubadala договорились о создании СП.", "ru"),
        pytest.param("", "", "other"),
    ],
)
def test_language_of_counts_cyrillic_letters(title: str, text: str, expected: str) -> None:
    assert language_of(Article(id="a", title=title, text=text)) == expected


def _item(article_id: str, title: str, deal_type: str) -> LabelledArticle:
    return LabelledArticle(
        article=Article(id=article_id, title=title, text=""),
        mentions=(GoldMention("Sberbank", "cyrillic", "Сбербанк"),),
        deal=GoldDeal(type=deal_type, stage="announced"),
    )


def test_scores_are_split_by_language() -> None:
    labelled = [
        _item("en", "Sberbank buys a bakery", "acquisition"),
        _item("ru1", "Сбербанк покупает пекарню", "acquisition"),
        _item("ru2", "Сбербанк продаёт пекарню", "divestment"),
    ]
    found = Match(1, "Sberbank", "Сбербанк", "title", 0, 8, "Сбербанк", 100.0, "exact")
    matches = {"en": [found], "ru1": [found], "ru2": []}
    predicted = {
        "en": PredictedDeal("acquisition", "announced"),
        "ru1": PredictedDeal("acquisition", "announced"),
        "ru2": PredictedDeal("acquisition", "announced"),
    }
    scores = score_by_language(labelled, matches, predicted)
    assert sorted(scores) == ["other", "ru"]
    assert (scores["other"].articles, scores["ru"].articles) == (1, 2)
    assert (scores["ru"].deals.types.total, scores["ru"].deals.types.correct) == (2, 1)
    assert (scores["ru"].matching.true_positives, scores["ru"].matching.false_negatives) == (1, 1)
    assert scores["other"].deals.types.rate == 1.0


def test_the_report_prints_each_language() -> None:
    entities = [Entity("Sberbank", aliases=("Сбербанк",), id=1)]
    labelled = [
        _item("en", "Sberbank agrees to buy a bakery", "acquisition"),
        _item("ru", "Сбербанк покупает пекарню", "acquisition"),
    ]
    report = render_report(evaluate(entities, labelled))
    assert "By language" in report
    assert "  other    1 articles" in report
    assert "  ru       1 articles" in report
