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


# ---------------------------------------------------------------------------
# Results, financing and trade that use sale words


def test_a_headline_gain_or_loss_from_a_sale_is_results_news() -> None:
    deal = analyse(
        "ORCHARD <ORC> TO HAVE LOSS FROM EGG UNIT SALE",
        "ORCHARD, March 3 - Orchard Inc said the sale of its egg unit will produce a pretax "
        "loss of about two mln dlrs in the second quarter.",
    )
    assert deal.type == "none"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD CORP <ORC> OFFERS DEBENTURES",
            "NEW YORK, March 3 - Orchard Corp is offering 100 mln dlrs of convertible "
            "debentures, said lead manager Plumtree Securities. The proceeds will be used to "
            "buy the Garnet unit it agreed to acquire.",
            id="debentures",
        ),
        pytest.param(
            "ORCHARD MAY ISSUE BOND FOR GARNET STAKE, PAPER SAYS",
            "MILAN, March 3 - Orchard SpA may issue a convertible bond to buy back the stake "
            "held by Garnet in the company, a newspaper said.",
            id="bond-for-stake",
        ),
    ],
)
def test_a_company_issuing_its_own_securities_is_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "FREEDONIA BUYS RURITANIAN PALM STEARINE",
            "KUALA LUMPUR, March 3 - Freedonia bought 6,000 tonnes of Ruritanian palm "
            "stearine for April shipment, traders said.",
            id="palm-stearine",
        ),
        pytest.param(
            "RURITANIA SELLING DISCOUNTED CRUDE, TRADERS SAY",
            "TOKYO, March 3 - Ruritania is selling discounted crude to buyers in Asia, "
            "traders said. The state oil company sold crude at a discount of 50 cents.",
            id="crude",
        ),
        pytest.param(
            "ORCHARD LUMBER COMPANY TO SELL WOOD TO FREEDONIA",
            "PORTLAND, March 3 - Orchard Lumber Co said it will sell wood to Freedonia under "
            "a three-year agreement.",
            id="wood",
        ),
    ],
)
def test_commodities_bought_and_sold_are_no_deal(title: str, text: str) -> None:
    assert analyse(title, text).type not in DEAL_LIKE


def test_a_commodity_business_sold_is_still_a_sale() -> None:
    deal = analyse(
        "ORCHARD TO SELL CRUDE OIL BUSINESS",
        "HOUSTON, March 3 - Orchard Corp said it agreed to sell its crude oil business to "
        "Plumtree Inc for 120 mln dlrs.",
    )
    assert deal.type == "divestment"


def test_a_results_headline_outweighs_background_deals() -> None:
    deal = analyse(
        "ORCHARD SAYS LOSS REFLECTS LOWER OIL PRICES",
        "PERTH, March 3 - Orchard Petroleum Ltd said its loss reflects lower oil prices. It "
        "said it acquired the Garnet field from Plumtree Oil last year and bought a stake in "
        "the Basin venture. The takeover of Garnet was completed in June.",
    )
    assert deal.type == "none"


def test_a_headline_with_results_and_a_deal_is_still_the_deal() -> None:
    deal = analyse(
        "ORCHARD <ORC> TO POST LOSS, SELL STAKE",
        "ORCHARD, March 3 - Orchard Corp said it will sell its 40 pct stake in Plumtree Inc "
        "to Garnet Co. It expects to report a loss for the year.",
    )
    assert deal.type == "divestment"


# ---------------------------------------------------------------------------
# Bid procedure told without a deal verb


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD <ORC> TO PROCEED WITH PLUMTREE <PLM> BID",
            "TORONTO, March 3 - Orchard Corp said it will go ahead despite a court ruling.",
            id="proceed-with-bid",
        ),
        pytest.param(
            "ORCHARD, PLUMTREE FAIL TO AGREE ON BID",
            "LONDON, March 3 - Orchard Plc and Plumtree Plc said talks between them had "
            "ended without agreement.",
            id="agree-on-bid",
        ),
        pytest.param(
            "ORCHARD <ORC>, PLUMTREE <PLM> SET EXCHANGE RATIO",
            "NEW YORK, March 3 - Orchard Corp and Plumtree Inc said each Plumtree share will "
            "be exchanged for 0.5 Orchard shares.",
            id="exchange-ratio",
        ),
        pytest.param(
            "PLUMTREE SAYS IT AND INVESTOR GARNET REACHED STANDSTILL AGREEMENT",
            "DUBLIN, Calif., March 3 - Plumtree Stores Inc said investor Asher Garnet agreed "
            "to limit his holding to under five pct of its stock for five years.",
            id="standstill",
        ),
    ],
)
def test_takeover_procedure_is_an_acquisition(title: str, text: str) -> None:
    assert analyse(title, text).type == "acquisition"


# ---------------------------------------------------------------------------
# Russian: a stake named in words takes its seller from the sentence


def test_a_blocking_stake_the_company_sells_is_a_divestment() -> None:
    deal = analyse(
        "Ромашка продаст блокирующий пакет страховщика",
        "Банк «Ромашка» договорился о продаже блокирующего пакета страховой компании "
        "«Лютик» группе «Василёк». Покупатель получит 25,1% акций, сумма сделки — 3 млрд "
        "рублей.",
    )
    assert deal.type == "divestment"


def test_a_percentage_after_prodazhi_is_the_stake_sold() -> None:
    deal = analyse(
        "Ромашка передумала продавать долю в подразделении",
        "«Ромашка» отказалась от продажи 30% своего логистического подразделения фонду "
        "«Лютик», сообщил источник. Стороны не смогли договориться об оценке.",
    )
    assert (deal.type, deal.stage) == ("divestment", "terminated")
    assert [stake.percent for stake in deal.stakes] == [30.0]


def test_halves_named_apart_are_an_equal_split() -> None:
    deal = analyse(
        "Ромашка и Лютик создадут СП",
        "«Ромашка» и «Лютик» договорились о создании совместного предприятия для выпуска "
        "роботов. Доли партнёров в СП составят 50% и 50%, говорится в сообщении компаний.",
    )
    assert deal.type == "joint_venture"
    assert [stake.percent for stake in deal.stakes] == [50.0]


def test_a_startup_valued_by_its_investors_is_no_amount_of_the_round() -> None:
    deal = analyse(
        "Стартап «Василёк» привлёк 500 млн рублей",
        "Разработчик «Василёк» привлёк 500 млн рублей в раунде серии A, который возглавил "
        "фонд «Лютик». Инвесторы оценили стартап в 3 млрд рублей.",
    )
    assert deal.type == "funding_round"
    assert amounts(deal) == [("RUB", 500_000_000.0)]


def test_an_analysts_estimate_of_the_deal_is_its_amount() -> None:
    deal = analyse(
        "Фонд «Лютик» купил 12% акций «Ромашки»",
        "Фонд «Лютик» приобрёл 12% акций «Ромашки» у структуры основателя. Сумма сделки, "
        "по оценке аналитиков, составляет около 9 млрд рублей.",
    )
    assert amounts(deal) == [("RUB", 9_000_000_000.0)]


# ---------------------------------------------------------------------------
# A venture that says who a company is, and prices raised


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ORCHARD TO RAISE GULF OIL PRODUCT PRICES",
            "BAHRAIN, March 3 - Orchard Petroleum Corp said it will raise posted prices for "
            "naphtha in Bahrain. Orchard, a joint venture of Plumtree Corp and Garnet Inc, "
            "said its prices would rise by 50 cents.",
            id="venture-of",
        ),
        pytest.param(
            "PLUMTREE <PLM> GETS ARMY CONTRACT",
            "BOISE, March 3 - Plumtree Corp said Black River Builders, a joint venture with "
            "Garnet Inc and a unit of Orchard Corp, has received a 40 mln dlr army contract.",
            id="venture-with",
        ),
    ],
)
def test_a_venture_in_apposition_says_who_a_company_is(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


def test_venture_talks_are_still_a_joint_venture() -> None:
    deal = analyse(
        "ORCHARD, PLUMTREE IN JOINT VENTURE",
        "TOKYO, March 3 - Orchard Corp and Plumtree Ltd said they agreed to form a joint "
        "venture to make steel in Ohio, each holding 50 pct.",
    )
    assert deal.type == "joint_venture"


def test_every_rule_has_an_anchor() -> None:
    # A rule without an anchor is never tried (``Text.matches``): it would be dead.
    from watchlists.deals.rules import MASK_RULES, TYPE_RULES
    from watchlists.deals.stage_cues import STAGE_RULES, WEAK_STAGE_RULES

    dead = [
        each.pattern.pattern[:60]
        for each in (*TYPE_RULES, *MASK_RULES, *STAGE_RULES, *WEAK_STAGE_RULES)
        if not each.anchors
    ]
    assert dead == []
