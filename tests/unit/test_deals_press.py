"""Deal news as today's press and press releases tell it, often in a headline alone.

Categories found on a public set of modern financial headlines (read for categories only,
never copied); every sentence here is invented for these tests.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.model import Article


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="p", title=title, text=text), [])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Halcyon Robotics to take controlling interest in Orchard Arms", "acquisition"),
        ("Kestrel jumps on report it is exploring a sale", "divestment"),
        ("Plumtree rises as activist pushes for sale process", "divestment"),
        ("Orchard falls as judge weighs regulator's suit to block sale to Halcyon", "divestment"),
        ("Kestrel received $21/share cash and stock offer from Orchard - filing", "acquisition"),
        ("Halcyon makes all-cash bid for Plumtree Software", "acquisition"),
    ],
)
def test_headline_only_deal_news_is_typed(title: str, expected: str) -> None:
    assert analyse(title).type == expected


def test_a_suit_to_block_a_deal_is_no_blocked_deal() -> None:
    deal = analyse("Orchard falls as regulator sues to block sale to Halcyon")
    assert deal.stage != "terminated"


def test_a_company_named_after_a_commodity_is_bought_like_any_company() -> None:
    deal = analyse("Halcyon to buy Northern Gold in all-stock deal")
    assert deal.type == "acquisition"
    assert analyse("Halcyon agrees to buy Plumtree Copper Corp").type == "acquisition"
    # The commodity itself stays trade.
    assert analyse("Refiner buys crude from the North Sea").type == "none"


def test_all_the_issued_and_outstanding_securities_are_bought_not_issued() -> None:
    deal = analyse(
        "Halcyon Mining and Northern Gold sign letter of intent",
        "Halcyon Mining and Northern Gold said they signed a binding letter of intent under "
        "which Halcyon would acquire all of the issued and outstanding securities of Northern "
        "Gold by way of a plan of arrangement.",
    )
    assert deal.type == "acquisition"


def test_getting_a_company_back_is_no_investment_cue() -> None:
    from watchlists.deals.rules import TYPE_RULES

    (backing,) = [
        rule for rule in TYPE_RULES if rule.label == "investment" and "backed" in rule.anchors
    ]
    assert backing.pattern.search("The start-up is backed by Orchard Ventures.")
    assert backing.pattern.search("Kestrel will back Plumtree with $40 million.")
    assert not backing.pattern.search("The founders were glad to get Orchard back.")
    assert not backing.pattern.search("It brings the platform back under its founders.")


def test_a_placement_concurrent_with_a_merger_leaves_the_merger() -> None:
    deal = analyse(
        "Orchard Bio Announces Completion of Merger with Kestrel Oncology and Concurrent "
        "Private Placement of $60 Million"
    )
    assert (deal.type, deal.stage) == ("merger", "completed")


def test_to_be_acquired_is_announced_not_completed() -> None:
    deal = analyse("Plumtree Financial to be acquired by Orchard Capital and Halcyon Partners")
    assert (deal.type, deal.stage) == ("acquisition", "announced")


@pytest.mark.parametrize(
    "title",
    [
        "Halcyon Rail upped to buy at Kestrel Securities on earnings",
        "Orchard Growth Acquisition Limited Announces Adjournment of Special Meeting",
        "Plumtree Acquisition Corp. extends deadline for shareholders",
    ],
)
def test_analyst_ratings_and_blank_check_company_names_are_no_deal(title: str) -> None:
    assert analyse(title).type == "none"


@pytest.mark.parametrize(
    "title",
    [
        "Kestrel Treasury buys 640 more bitcoin, lifting its holdings to 9,000 BTC",
        "Orchard Holdings to buy $300M in tokens as it pivots to a crypto treasury",
        "Plumtree skipped Bitcoin buys last week",
        "Gas stocks rise after bloc agrees to huge energy purchases",
        "Ten things to negotiate when buying a home",
        "Fund manager backs 10% allocation to gold",
    ],
)
def test_crypto_and_commodity_buying_and_personal_finance_are_no_deal(title: str) -> None:
    assert analyse(title).type not in {"acquisition", "investment", "merger", "divestment"}


def test_a_press_release_lead_announcing_an_acquisition_is_one_under_any_headline() -> None:
    deal = analyse(
        "Orchard Analytics founders reunite with their first product",
        "Kestrel Data today announced the acquisition of Orchard Analytics, bringing the "
        "platform back under its founders.",
    )
    assert deal.type == "acquisition"


def test_title_case_headlines_keep_their_amounts() -> None:
    assert [found.text for found in analyse("Orchard Raises $50 Million In Series B").amounts] == [
        "$50 Million"
    ]
    assert [
        found.text for found in analyse("Kestrel To Acquire Plumtree For $1.2 Billion").amounts
    ] == ["$1.2 Billion"]


def test_an_earlier_deals_amount_dated_to_a_past_year_is_not_this_deals() -> None:
    from datetime import UTC, datetime

    article = Article(
        id="p",
        title="Kestrel buys Orchard for $1.5bn, its biggest deal since 2019",
        text="Kestrel Foods will pay $1.5 billion for Orchard Snacks. Kestrel paid $900 million "
        "for Plumtree in 2019.",
        published=datetime(2026, 5, 1, tzinfo=UTC),
    )
    assert [found.text for found in analyse_deal(article, []).amounts] == ["$1.5 billion"]
    # This year's second payment stays.
    same_year = Article(
        id="p",
        title=article.title,
        text="Kestrel Foods will pay $1.5 billion for Orchard Snacks, plus $200 million in 2026 "
        "if targets are met.",
        published=article.published,
    )
    assert [found.text for found in analyse_deal(same_year, []).amounts] == [
        "$1.5 billion",
        "$200 million",
    ]
