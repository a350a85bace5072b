"""Block Kit messages stay within Slack's limits and escape what they show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.blocks import digest_message, escape, message_to_text, truncate, validate_message
from watchlists.model import Channel, Digest, Match, StoryItem

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
