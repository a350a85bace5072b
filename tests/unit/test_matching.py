"""Tests of the entity matcher: one rule per group, each able to fail."""

from __future__ import annotations

import gc
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity, Match

WATCHLIST = (
    Entity("Alibaba Group", ("Alibaba", "Alibaba Group Holding Ltd", "阿里巴巴"), id=1),
    Entity("VK", ("VKontakte", "ВКонтакте", "Mail.ru Group"), id=2),
    Entity("RDIF", ("Russian Direct Investment Fund", "РФПИ"), id=3),
    Entity("Sberbank", ("Сбербанк",), id=4),
    Entity("Nestlé", ("Nestlé SA",), id=5),
    Entity("Société Générale", ("SocGen",), id=6),
    Entity("Temasek Holdings", ("Temasek",), id=7),
    Entity("Barrick Gold Corp", (), id=8),
    Entity("Shell", ("Shell plc",), exclude=("shell company",), id=9),
    Entity("Amazon", ("Amazon.com",), exclude=("Amazon rainforest",), id=10),
    Entity("Apple", ("Apple Inc",), id=11),
    Entity("PIF", ("Public Investment Fund",), id=12),
    Entity("JD.com", ("JD",), id=13),
    Entity("Yandex", (), id=14),
    Entity("Gazprom", (), id=15),
)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(WATCHLIST)


def text_matches(index: MatchIndex, text: str) -> list[Match]:
    return index.match(Article(id="a", title="", text=text))


def found(index: MatchIndex, text: str) -> list[tuple[str, str, str]]:
    return [(m.entity, m.text, m.kind) for m in text_matches(index, text)]


@pytest.mark.parametrize(
    ("text", "entity", "mention"),
    [
        pytest.param("Deal talks with Alibaba went on.", "Alibaba Group", "Alibaba", id="alias"),
        pytest.param("It said Alibaba's unit grew.", "Alibaba Group", "Alibaba", id="possessive"),
        pytest.param("It said Alibaba’s unit grew.", "Alibaba Group", "Alibaba", id="curly-poss"),
        pytest.param("Buyers like Nestle too.", "Nestlé", "Nestle", id="diacritic-dropped"),
        pytest.param(
            "Then Societe Generale agreed.",
            "Société Générale",
            "Societe Generale",
            id="diacritics-dropped",
        ),
        pytest.param("Then ВКонтакте grew.", "VK", "ВКонтакте", id="cyrillic-alias"),
        pytest.param("Then VKontakte grew.", "VK", "VKontakte", id="latin-of-cyrillic"),
        pytest.param("Then Сбербанк bought it.", "Sberbank", "Сбербанк", id="cyrillic-name"),
        pytest.param("Then Sbеrbank bought it.", "Sberbank", "Sbеrbank", id="lookalike-letter"),
        pytest.param("Then GAZPRОM sold it.", "Gazprom", "GAZPRОM", id="lookalike-in-caps"),
        pytest.param("Then Яндекс sold it.", "Yandex", "Яндекс", id="cyrillic-ks"),
        pytest.param("Then 阿里巴巴 spoke.", "Alibaba Group", "阿里巴巴", id="cjk-alias"),
        pytest.param("Then the РФПИ spoke.", "RDIF", "РФПИ", id="cyrillic-acronym"),
    ],
)
def test_exact_mentions_match(index: MatchIndex, text: str, entity: str, mention: str) -> None:
    matches = text_matches(index, text)
    assert [(m.entity, m.text, m.kind) for m in matches] == [(entity, mention, "exact")]
    assert all(text[m.start : m.end] == m.text for m in matches)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Talks with Russia's Direct Investment Fund began.", id="straight"),
        pytest.param("Talks with Russia’s Direct Investment Fund began.", id="curly"),
    ],
)
def test_country_possessive_matches_full_name(index: MatchIndex, text: str) -> None:
    matches = text_matches(index, text)
    assert [m.entity for m in matches] == ["RDIF"]
    assert matches[0].text.startswith("Russia") and matches[0].text.endswith("Fund")
    assert matches[0].alias == "Russian Direct Investment Fund"


@pytest.mark.parametrize(
    ("text", "entity", "mention"),
    [
        pytest.param("Then Alibbaba spoke.", "Alibaba Group", "Alibbaba", id="insertion"),
        pytest.param("Then Aliaba spoke.", "Alibaba Group", "Aliaba", id="deletion"),
        pytest.param("Then Alibeba spoke.", "Alibaba Group", "Alibeba", id="substitution"),
        pytest.param("Then Sberbnak spoke.", "Sberbank", "Sberbnak", id="adjacent-swap"),
        pytest.param(
            "Then Temasek Holdngs spoke.",
            "Temasek Holdings",
            "Temasek Holdngs",
            id="typo-in-suffix-word",
        ),
        pytest.param(
            "Then Barick Gold Corp spoke.", "Barrick Gold Corp", "Barick Gold Corp", id="first-word"
        ),
    ],
)
def test_single_typo_matches_fuzzily(
    index: MatchIndex, text: str, entity: str, mention: str
) -> None:
    matches = text_matches(index, text)
    assert [(m.entity, m.text, m.kind) for m in matches] == [(entity, mention, "fuzzy")]
    assert 0 < matches[0].score < 100


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Then Albbaab spoke.", id="two-edits"),
        pytest.param("Then alibbaba spoke.", id="typo-in-lower-case"),
        pytest.param("Then VKK spoke.", id="acronym-typo"),
        pytest.param("Then Shel spoke.", id="common-word-typo"),
    ],
)
def test_typo_that_is_not_plausible_does_not_match(index: MatchIndex, text: str) -> None:
    assert found(index, text) == []


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        pytest.param(
            "Then Dtf Incme 2028 Term Fund said so.", "Dtf Incme 2028 Term Fund", id="typo"
        ),
        pytest.param(
            "Then Dtf Income 2028 Term Fund said so.", "Dtf Income 2028 Term Fund", id="exact"
        ),
    ],
)
def test_name_anchored_on_a_number_tolerates_a_typo_in_a_word(text: str, mention: str) -> None:
    # "Income" is shared with another name, so the rarer "2028" anchors the alias: a digit
    # counts as written like the alias (no lower-case letter) for the typo rule.
    index = MatchIndex([Entity("Dtf Income 2028 Term Fund", id=1), Entity("Income Partners", id=2)])
    assert [m.text for m in text_matches(index, text)] == [mention]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("Later Brookfeild Business Partners said so.", "fuzzy", id="typo-in-rare"),
        pytest.param("Later Brookfield Busines Partners said so.", "fuzzy", id="typo-in-common"),
        pytest.param("Later brookfield business partners said so.", "exact", id="lower-case"),
    ],
)
def test_name_with_ordinary_words_is_found_by_its_rare_word(text: str, kind: str) -> None:
    index = MatchIndex([Entity("Brookfield Business Partners", id=1)])
    assert [m.kind for m in text_matches(index, text)] == [kind]


def test_names_shorter_than_six_letters_never_match_fuzzily() -> None:
    index = MatchIndex([Entity("Tesla", id=1), Entity("Yandex", id=2)])
    assert found(index, "Then Teslq spoke.") == []
    assert found(index, "Then Yandx spoke.") == [("Yandex", "Yandx", "fuzzy")]


def test_typo_that_makes_an_ordinary_word_does_not_match() -> None:
    index = MatchIndex([Entity("Entergy Arkansas", id=1)])
    assert found(index, "Then Energy Arkansas spoke.") == []
    assert found(index, "Then Entegy Arkansas spoke.") == [
        ("Entergy Arkansas", "Entegy Arkansas", "fuzzy")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Deal with VK closed.", [("VK", "VK")], id="acronym-token"),
        pytest.param("The VKontakte network grew.", [("VK", "VKontakte")], id="own-alias"),
        pytest.param("A vk deal closed.", [], id="lower-case"),
        pytest.param("See https://vk.com/x for it.", [], id="inside-url"),
        pytest.param("Write to press@vk.com for it.", [], id="inside-email"),
        pytest.param("See vk.com/about for it.", [], id="inside-bare-url-with-path"),
        pytest.param("Users of VK.com grew.", [("VK", "VK")], id="bare-domain-in-prose"),
        pytest.param("The ADVK index and VKT rose.", [], id="inside-other-tokens"),
        pytest.param("Saudi PIF invested.", [("PIF", "PIF")], id="acronym-after-caps"),
        pytest.param("A pif deal closed.", [], id="acronym-lower-case"),
        pytest.param("Rivals of JD Sports rose.", [], id="acronym-inside-other-name"),
    ],
)
def test_short_aliases_match_whole_tokens_in_their_case(
    index: MatchIndex, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(m.entity, m.text) for m in text_matches(index, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Rivals said Shell would sell.", ["Shell"], id="capitalised-mid-sentence"),
        pytest.param("The shell of the egg broke.", [], id="lower-case-word"),
        pytest.param("A shell company was used.", [], id="lower-case-exclude"),
        pytest.param("Shell companies were used.", [], id="sentence-start-alone"),
        pytest.param("Shell said it would sell.", ["Shell"], id="sentence-start-company-verb"),
        pytest.param("Shell's unit was sold.", ["Shell"], id="sentence-start-possessive"),
        pytest.param(
            "Shell companies were used. Rivals said Shell would sell.",
            ["Shell", "Shell"],
            id="sentence-start-supported-elsewhere",
        ),
        pytest.param("Shell plc sold it.", ["Shell"], id="sentence-start-with-suffix"),
        pytest.param("An apple pie recipe.", [], id="apple-lower-case"),
        pytest.param("Visitors to the Big Apple rose.", [], id="apple-inside-other-name"),
        pytest.param("Prices at Apple rose.", ["Apple"], id="apple-company"),
    ],
)
def test_common_word_names_need_the_proper_noun_form(
    index: MatchIndex, text: str, expected: list[str]
) -> None:
    assert [m.entity for m in text_matches(index, text)] == expected


def test_exclude_vetoes_only_the_mention_it_covers(index: MatchIndex) -> None:
    text = "Logging in the Amazon rainforest slowed. Separately, Amazon said it would invest."
    matches = text_matches(index, text)
    assert [(m.entity, m.start) for m in matches] == [("Amazon", text.rindex("Amazon"))]


def test_exclude_alone_vetoes_the_article(index: MatchIndex) -> None:
    assert found(index, "Logging in the Amazon rainforest slowed.") == []


def test_exclude_phrase_tolerates_plural() -> None:
    index = MatchIndex([Entity("Shell", exclude=("shell company",), id=1)])
    assert found(index, "Rivals use Shell Companies here.") == []


def test_title_case_headline_needs_support_from_the_text(index: MatchIndex) -> None:
    lonely = Article(id="a", title="Apple Picking Season Opens Early", text="Farms are busy.")
    assert index.match(lonely) == []
    supported = Article(
        id="b", title="Apple Picking Season Opens Early", text="Growers said Apple phones help."
    )
    assert [(m.field, m.entity) for m in index.match(supported)] == [
        ("title", "Apple"),
        ("text", "Apple"),
    ]


@pytest.mark.parametrize(
    ("text", "mention", "alias"),
    [
        pytest.param("Then Barrick Gold agreed.", "Barrick Gold", "Barrick Gold Corp", id="drop"),
        pytest.param(
            "Then Barrick Gold Corporation agreed.",
            "Barrick Gold Corporation",
            "Barrick Gold Corp",
            id="spelled-out",
        ),
        pytest.param(
            "Then Alibaba Group Holding Ltd. agreed.",
            "Alibaba Group Holding Ltd",
            "Alibaba Group Holding Ltd",
            id="longest-span",
        ),
        pytest.param("Then Nestlé S.A. agreed.", "Nestlé S.A", "Nestlé SA", id="dotted-suffix"),
        pytest.param(
            "Then Alibaba co-founder Ma spoke.", "Alibaba", "Alibaba", id="not-co-founder"
        ),
    ],
)
def test_corporate_suffixes_are_optional(
    index: MatchIndex, text: str, mention: str, alias: str
) -> None:
    matches = text_matches(index, text)
    # Without the alias's own suffix the mention is partial (see the test below).
    kind = "partial" if len(mention.split()) < len(alias.split()) else "exact"
    assert [(m.text, m.alias, m.kind) for m in matches] == [(mention, alias, kind)]


@pytest.mark.parametrize(
    ("text", "mention", "alias", "kind"),
    [
        pytest.param("Then Mail.ru agreed.", "Mail.ru", "Mail.ru Group", "partial", id="no-suffix"),
        pytest.param(
            "Then Mail.ru Group agreed.", "Mail.ru Group", "Mail.ru Group", "exact", id="whole"
        ),
        pytest.param(
            "Then Barrick Gold agreed.", "Barrick Gold", "Barrick Gold Corp", "partial", id="drop"
        ),
        # Another alias of the same entity spells the text exactly: that one is reported.
        pytest.param("Then Alibaba agreed.", "Alibaba", "Alibaba", "exact", id="own-alias"),
        pytest.param("Then Apple Inc agreed.", "Apple Inc", "Apple Inc", "exact", id="suffixed"),
    ],
)
def test_part_of_an_alias_is_a_partial_mention_scored_below_an_exact_one(
    index: MatchIndex, text: str, mention: str, alias: str, kind: str
) -> None:
    (match,) = text_matches(index, text)
    assert (match.text, match.alias, match.kind) == (mention, alias, kind)
    if kind == "partial":
        assert match.score < 100
    else:
        assert match.score == 100


def test_a_place_named_like_a_company_does_not_match() -> None:
    index = MatchIndex([Entity("Brookfield", id=1)])
    assert found(index, "A firm based in Brookfield, Wisconsin, grew.") == []
    assert found(index, "A firm backed by Brookfield grew.") == [
        ("Brookfield", "Brookfield", "exact")
    ]


def test_multi_word_name_does_not_span_a_sentence_break() -> None:
    index = MatchIndex([Entity("Source Capital", id=1)])
    assert found(index, "We asked a source. Capital flows rose.") == []
    assert found(index, "We asked Source Capital.") == [
        ("Source Capital", "Source Capital", "exact")
    ]


def test_match_explains_itself(index: MatchIndex) -> None:
    article = Article(id="a", title="Temasek in talks", text="Then Sberbnak agreed.")
    title_match, text_match = index.match(article)
    assert (title_match.entity_id, title_match.entity, title_match.alias) == (
        7,
        "Temasek Holdings",
        "Temasek",
    )
    assert (title_match.field, title_match.start, title_match.end) == ("title", 0, 7)
    assert (title_match.kind, title_match.score) == ("exact", 100.0)
    assert (text_match.field, text_match.text, text_match.alias) == ("text", "Sberbnak", "Sberbank")
    assert article.text[text_match.start : text_match.end] == "Sberbnak"


def test_matches_come_title_first_then_by_position(index: MatchIndex) -> None:
    article = Article(id="a", title="VK and Alibaba", text="Temasek and then Alibaba.")
    matches = index.match(article)
    assert [(m.field, m.start) for m in matches] == [
        ("title", 0),
        ("title", 7),
        ("text", 0),
        ("text", 17),
    ]


def test_alias_shared_by_two_entities_reports_both() -> None:
    index = MatchIndex([Entity("Total", ("TotalEnergies",), id=1), Entity("TotalEnergies", id=2)])
    assert sorted(m.entity_id for m in text_matches(index, "Then TotalEnergies sold.")) == [1, 2]


def test_same_entity_reports_one_mention_per_span(index: MatchIndex) -> None:
    matches = text_matches(index, "Then Alibaba Group Holding Ltd agreed.")
    assert len(matches) == 1


def test_shorter_name_inside_another_entitys_longer_name_is_dropped() -> None:
    index = MatchIndex([Entity("Alibaba", id=1), Entity("Alibaba Pictures", id=2)])
    assert [m.entity for m in text_matches(index, "Then Alibaba Pictures agreed.")] == [
        "Alibaba Pictures"
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Then Post Holdngs agreed to buy it.", id="one-word-name"),
        pytest.param("In March, Post Holdngs said.", id="after-a-clause"),
    ],
)
def test_a_misspelt_own_suffix_lets_a_name_that_needs_support_count_alone(text: str) -> None:
    # "Post" alone must read as a company; its own suffix, even misspelt, is that reading.
    index = MatchIndex([Entity("Post Holdings", id=1), Entity("Post Group", id=2)])
    assert found(index, text) == [("Post Holdings", "Post Holdngs", "fuzzy")]


def test_mentions_that_need_support_are_kept_when_another_mention_counts() -> None:
    # "Capital" run into another capitalised word counts only with support; the entity
    # has it from "Capital Corp.", so both mentions are reported.
    index = MatchIndex([Entity("Capital Corp", aliases=("Capital Corp.",), id=1)])
    text = "Capital Corp. agreed. Later Capital Media rose."
    assert [m.text for m in text_matches(index, text)] == ["Capital Corp", "Capital"]


def test_add_replaces_by_id_and_remove_forgets() -> None:
    index = MatchIndex([Entity("Alibaba", id=1)])
    index.add(Entity("Tencent", id=1))
    assert len(index) == 1
    assert found(index, "Then Alibaba and Tencent spoke.") == [("Tencent", "Tencent", "exact")]
    index.remove(1)
    index.remove(99)
    assert len(index) == 0
    assert found(index, "Then Alibaba and Tencent spoke.") == []


def test_removing_one_entity_keeps_a_shared_alias_for_the_other() -> None:
    index = MatchIndex([Entity("Sberbank", id=1), Entity("Sber Group", ("Sberbank",), id=2)])
    index.remove(1)
    assert [m.entity_id for m in text_matches(index, "Then Sberbnak agreed.")] == [2]


def test_empty_article_has_no_matches(index: MatchIndex) -> None:
    assert index.match(Article(id="a", title="", text="")) == []


def test_benchmark_quick_run_prints_every_target() -> None:
    script = Path(__file__).parents[2] / "benchmarks" / "bench_matching.py"
    completed = subprocess.run(
        [sys.executable, str(script), "--quick", "--aliases", "2000", "--articles", "40"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for target in (
        "articles/s on 2 processes",
        "exact-only baseline",
        "naive loop",
        "p99",
        "build",
    ):
        assert target in completed.stdout


class _WatchedEntity(Entity):
    """An entity that notes whether the garbage collector is on when its names are read."""

    collector_states: typing.ClassVar[list[bool]] = []

    @property
    def names(self) -> tuple[str, ...]:
        self.collector_states.append(gc.isenabled())
        return super().names


def _bulk_watchlist(count: int, entity_type: type[Entity] = Entity) -> list[Entity]:
    return [
        entity_type(f"Company{number} Holdings", (f"Brand{number} Ltd",), id=number)
        for number in range(1, count + 1)
    ]


def test_a_bulk_build_leaves_the_garbage_collector_on() -> None:
    assert gc.isenabled()
    _WatchedEntity.collector_states.clear()
    MatchIndex(_bulk_watchlist(2_000, _WatchedEntity))
    assert _WatchedEntity.collector_states
    assert all(_WatchedEntity.collector_states)


def test_an_index_gives_the_garbage_collector_few_objects_to_track() -> None:
    entities = _bulk_watchlist(5_000)
    gc.collect()
    before = len(gc.get_objects())
    index = MatchIndex(entities)
    gc.collect()
    tracked = len(gc.get_objects()) - before
    # 10,000 aliases: one tracked object per alias or owner would be 10,000 or more.
    assert tracked < index.alias_count // 10
    assert found(index, "Then Company17 Holdings agreed.") != []


@pytest.mark.parametrize(
    ("text", "found_it"),
    [
        pytest.param("Orange to acquire MasOrange for 4 billion euros.", True, id="to-deal-verb"),
        pytest.param("Orange, the French telecom operator, said it grew.", True, id="appositive"),
        pytest.param("Orange, a mobile operator, agreed terms.", True, id="appositive-a"),
        pytest.param("Orange said revenue rose 3%.", True, id="said"),
        pytest.param("Orange agrees to buy a rival.", True, id="deal-verb"),
        pytest.param("Orange County approved the budget.", False, id="place"),
        pytest.param("He drank orange juice.", False, id="lower-case"),
        pytest.param("Orange leaves fell early.", False, id="adjective"),
        pytest.param("Orange, the colour of autumn, is back.", False, id="appositive-not-company"),
        pytest.param("Orange to be the colour of the year.", False, id="to-not-deal-verb"),
    ],
)
def test_a_common_word_name_at_a_sentence_start_counts_in_company_context(
    text: str, found_it: bool
) -> None:
    index = MatchIndex([Entity("Orange", id=1)])
    assert bool(text_matches(index, text)) is found_it


@pytest.mark.parametrize(
    ("text", "found_it"),
    [
        pytest.param("It was a perfect match for the fund.", False, id="lower-case-word"),
        pytest.param("The post office closed early.", False, id="lower-case-post"),
        pytest.param("Shares of Match rose after the report.", True, id="capitalised"),
        pytest.param("Match Group, Inc. said revenue rose.", True, id="with-suffix"),
        pytest.param("Post Holdings agreed to buy a rival.", True, id="other-name-with-suffix"),
    ],
)
def test_a_name_that_is_one_word_without_its_suffix_never_counts_in_lower_case(
    text: str, found_it: bool
) -> None:
    index = MatchIndex([Entity("Match Group, Inc.", id=1), Entity("Post Holdings, Inc.", id=2)])
    assert bool(text_matches(index, text)) is found_it


def test_the_same_word_watched_without_a_suffix_still_matches_in_lower_case() -> None:
    # "Strategy Inc" needs a capital; an entity watched as the bare word keeps rule 1.
    index = MatchIndex([Entity("Strategy Inc", id=1), Entity("Zorblax", ("zorblax",), id=2)])
    assert [m.entity for m in text_matches(index, "a new strategy from zorblax")] == ["Zorblax"]


def test_a_name_of_ordinary_and_finance_words_counts_only_capitalised() -> None:
    index = MatchIndex([Entity("Asset Management Group", id=1)])
    assert text_matches(index, "its asset management arm grew") == []
    assert [m.text for m in text_matches(index, "Then Asset Management said so.")] == [
        "Asset Management"
    ]
