"""Tests of the one normalisation shared by aliases and article text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from watchlists.normalize import (
    _MIXED_SCRIPT_WORD,
    _SCRIPTS_MEET,
    normalize,
    normalize_words,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Nestlé", ("nestle",), id="acute-accent"),
        pytest.param("Société Générale", ("societe", "generale"), id="several-accents"),
        pytest.param("Nestle\u0301", ("nestle",), id="combining-accent"),
        pytest.param("ВКонтакте", ("vkontakte",), id="cyrillic-vkontakte"),
        pytest.param("Сбербанк", ("sberbank",), id="cyrillic-sberbank"),
        pytest.param("РФПИ", ("rfpi",), id="cyrillic-acronym"),
        pytest.param("GAZPRОM", ("gazprom",), id="cyrillic-o-in-latin-word"),
        pytest.param("Аррle", ("apple",), id="cyrillic-r-reads-as-latin-p"),
        pytest.param("Sbеrbank", ("sberbank",), id="cyrillic-e-in-latin-word"),
        pytest.param("Сбeрбанк", ("sberbank",), id="latin-e-in-cyrillic-word"),
        pytest.param("Яндекс", ("yandex",), id="cyrillic-ks-is-x"),
        pytest.param("ＡＢＣ", ("abc",), id="full-width-nfkc"),
        pytest.param("Straße", ("strasse",), id="sharp-s"),
        pytest.param("e-commerce", ("e", "commerce"), id="hyphen-separates"),
        pytest.param("e–commerce", ("e", "commerce"), id="en-dash-separates"),
        pytest.param("e commerce", ("e", "commerce"), id="space-separates"),
        pytest.param("Alibaba's", ("alibaba",), id="straight-possessive"),
        pytest.param("Alibaba’s", ("alibaba",), id="curly-possessive"),
        pytest.param("O’Neil", ("oneil",), id="inner-apostrophe-joins"),
        pytest.param("“VK”", ("vk",), id="curly-quotes-separate"),
        pytest.param("'quoted'", ("quoted",), id="single-quotes-dropped"),
        pytest.param("holders' shares", ("holders", "shares"), id="plural-possessive"),
    ],
)
def test_words_are_normalised(text: str, expected: tuple[str, ...]) -> None:
    assert normalize_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Plain ASCII, with Alibaba's deal.", id="ascii"),
        pytest.param("Russia’s “Direct” Investment Fund – RDIF", id="curly-one-to-one"),
        pytest.param("Straße and ﬁnance and Nestle\u0301 again", id="length-changing"),
        pytest.param("ВКонтакте и Сбербанк, GAZPRОM", id="cyrillic"),
        pytest.param("Zero\u200bwidth and 阿里巴巴 here", id="cjk-and-zero-width"),
    ],
)
def test_token_offsets_point_into_the_original_text(text: str) -> None:
    tokens = tokenize(text)
    assert tokens.words
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
        assert normalize_words(text[start:end]) == (word,)


def test_possessive_is_outside_the_token_span() -> None:
    text = "Alibaba’s venture"
    tokens = tokenize(text)
    assert text[tokens.starts[0] : tokens.ends[0]] == "Alibaba"


def test_normalized_text_maps_spans_back_when_lengths_change() -> None:
    text = "Straße Nestle\u0301"
    normalized = normalize(text)
    position = normalized.text.index("nestle")
    start, end = normalized.original_span(position, position + len("nestle"))
    assert text[start:end] == "Nestle\u0301"


def test_ascii_text_has_no_offset_map() -> None:
    assert normalize("Plain Text").starts is None


@pytest.mark.parametrize(
    ("text", "cased"),
    [
        pytest.param("Alibaba's VK deal", ["Alibaba", "VK", "deal"], id="possessive"),
        pytest.param(
            "O’Neil and ВКонтакте", ["ONeil", "and", "VKontakte"], id="apostrophe-cyrillic"
        ),
        pytest.param("Nestlé talks", ["Nestle", "talks"], id="accent-and-ks-kept"),
    ],
)
def test_cased_tokens_keep_the_case_of_the_text(text: str, cased: list[str]) -> None:
    tokens = tokenize(text)
    assert tokens.cased == cased
    assert [word.lower().replace("ks", "x") for word in tokens.cased] == tokens.words


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Alibaba's 'quoted' O'Neil talks", id="apostrophes-and-ks"),
        pytest.param("Straße – Nestle\u0301, GAZPRОM’s", id="offset-map"),
        pytest.param("  leading gaps,, and 42 digits.", id="gaps"),
        pytest.param("Banks' stocks's 'Ksenia' o'ks Yandeks", id="ks-next-to-apostrophes"),
    ],
)
def test_short_and_long_texts_give_the_same_tokens(text: str) -> None:
    # Short texts take a different path; padding a text past it must not change its tokens.
    short = tokenize(text)
    long = tokenize(text + " padding" * 40)
    count = len(short.words)
    assert long.words[:count] == short.words
    assert long.cased[:count] == short.cased
    assert long.starts[:count] == short.starts
    assert long.ends[:count] == short.ends


def test_free_standing_quotes_vanish_and_the_words_around_them_keep_their_offsets() -> None:
    # Many lone quotes: the words between them keep their own spans, in order.
    text = " ' ".join(["Alibaba's", "deal", "'", "O'Neil"] * 500)
    tokens = tokenize(text)
    assert tokens.words == ["alibaba", "deal", "oneil"] * 500
    assert [text[start:end] for start, end in zip(tokens.starts, tokens.ends, strict=True)] == [
        "Alibaba",
        "deal",
        "O'Neil",
    ] * 500


@given(st.text(alphabet="aZ жΩ1_.-", max_size=12))
@example("GAZPRОM")
@example("ж a")
@settings(max_examples=300)
def test_script_meeting_scan_finds_every_mixed_script_word(text: str) -> None:
    # The quick scan stands guard for the word pattern: it must never miss a mixed word.
    assert bool(_SCRIPTS_MEET.search(text)) == bool(_MIXED_SCRIPT_WORD.search(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Сбербанк и ВТБ, Nestlé and GAZPRОM’s", id="mixed-word-among-others"),
        pytest.param("Сбербанк и ВТБ: Nestlé and Gazprom", id="no-mixed-word"),
    ],
)
def test_text_tokens_are_the_tokens_of_each_word(text: str) -> None:
    assert tokenize(text).words == [word for part in text.split() for word in tokenize(part).words]


@pytest.mark.parametrize(
    ("middle", "spelt"),
    [
        pytest.param("Nestle\u0301 Щукин", ["Nestle\u0301", "Щукин"], id="accent-first"),
        pytest.param("Роснефть, Щукин", ["Роснефть", "Щукин"], id="soft-sign"),
        pytest.param("Straße … Nestlé", ["Straße", "Nestlé"], id="longer-folds"),
    ],
)
def test_words_before_inside_and_after_the_non_ascii_part_keep_their_spans(
    middle: str, spelt: list[str]
) -> None:
    # Offsets are mapped only across the non-ASCII part of a long text; the words on
    # either side stand where they were, shifted by what folding added.
    text = "Alpha beta " * 10 + middle + " gamma delta" * 10
    tokens = tokenize(text)
    found = [text[start:end] for start, end in zip(tokens.starts, tokens.ends, strict=True)]
    assert found == ["Alpha", "beta"] * 10 + spelt + ["gamma", "delta"] * 10
