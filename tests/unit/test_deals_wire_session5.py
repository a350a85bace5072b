"""Deal analysis on wire copy, session 5: macro news, totals stated late, wire money dialect.

Every sentence here is invented for these tests in the style of a news wire; none is copied.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.model import Article

DEAL_LIKE = {"acquisition", "merger", "investment", "divestment", "joint_venture"}


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="w", title=title, text=text), [])


def amounts(deal: Deal) -> list[tuple[str, float]]:
    return [(amount.currency, amount.value) for amount in deal.amounts]


# ---------------------------------------------------------------------------
# Macro news: a country's purchases and investment are no company's deal


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "RURITANIA MAY BUY U.S. OIL TO CUT TRADE SURPLUS",
            "SELVA, March 3 - Ruritania's trade surplus with the United States should narrow "
            "this year as purchases of American aircraft and grain rise, officials said. "
            "The trade ministry said state firms would buy more U.S. machinery. "
            "Purchases of U.S. coal and cotton rose 12 pct last year, it said. "
            "Officials said they would consider further purchases to ease trade friction.",
            id="trade-surplus",
        ),
        pytest.param(
            "MINISTER CONCERNED ABOUT RURITANIAN DEFICITS",
            "WASHINGTON, March 3 - The commerce minister said he was concerned about growing "
            "deficits with Ruritania and Freedonia. He said a takeover of markets by imports "
            "was not acceptable. Foreign firms could not be allowed to acquire control of "
            "whole industries, he said, and urged both countries to open their markets.",
            id="deficits",
        ),
        pytest.param(
            "OFFICIAL SAYS TIGHT MONETARY POLICY WOULD HURT INVESTMENT",
            "WASHINGTON, March 3 - A tight monetary policy would hurt investment, the central "
            "bank's governor said.",
            id="monetary-policy",
        ),
    ],
)
def test_macro_news_with_buying_words_is_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


def test_a_savings_bank_buying_a_bank_is_still_a_deal() -> None:
    deal = analyse(
        "ORCHARD SAVINGS <ORSB> TO BUY PLUMTREE BANK",
        "ORCHARD, March 3 - Orchard Savings Bank said it agreed to acquire Plumtree Bank "
        "for 40 mln dlrs.",
    )
    assert deal.type == "acquisition"


# ---------------------------------------------------------------------------
# Totals: a deal's value named outright is the amount, wherever the copy states it

_LEAD_FILLER = (
    "The company's shares rose one dlr on the news. Analysts said the price was fair. "
    "The board will meet next week. Plumtree makes garden tools in three states. "
    "It employs about 900 people. Its chairman declined to comment. "
    "Trading in the shares was heavy. The company was founded in 1921. "
)


def test_a_total_stated_after_the_lead_replaces_a_price_per_share() -> None:
    deal = analyse(
        "ORCHARD OFFERS 28 DLRS A SHARE FOR PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it offered to buy Plumtree Inc for 28 dlrs "
        "a share. " + _LEAD_FILLER + "Orchard's offer for the shares it does not already "
        "hold has been valued at 725.2 mln dlrs.",
    )
    assert deal.type == "acquisition"
    assert amounts(deal) == [("USD", 725_200_000.0)]


def test_a_sum_paid_for_a_stake_after_the_lead_is_the_amount() -> None:
    deal = analyse(
        "ORCHARD SELLS POSITION IN PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp sold the four mln shares it held in Plumtree Inc. "
        + _LEAD_FILLER
        + "In a filing, Orchard said it paid 178.2 mln dlrs for its Plumtree stock.",
    )
    assert deal.type in DEAL_LIKE
    assert amounts(deal) == [("USD", 178_200_000.0)]


def test_a_past_deal_told_after_the_lead_gives_no_amount() -> None:
    deal = analyse(
        "ORCHARD OFFERS 28 DLRS A SHARE FOR PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it offered to buy Plumtree Inc for 28 dlrs "
        "a share. " + _LEAD_FILLER + "Plumtree acquired Garnet Mills for 147.4 mln dlrs in "
        "January 1982.",
    )
    assert amounts(deal) == [("USD", 28.0)]


def test_a_stake_deal_valued_outright_keeps_its_value() -> None:
    deal = analyse(
        "ORCHARD TAKES STAKE IN PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it bought a 12 pct stake in Plumtree Inc. "
        "It said the transaction was valued at 56 mln dlrs.",
    )
    assert deal.type == "investment"
    assert amounts(deal) == [("USD", 56_000_000.0)]


def test_a_hyphenated_wire_sum_is_read() -> None:
    deal = analyse(
        "ORCHARD BIDS FOR PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it presented a 3.16-billion-dlr offer to "
        "acquire Plumtree Inc to Plumtree's board.",
    )
    assert amounts(deal) == [("USD", 3_160_000_000.0)]
