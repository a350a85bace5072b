"""Precision rules for big, uncurated watchlists (issue 13 item 5): which one-word typos,
one-word names and shouted words count. Sentences are invented; most tests pass their own
small lexicon so the rule under test, not a word list, decides."""

from __future__ import annotations

import pytest

from watchlists.matching import MatchIndex
from watchlists.matching_lexicon import BASIC_LEXICON, DEFAULT_LEXICON, Lexicon
from watchlists.model import Article, Entity


def lexicon(
    words: frozenset[str] = frozenset(),
    dictionary: dict[str, float] | None = None,
    people: frozenset[str] = frozenset(),
) -> Lexicon:
    """A lexicon that knows only the words it is given."""
    frequencies = dictionary or {}
    return Lexicon(
        is_word=words.__contains__,
        dictionary_frequency=lambda word: frequencies.get(word, 0.0),
        is_person_name=people.__contains__,
    )


def found(index: MatchIndex, text: str) -> list[tuple[str, str, str]]:
    """(entity, text matched, kind) for every match in an article body."""
    return [
        (match.entity, match.text, match.kind)
        for match in index.match(Article(id="a", title="", text=text))
    ]


# Rule 6: a one-word typo is a rare word.


def test_one_word_typo_is_never_a_word_of_the_language() -> None:
    index = MatchIndex([Entity("Markel Group Inc.", id=1)], lexicon(words=frozenset({"marvel"})))
    assert found(index, "Fans queued all night for the Marvel premiere.") == []
    assert found(index, "Analysts upgraded Makrel after the results.") == [
        ("Markel Group Inc.", "Makrel", "fuzzy")
    ]


def test_default_lexicon_knows_english_and_other_languages_words() -> None:
    index = MatchIndex([Entity("Booking Holdings Inc.", id=1), Entity("Essent Group Ltd.", id=2)])
    assert found(index, "We are Looking forward to the summer.") == []
    assert found(index, "Das Essen war kalt, sagte Anna.") == []
    assert found(index, "Travel bookings rose at Bookign Holdings Inc.") == [
        ("Booking Holdings Inc.", "Bookign Holdings Inc", "fuzzy")
    ]


def test_one_word_typo_is_never_a_word_of_a_watched_name() -> None:
    watchlist = [Entity("Gelesis Holdings, Inc.", id=1), Entity("Genesis Park Ltd", id=2)]
    index = MatchIndex(watchlist, lexicon())
    assert found(index, "Retro fans still love the Genesis console.") == []
    assert found(index, "Investors backed Gelesys in its latest round.") == [
        ("Gelesis Holdings, Inc.", "Gelesys", "fuzzy")
    ]


def test_multi_word_typo_is_never_a_word_of_another_watched_name() -> None:
    watchlist = [Entity("Samsung Electronics Co Ltd", id=1), Entity("Electronic Arts Inc.", id=2)]
    index = MatchIndex(watchlist, lexicon())
    assert found(index, "Samsung Electronic said profits rose.") == []
    assert found(index, "Shares of Samsung Electroncis rose.") == [
        ("Samsung Electronics Co Ltd", "Samsung Electroncis", "fuzzy")
    ]


def test_one_word_typo_is_never_a_persons_name() -> None:
    index = MatchIndex([Entity("Marvion Inc.", id=1)], lexicon(people=frozenset({"marvin"})))
    assert found(index, "A month later Marvin Gonzalez went back to work.") == []
    assert found(index, "Police later spoke to Marvin about the letter.") == []


def test_possessive_of_a_name_filed_without_apostrophe_is_the_name() -> None:
    index = MatchIndex([Entity("MCDONALDS CORP", id=1)], lexicon(people=frozenset({"mcdonald"})))
    assert found(index, "They ate at McDonald's on the way home.") == [
        ("MCDONALDS CORP", "McDonald", "fuzzy")
    ]


# Rule 4: one-word names that are words or people's names.


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("She teaches Management and Strategy at a business school.", id="mid"),
        pytest.param("Strategy matters more than tactics, the coach told us.", id="start"),
        pytest.param("Co-Founder and Chief Strategy Officer Ann Lee spoke.", id="title"),
    ],
)
def test_common_word_name_without_company_reading_is_no_mention(text: str) -> None:
    index = MatchIndex([Entity("Strategy Inc", id=1)], lexicon(dictionary={"strategy": 4.7}))
    assert found(index, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Strategy said it bought more bitcoin last week.", id="said"),
        pytest.param("Strategy to buy more bitcoin with new debt.", id="deal-verb"),
        pytest.param("Strategy, the software company, bought more bitcoin.", id="appositive"),
        pytest.param("Shares of Strategy (Nasdaq: MSTR) fell 4%.", id="ticker"),
        pytest.param("Strategy Inc bought more bitcoin.", id="suffix"),
    ],
)
def test_common_word_name_that_reads_as_a_company_counts(text: str) -> None:
    index = MatchIndex([Entity("Strategy Inc", id=1)], lexicon(dictionary={"strategy": 4.7}))
    assert [entity for entity, _, _ in found(index, text)] == ["Strategy Inc"]


def test_common_word_that_is_also_a_surname_reads_as_the_word() -> None:
    post = lexicon(dictionary={"post": 5.4}, people=frozenset({"post"}))
    index = MatchIndex([Entity("Post Holdings, Inc.", id=1)], post)
    assert found(index, "Post said cereal sales rose.") == [
        ("Post Holdings, Inc.", "Post", "partial")
    ]
    assert found(index, "Post your comments below.") == []


def test_rarer_dictionary_word_name_needs_only_a_capital() -> None:
    index = MatchIndex([Entity("Bullish", id=1)], lexicon(dictionary={"bullish": 3.1}))
    assert found(index, "Analysts turned bullish on European banks.") == []
    assert found(index, "Trading volumes at Bullish doubled in March.") == [
        ("Bullish", "Bullish", "exact")
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Campbell scored twice in the second half.", id="alone"),
        pytest.param("Campbell said he was proud of the team.", id="said"),
        pytest.param("The referee booked Mr Campbell for dissent.", id="title"),
        pytest.param("Campbell's second goal came late.", id="persons-possessive"),
    ],
)
def test_persons_name_alone_is_no_company(text: str) -> None:
    people = lexicon(people=frozenset({"campbell", "rogers"}))
    index = MatchIndex([Entity("CAMPBELL CORP", id=1), Entity("ROGERS CORP", id=2)], people)
    assert found(index, text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Rogers to acquire a German circuit maker for $150 million.", id="deal"),
        pytest.param("Rogers, the materials company, raised its outlook.", id="appositive"),
        pytest.param("Rogers Corp raised its outlook.", id="suffix"),
        pytest.param("Rogers acquired a German circuit maker.", id="company-verb"),
    ],
)
def test_persons_name_that_reads_as_a_company_counts(text: str) -> None:
    index = MatchIndex([Entity("ROGERS CORP", id=1)], lexicon(people=frozenset({"rogers"})))
    assert [entity for entity, _, _ in found(index, text)] == ["ROGERS CORP"]


def test_name_filed_with_possessive_counts_spelt_that_way() -> None:
    index = MatchIndex([Entity("CAMPBELL'S Co", id=1)], lexicon(people=frozenset({"campbell"})))
    assert found(index, "Campbell's raised its soup prices again.") == [
        ("CAMPBELL'S Co", "Campbell", "partial")
    ]
    assert found(index, "Campbell scored twice in the second half.") == []


# Capitals prove nothing in shouted text.


def test_name_shouted_in_a_run_of_capitals_is_no_mention_alone() -> None:
    index = MatchIndex([Entity("DOMO, INC.", id=1)], lexicon())
    assert found(index, "and then the crowd chanted DOMO DOMO DOMO DOMO!") == []
    assert found(index, "OVERALL WINNER DOMO TAKES HOME THE CUP") == []
    assert found(index, "DOMO said revenue rose 12%.") == [("DOMO, INC.", "DOMO", "partial")]


# The lexicon itself.


def test_basic_lexicon_knows_only_the_common_words() -> None:
    assert BASIC_LEXICON.is_word("apple")
    assert not BASIC_LEXICON.is_word("looking")
    assert BASIC_LEXICON.dictionary_frequency("strategy") == 0.0


def test_default_lexicon_tells_words_from_brands_and_names() -> None:
    assert DEFAULT_LEXICON.is_word("looking")
    assert DEFAULT_LEXICON.is_word("sempre")
    assert not DEFAULT_LEXICON.is_word("blackstnoe")
    assert DEFAULT_LEXICON.dictionary_frequency("strategy") > 4
    assert DEFAULT_LEXICON.dictionary_frequency("microsoft") == 0.0
    assert DEFAULT_LEXICON.is_person_name("campbell")
    assert not DEFAULT_LEXICON.is_person_name("gazprom")


# Names inside code, labels, compounds and longer titles.


def test_name_glued_to_a_word_by_an_underscore_is_code() -> None:
    index = MatchIndex([Entity("Snowfall Corp", id=1)], lexicon())
    assert found(index, "Set SNOWFALL_MODE to true. Snowfall Corp said sales rose.") == [
        ("Snowfall Corp", "Snowfall Corp", "exact")
    ]


def test_exchange_in_a_ticker_label_is_no_mention() -> None:
    index = MatchIndex([Entity("NASDAQ, INC.", id=1)], lexicon())
    assert found(index, "She sits on the board of Acme Outfitters (Nasdaq: ACME).") == []
    assert found(index, "Nasdaq said trading volumes rose.") == [
        ("NASDAQ, INC.", "Nasdaq", "partial")
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("He was picked for the All-Star game.", id="second"),
        pytest.param("Send us your best Star-Selfie.", id="first"),
    ],
)
def test_word_name_in_a_hyphenated_compound_is_no_mention(text: str) -> None:
    index = MatchIndex([Entity("Star Holdings", id=1)], lexicon(dictionary={"star": 5.2}))
    assert found(index, text) == []


def test_word_name_before_a_participle_compound_is_the_company() -> None:
    index = MatchIndex([Entity("Star Holdings", id=1)], lexicon(dictionary={"star": 5.2}))
    assert [entity for entity, _, _ in found(index, "A Star-backed fund, Star said.")] == [
        "Star Holdings",
        "Star Holdings",
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("More flexibility with Target CPA bidding.", id="acronym"),
        pytest.param("We played Sea of Thieves all night.", id="of-title"),
    ],
)
def test_common_word_name_run_into_another_name_needs_support(text: str) -> None:
    watchlist = [Entity("TARGET CORP", id=1), Entity("Sea Ltd", id=2)]
    assert found(MatchIndex(watchlist, lexicon()), text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Port Vale beat Crewe on Saturday.", id="port-vale"),
        pytest.param("Manchester City won again.", id="manchester-city"),
    ],
)
def test_word_name_after_a_capitalised_word_is_another_name(text: str) -> None:
    watchlist = [Entity("Vale S.A.", id=1), Entity("City Holding Co", id=2)]
    index = MatchIndex(watchlist, lexicon(dictionary={"vale": 3.6}))
    assert found(index, text) == []
    assert found(index, "Vale said iron ore output rose.") == [("Vale S.A.", "Vale", "partial")]
