"""Watchlist TOML: parsed with file-and-line errors, and written back losslessly."""

from __future__ import annotations

import pytest

from watchlists.errors import WatchlistFormatError
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
