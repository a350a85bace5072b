"""Canonical URLs, near-duplicate stories and material updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from rapidfuzz import fuzz

from watchlists.deals import Amount, Deal, Stake
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity, Match
from watchlists.stories import (
    DEFAULT_WINDOW,
    ONE_SIDED_THRESHOLD,
    SAME_DEAL_THRESHOLD,
    Fingerprint,
    StoryAssignment,
    StoryIndex,
    _Story,
    similarity,
)
from watchlists.story_tokens import Tokens, token_set_bound
from watchlists.story_urls import canonical_url, story_key

WATCHED = MatchIndex(
    [
        Entity("Contoso", id=1),
        Entity("Northwind", aliases=("Kestrel Freight",), id=2),
        Entity("Fabrikam", id=3),
    ]
)
MONDAY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "HTTPS://WWW.Example.com/News/Deal", "https://example.com/News/Deal", id="case-and-www"
        ),
        pytest.param(
            "https://example.com/a?utm_source=x&utm_medium=y&id=7",
            "https://example.com/a?id=7",
            id="utm",
        ),
        pytest.param(
            "https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4",
            "https://example.com/a",
            id="click-ids",
        ),
        pytest.param(
            "https://example.com/a?ref=home&cmpid=rss&ocid=msn",
            "https://example.com/a",
            id="ref-cmpid-ocid",
        ),
        pytest.param("https://example.com/a#comments", "https://example.com/a", id="fragment"),
        pytest.param("https://example.com/a/", "https://example.com/a", id="trailing-slash"),
        pytest.param(
            "https://example.com/amp/news/a", "https://example.com/news/a", id="amp-segment"
        ),
        pytest.param(
            "https://example.com/news/a/amp/", "https://example.com/news/a", id="amp-suffix"
        ),
        pytest.param(
            "https://example.com/news/a?amp", "https://example.com/news/a", id="amp-query"
        ),
        pytest.param(
            "https://example.com/news/a.amp.html", "https://example.com/news/a.html", id="amp-html"
        ),
        pytest.param("https://amp.example.com/news/a", "https://example.com/news/a", id="amp-host"),
        pytest.param("https://example.com:443/a", "https://example.com/a", id="default-port"),
        pytest.param(
            "http://example.com:8080/a", "http://example.com:8080/a", id="other-port-kept"
        ),
        pytest.param(
            "https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1", id="query-order-kept"
        ),
        pytest.param("", "", id="empty"),
    ],
)
def test_canonical_url_drops_cosmetic_differences(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_story_key_is_stable_for_the_same_canonical_url() -> None:
    first = Article(id="1", title="t", text="", url="https://www.example.com/a?utm_source=x")
    second = Article(id="2", title="t", text="", url="https://example.com/a/")
    assert story_key(first) == story_key(second)
    assert story_key(first).startswith("st-")


def test_story_key_without_url_uses_the_article_id() -> None:
    assert story_key(Article(id="a1", title="t", text="")) != story_key(
        Article(id="a2", title="t", text="")
    )


def article(
    title: str,
    text: str = "",
    *,
    url: str = "",
    hours: float = 0.0,
    ident: str = "",
) -> Article:
    return Article(
        id=ident or title,
        title=title,
        text=text,
        url=url,
        published=MONDAY + timedelta(hours=hours),
    )


def deal(
    kind: str = "acquisition",
    stage: str = "announced",
    amounts: tuple[Amount, ...] = (),
    parties: tuple[str, ...] = (),
    stakes: tuple[Stake, ...] = (),
) -> Deal:
    return Deal(type=kind, stage=stage, amounts=amounts, parties=parties, stakes=stakes)  # type: ignore[arg-type]


def matches(item: Article) -> list[Match]:
    return WATCHED.match(item)


def assign(index: StoryIndex, item: Article, analysed: Deal) -> str:
    return index.assign(item, analysed, matches(item)).key


BILLION = Amount("USD", 2e9, "$2bn")


@pytest.mark.parametrize(
    ("first", "first_deal", "second", "second_deal"),
    [
        pytest.param(
            article("Contoso to buy Northwind", url="https://a.example/x?utm_source=rss"),
            deal(),
            article("Contoso to buy Northwind (updated)", url="https://www.a.example/x/", hours=2),
            deal(),
            id="same-canonical-url",
        ),
        pytest.param(
            article("Contoso agrees to buy Northwind for $2bn", url="https://a.example/1"),
            deal(amounts=(BILLION,)),
            article(
                "Contoso agrees to buy Northwind for $2 billion", url="https://b.example/2", hours=3
            ),
            deal(amounts=(BILLION,)),
            id="near-duplicate-title",
        ),
        pytest.param(
            article(
                "Contoso snaps up freight firm Northwind",
                "Contoso has agreed to buy Northwind for $2bn in cash.",
                url="https://a.example/1",
            ),
            deal(amounts=(BILLION,)),
            article(
                "Northwind accepts $2 billion Contoso offer",
                "Northwind's board backed a $2 billion cash offer from Contoso on Monday.",
                url="https://b.example/2",
                hours=5,
            ),
            deal(amounts=(Amount("USD", 2e9, "$2 billion"),)),
            id="same-deal-different-words",
        ),
        pytest.param(
            article(
                "Fabrikam sells logistics arm to Contoso",
                "Fabrikam agreed to sell its logistics arm to Contoso for $2bn.",
                url="https://a.example/1",
            ),
            deal("divestment"),
            article(
                "Contoso buys Fabrikam logistics arm",
                "Contoso agreed to buy the logistics arm of Fabrikam for $2bn.",
                url="https://b.example/2",
                hours=1,
            ),
            deal("acquisition"),
            id="sale-and-purchase-of-two-watched-sides",
        ),
    ],
)
def test_articles_of_one_story_merge(
    first: Article, first_deal: Deal, second: Article, second_deal: Deal
) -> None:
    index = StoryIndex()
    assert assign(index, first, first_deal) == assign(index, second, second_deal)


@pytest.mark.parametrize(
    ("first", "first_deal", "second", "second_deal"),
    [
        pytest.param(
            article(
                "Contoso to buy Northwind", "Contoso agreed to buy Northwind.", url="https://a/1"
            ),
            deal("acquisition"),
            article(
                "Contoso and Northwind form partnership",
                "Contoso and Northwind agreed a partnership.",
                url="https://b/2",
                hours=1,
            ),
            deal("partnership"),
            id="same-companies-different-deal-type",
        ),
        pytest.param(
            article(
                "Contoso to buy Northwind", "Contoso agreed to buy Northwind.", url="https://a/1"
            ),
            deal(),
            article(
                "Contoso to buy Fabrikam",
                "Contoso agreed to buy Fabrikam.",
                url="https://b/2",
                hours=1,
            ),
            deal(),
            id="same-type-different-watched-companies",
        ),
        pytest.param(
            article(
                "Contoso to buy robotics start-up",
                "Contoso agreed to buy Adatum Robotics.",
                url="https://a/1",
            ),
            deal(parties=("Contoso", "Adatum Robotics")),
            article(
                "Contoso to buy drone start-up",
                "Contoso agreed to buy Litware Drones.",
                url="https://b/2",
                hours=1,
            ),
            deal(parties=("Contoso", "Litware Drones")),
            id="same-type-different-counterparties",
        ),
        pytest.param(
            article("Contoso agrees to buy Northwind for $2bn", url="https://a/1"),
            deal(amounts=(BILLION,)),
            article("Contoso agrees to buy Northwind for $5bn", url="https://b/2", hours=1),
            deal(amounts=(Amount("USD", 5e9, "$5bn"),)),
            id="different-amounts",
        ),
        pytest.param(
            article("Contoso agrees to buy Northwind", url="https://a/1"),
            deal("none", stage=""),
            article("Contoso agrees to buy Northwind", url="https://b/2", hours=24 * 5),
            deal("none", stage=""),
            id="outside-the-window-without-a-deal",
        ),
        pytest.param(
            article("Contoso agrees to buy Northwind", url="https://a/1"),
            deal(),
            article("Contoso agrees to buy Northwind", url="https://b/2", hours=24 * 200),
            deal(),
            id="beyond-the-deal-life",
        ),
    ],
)
def test_near_misses_stay_apart(
    first: Article, first_deal: Deal, second: Article, second_deal: Deal
) -> None:
    index = StoryIndex()
    assert assign(index, first, first_deal) != assign(index, second, second_deal)


def test_first_article_opens_a_new_story() -> None:
    result = StoryIndex().assign(article("Contoso to buy Northwind", url="https://a/1"), deal(), [])
    assert (result.is_new, result.is_material_update) == (True, False)
    assert result.key == story_key(article("x", url="https://a/1"))


@pytest.mark.parametrize(
    ("first_deal", "second", "second_deal", "expected"),
    [
        pytest.param(
            deal(stage="in_talks"),
            article("Contoso completes Northwind takeover", url="https://b/2", hours=30),
            deal(stage="completed"),
            True,
            id="stage-moves-forward",
        ),
        pytest.param(
            deal(stage="announced"),
            article("Contoso calls off Northwind takeover", url="https://b/2", hours=30),
            deal(stage="terminated"),
            True,
            id="deal-terminated",
        ),
        pytest.param(
            deal(stage="announced"),
            article("Contoso to buy Northwind for $2bn", url="https://b/2", hours=3),
            deal(stage="announced", amounts=(BILLION,)),
            True,
            id="first-amount",
        ),
        pytest.param(
            deal(stage="announced"),
            article("Contoso to buy Northwind, sources say", url="https://b/2", hours=3),
            deal(stage="rumoured"),
            False,
            id="stage-moving-back-is-not-material",
        ),
        pytest.param(
            deal(stage="announced"),
            article(
                "Contoso to buy Northwind", "Typo fixed.", url="https://a/1?utm_source=x", hours=6
            ),
            deal(stage="announced"),
            False,
            id="re-publication-with-edits-and-new-date",
        ),
    ],
)
def test_material_update_means_the_deal_moved(
    first_deal: Deal, second: Article, second_deal: Deal, expected: bool
) -> None:
    index = StoryIndex()
    opening = article("Contoso to buy Northwind", url="https://a/1")
    first = index.assign(opening, first_deal, matches(opening))
    result = index.assign(second, second_deal, matches(second))
    assert result.key == first.key
    assert result.is_new is False
    assert result.is_material_update is expected


def test_second_amount_is_not_material() -> None:
    index = StoryIndex()
    first = article("Contoso to buy Northwind for $2bn", url="https://a/1")
    index.assign(first, deal(amounts=(BILLION,)), matches(first))
    second = article("Contoso to buy Northwind for $2 billion", url="https://b/2", hours=1)
    result = index.assign(
        second, deal(amounts=(Amount("USD", 2e9, "$2 billion"),)), matches(second)
    )
    assert result.is_material_update is False


@dataclass(frozen=True)
class StoredStoryLike:
    key: str
    article: Article
    deal_type: str
    deal_stage: str
    entity_ids: tuple[int, ...]


def test_seeded_story_keeps_its_key_for_new_articles() -> None:
    stored = StoredStoryLike(
        key="st-from-db",
        article=article("Contoso to buy Northwind", url="https://a/1"),
        deal_type="acquisition",
        deal_stage="in_talks",
        entity_ids=(1, 2),
    )
    index = StoryIndex([stored])
    later = article("Contoso completes purchase of Northwind", url="https://a/1", hours=20)
    result = index.assign(later, deal(stage="completed"), matches(later))
    assert (result.key, result.is_new, result.is_material_update) == ("st-from-db", False, True)


def test_prune_forgets_stories_older_than_the_window() -> None:
    index = StoryIndex(window=timedelta(hours=72))
    first = article("Contoso opens a plant", url="https://a/1")
    index.assign(first, deal("none", stage=""), matches(first))
    assert index.prune(MONDAY + timedelta(hours=100)) == 1
    assert len(index) == 0


def test_prune_keeps_a_deal_for_its_life_then_forgets_it() -> None:
    index = StoryIndex(window=timedelta(hours=72), deal_life=timedelta(days=180))
    first = article("Contoso to buy Northwind", url="https://a/1")
    index.assign(first, deal(), matches(first))
    assert index.prune(MONDAY + timedelta(days=100)) == 0
    assert index.prune(MONDAY + timedelta(days=181)) == 1
    assert len(index) == 0


def test_signing_months_after_talks_joins_the_story_as_an_update() -> None:
    index = StoryIndex()
    talks = article("Contoso in talks to buy Northwind", url="https://a/1")
    opened = index.assign(talks, deal(stage="in_talks"), matches(talks))
    signing = article("Deal done: freight group changes hands", url="https://b/2", hours=24 * 75)
    signing_text = article(
        signing.title,
        "Contoso has completed its purchase of Northwind.",
        url=signing.url,
        hours=24 * 75,
    )
    joined = index.assign(signing_text, deal(stage="completed"), matches(signing_text))
    assert (joined.key, joined.is_new, joined.is_material_update) == (opened.key, False, True)


@pytest.mark.parametrize(
    ("first_deal", "second_deal"),
    [
        pytest.param(
            deal(parties=("Contoso", "Litware")),
            deal(parties=("Contoso", "Adatum")),
            id="other-counterparty",
        ),
        pytest.param(
            deal(amounts=(BILLION,)),
            deal(amounts=(Amount("USD", 7e9, "$7bn"),)),
            id="other-amount",
        ),
        pytest.param(deal(), deal(), id="one-entity-and-no-evidence"),
        pytest.param(deal(), deal("investment"), id="other-type"),
    ],
)
def test_a_later_deal_of_the_same_entity_stays_a_story_of_its_own(
    first_deal: Deal, second_deal: Deal
) -> None:
    index = StoryIndex()
    first = article("Contoso buys a drone maker", url="https://a/1")
    second = article("Contoso buys a drone maker", url="https://b/2", hours=24 * 40)
    assert assign(index, first, first_deal) != assign(index, second, second_deal)


@dataclass(frozen=True)
class StoredStoryWithAmounts(StoredStoryLike):
    amounts: tuple[Amount, ...] = ()


@pytest.mark.parametrize(
    ("stored_amounts", "expected"),
    [
        pytest.param((BILLION,), False, id="stored-amount-known"),
        pytest.param((), True, id="no-stored-amount"),
    ],
)
def test_seeded_amount_decides_whether_an_amount_is_news(
    stored_amounts: tuple[Amount, ...], expected: bool
) -> None:
    stored = StoredStoryWithAmounts(
        key="st-from-db",
        article=article("Contoso to buy Northwind for $2bn", url="https://a/1"),
        deal_type="acquisition",
        deal_stage="announced",
        entity_ids=(1, 2),
        amounts=stored_amounts,
    )
    index = StoryIndex([stored])
    later = article("Contoso to buy Northwind for $2 billion", url="https://b/2", hours=2)
    result = index.assign(later, deal(amounts=(BILLION,)), matches(later))
    assert (result.key, result.is_material_update) == ("st-from-db", expected)


def test_pruned_story_with_many_members_leaves_no_stale_candidates() -> None:
    index = StoryIndex(window=timedelta(hours=72))
    opening = article("Fabrikam and Contoso talk merger", url="https://a/1")
    index.assign(opening, deal("merger", "in_talks"), matches(opening))
    # Re-publications under the same URL: the opening article leaves the kept members.
    for hour in range(1, 12):
        update = article("Contoso merger talks continue", url="https://a/1", hours=hour)
        index.assign(update, deal("merger", "in_talks"), matches(update))
    assert index.prune(MONDAY + timedelta(days=181)) == 1
    later = article("Fabrikam to buy a plant", url="https://c/3", hours=24 * 181 + 1)
    result = index.assign(later, deal(), matches(later))
    assert result.is_new is True


SIMILAR_TITLES = [
    "Contoso to buy Northwind for $2bn",
    "Contoso agrees to buy Northwind for $2 billion",
    "Northwind accepts $2 billion Contoso offer",
    "Fabrikam sells logistics arm to Contoso",
    "Contoso buys Fabrikam logistics arm",
    "Contoso reports record quarterly profit",
    "Northwind shares jump",
    "Contoso to buy Northwind for $2bn, sources say",
]


@pytest.mark.parametrize(
    "cutoff", [pytest.param(c, id=f"cutoff-{c:g}") for c in (0, 60, 88, 95, 100)]
)
def test_score_cutoff_keeps_every_score_it_lets_through(cutoff: float) -> None:
    fingerprints = [
        Fingerprint.of(item, deal(), matches(item))
        for item in (article(title, url=f"https://s/{n}") for n, title in enumerate(SIMILAR_TITLES))
    ]
    for first in fingerprints:
        for second in fingerprints:
            exact = similarity(first, second)
            cut = similarity(first, second, score_cutoff=cutoff)
            if exact >= cutoff:
                assert cut == exact
            else:
                assert cut < cutoff


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("contoso to buy northwind", "contoso to buy northwind", id="equal"),
        pytest.param("contoso to buy", "contoso to buy northwind for 2bn", id="subset"),
        pytest.param("abc def", "xyz uvw", id="disjoint-same-length"),
        pytest.param("contoso buys northwind", "northwind sold to contoso group", id="overlap"),
        pytest.param("a", "contoso to buy northwind for 2bn in cash", id="very-different-lengths"),
        pytest.param("", "contoso", id="empty"),
    ],
)
def test_token_set_bound_is_never_below_the_real_score(first: str, second: str) -> None:
    bound = token_set_bound(Tokens.of(first), Tokens.of(second))
    assert bound >= fuzz.token_set_ratio(first, second)


TWO_BILLION_WORDS = Amount("USD", 2.05e9, "2.05 billion dollars")
FIFTH = Stake(20.0, "a 20% stake")


@pytest.mark.parametrize(
    ("first", "first_deal", "second", "second_deal"),
    [
        pytest.param(
            article(
                "Contoso snaps up Northwind in $2bn deal",
                "Contoso is buying the freight group Northwind for $2bn, it said on Monday.",
                url="https://a.example/1",
            ),
            deal(amounts=(BILLION,)),
            article(
                "Freight consolidation: Kestrel Freight goes to a software giant",
                "In a transaction valued at 2.05 billion dollars, Kestrel Freight will become "
                "part of Contoso, the two firms confirmed.",
                url="https://b.example/2",
                hours=20,
            ),
            deal(amounts=(TWO_BILLION_WORDS,)),
            id="same-amount-alias-and-other-words",
        ),
        pytest.param(
            article(
                "Contoso picks up Litware chip unit",
                "Contoso agreed to take over the chip design unit of Litware.",
                url="https://a.example/1",
            ),
            deal(parties=("Contoso", "Litware")),
            article(
                "Litware offloads semiconductor arm as it refocuses on software",
                "Litware said on Tuesday it would part with its semiconductor business, "
                "handing it to Contoso.",
                url="https://b.example/2",
                hours=30,
            ),
            deal("divestment", parties=("Litware", "Contoso")),
            id="buy-and-sell-sides-with-one-watched-entity-and-same-counterparty",
        ),
        pytest.param(
            article(
                "Contoso takes a fifth of Northwind",
                "Contoso bought a 20% stake in Northwind from its founders.",
                url="https://a.example/1",
            ),
            deal("investment", stakes=(FIFTH,)),
            article(
                "Founders of logistics group cash out as software major steps in",
                "The founding families of Northwind sold 20% of the company to Contoso.",
                url="https://b.example/2",
                hours=10,
            ),
            deal("investment", stakes=(Stake(20.0, "20%"),)),
            id="same-stake",
        ),
    ],
)
def test_same_deal_evidence_merges_differently_worded_articles(
    first: Article, first_deal: Deal, second: Article, second_deal: Deal
) -> None:
    index = StoryIndex()
    assert assign(index, first, first_deal) == assign(index, second, second_deal)


@pytest.mark.parametrize(
    ("first", "first_deal", "second", "second_deal"),
    [
        pytest.param(
            article("Contoso buys Northwind depots for $2bn", url="https://a/1"),
            deal(amounts=(BILLION,)),
            article("Contoso trims its Northwind holding", url="https://b/2", hours=4),
            deal("divestment", amounts=(Amount("USD", 5e8, "$500m"),)),
            id="same-companies-different-deal-and-amount",
        ),
        pytest.param(
            article("Contoso to buy a rail operator for $2bn", url="https://a/1"),
            deal(amounts=(BILLION,)),
            article("Fabrikam snaps up a ferry line in $2bn deal", url="https://b/2", hours=4),
            deal(amounts=(BILLION,)),
            id="same-type-and-amount-different-watched-companies",
        ),
        pytest.param(
            article("Contoso takes a fifth of Litware", url="https://a/1"),
            deal("investment", stakes=(FIFTH,), parties=("Contoso", "Litware")),
            article("Adatum lands backing from software major", url="https://b/2", hours=4),
            deal("investment", stakes=(FIFTH,), parties=("Contoso", "Adatum")),
            id="same-stake-different-counterparties",
        ),
        pytest.param(
            article("Contoso picks up Litware chip unit", url="https://a/1"),
            deal(parties=("Contoso", "Litware")),
            article("Contoso offloads its drone arm", url="https://b/2", hours=4),
            deal("divestment", parties=("Contoso", "Adatum")),
            id="buy-and-sell-with-different-counterparties",
        ),
        pytest.param(
            article("Contoso snaps up Northwind in $2bn deal", url="https://a/1"),
            deal(amounts=(BILLION,)),
            article("Kestrel Freight goes to a software giant", url="https://b/2", hours=24 * 4),
            deal(amounts=(BILLION,)),
            id="same-amount-outside-the-window",
        ),
        pytest.param(
            article("Contoso hunts for more freight assets", url="https://a/1"),
            deal(),
            article("Kestrel Freight deal tops a busy week for logistics", url="https://b/2"),
            deal(),
            id="no-shared-evidence-and-different-words",
        ),
    ],
)
def test_same_deal_evidence_keeps_near_misses_apart(
    first: Article, first_deal: Deal, second: Article, second_deal: Deal
) -> None:
    index = StoryIndex()
    assert assign(index, first, first_deal) != assign(index, second, second_deal)


@pytest.mark.parametrize(
    ("first_type", "second_type", "first_parties", "second_parties"),
    [
        pytest.param(
            "joint_venture",
            "investment",
            ("Contoso", "Nile Power"),
            ("Contoso",),
            id="venture-seen-as-investment",
        ),
        pytest.param(
            "divestment",
            "acquisition",
            ("Contoso", "Lizware"),
            ("Contoso", "Wingtip"),
            id="seller-and-buyer-name-different-counterparties",
        ),
        pytest.param(
            "investment",
            "investment",
            ("Contoso", "Asia"),
            ("Contoso", "Hinode Estates"),
            id="same-type-with-a-spurious-counterparty",
        ),
    ],
)
def test_the_same_money_from_the_same_entity_is_one_deal(
    first_type: str,
    second_type: str,
    first_parties: tuple[str, ...],
    second_parties: tuple[str, ...],
) -> None:
    money = Amount("EUR", 620_000_000.0, "€620m")
    index = StoryIndex()
    first = article(
        "Contoso moves on leasing unit", "Contoso agreed the €620m deal.", url="https://a/1"
    )
    second = article(
        "Regional lender changes hands",
        "The €620m transaction involves Contoso.",
        url="https://b/2",
        hours=20,
    )
    assert assign(
        index, first, deal(first_type, amounts=(money,), parties=first_parties)
    ) == assign(index, second, deal(second_type, amounts=(money,), parties=second_parties))


def test_different_money_from_the_same_entity_stays_two_deals() -> None:
    index = StoryIndex()
    first = article(
        "Contoso moves on leasing unit", "Contoso agreed the €620m deal.", url="https://a/1"
    )
    second = article(
        "Regional lender changes hands",
        "The €640m transaction involves Contoso.",
        url="https://b/2",
        hours=20,
    )
    assert assign(
        index,
        first,
        deal(
            "divestment", amounts=(Amount("EUR", 620e6, "€620m"),), parties=("Contoso", "Lizware")
        ),
    ) != assign(
        index,
        second,
        deal(
            "acquisition", amounts=(Amount("EUR", 640e6, "€640m"),), parties=("Contoso", "Wingtip")
        ),
    )


def test_two_deals_of_one_entity_in_different_currencies_need_closer_wording() -> None:
    first = article(
        "Contoso fund seals €620m toll-road deal in Spain",
        "The Contoso fund agreed to pay €620m for a stake in a Spanish motorway operator.",
        url="https://a/1",
    )
    second = article(
        "Contoso fund's £400m bet on British data centres",
        "The Contoso fund is putting £400m into a developer of British data centres.",
        url="https://b/2",
        hours=20,
    )
    first_deal = deal("investment", amounts=(Amount("EUR", 620e6, "€620m"),))
    second_deal = deal("investment", amounts=(Amount("GBP", 400e6, "£400m"),))
    # Similar enough to join if nothing told them apart, not enough for unrelated money.
    score = similarity(
        Fingerprint.of(first, first_deal, matches(first)),
        Fingerprint.of(second, second_deal, matches(second)),
    )
    without_money = similarity(
        Fingerprint.of(first, first_deal, matches(first)),
        Fingerprint.of(second, deal("investment"), matches(second)),
    )
    assert score == 0.0 and SAME_DEAL_THRESHOLD <= without_money < ONE_SIDED_THRESHOLD
    index = StoryIndex()
    assert assign(index, first, first_deal) != assign(index, second, second_deal)


def test_article_joins_the_first_key_of_two_stories_it_matches_word_for_word() -> None:
    # Two stories the article scores 100 against: the one with the same headline, tried
    # first, and an older one whose shorter headline has only words the article has too.
    urls = sorted(
        (f"https://news.example/{number}" for number in range(2)),
        key=lambda url: story_key(Article(id="", title="", text="", url=url)),
    )
    shorter = article(
        "Globex buys Initech", "Globex buys Initech in Ohio today.", url=urls[0], hours=0
    )
    longer = article(
        "Globex buys Initech plant in Dayton",
        "The plant deal closes soon.",
        url=urls[1],
        hours=100,
    )
    index = StoryIndex()
    first = index.assign(shorter, None, []).key
    # 100 hours apart: beyond the window, so the two stay apart.
    assert index.assign(longer, None, []).key != first
    copy = article(
        "Globex buys Initech plant in Dayton",
        "The plant deal closes soon.",
        url="https://wire.example/copy",
        hours=50,
    )
    # Both score 100; ties go to the first key in sorted order.
    assert index.assign(copy, None, []) == StoryAssignment(
        key=first, is_new=False, is_material_update=False, score=100.0
    )


_TITLES = ("Contoso to buy Northwind", "Contoso and Fabrikam sign pact", "Markets fall")
_KINDS = ("acquisition", "investment", "none")


def test_a_story_out_of_reach_scores_nothing_against_any_of_its_representatives() -> None:
    # out_of_reach only spares similarity calls: whenever it says so, each scores 0.
    story = _Story("st-1")
    for number, (member_title, member_kind) in enumerate(zip(_TITLES, _KINDS, strict=True)):
        member = article(member_title, url=f"https://a/{number}", hours=number)
        story.add(Fingerprint.of(member, deal(member_kind), matches(member)))
    out_of_reach = 0
    for hours in (0.0, 71.0, 73.0, 24 * 30, 24 * 181, -24 * 30):
        for kind in _KINDS:
            for title in _TITLES:
                item = article(title, url="https://b/1", hours=hours)
                fingerprint = Fingerprint.of(item, deal(kind), matches(item))
                if story.out_of_reach(fingerprint, DEFAULT_WINDOW):
                    out_of_reach += 1
                    scores = [similarity(fingerprint, member) for member in story.representatives]
                    assert scores == [0.0] * len(scores), (hours, kind, title)
    assert out_of_reach > 0
