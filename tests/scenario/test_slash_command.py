"""Signed /deals requests over HTTP reach the bot, which answers through Slack's APIs."""

from __future__ import annotations

import time

import httpx

from tests.fakes.signing import signed_headers, slash_command_body
from tests.scenario.conftest import SECRET, RunningBot


def test_watch_command_stores_entity_and_confirms(bot: RunningBot) -> None:
    answer = bot.command("watch Russian Direct Investment Fund aka RDIF, РФПИ")
    assert answer.status_code == 200
    reply = bot.replies(1)[0]
    assert reply["response_type"] == "ephemeral"
    assert "Russian Direct Investment Fund" in str(reply["text"])
    channel = bot.store.ensure_channel("T0TEST", "C0DEALS")
    [entity] = bot.store.channel_entities(channel.id)
    assert entity.aliases == ("RDIF", "РФПИ")
    # The in-channel confirmation follows the ephemeral reply: wait for it too.
    [broadcast] = bot.posts()
    assert broadcast["channel"] == "C0DEALS"


def test_unknown_subcommand_answers_usage_ephemerally(bot: RunningBot) -> None:
    bot.command("frobnicate everything")
    reply = bot.replies(1)[0]
    assert reply["response_type"] == "ephemeral"
    assert "is not a /deals command" in str(reply["text"])
    assert "Usage" in str(reply["text"])
    bot.finish_work()
    assert not bot.slack.calls_to("chat.postMessage")


def test_bad_signature_is_rejected_and_changes_nothing(bot: RunningBot) -> None:
    body = slash_command_body("watch Alibaba", bot.slack.response_url)
    headers = signed_headers("wrong-secret", body)
    answer = httpx.post(f"{bot.url}/slack/events", content=body, headers=headers)
    assert answer.status_code == 401
    assert bot.store.list_channels() == []


def test_stale_signature_is_rejected(bot: RunningBot) -> None:
    body = slash_command_body("watch Alibaba", bot.slack.response_url)
    headers = signed_headers(SECRET, body, timestamp=int(time.time()) - 6 * 60)
    answer = httpx.post(f"{bot.url}/slack/events", content=body, headers=headers)
    assert answer.status_code == 401
    assert bot.store.list_channels() == []


def test_digest_schedule_is_set_in_channel_timezone(bot: RunningBot) -> None:
    bot.command("tz Asia/Tokyo")
    assert "Asia/Tokyo" in str(bot.replies(1)[0]["text"])
    bot.command("digest weekdays 08:30")
    bot.replies(2)
    channel = bot.store.ensure_channel("T0TEST", "C0DEALS")
    assert channel.digest_schedule == "weekdays 08:30"
    assert channel.timezone == "Asia/Tokyo"


def test_healthz_answers_ok(bot: RunningBot) -> None:
    assert httpx.get(f"{bot.url}/healthz").json() == {"ok": True}


def test_watch_reuses_a_known_entity_found_by_alias(bot: RunningBot) -> None:
    bot.command("watch Russian Direct Investment Fund aka RDIF", channel_id="C0FIRST")
    bot.replies(1)
    bot.command("watch RDIF aka РФПИ", channel_id="C0SECOND")
    reply = bot.replies(2)[1]
    assert "Russian Direct Investment Fund" in str(reply["text"])
    second = bot.store.ensure_channel("T0TEST", "C0SECOND")
    [entity] = bot.store.channel_entities(second.id)
    assert entity.name == "Russian Direct Investment Fund"
    assert set(entity.aliases) == {"RDIF", "РФПИ"}


def test_watch_suggests_a_close_known_entity(bot: RunningBot) -> None:
    bot.command("watch Temasek Holdings", channel_id="C0FIRST")
    bot.replies(1)
    bot.command("watch Temasek Holdngs", channel_id="C0SECOND")
    reply = bot.replies(2)[1]
    assert "Did you mean *Temasek Holdings*" in str(reply["text"])


def test_mute_then_list_shows_the_mute_and_unmute_lifts_it(bot: RunningBot) -> None:
    bot.command("watch Shell")
    bot.replies(1)
    bot.command("mute Shell 7d")
    assert "Muted *Shell*" in str(bot.replies(2)[1]["text"])
    bot.command("list")
    assert "Muted: Shell until" in str(bot.replies(3)[2]["text"])
    bot.command("unmute Shell")
    assert "Unmuted *Shell*" in str(bot.replies(4)[3]["text"])


def test_mute_with_bad_duration_answers_with_the_reason(bot: RunningBot) -> None:
    bot.command("watch Shell")
    bot.replies(1)
    bot.command("mute Shell forever")
    reply = bot.replies(2)[1]
    assert "is not a duration" in str(reply["text"])
    assert reply["response_type"] == "ephemeral"


def test_lookup_of_unknown_entity_says_so(bot: RunningBot) -> None:
    bot.command("lookup Nonexistent Corp 7d")
    assert "No entity called `Nonexistent Corp`" in str(bot.replies(1)[0]["text"])


def test_feeds_add_list_remove_through_slack(bot: RunningBot) -> None:
    from tests.fakes.feed_server import FakeFeedServer, Feed

    feeds = FakeFeedServer().start()
    try:
        body = (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Wire</title>'
            b"<item><title>Alibaba &amp; VK sign</title><guid>1</guid><description>x</description></item>"
            b"</channel></rss>"
        )
        feeds.serve("/rss", Feed(body))
        bot.command(f"feeds add {feeds.url('/rss')}")
        added = str(bot.replies(1)[0]["text"])
        assert "Added feed *Desk Wire*" in added and "Alibaba &amp; VK sign" in added
        bot.command("feeds list")
        listed = str(bot.replies(2)[1]["text"])
        assert "1. Desk Wire" in listed and "ok (last fetched" in listed
        bot.command("feeds remove 1")
        assert "Removed feed *Desk Wire*" in str(bot.replies(3)[2]["text"])
        bot.command("feeds remove 7")
        assert "has no feeds to remove" in str(bot.replies(4)[3]["text"])
    finally:
        feeds.stop()


def test_feeds_add_refuses_private_addresses_by_default(engine, slack) -> None:  # type: ignore[no-untyped-def]
    from bot.app import create_app, create_asgi
    from bot.settings import Settings
    from db.store import SqlStore
    from tests.fakes.servers import serve_asgi
    from tests.scenario.conftest import RunningBot as Bot

    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url
    )
    store = SqlStore(engine)
    app = create_app(settings, store)
    with serve_asgi(create_asgi(app)) as url:
        guarded = Bot(url=url, app=app, store=store, slack=slack)
        guarded.command("feeds add http://127.0.0.1:9/rss")
        reply = str(guarded.replies(1)[0]["text"])
    assert "Could not add" in reply and "blocked" in reply
