"""Deal analysis on wire copy: dialect, triggers, false deals, phrasing, headlines, Russian.

The sentences are written for these tests in the style of news wires; none is copied.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Amount, Deal, analyse_deal
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

WATCHED = MatchIndex(
    [
        Entity("Contoso", aliases=("Contoso Corp",), id=1),
        Entity("Northwind Holdings", aliases=("Northwind",), id=2),
    ]
)


def analyse(title: str, text: str = "") -> Deal:
    article = Article(id="w", title=title, text=text)
    return analyse_deal(article, WATCHED.match(article))


# ---------------------------------------------------------------------------
# Wire dialect


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "Contoso said it agreed to buy Northwind for 12.5 mln dlrs cash.",
            Amount("USD", 12.5e6, "12.5 mln dlrs"),
            id="mln-dlrs-cash",
        ),
        pytest.param(
            "Contoso said it made a 1.1 billion dlr offer for Northwind.",
            Amount("USD", 1.1e9, "1.1 billion dlr"),
            id="billion-dlr-offer",
        ),
        pytest.param(
            "Contoso agreed to acquire Northwind for 2.3 bln dlrs.",
            Amount("USD", 2.3e9, "2.3 bln dlrs"),
            id="bln-dlrs",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for 45 mln stg.",
            Amount("GBP", 45e6, "45 mln stg"),
            id="stg",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for 80 mln Canadian dlrs.",
            Amount("CAD", 80e6, "80 mln Canadian dlrs"),
            id="canadian-dlrs",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for 30 mln Australian dlrs.",
            Amount("AUD", 30e6, "30 mln Australian dlrs"),
            id="australian-dlrs",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for 9.5 billion yen.",
            Amount("JPY", 9.5e9, "9.5 billion yen"),
            id="yen",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind of Milan for 150 billion lire.",
            Amount("ITL", 150e9, "150 billion lire"),
            id="lire-are-italian",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind of Lyon, France for 600 mln francs.",
            Amount("FRF", 600e6, "600 mln francs"),
            id="french-francs-by-context",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind of Brussels for 2 billion Belgian francs.",
            Amount("BEF", 2e9, "2 billion Belgian francs"),
            id="belgian-francs",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind of Zurich for 70 mln francs.",
            Amount("CHF", 70e6, "70 mln francs"),
            id="swiss-francs-by-context",
        ),
    ],
)
def test_wire_dialect_money_is_read(sentence: str, expected: Amount) -> None:
    deal = analyse("CONTOSO TO BUY NORTHWIND", sentence)
    assert deal.type == "acquisition"
    assert deal.amounts == (expected,)


def test_wire_dialect_pct_stake_is_read() -> None:
    deal = analyse(
        "CONTOSO BUYS STAKE IN NORTHWIND",
        "Contoso said it bought a 12.5 pct stake in Northwind for 40 mln dlrs.",
    )
    assert [stake.percent for stake in deal.stakes] == [12.5]
    assert [amount.value for amount in deal.amounts] == [40e6]
