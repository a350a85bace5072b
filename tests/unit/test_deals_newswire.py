"""Deal analysis on wire copy: dialect, triggers, false deals, phrasing, headlines, Russian.

The sentences are written for these tests in the style of news wires; none is copied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.parse import article_from_json, parse_text_file
from watchlists.deals import Amount, Deal, analyse_deal
from watchlists.deals.summary import headline_and_text, without_dateline
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


# ---------------------------------------------------------------------------
# Amounts from deal sentences only


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Contoso, which has deposits of 1.2 billion dlrs, agreed to be acquired by "
            "Northwind for 150 mln dlrs.",
            id="deposits",
        ),
        pytest.param(
            "Contoso agreed to be acquired by Northwind for 150 mln dlrs. Contoso had assets "
            "of 1.9 billion dlrs at the end of the year.",
            id="assets",
        ),
        pytest.param(
            "Contoso agreed to be acquired by Northwind for 150 mln dlrs. Contoso's home "
            "country posted a trade deficit of 3 billion dlrs for the year.",
            id="trade-deficit",
        ),
        pytest.param(
            "Contoso agreed to be acquired by Northwind for 150 mln dlrs. Northwind expects "
            "to book a gain of 20 mln dlrs on the sale of its old plant.",
            id="gain",
        ),
    ],
)
def test_figures_that_are_not_the_price_are_not_amounts(text: str) -> None:
    deal = analyse("NORTHWIND TO ACQUIRE CONTOSO", text)
    assert [amount.text for amount in deal.amounts] == ["150 mln dlrs"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "", "Bakers Corp completed the purchase of a bakery for $5 million.", id="bare"
        ),
        pytest.param(
            "Contoso buys a bakery",
            "Contoso completed the purchase of a bakery for $5 million.",
            id="watched",
        ),
        pytest.param(
            "",
            "Bakers Corp said it purchased the Dayton plant of a rival for 12.5 mln dlrs cash.",
            id="wire",
        ),
    ],
)
def test_a_purchase_with_its_price_is_an_acquisition_with_that_amount(
    title: str, text: str
) -> None:
    deal = analyse(title, text)
    assert deal.type == "acquisition"
    assert len(deal.amounts) == 1


# ---------------------------------------------------------------------------
# Wire triggers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Acme Corp said it began a tender offer for all shares of Beta Inc at 20 dlrs a share.",
            "acquisition",
            id="tender-offer",
        ),
        pytest.param(
            "Acme Corp said it signed an agreement of merger with Beta Inc.",
            "merger",
            id="agreement-of-merger",
        ),
        pytest.param(
            "Acme Corp said it signed an agreement and plan of merger with Beta Inc.",
            "merger",
            id="agreement-and-plan-of-merger",
        ),
        pytest.param(
            "Acme Corp said it agreed to the sale of its Gamma unit to Delta Inc.",
            "divestment",
            id="sale-of-its-unit-to",
        ),
        pytest.param(
            "Acme Corp said it raised its stake in Beta Inc to 15.5 pct from 10.1 pct.",
            "investment",
            id="raised-its-stake-to",
        ),
        pytest.param(
            "Acme Corp said it has acquired a one-third interest in the Gamma gold mine.",
            "investment",
            id="one-third-interest",
        ),
        pytest.param(
            "Beta Inc said it has agreed in principle to be acquired by an investor group.",
            "acquisition",
            id="agreed-in-principle-to-be-acquired",
        ),
    ],
)
def test_wire_triggers_are_deals_in_the_body_alone(text: str, expected: str) -> None:
    assert analyse("ACME CORP <ACM>", text).type == expected


def test_a_fraction_before_the_stake_noun_is_a_stake() -> None:
    deal = analyse("ACME CORP <ACM>", "Acme Corp said it acquired a one-third interest in Beta.")
    assert [(stake.percent, stake.text) for stake in deal.stakes] == [
        (33.33, "a one-third interest")
    ]


# ---------------------------------------------------------------------------
# Not deals


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ACME ADOPTS RIGHTS PLAN",
            "Acme Corp said its board adopted a shareholder rights plan designed to deter "
            "hostile takeover attempts.",
            id="rights-plan",
        ),
        pytest.param(
            "ACME CORP <ACM>",
            "Acme Corp said its board adopted an anti-takeover plan that would make an "
            "acquisition of the company more expensive.",
            id="anti-takeover-plan",
        ),
        pytest.param(
            "ACME CORP <ACM>",
            "Acme Corp adopted a poison pill defense against a takeover by Beta Inc.",
            id="poison-pill",
        ),
        pytest.param(
            "EGYPT BUYING TENDER",
            "Egypt is holding a buying tender for 200,000 tonnes of wheat for March shipment, "
            "traders said.",
            id="grain-buying-tender",
        ),
        pytest.param(
            "JAPAN BUYS SUGAR",
            "The Japanese agency bought 200,000 tonnes of raw sugar at its weekly tender.",
            id="bought-tonnes",
        ),
        pytest.param(
            "PAKISTAN SELLS RICE",
            "Pakistan sold 50,000 tonnes of rice to Indonesia for 12 mln dlrs.",
            id="sold-tonnes-for-money",
        ),
        pytest.param(
            "U.K. MONEY MARKET GIVEN HELP",
            "The Bank of England said it bought 400 mln stg of bills outright in the money "
            "market today.",
            id="money-market",
        ),
        pytest.param(
            "BANK OF JAPAN BUYS DOLLARS",
            "The Bank of Japan bought dollars around 145 yen this morning, dealers said.",
            id="currency-intervention",
        ),
        pytest.param(
            "ACME DEBT PLAN",
            "Acme Corp said its banks agreed to a restructuring of 300 mln dlrs of debt, under "
            "which lenders will receive equity.",
            id="debt-restructuring",
        ),
        pytest.param(
            "ACME EXCHANGE OFFER",
            "Acme Corp said it offered to exchange new notes for its outstanding 12 pct "
            "debentures.",
            id="bond-exchange",
        ),
        pytest.param(
            "ACME SELLS DEBENTURES",
            "Acme Corp said it sold 100 mln dlrs of convertible subordinated debentures "
            "through underwriters.",
            id="debt-offering",
        ),
        pytest.param(
            "ACME CORP <ACM>",
            "Acme Corp, in which Beta Inc holds a 40 pct stake, reported higher first quarter "
            "profits.",
            id="stake-already-held",
        ),
        pytest.param(
            "ACME CORP <ACM>",
            "Acme Corp, formerly a joint venture of Beta Inc and Gamma Corp, said first quarter "
            "profits rose.",
            id="formerly-a-joint-venture",
        ),
    ],
)
def test_wire_stories_that_are_not_deals(title: str, text: str) -> None:
    assert analyse(title, text).type == "none"


def test_a_stake_already_held_is_not_the_deal_stake() -> None:
    deal = analyse(
        "ACME TO BUY REST OF BETA",
        "Acme Corp, which already owns 17 pct of Beta Inc, agreed to buy the rest for 50 mln dlrs.",
    )
    assert deal.type == "acquisition"
    assert deal.stakes == ()


def test_a_company_named_after_a_commodity_is_still_bought() -> None:
    deal = analyse(
        "ACME CORP <ACM>", "Acme Corp agreed to sell its Dunn Sugar Co unit to Beta Inc."
    )
    assert deal.type == "divestment"


# ---------------------------------------------------------------------------
# Phrasing


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "ACME, BETA IN VENTURE TALKS",
            "Acme Corp is negotiating a venture with Beta Inc that will combine their chemicals "
            "businesses.",
            id="headline",
        ),
        pytest.param(
            "ACME CORP <ACM>",
            "Acme Corp said it is negotiating a venture with Beta Inc that would merge their "
            "chemicals businesses.",
            id="body",
        ),
    ],
)
def test_negotiating_a_venture_is_a_joint_venture_in_talks(title: str, text: str) -> None:
    deal = analyse(title, text)
    assert (deal.type, deal.stage) == ("joint_venture", "in_talks")


@pytest.mark.parametrize(
    "text",
    [
        "Under the plan, Acme will hold 48%, Beta 24%, Gamma 15% and Delta 13% of the venture.",
        "Acme will hold 48 pct, Beta 24 pct, Gamma 15 pct and Delta 13 pct of the venture.",
    ],
)
def test_every_share_of_a_listed_split_is_a_stake(text: str) -> None:
    deal = analyse("Four groups form venture", text)
    assert [stake.percent for stake in deal.stakes] == [48.0, 24.0, 15.0, 13.0]


def test_a_former_holding_after_a_comma_is_not_a_stake() -> None:
    deal = analyse(
        "Acme to buy more of Beta",
        "Acme agreed to buy new shares of Beta and will hold 49%, up from 30% last year.",
    )
    assert [stake.percent for stake in deal.stakes] == [49.0]


# ---------------------------------------------------------------------------
# Headline and summary


@pytest.mark.parametrize(
    "dateline",
    [
        "(Reuters) - ",
        "MOSCOW, Nov 3 (Reuters) - ",
        "LONDON (AP) — ",
        "HOUSTON, Feb 26 - ",
        "BEVERLY HILLS, CALIF., March 5 - ",
        "New York, March 2 - ",
    ],
)
def test_a_dateline_never_starts_a_summary(dateline: str) -> None:
    deal = analyse("Contoso buys Northwind", f"{dateline}Contoso agreed to buy Northwind for $40m.")
    assert deal.summary == "Contoso agreed to buy Northwind for $40m."


@pytest.mark.parametrize(
    "text",
    [
        "Acme Corp - the glass maker - said on Monday it would buy Beta.",
        "Acme (ACM) said it sold Beta.",
    ],
)
def test_text_without_a_dateline_is_kept_whole(text: str) -> None:
    assert without_dateline(text) == text


def test_a_one_paragraph_article_takes_its_first_sentence_as_headline() -> None:
    content = (
        "MOSCOW, Nov 3 (Reuters) - Contoso completed the purchase of a bakery for $5 million. "
        "The bakery in Kazan employs 40 people."
    )
    assert headline_and_text(content) == (
        "Contoso completed the purchase of a bakery for $5 million.",
        content,
    )


def test_a_title_line_stays_the_headline() -> None:
    assert headline_and_text("Contoso buys bakery\nContoso bought it. It is small.\n") == (
        "Contoso buys bakery",
        "Contoso bought it. It is small.",
    )


def test_a_text_file_given_as_one_paragraph_gets_a_sentence_headline(tmp_path: Path) -> None:
    path = tmp_path / "bakery.txt"
    path.write_text("Contoso completed the purchase of a bakery. It cost $5 million.\n")
    article = parse_text_file(path)
    assert article.title == "Contoso completed the purchase of a bakery."
    assert article.text == "Contoso completed the purchase of a bakery. It cost $5 million."


def test_a_json_article_without_title_gets_its_first_sentence() -> None:
    article = article_from_json(
        {"id": "b", "title": "", "text": "(Reuters) - Contoso bought a bakery. It cost $5m."}
    )
    assert article.title == "Contoso bought a bakery."


# ---------------------------------------------------------------------------
# Russian (sample articles written for these tests)

RUSSIAN_WATCHED = MatchIndex(
    [
        Entity("VK", aliases=("ВК",), id=11),
        Entity("RDIF", aliases=("РФПИ",), id=12),
    ]
)


def analyse_ru(title: str, text: str) -> Deal:
    article = Article(id="ru", title=title, text=text)
    return analyse_deal(article, RUSSIAN_WATCHED.match(article))


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ВК покупает сервис доставки",
            "Компания ВК покупает сервис доставки еды за 3 млрд рублей, сообщила компания.",
            ("acquisition", "announced", [("RUB", 3e9)], []),
            id="acquisition-roubles",
        ),
        pytest.param(
            "РФПИ приобрел долю в операторе связи",
            "РФПИ приобрел долю 25% в региональном операторе связи за $150 млн.",
            ("investment", "completed", [("USD", 150e6)], [25.0]),
            id="stake-dollars",
        ),
        pytest.param(
            "ВК и РФПИ создадут совместное предприятие",
            "ВК и РФПИ договорились создать совместное предприятие в сфере онлайн-торговли.",
            ("joint_venture", "announced", [], []),
            id="joint-venture",
        ),
        pytest.param(
            "РФПИ инвестирует в дороги",
            "РФПИ инвестирует 1,2 трлн руб. в строительство платных дорог.",
            ("investment", "announced", [("RUB", 1.2e12)], []),
            id="investment-trillion",
        ),
        pytest.param(
            "ВК ведет переговоры о покупке",
            "ВК ведет переговоры о покупке разработчика игр, сообщили источники.",
            ("acquisition", "in_talks", [], []),
            id="talks",
        ),
    ],
)
def test_russian_deal_cues_and_amounts(
    title: str, text: str, expected: tuple[str, str, list[tuple[str, float]], list[float]]
) -> None:
    deal = analyse_ru(title, text)
    got = (
        deal.type,
        deal.stage,
        [(amount.currency, amount.value) for amount in deal.amounts],
        [stake.percent for stake in deal.stakes],
    )
    assert got == expected


def test_russian_results_are_not_a_deal() -> None:
    deal = analyse_ru(
        "Выручка ВК выросла",
        "Выручка ВК за квартал выросла до 40 млрд рублей, прибыль составила 2 млрд рублей.",
    )
    assert (deal.type, deal.amounts) == ("none", ())


# ---------------------------------------------------------------------------
# More wire categories found on Reuters-21578 TRAIN (development part)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("NORANDA TO SPIN OFF FOREST INTERESTS INTO SEPARATE COMPANY", "divestment"),
        pytest.param(
            "ACME TO RECEIVE 588 MLN DLRS FOR BETA AEROSPACE FROM GAMMA CORP", "divestment"
        ),
        pytest.param("ACME CORP OFFERS 36 DLRS A SHARE CASH FOR BETA", "acquisition"),
        pytest.param("BETA AGREES TO HIGHER OFFER FROM GAMMA PARTNERS", "acquisition"),
        pytest.param("ACME ELECTRIC <AE> SELLS MORTGAGE BONDS", "none"),
        pytest.param("ACME <ACM> SELLS NOTE", "none"),
        pytest.param("U.S. SELLING 13.2 BILLION DLRS OF 3 AND 6-MO BILLS", "none"),
        pytest.param("S/P MAY DOWNGRADE ACME DEBT DUE TO PLANNED BETA PURCHASE", "none"),
    ],
)
def test_wire_headlines_alone(title: str, expected: str) -> None:
    assert analyse(title).type == expected


def test_a_blank_line_ends_a_sentence_after_an_abbreviation() -> None:
    deal = analyse(
        "ACME <ACM> SELLS BONDS",
        "Acme is raising 250 mln dlrs via an offering of mortgage bonds, said Beta and Co Inc.\n\n"
        "Beta led a group that won the bonds in competitive bidding.",
    )
    assert deal.type == "none"


@pytest.mark.parametrize(
    "title",
    [
        "ACME PLANS OPTION TO BUY BACK OWN SHARES",
        "ACME CORP REPURCHASES 20 MLN DLRS IN NOTES",
        "ACME INDUSTRIES <ACM> TO SELL CONVERTIBLES",
        "ACME MORTGAGE <AMI> SELLS CMOS",
        "CCC ACCEPTS WHEAT BID FOR W AFRICA COUNTRIES",
        "SOVIET GRAIN BUYING FROM U.S. TIED TO PRICE",
        "BRAZIL TO BUY 30,000 BPD OF KUWAITI OIL",
        "ACME ENERGY PARTNERS <AEP> 4TH QTR LOSS",
    ],
)
def test_buybacks_securities_commodities_and_results_headlines_are_not_deals(title: str) -> None:
    assert analyse(title).type == "none"


def test_every_rule_can_fire() -> None:
    """A rule is tried only where one of its anchors starts a word: none may lack anchors."""
    from watchlists.deals.money import MONEY_RULES
    from watchlists.deals.rules import MASK_RULES, TYPE_RULES
    from watchlists.deals.stage_cues import STAGE_RULES, WEAK_STAGE_RULES

    rules = [*TYPE_RULES, *MASK_RULES, *STAGE_RULES, *WEAK_STAGE_RULES, *MONEY_RULES]
    assert [rule.pattern.pattern for rule in rules if not rule.anchors] == []


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ACME <ACM> REJECTS SWEETENED BETA OFFER",
            "",
            "acquisition",
            id="rejects-offer",
        ),
        pytest.param(
            "BETA SAYS 87 PCT OF ACME SHARES TENDERED",
            "",
            "acquisition",
            id="shares-tendered",
        ),
        pytest.param(
            "ACME CUTS STAKE IN BETA",
            "Acme Corp said it lowered its stake in Beta Inc to 8.3 pct from 9.3 pct.",
            "divestment",
            id="stake-cut",
        ),
    ],
)
def test_bid_battles_and_stake_cuts_are_deals(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


# ---------------------------------------------------------------------------
# Stake filings, partnerships as companies, capitals, share prices, bonuses, securities


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "",
            "Delta Capital said it acquired 812,000 Fabrikam shares, or 7.4 pct of those "
            "outstanding, for investment purposes.",
            "investment",
            id="shares-or-pct-filing",
        ),
        pytest.param(
            "",
            "Delta Capital said it bought about 9,100,000 Fabrikam common shares, or 31 pct "
            "of the total.",
            "investment",
            id="bought-shares-or-pct",
        ),
        pytest.param(
            "",
            "Delta Capital said it holds 1,300,000 Fabrikam shares, or 6.1 pct of the total.",
            "none",
            id="holding-is-no-new-deal",
        ),
    ],
)
def test_stake_filings_are_stake_purchases(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "FABRIKAM SAYS PARTNERSHIP AGREES TO BUY SHARES",
            "Fabrikam Inc said Lakeview Partners, a Delaware limited partnership, agreed to buy "
            "1.5 mln Fabrikam shares for 9 mln dlrs.",
            "acquisition",
            id="partnership-buys",
        ),
        pytest.param(
            "PARTNERSHIP LOWERS STAKE IN FABRIKAM",
            "Lakeview Partners said it lowered its stake in Fabrikam Inc to 5.2 pct from 7.9 pct.",
            "divestment",
            id="partners-cut-stake",
        ),
        pytest.param(
            "ORCHARD LIMITED PARTNERSHIP SETS QUARTERLY PAYOUT",
            "Orchard Limited Partnership said it set a quarterly distribution of 25 cts a unit.",
            "none",
            id="limited-partnership-payout",
        ),
        pytest.param(
            "CONTOSO, NORTHWIND FORM PARTNERSHIP",
            "Contoso and Northwind said they formed a partnership to sell software in Asia.",
            "partnership",
            id="real-partnership-kept",
        ),
    ],
)
def test_partnerships_named_as_companies_are_not_partnership_deals(
    title: str, text: str, expected: str
) -> None:
    assert analyse(title, text).type == expected


def test_scale_words_in_capitals_headlines() -> None:
    deal = analyse("CONTOSO TO BUY NORTHWIND FOR 588 MLN DLRS")
    assert deal.amounts == (Amount("USD", 588e6, "588 MLN DLRS"),)


def test_short_scales_in_capitals_count_only_right_after_the_digits() -> None:
    """ "5 M" (capital, apart) stays no scale; "$500M" and "$1.2B" (headline shorthand) are."""
    assert analyse("CONTOSO TO BUY NORTHWIND FOR 5 M DLRS").amounts == ()
    assert analyse("Contoso to buy Northwind for $1.2B").amounts == (Amount("USD", 1.2e9, "$1.2B"),)
    assert analyse("Contoso to buy Northwind", "Contoso will pay $500M for Northwind.").amounts == (
        Amount("USD", 500e6, "$500M"),
    )


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "CONTOSO OFFERS TO BUY NORTHWIND",
            "Contoso Corp said it offered to buy Northwind for 52 dlrs cash per share.",
            Amount("USD", 52.0, "52 dlrs cash per share"),
            id="cash-per-share",
        ),
        pytest.param(
            "DELTA TO MERGE INTO CONTOSO",
            "Delta Bank said it agreed to merge into Contoso Corp for 60 dlrs per Delta share "
            "in Contoso common stock.",
            Amount("USD", 60.0, "60 dlrs per Delta share"),
            id="per-named-share",
        ),
        pytest.param(
            "GAMMA TO ACQUIRE NORTHWIND FOR 24.60 DLRS/SHR",
            "",
            Amount("USD", 24.6, "24.60 DLRS/SHR"),
            id="dlrs-shr-headline",
        ),
    ],
)
def test_a_deal_priced_only_per_share_shows_that_price(
    title: str, text: str, expected: Amount
) -> None:
    deal = analyse(title, text)
    assert deal.type in {"acquisition", "merger"}
    assert deal.amounts == (expected,)


def test_a_total_price_wins_over_a_per_share_price() -> None:
    deal = analyse(
        "", "Contoso said it agreed to buy Northwind for 24 dlrs a share, or 480 mln dlrs."
    )
    assert deal.amounts == (Amount("USD", 480e6, "480 mln dlrs"),)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "CONTOSO COMPLETES UNIT SALE",
            "Contoso Corp said it completed the previously announced sale of Northwind Finance "
            "Ltd to <Delta Bank> for a pre-tax gain of 23 mln dlrs.",
            "divestment",
            id="sale-of-named-to-named",
        ),
        pytest.param(
            "CCC ACCEPTS EXPORT BONUS BID ON BARLEY TO CYPRUS",
            "The Commodity Credit Corporation accepted a bid for an export bonus to cover a "
            "sale of 20,000 tonnes of barley to Cyprus.",
            "none",
            id="export-bonus",
        ),
        pytest.param(
            "CONTOSO SELLS 9.15 PCT DEBENTURES",
            "Contoso Corp said it sold 100 mln dlrs of 9.15 pct debentures due 2017.",
            "none",
            id="debentures-with-coupon",
        ),
        pytest.param(
            "CENTRAL BANK BUYS ONE BILLION DLRS IN TOKYO",
            "The central bank bought 200 to 300 mln dlrs this morning, dealers said.",
            "none",
            id="intervention-amount-only",
        ),
        pytest.param(
            "",
            "Contoso said it agreed the sale of 37,000 long tons of wheat flour to Delta Trading.",
            "none",
            id="long-tons-commodity-sale",
        ),
        pytest.param(
            "TREASURY SELLING 7.75 BILLION 4-YR NOTES",
            "",
            "none",
            id="treasury-notes",
        ),
    ],
)
def test_sales_to_named_buyers_and_not_deals(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


def test_bought_for_cash_amount_stays_a_deal() -> None:
    """The currency-amount mask leaves money paid for something."""
    deal = analyse("", "Contoso Corp said it bought Northwind for 50 mln dlrs cash.")
    assert deal.type == "acquisition"
    assert deal.amounts == (Amount("USD", 50e6, "50 mln dlrs"),)


# ---------------------------------------------------------------------------
# Russian: completion verbs, stakes "N% в", money to be raised


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        pytest.param(
            "Northwind продала свой завод в Туле холдингу «Вектор».", "completed", id="sold"
        ),
        pytest.param(
            "Стартап «Сигма» привлёк 500 млн рублей в раунде, который возглавил фонд Northwind.",
            "completed",
            id="raised",
        ),
        pytest.param(
            "Northwind продаёт завод в Туле холдингу «Вектор»: сделка закрыта, сообщила компания.",
            "completed",
            id="deal-closed",
        ),
    ],
)
def test_russian_completion_verbs(text: str, stage: str) -> None:
    assert analyse("", text).stage == stage


@pytest.mark.parametrize(
    ("text", "deal_type", "percent"),
    [
        pytest.param(
            "Northwind приобрела 15% в порту «Восток» у частных владельцев.",
            "investment",
            15.0,
            id="bought-percent-in",
        ),
        pytest.param(
            "Northwind продала 30% в газовом проекте партнёру из Индии.",
            "divestment",
            30.0,
            id="sold-percent-in",
        ),
    ],
)
def test_russian_stakes_stated_as_percent_in(text: str, deal_type: str, percent: float) -> None:
    deal = analyse("", text)
    assert deal.type == deal_type
    assert [stake.percent for stake in deal.stakes] == [percent]


def test_russian_money_to_be_raised_is_the_offering_amount() -> None:
    deal = analyse(
        "",
        "Northwind объявила о размещении акций дочерней компании. Она рассчитывает привлечь "
        "около 7 млрд рублей.",
    )
    assert deal.type == "ipo"
    assert deal.amounts == (Amount("RUB", 7e9, "7 млрд рублей"),)


def test_russian_percent_change_is_no_stake() -> None:
    """ "выросла на 12%" is a change, not a stake (no owner verb before, "на" is no "в")."""
    assert analyse("", "Выручка Northwind выросла на 12% за год.").stakes == ()
