"""Watchlist TOML: parsed with file-and-line errors, and written back losslessly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlists.errors import WatchlistFormatError
from watchlists.model import Entity
from watchlists.watchlist_file import parse_watchlist, render_watchlist

GOOD = """
[[entity]]
name = "RDIF"
aliases = ["Russian Direct Investment Fund", "РФПИ"]

[[entity]]
name = "Shell"
exclude = ["shell company"]
"""


def test_entities_parse_with_aliases_and_exclusions() -> None:
    rdif, shell = parse_watchlist(GOOD, "w.toml")
    assert rdif.aliases == ("Russian Direct Investment Fund", "РФПИ")
    assert shell.exclude == ("shell company",)
    assert (rdif.id, shell.id) == (1, 2)


def test_entity_without_name_names_file_and_line() -> None:
    text = GOOD + '\n[[entity]]\naliases = ["x"]\n'
    with pytest.raises(WatchlistFormatError, match=r"w\.toml:10: entity #3 has no name"):
        parse_watchlist(text, "w.toml")


def test_invalid_toml_names_the_file() -> None:
    with pytest.raises(WatchlistFormatError, match=r"w\.toml: invalid TOML"):
        parse_watchlist("[[entity]\nname=", "w.toml")


def test_render_then_parse_round_trips() -> None:
    entities = parse_watchlist(GOOD, "w.toml")
    assert parse_watchlist(render_watchlist(entities), "again") == entities


def test_names_with_control_characters_quotes_and_unicode_round_trip() -> None:
    entities = [
        Entity(name='Bell\x07 "Quoted" \\ Co', aliases=("tab\there", "new\nline", "del\x7f"), id=1),
        Entity(name="Société Générale", aliases=("РФПИ", "阿里巴巴", "'single'"), id=2),
        Entity(name="Escape\x1b[31m", exclude=("\x00nul", "\u202eoverride"), id=3),
    ]
    assert parse_watchlist(render_watchlist(entities), "export") == entities


@given(
    st.lists(
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1).filter(
            lambda name: name.strip() == name and name
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_stripped_name_round_trips(names: list[str]) -> None:
    entities = [
        Entity(name=name, aliases=(name,), id=number) for number, name in enumerate(names, 1)
    ]
    assert parse_watchlist(render_watchlist(entities), "export") == entities
