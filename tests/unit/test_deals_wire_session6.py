"""Deal analysis on wire copy, session 6: deals by their context, and the dev halves.

Every sentence here is invented for these tests in the style of a news wire; none is copied.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.deals.rules import MASK_RULES, TYPE_RULES
from watchlists.deals.wire_context import NOT_DEAL_EXPRESSIONS, TYPE_TRIGGERS
from watchlists.model import Article

DEAL_LIKE = {"acquisition", "merger", "investment", "divestment", "joint_venture"}


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="w", title=title, text=text), [])


def _evaluate_module() -> ModuleType:
    path = Path(__file__).parents[2] / "benchmarks" / "reuters" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("reuters_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------
# The benchmark's dev halves: errors are read on dev-a, dev-b checks that rules generalise


def test_dev_halves_split_dev_by_newid_parity_and_leave_eval_alone() -> None:
    in_slice = _evaluate_module().in_slice
    rows = [{"id": f"r{n}", "slice": "eval" if n % 5 == 0 else "dev"} for n in range(1, 41)]
    dev_a = {row["id"] for row in rows if in_slice(row, "dev-a")}
    dev_b = {row["id"] for row in rows if in_slice(row, "dev-b")}
    dev = {row["id"] for row in rows if in_slice(row, "dev")}
    assert dev_a | dev_b == dev and not dev_a & dev_b
    assert "r2" in dev_a and "r3" in dev_b and "r10" not in dev_a | dev_b
    assert all(in_slice(row, "all") for row in rows)


def test_errors_are_listed_for_dev_a_only(capsys: pytest.CaptureFixture[str]) -> None:
    main = _evaluate_module().main
    for name in ("eval", "dev", "dev-b"):
        assert main(["--slice", name, "--errors", "5", "--data", "/nonexistent"]) in (0, 2)
        out = capsys.readouterr().out
        assert "skipped" in out or "dev-a errors only" in out


# ---------------------------------------------------------------------------
# Every rule of the module is tried: a rule with no anchor would never run


def test_every_context_rule_has_anchors() -> None:
    assert all(found.anchors for found in TYPE_RULES[-len(TYPE_TRIGGERS) :])
    if NOT_DEAL_EXPRESSIONS:
        assert all(found.anchors for found in MASK_RULES[-len(NOT_DEAL_EXPRESSIONS) :])


# ---------------------------------------------------------------------------
# Deals stated with their stage clear the bar of a headline that names no deal


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ORCHARD <ORC> ADDS SNACK BAKERY CAPACITY IN MIDWEST",
            "DAYTON, May 12 - Orchard Foods Corp said it completed the acquisition of two "
            "bakeries in Indiana from Plumtree Inc. Terms were not disclosed. The bakeries will "
            "supply Orchard's snack division.",
            "acquisition",
            id="completed-the-acquisition-of",
        ),
        pytest.param(
            "ORCHARD <ORC> REVIEWS ITS PLANS FOR EUROPE",
            "DENVER, May 12 - Orchard Corp said it has sold its Belgian retail chain to a "
            "management group. Orchard will focus on its North American markets, it said.",
            "divestment",
            id="has-sold-its",
        ),
        pytest.param(
            "ORCHARD <ORC> SETS COURIER CHANGES",
            "BOSTON, May 12 - Orchard Express said it has agreed in principle to sell its "
            "overnight parcel network to Plumtree Logistics. A final contract is due within a "
            "month, it said.",
            "divestment",
            id="agreed-in-principle-to-sell",
        ),
    ],
)
def test_a_deal_stated_with_its_stage_needs_no_deal_headline(
    title: str, text: str, expected: str
) -> None:
    assert analyse(title, text).type == expected


# ---------------------------------------------------------------------------
# Trade in goods and money: any commodity, fuel or currency, not only those seen before


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "RURITANIA BUYS UREA",
            "SELVA, March 3 - Ruritania's state trading company bought urea and diammonium "
            "phosphate for April shipment, traders said.",
            id="fertilizer",
        ),
        pytest.param(
            "REFINERS BUY NAPHTHA",
            "ROTTERDAM, March 3 - European refiners bought spot naphtha and jet fuel cargoes "
            "this week as prices eased, traders said.",
            id="fuels",
        ),
        pytest.param(
            "RURITANIA SELLS IRON ORE",
            "SELVA, March 3 - Ruritania sold iron ore and coking coal to Asian mills at lower "
            "prices, officials said.",
            id="ore-and-coal",
        ),
        pytest.param(
            "EXPORTERS BUY CANOLA",
            "WINNIPEG, March 3 - Exporters bought canola and flaxseed for shipment to Asia, "
            "trade sources said.",
            id="oilseeds",
        ),
        pytest.param(
            "FUND SELLS GUILDERS",
            "AMSTERDAM, March 3 - A large fund sold guilders against marks, dealers said.",
            id="currency",
        ),
        pytest.param(
            "RURITANIA SELLS FRANCS",
            "SELVA, March 3 - Ruritania sold francs to support the lira after the vote, "
            "dealers said.",
            id="currency-to-support",
        ),
    ],
)
def test_goods_and_currencies_bought_and_sold_are_trade(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ORCHARD <ORC> TO SELL COPPER MINE",
            "NEW YORK, March 3 - Orchard Corp said it will sell its copper mine in Arizona to "
            "Plumtree Inc for 50 mln dlrs.",
            "divestment",
            id="goods-then-mine",
        ),
        pytest.param(
            "ORCHARD <ORC> BUYS GAMMA STEEL",
            "NEW YORK, March 3 - Orchard Corp said it agreed to buy Gamma Steel Corp for 50 mln "
            "dlrs.",
            "acquisition",
            id="company-named-after-goods",
        ),
        pytest.param(
            "ORCHARD <ORC> BUYS MARKS AND SPENCER STAKE",
            "LONDON, March 3 - Orchard Plc said it bought a 5 pct stake in Marks and Spencer Plc.",
            "investment",
            id="company-named-after-a-currency",
        ),
        pytest.param(
            "ORCHARD <ORC> TO BUY GAS UTILITY",
            "NEW YORK, March 3 - Orchard Corp said it agreed to buy Plumtree Gas Co, a gas "
            "utility, for 300 mln dlrs.",
            "acquisition",
            id="gas-utility",
        ),
        pytest.param(
            "ORCHARD <ORC> SELLS ARMS UNIT",
            "NEW YORK, March 3 - Orchard Corp said it sold its arms unit to Plumtree Inc for "
            "300 mln dlrs.",
            "divestment",
            id="arms-unit",
        ),
        pytest.param(
            "Fruit processor buys rival to secure mango pulp supply",
            "Orchard Foods has bought Plumtree Agro, a rival processor, for 40 mln dlrs.",
            "acquisition",
            id="goods-after-an-infinitive",
        ),
    ],
)
def test_a_business_named_with_goods_is_still_a_deal(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


# ---------------------------------------------------------------------------
# A bid told by its value


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "LONDON, March 3 - Orchard Plc said it made an offer worth 53 mln stg for Plumtree "
            "Plc.",
            id="offer-worth-for",
        ),
        pytest.param(
            "LONDON, March 3 - Orchard Plc said its offer values Plumtree Plc at 53 mln stg.",
            id="offer-values-at",
        ),
    ],
)
def test_a_bid_told_by_its_value_is_an_acquisition_with_that_amount(text: str) -> None:
    deal = analyse("ORCHARD <ORC> MAKES OFFER", text)
    assert deal.type == "acquisition"
    assert [(amount.currency, amount.value) for amount in deal.amounts] == [("GBP", 53e6)]


# ---------------------------------------------------------------------------
# Orders, spending, market trading and fixed expressions with a deal word


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD <ORC> ORDERS AIRCRAFT",
            "NEW YORK, March 3 - Orchard Airlines said it agreed to buy six new jets from "
            "Plumtree Aircraft for 300 mln dlrs.",
            id="jets-ordered",
        ),
        pytest.param(
            "ORCHARD <ORC> GETS ORDER",
            "NEW YORK, March 3 - Orchard Corp said Plumtree Inc agreed to purchase 2,000 of its "
            "trucks over three years.",
            id="trucks-ordered",
        ),
        pytest.param(
            "ORCHARD <ORC> INVESTS IN NEW TECHNOLOGY",
            "NEW YORK, March 3 - Orchard Corp said it invested 40 mln dlrs last year in new "
            "computer technology for its mills.",
            id="capital-spending",
        ),
        pytest.param(
            "ORCHARD <ORC> CUTS INVESTMENT PLAN",
            "NEW YORK, March 3 - Orchard Corp said it cut its 1987 investment program by 20 pct "
            "because of lower oil prices.",
            id="investment-program",
        ),
        pytest.param(
            "RURITANIA OFFERS INVESTMENT INCENTIVES",
            "SELVA, March 3 - Ruritania will offer tax breaks to attract investment in its "
            "mining and oil industries, the finance minister said.",
            id="attract-investment",
        ),
        pytest.param(
            "STOCKS FALL ON SELLING PRESSURE",
            "NEW YORK, March 3 - Stock prices fell sharply as heavy selling by institutions hit "
            "blue chips, traders said.",
            id="market-selling",
        ),
        pytest.param(
            "ORCHARD <ORC> SHARES SOLD SHORT",
            "NEW YORK, March 3 - Short interest in Orchard Corp shares rose to 2.1 mln shares, "
            "the exchange said.",
            id="short-interest",
        ),
        pytest.param(
            "ORCHARD <ORC> WINS BID FOR CONTRACT",
            "NEW YORK, March 3 - Orchard Corp said it won a bid to build a 200 mln dlr power "
            "plant in Ruritania.",
            id="contract-bid",
        ),
        pytest.param(
            "AIDS DRUG TESTS EXPANDED",
            "WASHINGTON, March 3 - Tests of a drug to treat acquired immune deficiency "
            "syndrome will be expanded, health officials said.",
            id="acquired-immune-deficiency",
        ),
        pytest.param(
            "ORCHARD <ORC> TENDERS FOR DEBENTURES",
            "NEW YORK, March 3 - Orchard Corp said it began a tender offer for all of its 13 "
            "pct subordinated debentures due 1999 at 1,080 dlrs per 1,000 dlr face amount.",
            id="tender-for-own-debentures",
        ),
        pytest.param(
            "ORCHARD <ORC> EXCHANGE OFFER FOR PREFERRED",
            "NEW YORK, March 3 - Orchard Corp said it offered to exchange common stock for all "
            "of its outstanding preferred shares.",
            id="exchange-for-own-preferred",
        ),
        pytest.param(
            "ORCHARD <ORC> ACQUIRES DRUG RIGHTS",
            "NEW YORK, March 3 - Orchard Corp said it acquired the exclusive U.S. marketing "
            "rights to a heart drug from Plumtree Inc.",
            id="marketing-rights",
        ),
        pytest.param(
            "ORCHARD <ORC> UNIT GETS LICENSE",
            "NEW YORK, March 3 - Orchard Corp said its unit acquired a license to make "
            "Plumtree's engines in Asia.",
            id="licence",
        ),
        pytest.param(
            "ORCHARD <ORC> TO SELL 2 MLN SHARES",
            "NEW YORK, March 3 - Orchard Corp said it will sell 2 mln shares of common stock in "
            "a public offering through Plumtree Securities.",
            id="own-shares-offered",
        ),
        pytest.param(
            "ORCHARD <ORC> SHARE OFFER OVERSUBSCRIBED",
            "LONDON, March 3 - The offer for sale of 50 mln Orchard Plc shares was "
            "oversubscribed 10 times, the brokers said.",
            id="offer-for-sale-oversubscribed",
        ),
        pytest.param(
            "RURITANIA INVESTMENT LAW CHANGED",
            "SELVA, March 3 - Ruritania changed its investment law to let foreigners own up to "
            "49 pct of local firms.",
            id="investment-law",
        ),
        pytest.param(
            "ORCHARD <ORC> COMMITS 50 MLN DLRS TO RESEARCH",
            "NEW YORK, March 3 - Orchard Corp said it will commit 50 mln dlrs to research on new "
            "drugs over five years.",
            id="committed-to-research",
        ),
        pytest.param(
            "RURITANIA INVESTMENT RISES",
            "SELVA, March 3 - Business investment in Ruritania rose 12 pct in the fourth "
            "quarter, the statistics office said.",
            id="investment-statistic",
        ),
        pytest.param(
            "ORCHARD <ORC> TO BUY GAS FROM PLUMTREE",
            "NEW YORK, March 3 - Orchard Utilities said it agreed to buy natural gas from "
            "Plumtree Pipeline Co under a 10-year contract.",
            id="gas-bought-from-a-named-seller",
        ),
        pytest.param(
            "RURITANIA TO BUY ARMS",
            "SELVA, March 3 - Ruritania will buy fighter planes and tanks worth 2 billion dlrs, "
            "the defence ministry said.",
            id="arms",
        ),
        pytest.param(
            "ORCHARD <ORC> BUYS COMPUTERS",
            "NEW YORK, March 3 - Orchard Corp said it will purchase 30 mln dlrs of computers "
            "from Plumtree Inc.",
            id="computers-by-value",
        ),
        pytest.param(
            "ORCHARD <ORC> ACQUIRES OIL LEASES",
            "HOUSTON, March 3 - Orchard Oil said it acquired leases on 12,000 acres in west Texas.",
            id="oil-leases",
        ),
    ],
)
def test_orders_spending_and_market_trading_are_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ORCHARD <ORC> TO BUY TRUCK MAKER",
            "NEW YORK, March 3 - Orchard Corp said it agreed to buy Plumtree Trucks Inc, a maker "
            "of heavy trucks, for 300 mln dlrs.",
            "acquisition",
            id="truck-maker-bought",
        ),
        pytest.param(
            "ORCHARD <ORC> TENDERS FOR PLUMTREE",
            "NEW YORK, March 3 - Orchard Corp said it began a tender offer for all of Plumtree "
            "Inc's common shares at 30 dlrs a share.",
            "acquisition",
            id="tender-for-another-company",
        ),
        pytest.param(
            "ORCHARD <ORC> TO SELL 2 MLN PLUMTREE SHARES",
            "NEW YORK, March 3 - Orchard Corp said it will sell its 2 mln shares of Plumtree Inc "
            "to Gamma Corp for 40 mln dlrs.",
            "divestment",
            id="another-companys-shares-sold",
        ),
        pytest.param(
            "ORCHARD <ORC> COMMITS FUNDS TO PLUMTREE",
            "NEW YORK, March 3 - Orchard Corp said it will commit 50 mln dlrs to Plumtree Inc "
            "for a 20 pct stake.",
            "investment",
            id="committed-to-a-company",
        ),
        pytest.param(
            "ORCHARD <ORC> TO INVEST IN PLUMTREE",
            "NEW YORK, March 3 - Orchard Corp said it will invest 30 mln dlrs in Plumtree Inc "
            "for a 20 pct stake.",
            "investment",
            id="invest-in-a-company",
        ),
    ],
)
def test_a_company_bought_or_invested_in_is_still_a_deal(
    title: str, text: str, expected: str
) -> None:
    assert analyse(title, text).type == expected


# ---------------------------------------------------------------------------
# Amounts: what the holders are to receive is the price


def test_what_the_holders_will_receive_is_the_deals_amount() -> None:
    deal = analyse(
        "ORCHARD TO BUY PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it agreed to acquire Plumtree Inc. Plumtree, "
        "a maker of valves, had 1986 sales of 90 mln dlrs. Under the agreement, Plumtree "
        "shareholders will receive 53 mln dlrs in cash.",
    )
    assert deal.type == "acquisition"
    assert [(amount.currency, amount.value) for amount in deal.amounts] == [("USD", 53e6)]


# ---------------------------------------------------------------------------
# Deals told without a deal verb: for sale, talks about combining, exchange ratios


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "PLUMTREE <PLM> PUTS ITSELF UP FOR SALE",
            "NEW YORK, March 3 - Plumtree Inc said its board decided to put the company up for "
            "sale.",
            "divestment",
            id="up-for-sale",
        ),
        pytest.param(
            "ORCHARD <ORC> SAYS PLUMTREE TALKS ENDED",
            "NEW YORK, March 3 - Orchard Corp said it ended discussions with Plumtree Inc about "
            "combining the two companies.",
            "merger",
            id="talks-about-combining",
        ),
        pytest.param(
            "ORCHARD CORP <ORC>",
            "NEW YORK, March 3 - Orchard Corp said Plumtree holders will get 1.2 Orchard shares "
            "for each Plumtree share.",
            "acquisition",
            id="exchange-ratio",
        ),
        pytest.param(
            "PLUMTREE <PLM> BOARD BACKS ORCHARD OFFER",
            "NEW YORK, March 3 - Plumtree Inc said its board voted to recommend that "
            "shareholders accept Orchard Corp's proposal.",
            "acquisition",
            id="accept-a-proposal",
        ),
        pytest.param(
            "ORCHARD <ORC> MAKES PLUMTREE APPROACH",
            "LONDON, March 3 - Orchard Plc said it had approached Plumtree Plc with a view to "
            "making an offer.",
            "acquisition",
            id="approach-with-a-view-to-an-offer",
        ),
        pytest.param(
            "PLUMTREE <PLM> REBUFFS ORCHARD OVERTURE",
            "NEW YORK, March 3 - Plumtree Inc said it rebuffed an overture from Orchard Corp, "
            "which had proposed a friendly combination.",
            "acquisition",
            id="overture",
        ),
        pytest.param(
            "PLUMTREE <PLM> HOLDERS TENDER SHARES",
            "NEW YORK, March 3 - Orchard Corp said holders had tendered 4.5 mln Plumtree Inc "
            "shares under its offer.",
            "acquisition",
            id="shares-tendered-counted",
        ),
    ],
)
def test_a_deal_told_without_a_deal_verb_is_found(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


# ---------------------------------------------------------------------------
# Past deals told as background in other news


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD <ORC> SETTLES SUIT",
            "NEW YORK, March 3 - Orchard Corp said it settled a shareholder suit stemming from "
            "its 1985 acquisition of Plumtree Inc for 5 mln dlrs.",
            id="its-1985-acquisition",
        ),
        pytest.param(
            "ORCHARD <ORC> WINS APPROVAL FOR DRUG",
            "NEW YORK, March 3 - Orchard Corp said regulators approved its heart drug, which it "
            "acquired from Plumtree Inc in 1985.",
            id="which-it-acquired-in-a-year",
        ),
        pytest.param(
            "ORCHARD <ORC> CHANGES NAME",
            "NEW YORK, March 3 - Orchard Corp said it changed its name to Orchard Industries to "
            "reflect its diversification through acquisitions.",
            id="through-acquisitions",
        ),
        pytest.param(
            "ORCHARD <ORC> EXPECTS RECORD YEAR",
            "NEW YORK, March 3 - Orchard Corp said it expects record earnings this year as "
            "recent acquisitions contribute to sales.",
            id="recent-acquisitions",
        ),
    ],
)
def test_a_past_deal_told_as_background_is_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


def test_a_company_sold_after_being_bought_years_ago_is_still_a_sale() -> None:
    deal = analyse(
        "ORCHARD <ORC> TO SELL PLUMTREE",
        "NEW YORK, March 3 - Orchard Corp said it will sell Plumtree Inc, which it acquired in "
        "1985, to Gamma Corp for 40 mln dlrs.",
    )
    assert deal.type == "divestment"


# ---------------------------------------------------------------------------
# A company merging its own parts


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD <ORC> TO MERGE TWO UNITS",
            "NEW YORK, March 3 - Orchard Corp said it will merge its two chemical units into a "
            "single division to cut costs.",
            id="two-units",
        ),
        pytest.param(
            "ORCHARD <ORC> UNIT MERGED INTO PARENT",
            "NEW YORK, March 3 - Orchard Corp said its Orchard Finance unit was merged into the "
            "parent company.",
            id="into-the-parent",
        ),
    ],
)
def test_a_company_merging_its_own_parts_is_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


def test_two_owners_merging_their_operations_is_a_merger() -> None:
    deal = analyse(
        "ORCHARD, PLUMTREE TO MERGE OPERATIONS",
        "NEW YORK, March 3 - Orchard Corp and Plumtree Inc said they will merge their "
        "operations in a stock swap.",
    )
    assert deal.type == "merger"


# ---------------------------------------------------------------------------
# A weak headline trigger ("BUYS", "SELLS") names a deal only when the lead confirms it


def test_a_weak_headline_trigger_the_lead_does_not_confirm_is_no_deal() -> None:
    deal = analyse(
        "PLUMTREE BUYS TIME WITH ITS LENDERS",
        "Plumtree Tools Inc said its lenders agreed to extend a waiver on its loan covenants "
        "until June 30. The company said it expects to have a new credit line by then.",
    )
    assert deal.type == "none"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Plumtree Tools Inc said it bought the lamp business of Orchard Corp for an "
            "undisclosed sum.",
            id="lead-confirms",
        ),
        pytest.param("", id="headline-alone"),
    ],
)
def test_a_weak_headline_trigger_names_a_deal_when_the_lead_confirms_or_is_absent(
    text: str,
) -> None:
    assert analyse("PLUMTREE BUYS ORCHARD LAMP UNIT", text).type == "acquisition"
