"""Lookup filters: parsing `type:`, `since:`, `min:` and matching stories against them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchlists.errors import DealwatchError
from watchlists.lookup import LookupQuery, Money, matches, parse_lookup, parse_money, story_money
from watchlists.model import StoryItem

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _item(deal_type: str = "acquisition", amount: str = "") -> StoryItem:
    return StoryItem(1, "t", "https://x.example/1", "", NOW, "S", (), deal_type, "", amount)


def test_parse_lookup_reads_the_name_and_every_filter() -> None:
    query = parse_lookup("Kestrel Robotics type:acquisition|jv since:2026-01-01 min:$100m")
    assert query == LookupQuery(
        "Kestrel Robotics", ("acquisition", "joint_venture"), "2026-01-01", "$100m"
    )
    assert query.start(NOW) == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_lookup("Acme 7d").since == "7d"
    assert parse_lookup("Acme").since == "30d"
    assert parse_lookup(query.name + " " + query.filters()) == query


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ("Acme type:takeover", "`takeover` is not a deal type"),
        ("Acme since:2026-02-30", "is not a date"),
        ("Acme since:1y", "is not a duration"),
        ("Acme min:lots", "`lots` is not an amount"),
        ("Acme 1y", "`1y` is not a period"),
        ("type:ipo", "needs a name"),
    ],
)
def test_parse_lookup_says_which_filter_is_wrong(args: str, reason: str) -> None:
    with pytest.raises(DealwatchError, match=reason):
        parse_lookup(args)


def test_money_reads_signs_scales_and_words() -> None:
    assert parse_money("$100m") == Money(100e6, "$")
    assert parse_money("€1.5bn") == Money(1.5e9, "€")
    assert parse_money("250k") == Money(250e3, "")
    assert parse_money("1,200") == Money(1200, "")
    assert parse_money("ten") is None
    assert story_money("$40 million") == Money(40e6, "$")
    assert story_money("undisclosed") is None


def test_matches_applies_type_and_minimum_in_the_same_currency() -> None:
    big = parse_lookup("Acme type:acquisition min:$100m")
    assert matches(_item(amount="$250 million"), big)
    assert not matches(_item(amount="$40 million"), big)
    assert not matches(_item(amount="€250 million"), big), "another currency"
    assert not matches(_item(amount=""), big), "no amount, no match"
    assert not matches(_item("partnership", "$250 million"), big)
    any_currency = parse_lookup("Acme min:100m")
    assert matches(_item("merger", "€250 million"), any_currency)
    assert matches(_item("none"), parse_lookup("Acme"))
