"""A company's own equity raise (placement, rights issue, follow-on) is a share offering.

Every sentence here is invented for these tests; none is copied from any source.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.lookup import parse_lookup
from watchlists.model import Article


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="o", title=title, text=text), [])


@pytest.mark.parametrize(
    ("title", "text", "amount"),
    [
        (
            "Orchard Social raises 18 billion roubles to build data centres",
            "Orchard Social, the Moscow messaging group, has raised 18 billion roubles in a "
            "private placement of new shares to pay for two data centres near Kazan.",
            "18 billion roubles",
        ),
        (
            "Plumtree Rail plans rights issue to cut borrowing",
            "Plumtree Rail plans a 420 million pound rights issue to pay down its bank loans, "
            "the company said on Monday.",
            "420 million pound",
        ),
        (
            "Kestrel Motors to sell up to $3 billion of stock",
            "Kestrel Motors said on Tuesday it would sell up to $3 billion of its shares in an "
            "at-the-market offering to fund a battery plant.",
            "$3 billion",
        ),
        (
            "Halcyon Foods prices follow-on offering",
            "Halcyon Foods raised $260 million in a follow-on offering priced at a small "
            "discount, its bankers said.",
            "$260 million",
        ),
        (
            "«Северный гастроном» проведет допэмиссию",
            "«Северный гастроном» проведет допэмиссию акций на 12 млрд рублей, сообщила компания.",
            "12 млрд рублей",
        ),
    ],
)
def test_a_company_raising_equity_is_a_share_offering_with_its_amount(
    title: str, text: str, amount: str
) -> None:
    deal = analyse(title, text)
    assert deal.type == "ipo"
    assert [found.text for found in deal.amounts] == [amount]
    assert deal.trigger


def test_a_sale_of_own_stock_is_no_divestment_but_a_sale_of_another_companys_shares_is() -> None:
    own = analyse(
        "Kestrel Motors to sell up to $3 billion of stock",
        "Kestrel Motors said it would sell up to $3 billion of its shares in an at-the-market "
        "offering.",
    )
    other = analyse(
        "Orchard Capital to sell $2 billion of Kestrel Motors shares",
        "Orchard Capital said it would sell $2 billion of Kestrel Motors shares to cut its "
        "stake to 9%.",
    )
    assert own.type == "ipo"
    assert other.type == "divestment"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Plumtree Rail completes private placement",
            "Plumtree Rail said it completed a private placement of 75 million dollars of "
            "senior notes due 2031.",
        ),
        (
            "Plumtree Rail sells bonds",
            "Plumtree Rail said it raised 40 million dollars in a private placement.",
        ),
    ],
)
def test_a_debt_placement_stays_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


def test_an_acquisition_paid_for_with_a_placement_stays_an_acquisition() -> None:
    deal = analyse(
        "Orchard Group to buy Plumtree Rail for $400 million",
        "Orchard Group agreed to buy Plumtree Rail for $400 million and will fund the "
        "purchase with a share placement.",
    )
    assert deal.type == "acquisition"
    assert [found.text for found in deal.amounts] == ["$400 million"]


def test_a_raise_told_only_further_down_does_not_make_the_news_an_offering() -> None:
    deal = analyse(
        "Halcyon Foods quarterly profit rises",
        "Halcyon Foods said quarterly profit rose 12% on higher prices. Sales grew 8%. "
        "The company repaid debt with money from last year's rights issue.",
    )
    assert deal.type == "none"


def test_lookup_reads_offering_and_placement_as_the_offering_type() -> None:
    assert parse_lookup("Orchard type:offering|placement|spo").types == ("ipo",)
