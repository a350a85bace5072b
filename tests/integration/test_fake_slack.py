"""The fake Slack answers like Slack: tokens, unknown methods, history pages, waits."""

from __future__ import annotations

import threading

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlack


def _client(slack: FakeSlack, token: str | None = "xoxb-test") -> WebClient:
    return WebClient(token=token, base_url=slack.url)


def _error(call: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["error"])


def _post(client: WebClient, count: int, channel: str = "C1") -> list[str]:
    """Post count messages to channel; return their ts, oldest first."""
    return [str(client.chat_postMessage(channel=channel, text=f"m{n}")["ts"]) for n in range(count)]


def test_a_wrong_token_is_refused_and_changes_nothing(slack: FakeSlack) -> None:
    assert _error(
        lambda: _client(slack, "xoxb-wrong").chat_postMessage(channel="C1", text="x")
    ) == ("invalid_auth")
    assert _error(lambda: _client(slack, None).chat_postMessage(channel="C1", text="x")) == (
        "not_authed"
    )
    assert slack.messages == {}
    assert [call.method for call in slack.calls] == ["chat.postMessage", "chat.postMessage"]


def test_the_tokens_the_fake_accepts_are_configurable(slack: FakeSlack) -> None:
    other = FakeSlack(tokens=["xoxb-other"]).start()
    try:
        assert _client(other, "xoxb-other").auth_test()["ok"]
        assert _error(lambda: _client(other, "xoxb-test").auth_test()) == "invalid_auth"
    finally:
        other.stop()


def test_a_token_installed_through_oauth_is_accepted(slack: FakeSlack) -> None:
    installed = WebClient(base_url=slack.url).oauth_v2_access(
        client_id="111.222", client_secret="secret", code="c0de"
    )
    token = str(installed["access_token"])
    assert _error(lambda: _client(slack, token + "x").auth_test()) == "invalid_auth"
    assert _client(slack, token).auth_test()["ok"]


def test_an_unknown_method_is_answered_as_unknown(slack: FakeSlack) -> None:
    assert _error(lambda: _client(slack).api_call("chat.postMesage", json={"text": "x"})) == (
        "unknown_method"
    )
    assert slack.messages == {}
    with pytest.raises(ValueError, match=r"chat\.postMesage"):
        slack.fail_next("chat.postMesage", "internal_error")


def test_history_pages_newest_first_through_cursors(slack: FakeSlack) -> None:
    client = _client(slack)
    posted = _post(client, 5)
    seen: list[str] = []
    pages: list[bool] = []
    cursor = None
    while True:
        page = client.conversations_history(channel="C1", limit=2, cursor=cursor)
        seen += [message["ts"] for message in page["messages"]]
        pages.append(bool(page["has_more"]))
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == posted[::-1]
    assert pages == [True, True, False]
    assert _error(lambda: client.conversations_history(channel="C1", cursor="bm9wZQ==")) == (
        "invalid_cursor"
    )


def test_history_honours_oldest_latest_and_inclusive(slack: FakeSlack) -> None:
    client = _client(slack)
    ts = _post(client, 5)

    def listed(**kwargs: object) -> list[str]:
        return [m["ts"] for m in client.conversations_history(channel="C1", **kwargs)["messages"]]

    assert listed(oldest=ts[1], latest=ts[3]) == [ts[2]]
    assert listed(oldest=ts[1], latest=ts[3], inclusive=True) == [ts[3], ts[2], ts[1]]
    assert listed(oldest=ts[3]) == [ts[4]]
    assert listed(latest=ts[1]) == [ts[0]]
    assert listed(limit=1) == [ts[4]]
    assert listed() == ts[::-1]


def test_history_leaves_out_thread_replies_and_metadata_not_asked_for(slack: FakeSlack) -> None:
    client = _client(slack)
    metadata = {"event_type": "dealwatch_digest", "event_payload": {"story_ids": [7]}}
    root = client.chat_postMessage(channel="C1", text="root", metadata=metadata)["ts"]
    client.chat_postMessage(channel="C1", text="reply", thread_ts=root)
    client.chat_postMessage(channel="C1", text="shown", thread_ts=root, reply_broadcast=True)
    plain = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in plain] == ["shown", "root"]
    assert all("metadata" not in m for m in plain)
    full = client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert full[1]["metadata"] == metadata


def test_wait_for_returns_the_calls_once_they_are_recorded(slack: FakeSlack) -> None:
    client = _client(slack)
    posters = [
        threading.Thread(target=_post, args=(client, 1, channel)) for channel in ("C1", "C2", "C3")
    ]
    for poster in posters:
        poster.start()
    calls = slack.wait_for("chat.postMessage", 3)
    assert sorted(call.body["channel"] for call in calls) == ["C1", "C2", "C3"]
    assert sum(len(messages) for messages in slack.messages.values()) == 3, (
        "a recorded call has been answered"
    )
    [c2] = slack.wait_for("chat.postMessage", where=lambda call: call.body["channel"] == "C2")
    assert c2.body["text"] == "m0"
    for poster in posters:
        poster.join()


def test_wait_for_fails_when_the_calls_never_come(slack: FakeSlack) -> None:
    _post(_client(slack), 1)
    with pytest.raises(AssertionError, match=r"expected 2 chat\.postMessage calls"):
        slack.wait_for("chat.postMessage", 2, timeout=0.01)
