"""Deal type, stage, money, stakes, parties and summaries, one rule at a time."""

from __future__ import annotations

import pytest

from watchlists.deals import (
    ELLIPSIS,
    SUMMARY_LIMIT,
    Amount,
    Deal,
    Stake,
    analyse_deal,
    shorten,
    split_sentences,
)
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

WATCHED = MatchIndex(
    [
        Entity("Contoso", aliases=("Contoso Corp",), id=1),
        Entity("Northwind Holdings", aliases=("Northwind",), id=2),
        Entity("Fabrikam", id=3),
    ]
)


def analyse(title: str, text: str = "") -> Deal:
    article = Article(id="a", title=title, text=text)
    return analyse_deal(article, WATCHED.match(article))


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Contoso to acquire Northwind",
            "Contoso agreed to acquire Northwind in an all-cash deal.",
            "acquisition",
            id="acquire",
        ),
        pytest.param(
            "Contoso buys logistics start-up Northwind",
            "The purchase gives Contoso a foothold in freight.",
            "acquisition",
            id="buys",
        ),
        pytest.param(
            "Contoso launches hostile takeover bid for Northwind",
            "Contoso went directly to Northwind shareholders with its offer.",
            "acquisition",
            id="takeover",
        ),
        pytest.param(
            "Northwind and Fabrikam to merge",
            "The two shipping groups will combine in a merger of equals.",
            "merger",
            id="merge",
        ),
        pytest.param(
            "Contoso, Fabrikam form battery joint venture",
            "Contoso and Fabrikam will each own half of the joint venture.",
            "joint_venture",
            id="joint-venture",
        ),
        pytest.param(
            "Contoso takes 20% stake in Fabrikam",
            "Contoso will buy a 20% stake in the chip designer from its founders.",
            "investment",
            id="minority-stake-bought-is-investment",
        ),
        pytest.param(
            "Fabrikam gets capital injection from Contoso",
            "Contoso will inject fresh capital into the struggling Fabrikam.",
            "investment",
            id="capital-injection",
        ),
        pytest.param(
            "Fabrikam raises $40m Series B",
            "The round was led by Contoso Ventures, with existing investors joining.",
            "funding_round",
            id="series-b",
        ),
        pytest.param(
            "Fabrikam closes seed round",
            "Fabrikam raised funding from angel investors in a seed round.",
            "funding_round",
            id="seed-round",
        ),
        pytest.param(
            "Fabrikam files for IPO on Nasdaq",
            "Fabrikam plans an initial public offering later this year.",
            "ipo",
            id="ipo",
        ),
        pytest.param(
            "Fabrikam shares soar in stock market debut",
            "Fabrikam went public on Thursday after pricing above the range.",
            "ipo",
            id="market-debut",
        ),
        pytest.param(
            "Contoso to sell consumer unit",
            "Contoso plans to divest its consumer business to focus on cloud.",
            "divestment",
            id="divest",
        ),
        pytest.param(
            "Contoso to spin off payments arm",
            "The spin-off will create a separately listed payments company.",
            "divestment",
            id="spin-off",
        ),
        pytest.param(
            "Contoso and Fabrikam announce strategic partnership",
            "The companies will collaborate on cloud security products.",
            "partnership",
            id="partnership",
        ),
        pytest.param(
            "Contoso teams up with Fabrikam on self-driving software",
            "Contoso said the alliance would speed up development.",
            "partnership",
            id="teams-up",
        ),
        pytest.param(
            "Contoso quarterly profit beats forecasts",
            "Contoso reported quarterly profit of $1.2bn on revenue of $12bn.",
            "none",
            id="earnings-is-none",
        ),
        pytest.param(
            "Fabrikam sued over patent",
            "A rival filed a lawsuit against Fabrikam in a Texas court on Monday.",
            "none",
            id="lawsuit-is-none",
        ),
        pytest.param(
            "Contoso names new chief executive",
            "Contoso appointed its finance chief as chief executive.",
            "none",
            id="appointment-is-none",
        ),
    ],
)
def test_deal_type_follows_the_trigger_phrases(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Contoso eyes Northwind",
            "Contoso is reportedly weighing an acquisition of Northwind.",
            "rumoured",
            id="reportedly",
        ),
        pytest.param(
            "Contoso explores bid for Northwind",
            "Contoso is considering a bid for Northwind, people familiar with the matter said.",
            "rumoured",
            id="people-familiar",
        ),
        pytest.param(
            "Contoso in talks to buy Northwind",
            "Contoso is in advanced talks to buy Northwind.",
            "in_talks",
            id="in-talks",
        ),
        pytest.param(
            "Contoso and Fabrikam negotiate venture",
            "Contoso is reportedly in advanced negotiations to form a joint venture with Fabrikam.",
            "in_talks",
            id="negotiations-beat-reportedly",
        ),
        pytest.param(
            "Contoso agrees to buy Northwind",
            "Contoso agreed to buy Northwind. The deal is expected to be completed next year.",
            "announced",
            id="agreed-and-future-completion",
        ),
        pytest.param(
            "Contoso will acquire Northwind",
            "Contoso will acquire Northwind, it said on Monday.",
            "announced",
            id="will-acquire",
        ),
        pytest.param(
            "Contoso announces acquisition of Northwind",
            "Contoso announced the acquisition of Northwind on Monday.",
            "announced",
            id="announced",
        ),
        pytest.param(
            "Contoso completes Northwind takeover",
            "Contoso said it had completed its takeover of Northwind.",
            "completed",
            id="completed",
        ),
        pytest.param(
            "Contoso closes Northwind acquisition",
            "Contoso closed the acquisition of Northwind on Friday.",
            "completed",
            id="closed",
        ),
        pytest.param(
            "Contoso finalises Northwind purchase",
            "Contoso has finalised the purchase of Northwind.",
            "completed",
            id="finalised",
        ),
        pytest.param(
            "Contoso calls off Northwind takeover",
            "Contoso called off its takeover of Northwind after talks stalled.",
            "terminated",
            id="called-off",
        ),
        pytest.param(
            "Contoso scraps Northwind deal",
            "Contoso scrapped its planned acquisition of Northwind.",
            "terminated",
            id="scrapped",
        ),
        pytest.param(
            "Contoso abandons merger with Fabrikam",
            "Contoso abandoned the merger after regulators objected.",
            "terminated",
            id="abandoned",
        ),
        pytest.param(
            "Contoso and Fabrikam terminate merger agreement",
            "The companies terminated the merger agreement by mutual consent.",
            "terminated",
            id="terminated",
        ),
        pytest.param(
            "Contoso quarterly profit rises",
            "Contoso announced quarterly profit up 10% on higher sales.",
            "",
            id="none-has-no-stage",
        ),
    ],
)
def test_stage_follows_the_stage_cues(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).stage == expected


@pytest.mark.parametrize(
    ("sentence", "currency", "value", "text"),
    [
        pytest.param("for $1.5bn in cash", "USD", 1.5e9, "$1.5bn", id="dollar-bn"),
        pytest.param(
            "for 1.5 billion dollars", "USD", 1.5e9, "1.5 billion dollars", id="dollars-word"
        ),
        pytest.param("for €300m", "EUR", 3e8, "€300m", id="euro-m"),
        pytest.param("for ₽10bn", "RUB", 1e10, "₽10bn", id="rouble-sign"),
        pytest.param("for RUB 10 billion", "RUB", 1e10, "RUB 10 billion", id="rub-code"),
        pytest.param("for £45 million", "GBP", 4.5e7, "£45 million", id="pound-million"),
        pytest.param("for US$2.1 billion", "USD", 2.1e9, "US$2.1 billion", id="us-dollar"),
        pytest.param("for HK$3.6 billion", "HKD", 3.6e9, "HK$3.6 billion", id="hk-dollar"),
        pytest.param("for ¥40bn", "JPY", 4e10, "¥40bn", id="yen-sign"),
        pytest.param("for 750 million euros", "EUR", 7.5e8, "750 million euros", id="euros-word"),
        pytest.param("for $120,000,000", "USD", 1.2e8, "$120,000,000", id="thousands-separators"),
        pytest.param("for 5 trillion won", "KRW", 5e12, "5 trillion won", id="won"),
        pytest.param("for 2.4 billion yuan", "CNY", 2.4e9, "2.4 billion yuan", id="yuan"),
        pytest.param("for Rs 500 crore", "INR", 5e9, "Rs 500 crore", id="crore"),
        pytest.param("for 40 billion tenge", "KZT", 4e10, "40 billion tenge", id="tenge"),
        pytest.param("for KZT 40bn", "KZT", 4e10, "KZT 40bn", id="kzt-code"),
        pytest.param("for 2.2 billion zlotys", "PLN", 2.2e9, "2.2 billion zlotys", id="zloty"),
        pytest.param("for KSh2.5bn", "KES", 2.5e9, "KSh2.5bn", id="kenyan-shilling"),
        pytest.param("for RM1.8 billion", "MYR", 1.8e9, "RM1.8 billion", id="ringgit-sign"),
        pytest.param("for CZK 4.1 billion", "CZK", 4.1e9, "CZK 4.1 billion", id="koruna-code"),
        pytest.param("for XOF 30 billion", "XOF", 3e10, "XOF 30 billion", id="cfa-code"),
        pytest.param("for 12 billion forints", "HUF", 1.2e10, "12 billion forints", id="forint"),
        pytest.param(
            "for 3 billion Swedish kronor", "SEK", 3e9, "3 billion Swedish kronor", id="kronor"
        ),
        pytest.param("for Mex$7bn", "MXN", 7e9, "Mex$7bn", id="mexican-peso-sign"),
    ],
)
def test_money_is_normalised_to_currency_and_units(
    sentence: str, currency: str, value: float, text: str
) -> None:
    deal = analyse("Contoso to buy Northwind", f"Contoso agreed to buy Northwind {sentence}.")
    assert deal.amounts == (Amount(currency, value, text),)


def test_yen_sign_is_yuan_when_the_article_says_yuan() -> None:
    deal = analyse(
        "Contoso to buy Northwind",
        "Contoso agreed to buy Northwind for ¥8bn. The yuan price values it at a premium.",
    )
    assert deal.amounts[0].currency == "CNY"


@pytest.mark.parametrize(
    ("place", "currency"),
    [
        pytest.param("a Monterrey bottler", "MXN", id="mexico"),
        pytest.param("a Bogotá bottler", "COP", id="colombia"),
        pytest.param("a bottler in Chile", "CLP", id="chile"),
        pytest.param("a bottler", None, id="no-country-no-money"),
    ],
)
def test_bare_pesos_take_the_currency_of_the_country_named(
    place: str, currency: str | None
) -> None:
    deal = analyse(
        "Contoso to buy Northwind", f"Contoso agreed to buy {place} for 8 billion pesos."
    )
    assert [amount.currency for amount in deal.amounts] == ([currency] if currency else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso has completed its $300 million purchase of Northwind Dairy.",
            "acquisition",
            id="purchase-of-a-name",
        ),
        pytest.param(
            "Northwind Dairy will join Contoso after the group agreed to pay about $90m for it.",
            "acquisition",
            id="paid-money-for-it",
        ),
        pytest.param(
            "Contoso agreed to pay €210m for 15 per cent of Northwind Dairy.",
            "investment",
            id="paid-for-a-minority-percentage",
        ),
        pytest.param(
            "Contoso will purchase of electricity from the grid at lower rates next year.",
            "none",
            id="purchase-of-a-thing",
        ),
    ],
)
def test_paying_for_a_named_business_is_a_deal(text: str, expected: str) -> None:
    assert analyse("Company news", text).type == expected


def test_amount_value_has_no_float_noise() -> None:
    deal = analyse("Contoso to buy Northwind for $7.2bn", "")
    assert deal.to_json()["amounts"] == [
        {"currency": "USD", "value": 7200000000.0, "text": "$7.2bn"}
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso agreed to buy Northwind for $2bn. Contoso had revenue of $9bn last year.",
            ("$2bn",),
            id="revenue-sentence-skipped",
        ),
        pytest.param(
            "Contoso, which has annual sales of $9bn, agreed to buy Northwind for $2bn.",
            ("$2bn",),
            id="sales-figure-in-deal-sentence-skipped",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for $2bn. Contoso shares rose 3% to $41.50 a share.",
            ("$2bn",),
            id="share-price-skipped",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for $2bn, or $2bn including debt.",
            ("$2bn",),
            id="repeated-amount-once",
        ),
    ],
)
def test_only_deal_money_counts(text: str, expected: tuple[str, ...]) -> None:
    deal = analyse("Contoso to buy Northwind", text)
    assert tuple(amount.text for amount in deal.amounts) == expected


def test_a_non_deal_has_no_amounts() -> None:
    deal = analyse("Contoso quarterly profit rises", "Contoso reported quarterly profit of $1.2bn.")
    assert deal.amounts == ()


@pytest.mark.parametrize(
    "phrase",
    [
        pytest.param("Financial terms were undisclosed.", id="undisclosed"),
        pytest.param("The price was not disclosed.", id="not-disclosed"),
        pytest.param("The size of the deal has not been made public.", id="not-made-public"),
        pytest.param("Contoso paid an undisclosed sum.", id="undisclosed-sum"),
        pytest.param(
            "Contoso declined to disclose the price of the deal.", id="declined-to-disclose"
        ),
    ],
)
def test_undisclosed_terms_are_flagged(phrase: str) -> None:
    deal = analyse("Contoso acquires Northwind", f"Contoso acquired Northwind. {phrase}")
    assert deal.undisclosed is True


def test_disclosed_terms_are_not_flagged() -> None:
    deal = analyse("Contoso acquires Northwind", "Contoso acquired Northwind for $3bn.")
    assert deal.undisclosed is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso will buy a 25% stake in Fabrikam.",
            (Stake(25.0, "a 25% stake"),),
            id="percent-sign",
        ),
        pytest.param(
            "Contoso will buy 25 per cent of Fabrikam.",
            (Stake(25.0, "25 per cent"),),
            id="per-cent-of",
        ),
        pytest.param(
            "Contoso will acquire a 49 percent interest in Fabrikam.",
            (Stake(49.0, "a 49 percent interest"),),
            id="percent-interest",
        ),
        pytest.param(
            "Contoso will buy a 12.5% minority stake in Fabrikam.",
            (Stake(12.5, "a 12.5% minority stake"),),
            id="decimal-minority",
        ),
        pytest.param(
            "Contoso will buy a majority stake in Fabrikam.", (), id="majority-without-number"
        ),
        pytest.param(
            "Contoso will buy a stake in Fabrikam, whose shares rose 8%.",
            (),
            id="share-move-is-not-stake",
        ),
    ],
)
def test_stakes_are_percentages_of_a_company(text: str, expected: tuple[Stake, ...]) -> None:
    assert analyse("Contoso invests in Fabrikam", text).stakes == expected


def test_majority_stake_purchase_is_an_acquisition() -> None:
    deal = analyse(
        "Contoso buys majority stake in Fabrikam", "Contoso will buy a majority stake in Fabrikam."
    )
    assert deal.type == "acquisition"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Contoso to buy Northwind",
            "Northwind agreed to be bought by Contoso.",
            ("Contoso", "Northwind Holdings"),
            id="watched-in-order-of-first-mention",
        ),
        pytest.param(
            "Contoso to buy Litware",
            "Contoso agreed to buy Litware for $1bn.",
            ("Contoso", "Litware"),
            id="object-of-deal-verb",
        ),
        pytest.param(
            "Contoso acquires robotics firm",
            "Contoso acquired Adatum Robotics Inc. for an undisclosed sum.",
            ("Contoso", "Adatum Robotics Inc"),
            id="corporate-suffix",
        ),
        pytest.param(
            "Contoso acquires robotics firm",
            "Contoso acquired a small robotics firm on Monday.",
            ("Contoso",),
            id="no-name-no-party",
        ),
    ],
)
def test_parties_are_watched_entities_then_named_counterparties(
    title: str, text: str, expected: tuple[str, ...]
) -> None:
    assert analyse(title, text).parties == expected


def test_trigger_is_a_phrase_of_the_article() -> None:
    deal = analyse("Contoso to acquire Northwind", "Contoso agreed to acquire Northwind.")
    assert deal.trigger.lower() == "acquire"


def test_confidence_is_between_zero_and_one() -> None:
    deal = analyse("Contoso to acquire Northwind", "Contoso agreed to acquire Northwind for $1bn.")
    assert 0.0 < deal.confidence <= 1.0


def test_title_outweighs_a_passing_mention_in_the_text() -> None:
    deal = analyse(
        "Contoso forms joint venture with Fabrikam",
        "The venture follows Contoso's acquisition of a small supplier in 2019.",
    )
    assert deal.type == "joint_venture"


def test_summary_centres_on_the_deal_sentence() -> None:
    text = (
        "Markets were calm on Monday. Analysts expect more consolidation in logistics. "
        "Contoso agreed to buy Northwind for $2bn. The deal needs regulatory approval."
    )
    deal = analyse("Logistics roundup", text)
    assert deal.summary.startswith("Contoso agreed to buy Northwind for $2bn.")


def test_summary_falls_back_to_the_lead() -> None:
    deal = analyse("Weather news", "Rain is expected across the region. Temperatures will fall.")
    assert deal.summary.startswith("Rain is expected across the region.")


def test_summary_without_text_is_the_title() -> None:
    assert analyse("Contoso to buy Northwind", "").summary == "Contoso to buy Northwind"


def test_summary_never_exceeds_the_limit() -> None:
    long_sentence = (
        "Contoso agreed to buy Northwind " + "and its many regional subsidiaries " * 20 + "today."
    )
    summary = analyse("Contoso to buy Northwind", long_sentence).summary
    assert len(summary) <= SUMMARY_LIMIT
    assert summary.endswith(ELLIPSIS)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("short text", 20, "short text", id="fits"),
        pytest.param("alpha beta gamma delta", 14, "alpha beta…", id="cut-at-word-boundary"),
        pytest.param("alpha, beta gamma", 10, "alpha…", id="trailing-comma-dropped"),
        pytest.param("one  two\nthree", 20, "one two three", id="white-space-collapsed"),
        pytest.param("abcdefghijklmnop", 8, "abcdefg…", id="one-long-word"),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("It rose. It fell.", ["It rose.", "It fell."], id="plain"),
        pytest.param(
            "Contoso Inc. said on Monday it won. Shares rose.",
            ["Contoso Inc. said on Monday it won.", "Shares rose."],
            id="inc-mid-sentence",
        ),
        pytest.param(
            "It expanded in the U.S. The move paid off.",
            ["It expanded in the U.S.", "The move paid off."],
            id="us-at-sentence-end",
        ),
        pytest.param(
            "The U.S. Treasury agreed. Markets cheered.",
            ["The U.S. Treasury agreed.", "Markets cheered."],
            id="us-mid-sentence",
        ),
        pytest.param(
            "Mr. Smith and J. Doe signed. It closed.",
            ["Mr. Smith and J. Doe signed.", "It closed."],
            id="title-and-initial",
        ),
        pytest.param(
            "Value rose 1.5 times. Good.", ["Value rose 1.5 times.", "Good."], id="decimal"
        ),
        pytest.param(
            "“We agreed,” she said. Then it ended.",
            ["“We agreed,” she said.", "Then it ended."],
            id="quotes",
        ),
        pytest.param("First para\n\nSecond para", ["First para", "Second para"], id="blank-line"),
        pytest.param(
            "  Lead in.   \n\n  Indented para  \t\n\n Last.",
            ["Lead in.", "Indented para", "Last."],
            id="white-space-trimmed",
        ),
        pytest.param("One sentence only.", ["One sentence only."], id="single"),
        pytest.param("Ends early. ", ["Ends early."], id="trailing-space"),
    ],
)
def test_sentences_split_around_abbreviations(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in split_sentences(text)] == expected


def test_to_json_has_the_stable_field_names() -> None:
    deal = analyse("Contoso to buy 25% stake in Fabrikam for $7.2bn", "")
    assert list(deal.to_json()) == [
        "type",
        "stage",
        "confidence",
        "trigger",
        "amounts",
        "stakes",
        "undisclosed",
        "parties",
        "summary",
    ]
    assert deal.to_json()["stakes"] == [{"percent": 25.0, "text": "25% stake"}]


# Background that names nobody and has no deal words, to push the news deep into a text.
BACKGROUND = "Harbour traffic was steady through the week and the weather stayed mild. " * 12


@pytest.mark.parametrize(
    ("text", "expected_type", "expected_stage"),
    [
        pytest.param(
            BACKGROUND + "Fabrikam agreed to acquire Northwind Holdings in a friendly takeover.",
            "acquisition",
            "announced",
            id="deal-sentence-far-down",
        ),
        pytest.param(
            "Contoso has acquired Northwind. "
            + BACKGROUND
            + "The purchase still requires regulatory approval.",
            "acquisition",
            "announced",
            id="pending-approval-far-down",
        ),
        pytest.param(
            "Contoso has acquired Northwind. " + BACKGROUND,
            "acquisition",
            "completed",
            id="completed-without-pending-approval",
        ),
    ],
)
def test_whole_text_is_read_where_the_rules_need_it(
    text: str, expected_type: str, expected_stage: str
) -> None:
    deal = analyse("Harbour news", text)
    assert (deal.type, deal.stage) == (expected_type, expected_stage)


def test_summary_of_a_late_deal_sentence_takes_the_next_one_too() -> None:
    text = (
        BACKGROUND + "Fabrikam agreed to buy Northwind. The price was not disclosed. " + BACKGROUND
    )
    assert analyse("Harbour news", text).summary == (
        "Fabrikam agreed to buy Northwind. The price was not disclosed."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso agreed to buy Northwind. Northwind had revenue of $3bn last year.",
            (),
            id="results-figure-outside-the-deal-sentence",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind. The transaction is worth $3bn.",
            ("$3bn",),
            id="deal-context-outside-the-deal-sentence",
        ),
    ],
)
def test_money_outside_deal_sentences_needs_deal_context(
    text: str, expected: tuple[str, ...]
) -> None:
    assert tuple(amount.text for amount in analyse("Contoso news", text).amounts) == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "Contoso signs exclusive deal to stock Fabrikam trainers",
            "From March Contoso will be the only European retailer carrying the running shoes.",
            id="exclusive-deal-to-stock",
        ),
        pytest.param(
            "Contoso cloud to host Northwind payroll software under new pact",
            "Northwind will run its payroll services in Contoso data centres for five years.",
            id="host-under-new-pact",
        ),
        pytest.param(
            "Fabrikam signs network equipment pact with Northwind",
            "Fabrikam will provide routers and switches for the Northwind mobile network.",
            id="equipment-pact",
        ),
        pytest.param(
            "Northwind wins battery supply contract from Fabrikam",
            "Northwind will deliver cells to Fabrikam's van plant from next spring.",
            id="supply-contract",
        ),
        pytest.param(
            "Fabrikam reaches agreement to supply chips to Contoso",
            "The multi-year arrangement covers sensors for Contoso's delivery robots.",
            id="agreement-to-supply",
        ),
        pytest.param(
            "Contoso, Fabrikam join forces on grocery delivery",
            "The two groups will share vans and warehouses to launch faster deliveries, "
            "which they hope will lift sales and profit.",
            id="join-forces-despite-results-words",
        ),
        pytest.param(
            "Contoso teams with Fabrikam on payments",
            "Shoppers will be able to pay with Fabrikam wallets in Contoso stores.",
            id="teams-with",
        ),
    ],
)
def test_commercial_tie_ups_in_headline_wording_are_partnerships(title: str, text: str) -> None:
    assert analyse(title, text).type == "partnership"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "Contoso signs deal to buy Northwind",
            "Contoso signed a deal to buy Northwind for $1bn in cash.",
            id="signs-deal-to-buy",
        ),
        pytest.param(
            "Contoso and Fabrikam seal merger pact",
            "Contoso and Fabrikam agreed to merge, creating the largest freight group in Europe.",
            id="merger-pact",
        ),
    ],
)
def test_a_signed_deal_to_buy_or_merge_is_not_a_partnership(title: str, text: str) -> None:
    assert analyse(title, text).type != "partnership"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso and Fabrikam agreed to set up a 50-50 venture to make batteries.",
            (50.0,),
            id="fifty-fifty",
        ),
        pytest.param(
            "Contoso will hold 49% of the venture and its partner Fabrikam 51%.",
            (49.0, 51.0),
            id="hold-and-partner-elliptical",
        ),
        pytest.param(
            "Contoso will own 60%, with Fabrikam holding the rest.",
            (60.0,),
            id="own-without-of",
        ),
        pytest.param(
            "Contoso offered to buy the 70 per cent of Fabrikam it does not already own.",
            (70.0,),
            id="part-it-does-not-own",
        ),
        pytest.param(
            "Contoso will take the remaining 35% from the founders.",
            (35.0,),
            id="remaining-percent",
        ),
        pytest.param(
            "Contoso raised its holding in Fabrikam to 29% on Tuesday.",
            (29.0,),
            id="raises-holding-to",
        ),
        pytest.param(
            "Fabrikam shareholders will own about 9% of the combined group.",
            (9.0,),
            id="share-of-combined-group",
        ),
        pytest.param(
            "Contoso will invest in Fabrikam, whose sales rose 12% and margins 3%.",
            (),
            id="growth-rates-are-not-stakes",
        ),
    ],
)
def test_stakes_are_read_in_their_varied_forms(text: str, expected: tuple[float, ...]) -> None:
    stakes = analyse("Contoso invests in Fabrikam", text).stakes
    assert tuple(stake.percent for stake in stakes) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso agreed to buy Northwind's Casablanca bottling plant for 900 million dirhams.",
            Amount("MAD", 9e8, "900 million dirhams"),
            id="dirhams-in-morocco",
        ),
        pytest.param(
            "The Moroccan lender agreed to buy Northwind for 1.2 billion dirhams.",
            Amount("MAD", 1.2e9, "1.2 billion dirhams"),
            id="dirhams-moroccan",
        ),
        pytest.param(
            "Contoso agreed to buy Dubai port operator Northwind for 2 billion dirhams.",
            Amount("AED", 2e9, "2 billion dirhams"),
            id="dirhams-in-dubai",
        ),
        pytest.param(
            "Contoso agreed to buy Northwind for 500 million dirhams.",
            Amount("AED", 5e8, "500 million dirhams"),
            id="dirhams-without-place",
        ),
        pytest.param(
            "Contoso agreed to buy Johannesburg-based Northwind for R850 million.",
            Amount("ZAR", 8.5e8, "R850 million"),
            id="rand-sign-in-south-africa",
        ),
        pytest.param(
            "The JSE-listed Contoso agreed to buy Northwind for R1.4bn in cash.",
            Amount("ZAR", 1.4e9, "R1.4bn"),
            id="rand-sign-jse",
        ),
    ],
)
def test_currency_follows_the_country_of_the_story(text: str, expected: Amount) -> None:
    assert analyse("Contoso to buy Northwind", text).amounts == (expected,)


def test_capital_r_without_south_african_context_is_not_money() -> None:
    deal = analyse("Contoso to buy Northwind", "Contoso agreed to buy Northwind's R850 lab unit.")
    assert deal.amounts == ()


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Contoso's purchase of Northwind clears EU review",
            "Regulators in Brussels waved the deal through without conditions on Tuesday.",
            "acquisition",
            id="possessive-purchase",
        ),
        pytest.param(
            "Contoso's takeover of Northwind faces shareholder revolt",
            "Investors said they would vote against it at a meeting next month.",
            "acquisition",
            id="possessive-takeover",
        ),
        pytest.param(
            "Contoso's $2bn acquisition lifts its freight profits",
            "Analysts raised profit forecasts after the Northwind deal.",
            "acquisition",
            id="possessive-amount-acquisition",
        ),
        pytest.param(
            "Contoso in $1bn Northwind deal",
            "Contoso agreed to buy Northwind for $1bn in cash. The deal follows a separate asset "
            "sale in which Contoso sold its ports unit and offloaded two terminals to Fabrikam.",
            "acquisition",
            id="side-sale-mentioned-after-the-deal",
        ),
    ],
)
def test_the_main_deal_framing_wins(title: str, text: str, expected: str) -> None:
    assert analyse(title, text).type == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Contoso halts sale of Northwind unit",
            "Contoso has halted the sale of its Northwind unit after bids came in low, people "
            "familiar with the matter said.",
            "terminated",
            id="halted-sale",
        ),
        pytest.param(
            "Contoso, Fabrikam merger stalls",
            "Contoso and Fabrikam halted talks on a merger, sources said.",
            "terminated",
            id="halted-talks",
        ),
        pytest.param(
            "Contoso shelves freight arm sale",
            "Contoso has put the sale of its freight arm on hold amid market turmoil.",
            "terminated",
            id="put-on-hold",
        ),
        pytest.param(
            "Contoso confirms Northwind approach",
            "Contoso confirmed it is in talks to acquire Northwind.",
            "in_talks",
            id="confirmed-in-talks",
        ),
        pytest.param(
            "Contoso in discussions with Fabrikam",
            "Contoso said on Monday it is in talks with Fabrikam about a merger that will combine "
            "their shipping fleets.",
            "in_talks",
            id="in-talks-about-a-deal-that-will",
        ),
        pytest.param(
            "Contoso to buy Northwind",
            "Contoso agreed to buy Northwind. Trading in Northwind shares was suspended before "
            "the announcement.",
            "announced",
            id="trading-suspension-is-not-termination",
        ),
    ],
)
def test_halted_deals_and_ongoing_talks_have_their_own_stage(
    title: str, text: str, expected: str
) -> None:
    assert analyse(title, text).stage == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Contoso agreed to sell a 70% stake in its Fabrikam unit and will keep 30%.",
            (70.0,),
            id="kept-share-is-not-transferred",
        ),
        pytest.param(
            "Contoso sold Fabrikam shares, cutting its holding to about 3%.",
            (),
            id="rump-after-a-sale",
        ),
        pytest.param(
            "Contoso has raised its stake in Fabrikam, a maker of drones and robots, to 35%.",
            (35.0,),
            id="raised-stake-after-an-apposition",
        ),
        pytest.param(
            "Contoso will hold a 55% majority in the combined fund business.",
            (55.0,),
            id="percent-majority",
        ),
    ],
)
def test_only_shares_the_deal_moves_are_stakes(text: str, expected: tuple[float, ...]) -> None:
    stakes = analyse("Contoso and Fabrikam deal", text).stakes
    assert tuple(stake.percent for stake in stakes) == expected
