"""A capitalised name made of words of the language is those words when written in lower case."""

from __future__ import annotations

import pytest

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

WATCHLIST = (
    Entity("Media Bank plc", (), id=1),
    Entity("Global Energy Partners", (), id=2),
    Entity("Baidu", ("百度",), id=3),
    Entity("AMAZON COM INC", (), id=4),
    Entity("zenith capital", (), id=5),
)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(WATCHLIST)


def entities(index: MatchIndex, text: str) -> list[str]:
    return sorted({m.entity for m in index.match(Article(id="a", title="", text=text))})


@pytest.mark.parametrize(
    "text",
    [
        "Regional media bank on advertising to recover this year.",
        "Investors poured money into global energy partners of every size.",
    ],
)
def test_the_words_in_lower_case_are_no_mention(index: MatchIndex, text: str) -> None:
    assert entities(index, text) == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Shares of Media Bank rose after the results.", "Media Bank plc"),
        ("Analysts said The Media Bank agreed to buy a rival.", "Media Bank plc"),
        ("Global Energy Partners agreed to buy a wind farm.", "Global Energy Partners"),
        ("Chinese search group 百度 has chosen a foundry.", "Baidu"),
        ("Shoppers on Amazon.com spent more this year.", "AMAZON COM INC"),
        ("The deal values zenith capital at $1 billion.", "zenith capital"),
    ],
)
def test_the_name_written_as_a_name_still_matches(
    index: MatchIndex, text: str, entity: str
) -> None:
    assert entities(index, text) == [entity]
