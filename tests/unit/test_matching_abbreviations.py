"""An acronym that abbreviates the words before it, or prefixes a quoted name, names something else."""

from __future__ import annotations

import pytest

from watchlists.matching import MatchIndex
from watchlists.matching_abbreviations import is_defined_abbreviation, is_form_prefix
from watchlists.model import Article, Entity


def _span(text: str, acronym: str) -> tuple[int, int]:
    start = text.rindex(acronym)
    return start, start + len(acronym)


@pytest.mark.parametrize(
    "text, acronym",
    [
        ("парк машинно-тракторных станций (МТС) в области", "МТС"),
        ("under its medium-term strategy (MTS) the bank", "MTS"),
        ("the Department of Justice (DOJ) said", "DOJ"),
        ("Russian Direct Investment Fund (RDIF)", "RDIF"),
    ],
)
def test_an_acronym_in_parentheses_after_the_words_it_abbreviates_is_defined_there(
    text: str, acronym: str
) -> None:
    assert is_defined_abbreviation(text, *_span(text, acronym))


@pytest.mark.parametrize(
    "text, acronym",
    [
        ("Mobile TeleSystems (MTS) bought a stake", "MTS"),
        ("VKontakte (VK) and Alibaba", "VK"),
        ("Mail.ru Group (VK) said", "VK"),
        ("shares of the operator (MTS) rose", "MTS"),
        ("МТС купила долю в банке", "МТС"),
        ("the stations(MTS) rose", "MTS"),
    ],
)
def test_an_acronym_that_abbreviates_nothing_before_it_is_a_name(text: str, acronym: str) -> None:
    assert not is_defined_abbreviation(text, *_span(text, acronym))


@pytest.mark.parametrize(
    "text, acronym",
    [
        ("ВК «Локомотив» выиграл матч", "ВК"),
        ("ПАО „Ромашка“ продало", "ПАО"),
        ("ВК \u00a0«Зенит»", "ВК"),
    ],
)
def test_a_cyrillic_acronym_before_a_quoted_name_is_its_form(text: str, acronym: str) -> None:
    assert is_form_prefix(text, *_span(text, acronym))


@pytest.mark.parametrize(
    "text, acronym",
    [
        ("ПАО «ВК» объявило", "ВК"),
        ("ВК объявила о покупке «Юлы»", "ВК"),
        ('VK "Lokomotiv" won', "VK"),
        ("ВК «в пятницу»", "ВК"),
    ],
)
def test_an_acronym_not_before_a_quoted_name_keeps_its_reading(text: str, acronym: str) -> None:
    assert not is_form_prefix(text, *_span(text, acronym))


WATCHLIST = (
    Entity("MTS", ("МТС", "Мобильные ТелеСистемы", "MTS"), id=1),
    Entity("VK", ("ВК", "ВКонтакте"), id=2),
    Entity("RDIF", ("Russian Direct Investment Fund", "RDIF"), id=3),
)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(WATCHLIST)


def entities(index: MatchIndex, text: str) -> list[str]:
    return sorted({m.entity for m in index.match(Article(id="a", title="", text=text))})


@pytest.mark.parametrize(
    "text",
    [
        "Область откроет пять машинно-технологических станций (МТС). Первые три МТС уже работают.",
        "The plan sets a medium-term strategy (MTS) for the bank. The MTS runs to 2030.",
        "ВК «Локомотив» подписал двух игроков сборной.",
    ],
)
def test_an_acronym_that_names_something_else_there_is_no_mention(
    index: MatchIndex, text: str
) -> None:
    assert entities(index, text) == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("МТС купила долю в онлайн-кинотеатре.", "MTS"),
        ("ПАО «ВК» объявило о покупке студии.", "VK"),
        ("The Russian Direct Investment Fund (RDIF) said RDIF will invest.", "RDIF"),
        ("Mobile operator MTS (MTS) bought a stake.", "MTS"),
    ],
)
def test_the_acronym_of_the_entity_itself_still_matches(
    index: MatchIndex, text: str, entity: str
) -> None:
    assert entities(index, text) == [entity]
