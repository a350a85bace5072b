"""Rotating OAuth tokens are refreshed ahead of expiry by the scheduled job, over real HTTP."""

from __future__ import annotations

import time

from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.app import token_refresher
from bot.oauth import TeamPoster, installation_store
from bot.settings import Settings
from db.secrets import new_key
from db.store import SqlStore
from tests.fakes.slack_api import FakeSlack

KEY = new_key()


def _settings(slack: FakeSlack) -> Settings:
    return Settings(
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        slack_signing_secret="secret",
        slack_token_rotation=True,
        slack_api_url=slack.url,
        secret_key=KEY,
    )


def _save_bot(settings: Settings, engine: Engine, team_id: str, expires_in_s: int) -> None:
    installation_store(settings, engine).save_bot(
        Bot(
            app_id="A0DEALWATCH",
            enterprise_id=None,
            team_id=team_id,
            bot_token=f"xoxb-old-{team_id}",
            bot_refresh_token=f"xoxe-1-{team_id}",
            bot_token_expires_at=int(time.time()) + expires_in_s,
            bot_id="B0",
            bot_user_id="U0BOT",
            installed_at=time.time(),
        )
    )


def test_job_refreshes_only_tokens_close_to_expiry(engine: Engine, slack: FakeSlack) -> None:
    settings = _settings(slack)
    store = SqlStore(engine)
    store.ensure_channel("T0SOON", "C1")
    store.ensure_channel("T0LATER", "C2")
    _save_bot(settings, engine, "T0SOON", expires_in_s=10 * 60)
    _save_bot(settings, engine, "T0LATER", expires_in_s=10 * 3600)
    poster = TeamPoster(settings, installation_store(settings, engine))

    refresh = token_refresher(poster, store, settings)
    assert refresh is not None
    assert refresh() == 1

    [call] = slack.calls_to("oauth.v2.access")
    assert call.body["grant_type"] == "refresh_token"
    assert call.body["refresh_token"] == "xoxe-1-T0SOON"
    soon = installation_store(settings, engine).find_bot(enterprise_id=None, team_id="T0SOON")
    later = installation_store(settings, engine).find_bot(enterprise_id=None, team_id="T0LATER")
    assert soon is not None and soon.bot_token is not None
    assert soon.bot_token.startswith("xoxb-refreshed-")
    assert later is not None and later.bot_token == "xoxb-old-T0LATER"
    with engine.connect() as connection:
        stored = " ".join(
            str(value)
            for row in connection.execute(
                text("SELECT bot_token, bot_refresh_token FROM slack_bots")
            )
            for value in row
        )
    assert "xoxb-" not in stored and "xoxe-" not in stored


def test_no_job_without_rotating_tokens(engine: Engine, slack: FakeSlack) -> None:
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=slack.url)
    assert (
        token_refresher(
            TeamPoster(settings, installation_store(settings, engine)), SqlStore(engine), settings
        )
        is None
    )
