"""Property tests: whatever the text, offsets point into it and tokens are stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity
from watchlists.normalize import tokenize

INDEX = MatchIndex(
    [
        Entity("Alibaba Group", ("Alibaba",), id=1),
        Entity("Сбербанк", ("Sberbank",), id=2),
        Entity("VK", id=3),
        Entity("Nestlé", id=4),
    ]
)
PIECES = st.sampled_from(
    ["Alibaba", "Alibbaba", "’s", "'s", " ", ". ", "VK", "Сбербанк", "Nestle\u0301", "ß", "-", "é"]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_every_match_text_is_the_original_slice(text: str) -> None:
    for match in INDEX.match(Article(id="a", title=text, text=text)):
        assert text[match.start : match.end] == match.text
        assert match.start < match.end


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_token_spans_are_ordered_non_empty_slices_of_the_text(text: str) -> None:
    tokens = tokenize(text)
    previous_start = 0
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
        # One character may expand into several words ("¼" is "1/4"), so spans may share it.
        assert word
        assert previous_start <= start < end <= len(text)
        previous_start = start
