"""Deal analysis on wire copy, by error category: headlines, bid procedure, false deals.

Every sentence here is invented for these tests in the style of a news wire; none is copied.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.model import Article


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="w", title=title, text=text), [])


# ---------------------------------------------------------------------------
# Headline-only filings and bids: the wire's headline is often all there is


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("ORCHARD GROUP HAS 9.8 PCT OF PLUMTREE <PLMT>", "investment", id="has-pct-of"),
        pytest.param("TWO INVESTORS HOLD 12 PCT OF GARNET MILLS", "investment", id="hold-pct-of"),
        pytest.param(
            "ORCHARD CONFIRMS OWNERSHIP OF 15 PCT OF PLUMTREE", "investment", id="ownership-of"
        ),
        pytest.param("ORCHARD RAISES PLUMTREE <PLMT> BID", "acquisition", id="raises-bid"),
        pytest.param("ORCHARD EXTENDS PLUMTREE OFFER", "acquisition", id="extends-offer"),
        pytest.param("PLUMTREE REJECTS ORCHARD BID", "acquisition", id="rejects-bid"),
        pytest.param("ORCHARD BIDS 310 MLN STG FOR PLUMTREE", "acquisition", id="bids-money-for"),
        pytest.param(
            "ORCHARD OFFERS 31 DLRS/SHR FOR PLUMTREE", "acquisition", id="offers-dlrs-shr-for"
        ),
        pytest.param("PLUMTREE GETS BID FROM ORCHARD", "acquisition", id="gets-bid-from"),
        pytest.param("ORCHARD STARTS TENDER FOR PLUMTREE", "acquisition", id="tender-for"),
        pytest.param("ORCHARD <ORC> COMPLETES UNIT SALE", "divestment", id="unit-sale"),
        pytest.param("PLUMTREE HOLDERS APPROVE SALE", "divestment", id="approve-sale"),
        pytest.param("INVESTOR SEEKS CONTROL OF PLUMTREE", "acquisition", id="seeks-control"),
        pytest.param("PLUMTREE COMPLETES GOING PRIVATE DEAL", "acquisition", id="going-private"),
        pytest.param("ORCHARD COMPLETES ACQUISTION OF PLUMTREE", "acquisition", id="typo-noun"),
        pytest.param("ORCHARD UNIT AQUIRES SOFTWARE MAKER", "acquisition", id="typo-verb"),
    ],
)
def test_a_wire_headline_alone_names_the_deal(title: str, expected: str) -> None:
    assert analyse(title).type == expected


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("ORCHARD SEES 12 PCT OF SALES FROM EXPORTS", id="pct-of-sales"),
        pytest.param("ORCHARD FILES FOR OFFERING OF DEBENTURES", id="debt-offering"),
        pytest.param("ORCHARD SALES UP 12 PCT", id="sales-up"),
        pytest.param("AIR DATES SET FOR SERIES", id="air-is-no-typo"),
    ],
)
def test_headlines_near_those_forms_stay_no_deal(title: str) -> None:
    assert analyse(title).type == "none"


def test_a_stake_bought_stays_bought_beside_a_separate_sale() -> None:
    deal = analyse(
        "ORCHARD CORP <ORC>",
        "Orchard Corp agreed to buy a 25 pct stake in Plumtree Mining for 190 mln dlrs, a day "
        "after announcing a separate asset sale in Chile.",
    )
    assert deal.type == "investment"


# ---------------------------------------------------------------------------
# The news lead: wire copy states the deal in its first sentence


def test_one_strong_trigger_in_the_lead_is_the_deal() -> None:
    deal = analyse(
        "ORCHARD CORP <ORC>",
        "Orchard Corp said it completed the acquisition of Plumtree Tools Inc. The maker of "
        "hand tools has 300 employees.",
    )
    assert deal.type == "acquisition"


def test_the_same_trigger_further_down_is_background() -> None:
    deal = analyse(
        "ORCHARD CORP <ORC>",
        "Orchard Corp said it opened a plant in Ohio. The plant employs 300 people. It "
        "replaces a site that came with the acquisition of Plumtree Tools Inc.",
    )
    assert deal.type == "none"


# ---------------------------------------------------------------------------
# A headline about something else: a deal mentioned in passing is not the news


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD SEES STRONGER SECOND HALF",
            "Orchard Corp said acquisitions made last year would lift its margins in the "
            "second half.",
            id="outlook",
        ),
        pytest.param(
            "ORCHARD FILES FOR SHELF REGISTRATION",
            "Orchard Corp said it filed for a shelf registration covering 150 mln dlrs of "
            "notes, with proceeds to be used to finance acquisitions.",
            id="debt-for-acquisitions",
        ),
    ],
)
def test_a_deal_word_in_the_text_of_other_news_is_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("ORCHARD IN 40 MLN DLR DEAL WITH PLUMTREE", id="deal"),
        pytest.param("Orchard wraps up Plumtree sale", id="sale"),
        pytest.param("", id="no-headline"),
    ],
)
def test_the_same_text_is_a_deal_under_a_headline_that_speaks_of_one(title: str) -> None:
    deal = analyse(title, "Orchard Corp said it agreed to acquire Plumtree Tools Inc.")
    assert deal.type == "acquisition"


# ---------------------------------------------------------------------------
# False deals: commodity tenders, gains on past sales, ratings, debt offers, goods, ventures
# named only to say who a company is


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "JORDAN TO TENDER FOR RBD PALM OLEIN",
            "Jordan will hold an import tender on Monday for 5,000 tonnes of palm olein, "
            "traders said.",
            id="tender-for-commodity",
        ),
        pytest.param(
            "PERU REJECTS ALL OFFERS AT RICE TENDER",
            "Peru rejected all offers at its rice tender on Tuesday, an official said.",
            id="rejects-offers-at-tender",
        ),
        pytest.param(
            "COMMISSION REJECTS BARLEY EXPORT BIDS",
            "The commission rejected all bids to export feed barley at its weekly tender, "
            "traders said.",
            id="bids-to-export",
        ),
        pytest.param(
            "ORCHARD TO HAVE GAIN ON UNIT SALE",
            "Orchard Corp said it will post a first quarter gain of 12 mln dlrs on the "
            "previously announced sale of its Plumtree unit to Garnet Inc.",
            id="gain-on-past-sale",
        ),
        pytest.param(
            "ORCHARD DEBT UPGRADED BY MOODY'S",
            "Moody's Investors Service Inc said it upgraded 150 mln dlrs of Orchard Corp "
            "debt, citing lower leverage after the sale of its Plumtree unit.",
            id="rating",
        ),
        pytest.param(
            "ORCHARD FILES FOR OFFERING OF 200 MLN DLRS OF NOTES",
            "",
            id="notes-offering-headline",
        ),
        pytest.param(
            "ORCHARD LINE SELLING TANKERS AND BULKERS",
            "Orchard Line is selling 12 tankers and several bulk carriers for scrap, industry "
            "sources said.",
            id="selling-ships",
        ),
        pytest.param(
            "GARNET LIFTS ASIAN FUEL PRICES",
            "Garnet Petroleum Corp, a joint venture between Orchard Corp and Plumtree Inc, said "
            "it lifted posted prices for several fuels in Asia.",
            id="venture-as-description",
        ),
        pytest.param(
            "ORCHARD EXPANDS PLANT IN KOREA",
            "Orchard Corp said its Korean joint venture Orchard Seoul Ltd is building a new "
            "catalyst plant near Ulsan.",
            id="its-venture-acts",
        ),
    ],
)
def test_wire_stories_that_only_look_like_deals(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


# ---------------------------------------------------------------------------
# Takeovers told through their procedure


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ORCHARD <ORC> SEEKS BUYER FOR GLASS UNIT",
            "Orchard Corp said it retained an investment bank to seek a buyer for its glass "
            "unit, which had sales of 80 mln dlrs last year.",
            "divestment",
            id="seeks-buyer",
        ),
        pytest.param(
            "PLUMTREE HOLDERS TO GET 31 DLRS/SHARE",
            "Garnet Group said it is willing to pay 31 dlrs/share for Plumtree Inc.",
            "acquisition",
            id="pay-dlrs-share-for",
        ),
        pytest.param(
            "ORCHARD WILL PAY 630 MLN DLRS TO PLUMTREE FOR MILLS",
            "",
            "acquisition",
            id="pay-money-to-seller-for",
        ),
        pytest.param(
            "ORCHARD OFFERS 50 DLRS/SHR AND 40 DLRS/WARRANT FOR PLUMTREE",
            "",
            "acquisition",
            id="offer-per-share-and-warrant",
        ),
        pytest.param(
            "STOCKS/PLUMTREE OIL <PLO>",
            "Orchard Corp's announcement that it intends to tender for the 45 pct of Plumtree "
            "Oil it does not already own lifted oil stocks sharply, traders said.",
            "acquisition",
            id="tender-for-pct-of",
        ),
        pytest.param(
            "ORCHARD <ORC> CLEARS WAITING PERIOD",
            "Orchard Corp said the waiting period under the Hart-Scott-Rodino Act expired for "
            "its proposed purchase of Plumtree Inc.",
            "acquisition",
            id="waiting-period",
        ),
    ],
)
def test_takeover_procedure_is_a_deal(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD <ORC> DEBT MAY BE CUT BY S/P",
            "Standard and Poor's Corp said it may cut Orchard Corp's 300 mln dlrs of senior "
            "debt, citing the proposed acquisition of Plumtree Inc and the debt it will add.",
            id="rating-agency",
        ),
        pytest.param(
            "ORCHARD FILES SHELF FOR 200 MLN DLRS OF NOTES",
            "Orchard Corp said it filed a shelf registration for 200 mln dlrs of senior notes. "
            "Proceeds will be used to repay debt taken on to acquire Plumtree Inc and for "
            "future acquisitions.",
            id="shelf-registration",
        ),
        pytest.param(
            "BANK OF SPAIN SELLS 2.5 BILLION PESETAS OF TAP STOCK",
            "The Bank of Spain said it sold 2.5 billion pesetas of treasury tap stock at an "
            "auction, against bids totalling 6.1 billion.",
            id="tap-stock",
        ),
        pytest.param(
            "MORTGAGE-BACKED ISSUES SEEN GROWING",
            "Issuers of mortgage-backed securities are expected to bring more deals, bankers "
            "said, after investors backed the market strongly last year.",
            id="asset-backed",
        ),
        pytest.param(
            "SENATOR WILL NOT BACK FUEL TAX PLAN",
            "Senator Jane Rowe said she would not back the fuel tax increase proposed by the "
            "committee.",
            id="back-a-plan",
        ),
        pytest.param(
            "KOREANS TO BUY 2 BILLION DLRS OF U.S. GOODS",
            "South Korea said its companies will buy 2 billion dlrs worth of U.S. goods this "
            "year, and foreign investment in the country rose 30 pct.",
            id="trade-flows",
        ),
        pytest.param(
            "NET FOREIGN STOCK PURCHASES BY JAPANESE JUMP",
            "Japanese net purchases of foreign stocks rose to 1.5 billion dlrs in May from "
            "900 mln in April, the finance ministry said.",
            id="portfolio-flows",
        ),
        pytest.param(
            "ORCHARD SEES HIGHER 1988 EARNINGS",
            "Orchard Corp said it expects higher 1988 earnings, helped by last year's "
            "acquisition of Plumtree Inc and the purchase of two plants from Garnet Corp. The "
            "company also bought a small distributor in Ohio.",
            id="outlook-headline",
        ),
    ],
)
def test_debt_market_and_results_news_are_no_deals(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


# ---------------------------------------------------------------------------
# Amounts: the price paid "in cash and" shares, a value stated in the next sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Orchard Corp said it agreed to sell its school business to Plumtree Inc for 20 mln "
            "dlrs in cash and about 1.7 mln Plumtree shares.",
            "20 mln dlrs",
            id="in-cash-and-shares",
        ),
        pytest.param(
            "Orchard Corp said it bought 300,000 preferred shares of Plumtree Inc for 1,500,000 "
            "dlrs in cash and real estate.",
            "1,500,000 dlrs",
            id="in-cash-and-property",
        ),
        pytest.param(
            "Orchard Corp said it signed a definitive agreement to buy Plumtree Inc. As "
            "previously announced, the transaction is valued at about 8.8 mln dlrs, including "
            "2.8 mln dlrs in debt.",
            "8.8 mln dlrs",
            id="valued-at-beside-debt",
        ),
    ],
)
def test_the_price_is_read_where_the_wire_states_it(text: str, expected: str) -> None:
    deal = analyse("ORCHARD TO BUY PLUMTREE", text)
    assert expected in [amount.text for amount in deal.amounts]


def test_cash_on_hand_is_still_no_amount() -> None:
    deal = analyse(
        "ORCHARD TO BUY PLUMTREE",
        "Orchard Corp agreed to buy Plumtree Inc for 40 mln dlrs. Orchard had 90 mln dlrs in "
        "cash and equivalents at the end of the year.",
    )
    assert [amount.text for amount in deal.amounts] == ["40 mln dlrs"]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "GARNET BOOSTS PLUMTREE <PLM> HOLDINGS", "", "investment", id="boosts-holding"
        ),
        pytest.param(
            "ORCHARD CORP <ORC>",
            "Orchard Corp said it cut its holding in Plumtree Inc to 4.2 pct from 6.1 pct.",
            "divestment",
            id="cuts-holding",
        ),
        pytest.param(
            "ORCHARD UNIT TRANSFERS STOCK",
            "Orchard Corp said its Brazilian unit agreed to transfer 55 pct of the stock of a "
            "glass maker to a European group.",
            "divestment",
            id="transfers-stock-to",
        ),
        pytest.param(
            "ORCHARD ENDS PACT TO SELL CHIP UNIT TO PLUMTREE",
            "",
            "divestment",
            id="pact-to-sell",
        ),
    ],
)
def test_holdings_that_change_hands_are_deals(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD TO HAVE 60 MLN DLR GAIN FROM SALE OF PLUMTREE STAKE",
            "",
            id="gain-from-stake-sale",
        ),
        pytest.param("ORCHARD TO HAVE LOSS FROM EGG UNIT SALE", "", id="loss-from-unit-sale"),
        pytest.param(
            "ORCHARD SETS PREFERRED PURCHASE RIGHTS",
            "Orchard Corp said its board declared a dividend of one preferred stock purchase "
            "right for each common share, exercisable if a group buys 20 pct of its stock.",
            id="purchase-rights",
        ),
        pytest.param(
            "ORCHARD TO BUY 200,000 OF ITS SHARES",
            "Orchard Corp said its board approved the purchase of up to 200,000 of its own "
            "shares from time to time.",
            id="own-shares",
        ),
        pytest.param("MAY PURCHASING MANAGERS INDEX UP AT 52.1", "", id="purchasing-managers"),
        pytest.param(
            "COCOA BUFFER STOCK BUYING SEEN SOON",
            "The buffer stock manager could start buying cocoa next week, delegates said.",
            id="buffer-stock",
        ),
        pytest.param("TRADERS SAY SOVIETS MADE LARGE SUGAR PURCHASE", "", id="sugar-purchase"),
        pytest.param("INTERVENTION FEED WHEAT SOLD TO HOME MARKET", "", id="wheat-sold"),
    ],
)
def test_more_wire_stories_that_only_look_like_deals(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD MORTGAGE INVESTMENTS INC <OMI> PAYOUT",
            "Qtly div 24 cts vs 24 cts prior Pay April 10 Record March 31",
            id="investments-in-a-name",
        ),
        pytest.param("USDA SAYS CORN PURCHASED FROM FOREIGN SELLERS", "", id="corn-purchased"),
        pytest.param("PERU SELLS TRADER 30,000 TONS SUGAR", "", id="sells-tons"),
        pytest.param("ORCHARD SECURITIES SUSPENDS LONDON MERGER CHIEF", "", id="merger-chief"),
    ],
)
def test_names_and_trade_words_that_only_look_like_deals(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"
