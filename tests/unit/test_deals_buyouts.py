"""Take-privates, buying out the rest of a company, sale processes, and deals blocked by a regulator.

Every sentence here is invented for these tests; none is copied from any source.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.model import Article


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="b", title=title, text=text), [])


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Orchard Capital takes Plumtree Retail private in £1.1bn deal",
            "Buyout firm Orchard Capital will take Plumtree Retail private for £1.1bn including "
            "debt.",
        ),
        (
            "Orchard Capital to take Plumtree private",
            "Orchard Capital agreed to take Plumtree Holdings private.",
        ),
        (
            "Plumtree backs take-private offer",
            "Plumtree accepted a take-private offer worth $2 billion from Orchard Capital.",
        ),
    ],
)
def test_taking_a_company_private_is_an_acquisition(title: str, text: str) -> None:
    assert analyse(title, text).type == "acquisition"


def test_taking_stakes_in_private_companies_is_no_take_private() -> None:
    deal = analyse(
        "Orchard Capital to back more start-ups",
        "Orchard Capital said it would take stakes in private companies across Asia.",
    )
    assert deal.type != "acquisition"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Kestrel to acquire remaining 49% of China venture",
            "Kestrel Motors will buy the 49% of its Chinese joint venture that it does not "
            "already own for 3.5 billion yuan.",
        ),
        (
            "Kestrel buys out Orchard Labs",
            "Kestrel Pharma said it bought the remaining 30% of Orchard Labs for $90 million.",
        ),
    ],
)
def test_buying_the_rest_of_a_company_is_an_acquisition_whatever_the_percentage(
    title: str, text: str
) -> None:
    assert analyse(title, text).type == "acquisition"


def test_a_minority_stake_bought_outright_stays_an_investment() -> None:
    deal = analyse(
        "Kestrel buys 30% of Orchard Labs",
        "Kestrel Pharma bought 30% of Orchard Labs for $90 million.",
    )
    assert deal.type == "investment"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Regulator blocks Kestrel's purchase of Orchard",
            "The competition authority blocked Kestrel Telecom's planned $900 million purchase "
            "of Orchard Mobile.",
        ),
        (
            "Commission vetoes Orchard-Plumtree merger",
            "The European Commission vetoed the merger of Orchard Rail and Plumtree Rail.",
        ),
    ],
)
def test_a_deal_blocked_or_vetoed_is_terminated(title: str, text: str) -> None:
    assert analyse(title, text).stage == "terminated"


def test_a_blocking_stake_is_a_holding_not_a_blocked_deal() -> None:
    deal = analyse(
        "Kestrel takes blocking stake in Orchard",
        "Kestrel Telecom bought a 25% blocking stake in Orchard Mobile for $200 million.",
    )
    assert deal.type == "investment"
    assert deal.stage != "terminated"


def test_a_company_exploring_strategic_alternatives_is_a_sale_in_the_making() -> None:
    deal = analyse(
        "Kestrel hires bankers to explore options",
        "Kestrel Energy has hired advisers to explore strategic alternatives, including a sale "
        "of the company.",
    )
    assert deal.type == "divestment"
    assert deal.stage == "rumoured"


def test_a_strategic_review_that_ends_in_independence_is_terminated() -> None:
    deal = analyse(
        "Orchard ends strategic review, will stay independent",
        "Orchard Mining said its strategic review had ended and it would remain independent.",
    )
    assert deal.stage == "terminated"


@pytest.mark.parametrize(
    "title",
    [
        "Orchard wins bankruptcy auction for Plumtree's stores",
        "Kestrel named stalking-horse bidder for Plumtree Solar",
        "Plumtree rejects $5bn approach from Kestrel",
        "Plumtree confirms takeover approach",
    ],
)
def test_bankruptcy_auctions_and_approaches_are_acquisitions(title: str) -> None:
    assert analyse(title).type == "acquisition"


def test_money_secured_from_an_investor_is_an_investment_but_a_loan_is_not() -> None:
    deal = analyse("Orchard secures $500m from sovereign fund")
    assert deal.type == "investment"
    assert [found.text for found in deal.amounts] == ["$500m"]
    assert analyse("Orchard secures $500m loan from banks").type == "none"
