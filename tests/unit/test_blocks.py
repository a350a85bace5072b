"""Block Kit messages stay within Slack's limits and escape what they show."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from handlers.blocks import (
    details_message,
    digest_message,
    escape,
    exclusion_proposal,
    home_view,
    lookup_text,
    message_to_text,
    truncate,
    validate_message,
    watch_choice_blocks,
)
from watchlists.feedback import ChannelOverview, FeedLine, HomeOverview
from watchlists.model import Channel, Digest, Entity, Match, StoryItem
from watchlists.ports import ArticleEvidence, PostedStory, StoryDetails

CHANNEL = Channel(id=1, team_id="T1", slack_id="C1")


def _item(number: int, title: str = "Alibaba forms venture", summary: str = "A deal.") -> StoryItem:
    match = Match(1, "Alibaba", "Alibaba", "title", 0, 7, "Alibaba", 100.0, "exact")
    return StoryItem(
        story_id=number,
        title=title,
        url=f"https://news.test/{number}",
        summary=summary,
        published=None,
        source="Wire",
        matches=(match,),
        deal_type="joint_venture",
        deal_stage="in_talks",
        amount="$2bn",
    )


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("A & B", "A &amp; B", id="ampersand"),
        pytest.param("<!channel>", "&lt;!channel&gt;", id="mention-injection"),
        pytest.param("&lt;", "&amp;lt;", id="ampersand-first"),
        pytest.param("*bold* _it_", "*bold* _it_", id="formatting-untouched"),
    ],
)
def test_escape_replaces_only_the_three_characters(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_truncate_never_cuts_mid_word() -> None:
    cut = truncate("alpha beta gamma delta", 13)
    assert cut == "alpha beta…"
    assert len(cut) <= 13


def test_truncate_cuts_text_without_spaces_mid_text_rather_than_at_an_early_space() -> None:
    name = "012 " + "中华人民共和国" * 20
    cut = truncate(name, 20)
    assert cut == name[:19] + "…"


def test_article_text_is_escaped_in_the_digest() -> None:
    item = _item(1, title="Fund <b>buys</b> stake & more", summary="<!here> wins")
    message = digest_message(Digest(CHANNEL, datetime.now(UTC), (item,)))
    section = message["blocks"][1]["text"]["text"]
    assert "&lt;b&gt;buys&lt;/b&gt; stake &amp; more" in section
    assert "&lt;!here&gt;" in section
    assert "<!here>" not in section


def test_huge_story_text_stays_within_limits() -> None:
    items = tuple(_item(n, title="T" * 5000, summary="word " * 2000) for n in range(30))
    message = digest_message(Digest(CHANNEL, datetime.now(UTC), items))
    assert validate_message(message) == []
    assert len(message["blocks"]) <= 50


def test_digest_header_counts_stories_and_text_fallback_is_set() -> None:
    message = digest_message(Digest(CHANNEL, datetime.now(UTC), (_item(1), _item(2))), 1, 2)
    assert message["blocks"][0]["text"]["text"] == "Deal digest (1/2): 2 stories"
    assert message["text"].startswith("Deal digest (1/2)")


def test_terminal_rendering_shows_deal_and_why() -> None:
    text = message_to_text(digest_message(Digest(CHANNEL, datetime.now(UTC), (_item(1),))))
    assert "Joint venture (in talks) · $2bn" in text
    assert "Why: Alibaba" in text


def test_an_update_is_a_reply_in_the_first_reports_thread_also_sent_to_the_channel() -> None:
    digest = Digest(
        channel=CHANNEL,
        generated_at=datetime(2026, 11, 3, tzinfo=UTC),
        items=(_item(1, title="Update: Alibaba completes venture"),),
        thread_ts="1700000000.000100",
    )
    message = digest_message(digest)
    assert message["thread_ts"] == "1700000000.000100" and message["reply_broadcast"] is True
    assert message["blocks"][0]["text"]["text"] == "Update on this story"
    assert validate_message(message) == []
    plain = digest_message(Digest(channel=CHANNEL, generated_at=digest.generated_at))
    assert "thread_ts" not in plain and "reply_broadcast" not in plain


# Every text Slack renders, whatever a feed or a person typed: no markup of theirs survives.

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "<!channel>",
            "<!here|here>",
            "<@U123>",
            "<#C999>",
            "<http://evil.example|click me>",
            "&lt;!channel&gt;",
            "AT&T",
            "a > b < c",
            "&",
            "&amp",
            "*bold* `code` ~x~",
            "x" * 400 + "&<>",
        ]
    ),
    st.text(max_size=300),
)
HOSTILE_URL = st.one_of(
    st.builds(lambda tail: "https://news.test/" + tail, st.text(max_size=80)),
    st.sampled_from(["https://a.test/?x=1&y=<2>|z", "javascript:alert(1)", "http://e x|<!here>"]),
)
# What dealwatch itself writes: links (URL|label, the URL with & escaped) and channel mentions.
OUR_MARKUP = re.compile(r"<(https?://[^\s<>|]+)\|([^<>]*)>|<#[A-Z0-9]+>")


def rendered_texts(node: object) -> list[str]:
    """Every string Slack renders in a message or view: each `text` at any depth."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(rendered_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(rendered_texts(value))
    return found


def assert_escaped(texts: list[str]) -> None:
    """No <, > or bare & outside dealwatch's own links and mentions."""
    for text in texts:
        bare = OUR_MARKUP.sub(
            lambda found: f" {found.group(1) or ''} {found.group(2) or ''} ", text
        )
        assert "<" not in bare and ">" not in bare, text
        assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt);)*", bare, flags=re.DOTALL), text


def _match(entity: str, alias: str, seen: str) -> Match:
    return Match(7, entity, alias, "title", 0, 3, seen, 91.0, "fuzzy")


@st.composite
def hostile_items(draw: st.DrawFn) -> StoryItem:
    """A story whose every text field came from a hostile feed or person."""
    return StoryItem(
        story_id=draw(st.integers(1, 10**6)),
        title=draw(HOSTILE),
        url=draw(HOSTILE_URL),
        summary=draw(HOSTILE),
        published=None,
        source=draw(HOSTILE),
        matches=(_match(draw(HOSTILE), draw(HOSTILE), draw(HOSTILE)),),
        deal_type=draw(st.sampled_from(["acquisition", "none", "<!channel>"])),
        deal_stage=draw(HOSTILE),
        amount=draw(HOSTILE),
        also_reported_by=tuple(draw(st.lists(HOSTILE, max_size=3))),
    )


@settings(max_examples=150, deadline=None)
@given(items=st.lists(hostile_items(), min_size=1, max_size=4), name=HOSTILE, period=HOSTILE)
@example(
    items=[_item(1, title="<!channel> <!here> <@U123> <http://evil.example|click me>")],
    name="x",
    period="30d",
)
def test_digests_and_lookups_escape_every_hostile_text(
    items: list[StoryItem], name: str, period: str
) -> None:
    digest = Digest(CHANNEL, datetime.now(UTC), tuple(items))
    assert_escaped(rendered_texts(digest_message(digest)))
    assert_escaped(rendered_texts(digest_message(replace(digest, thread_ts="1.2"), 2, 3)))
    assert_escaped([lookup_text(name, period, items)])


@settings(max_examples=150, deadline=None)
@given(
    title=HOSTILE,
    texts=st.lists(HOSTILE, min_size=8, max_size=8),
    urls=st.lists(HOSTILE_URL, min_size=3, max_size=3),
    extra=st.integers(0, 45),
)
def test_details_and_exclusion_proposals_escape_every_hostile_text(
    title: str, texts: list[str], urls: list[str], extra: int
) -> None:
    match = _match(texts[0], texts[1], texts[2])
    articles = tuple(
        ArticleEvidence(texts[3], urls[n % 3], texts[4], None, (match,) if n % 2 else ())
        for n in range(1 + extra)
    )
    details = StoryDetails(
        story_id=1,
        title=title,
        deal_type="acquisition",
        deal_stage=texts[5],
        trigger=texts[6],
        amounts=(texts[7],),
        stakes=(texts[0],),
        parties=(texts[1], texts[2]),
        summary=texts[3],
        articles=articles,
    )
    assert_escaped(rendered_texts(details_message(details, "C1", "1.2")))
    entity = Entity(name=texts[0], aliases=(texts[1],), id=3)
    assert_escaped(rendered_texts(exclusion_proposal(entity, texts[2], 3)))
    assert_escaped(rendered_texts(watch_choice_blocks(escape(texts[3]), texts[4], texts[5], title)))


@settings(max_examples=100, deadline=None)
@given(
    names=st.lists(HOSTILE, min_size=6, max_size=6),
    urls=st.lists(HOSTILE_URL, min_size=2, max_size=2),
    slack_id=st.one_of(st.just("C0DEALS"), HOSTILE),
)
def test_the_app_home_escapes_every_hostile_text(
    names: list[str], urls: list[str], slack_id: str
) -> None:
    channel = Channel(
        id=1, team_id="T1", slack_id=slack_id, name=names[0], timezone=names[1], delivery="digest"
    )
    overview = ChannelOverview(
        channel=channel,
        entities=(names[2], names[3]),
        feeds=(FeedLine(names[4], names[5]),),
        recent=(PostedStory(1, names[5], urls[0], None), PostedStory(2, names[4], urls[1], None)),
    )
    assert_escaped(rendered_texts(home_view(HomeOverview(channels=(overview,) * 3))))
    assert_escaped(rendered_texts(home_view(HomeOverview(channels=(), hidden_channels=2))))


def test_the_plain_text_fallback_of_a_digest_cannot_ping_or_link() -> None:
    title = "<!channel> <!here> <@U123> <http://evil.example|click me>"
    message = digest_message(Digest(CHANNEL, datetime.now(UTC), (_item(1, title=title),)))
    assert message["text"] == (
        "Deal digest: 1 story: &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; "
        "&lt;http://evil.example|click me&gt;"
    )


def test_a_cut_never_leaves_half_an_entity_or_an_open_link() -> None:
    assert truncate("&amp;" * 10, 9) == "&amp;…"
    assert truncate("see:<https://a.test/x|label>", 20) == "see:…"
