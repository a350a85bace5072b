"""Entity identity and merging: the rules every store and use case applies alike."""

from __future__ import annotations

import pytest

from watchlists.entity_rules import (
    answers_to,
    has_phrase,
    merge_entity,
    name_key,
    new_aliases,
    new_phrases,
)
from watchlists.model import Entity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Contoso  Ltd", "contoso ltd", id="case-and-spacing"),
        pytest.param(" Contoso\tLtd ", "CONTOSO LTD", id="tabs-and-edges"),
        pytest.param("STRASSE", "straße", id="casefold-not-lower"),
    ],
)
def test_names_with_the_same_key_are_the_same(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_words_have_different_keys() -> None:
    assert name_key("Contoso Ltd") != name_key("ContosoLtd")


def test_merge_keeps_known_names_in_order_and_appends_the_new_ones() -> None:
    known = Entity("Northwind", aliases=("NW",), exclude=("Northwind Lake",), id=7)
    merged = merge_entity(
        known, Entity("northwind", aliases=("Kestrel", "NW"), exclude=("Northwind Lake", "x"))
    )
    assert merged == Entity(
        "Northwind", aliases=("NW", "Kestrel"), exclude=("Northwind Lake", "x"), id=7
    )


def test_new_aliases_skip_known_ones_repeats_and_the_own_name() -> None:
    assert new_aliases(
        "Contoso", ["CTS"], ["CTS", "contoso ", "Contoso Group", "Contoso Group"]
    ) == ["Contoso Group"]


def test_new_phrases_skip_known_ones_and_repeats() -> None:
    assert new_phrases(["a"], ["a", "b", "b", "c"]) == ["b", "c"]


def test_an_entity_answers_to_its_name_and_aliases_by_key() -> None:
    names = ("Northwind", "Kestrel  Freight")
    assert answers_to("kestrel freight", names)
    assert answers_to(" NORTHWIND", names)
    assert not answers_to("Kestrel", names)


def test_has_phrase_ignores_case_only() -> None:
    assert has_phrase(["Amazon Rainforest"], "amazon rainforest")
    assert not has_phrase(["Amazon Rainforest"], "amazon  rainforest")
