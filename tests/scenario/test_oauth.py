"""Installing into many workspaces: the OAuth flow and uninstall, over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.app import create_app, create_asgi
from bot.settings import Settings, SettingsError
from db.secrets import new_key
from db.store import SqlStore
from tests.fakes.servers import serve_asgi
from tests.fakes.signing import slash_command_body
from tests.fakes.slack_api import FakeSlack, event_body
from tests.scenario.conftest import SECRET, RunningBot
from tests.scenario.test_actions import HTTP, command, send
from watchlists.model import Entity

CLIENT_ID = "111.222"
KEY = new_key()


@pytest.fixture
def oauth_bot(engine: Engine, slack: FakeSlack) -> Iterator[RunningBot]:
    """The real HTTP app in OAuth mode, on the test database and the fake Slack."""
    settings = Settings(
        slack_client_id=CLIENT_ID,
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        secret_key=KEY,
    )
    store = SqlStore(engine)
    app = create_app(settings, store)
    with serve_asgi(create_asgi(app)) as url:
        yield RunningBot(url=url, app=app, store=store, slack=slack)


def count(bot: RunningBot, sql: str) -> int:
    """One number from the database (plain SQL)."""
    with bot.store.engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def install(bot: RunningBot, code: str = "c0de") -> httpx.Response:
    """Open the install page, then come back from Slack with its state and cookie."""
    page = HTTP.get(f"{bot.url}/slack/install")
    assert page.status_code == 200
    [state] = re.findall(r"state=([^&\"]+)", page.text)
    cookie = page.headers["set-cookie"].split(";")[0]
    assert cookie == f"slack-app-oauth-state={state}"
    return HTTP.get(
        f"{bot.url}/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": cookie},
    )


def test_install_then_redirect_saves_the_installation_and_the_installer_timezone(
    oauth_bot: RunningBot,
) -> None:
    page = HTTP.get(f"{oauth_bot.url}/slack/install")
    assert "https://slack.com/oauth/v2/authorize?" in page.text
    assert f"client_id={CLIENT_ID}" in page.text and "chat:write" in page.text
    assert count(oauth_bot, "SELECT count(*) FROM slack_oauth_states") == 1
    answer = install(oauth_bot)
    assert answer.status_code == 200
    [access] = oauth_bot.slack.calls_to("oauth.v2.access")
    assert access.body["code"] == "c0de"
    assert count(oauth_bot, "SELECT count(*) FROM slack_installations WHERE team_id = 'T0NEW'") == 1
    assert count(oauth_bot, "SELECT count(*) FROM slack_bots WHERE team_id = 'T0NEW'") == 1
    assert oauth_bot.store.workspace_timezone("T0NEW") == "Europe/Moscow"
    assert oauth_bot.store.installer_of("T0NEW") == "U0INSTALLER"
    channel = oauth_bot.store.ensure_channel("T0NEW", "C0FIRST")
    assert channel.timezone == "Europe/Moscow"


def test_oauth_redirect_with_a_state_that_was_never_issued_installs_nothing(
    oauth_bot: RunningBot,
) -> None:
    forged = "0" * 36
    answer = HTTP.get(
        f"{oauth_bot.url}/slack/oauth_redirect",
        params={"code": "c0de", "state": forged},
        headers={"Cookie": f"slack-app-oauth-state={forged}"},
    )
    assert answer.status_code in (400, 401)
    assert not oauth_bot.slack.calls_to("oauth.v2.access")
    assert count(oauth_bot, "SELECT count(*) FROM slack_installations") == 0


def test_uninstall_deletes_the_installation_and_only_that_team_rows(
    oauth_bot: RunningBot,
) -> None:
    install(oauth_bot)
    store = oauth_bot.store
    gone = store.ensure_channel("T0NEW", "C0NEWDESK", "new-desk")
    store.watch(gone.id, Entity(name="Kestrel Robotics"))
    kept = store.ensure_channel("T0KEEP", "C0KEEPDESK", "keep-desk")
    store.watch(kept.id, Entity(name="Kestrel Robotics"))
    answer = send(oauth_bot, event_body({"type": "app_uninstalled"}, "Ev0UNINSTALL", "T0NEW"))
    assert answer.status_code == 200
    oauth_bot.finish_work()
    assert count(oauth_bot, "SELECT count(*) FROM slack_installations") == 0
    assert count(oauth_bot, "SELECT count(*) FROM slack_bots") == 0
    assert store.team_channels("T0NEW") == []
    assert [c.slack_id for c in store.team_channels("T0KEEP")] == ["C0KEEPDESK"]
    assert [e.name for e in store.channel_entities(kept.id)] == ["Kestrel Robotics"]


def test_first_deals_command_of_a_workspace_sets_new_channels_to_the_user_timezone(
    bot: RunningBot,
) -> None:
    bot.slack.user_timezone = "Asia/Tokyo"
    command(bot, "list", channel_id="C0FIRST")
    command(bot, "list", channel_id="C0SECOND")
    bot.replies(2)
    [lookup] = bot.slack.calls_to("users.info")
    assert lookup.body["user"] == "U0USER"
    for slack_id in ("C0FIRST", "C0SECOND"):
        assert bot.store.ensure_channel("T0TEST", slack_id).timezone == "Asia/Tokyo"


def test_a_user_without_a_timezone_is_looked_up_once_not_on_every_command(
    bot: RunningBot,
) -> None:
    bot.slack.user_timezone = ""
    for n in range(3):
        command(bot, "list", channel_id=f"C0DESK{n}")
    bot.replies(3)
    assert len(bot.slack.calls_to("users.info")) == 1
    assert bot.store.workspace_timezone("T0TEST") is None


def test_installed_tokens_are_stored_encrypted_and_still_authorise_requests(
    oauth_bot: RunningBot,
) -> None:
    assert install(oauth_bot).status_code == 200
    with oauth_bot.store.engine.connect() as connection:
        stored = [
            str(value)
            for table in ("slack_installations", "slack_bots")
            for value in connection.execute(text(f"SELECT bot_token FROM {table}")).scalars()
        ]
    assert len(stored) == 2
    assert all(value.startswith("gAAAAA") and "xoxb-" not in value for value in stored)
    body = slash_command_body("list", oauth_bot.slack.response_url).replace(
        "team_id=T0TEST", "team_id=T0NEW"
    )
    assert send(oauth_bot, body).status_code == 200
    # Bolt authorises the command with the token it found: decrypted, not the stored value.
    check = oauth_bot.slack.wait_for("auth.test", 2)[-1]
    assert check.body["team_id"] == "T0NEW"
    assert check.headers["Authorization"] == "Bearer xoxb-T0NEW-c0de"


def test_oauth_mode_refuses_to_start_without_a_secret_key() -> None:
    settings = Settings(
        slack_client_id=CLIENT_ID, slack_client_secret="client-secret", slack_signing_secret=SECRET
    )
    with pytest.raises(SettingsError, match="DEALWATCH_SECRET_KEY"):
        settings.require_slack()
    replace(settings, secret_key=KEY).require_slack()
