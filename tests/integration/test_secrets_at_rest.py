"""Feed credentials and Slack tokens at rest: encrypted, rotated, migrated (both databases)."""

from __future__ import annotations

import time

import pytest
from slack_sdk.oauth.installation_store import Bot
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.oauth import installation_store
from bot.settings import Settings
from db.engine import downgrade, make_engine, upgrade
from db.secrets import SecretBox, SecretKeyError, new_key
from db.store import SqlStore
from tests.integration.test_cli import run

FEED = "https://user:hunter2@feeds.example/rss"
SHOWN = "https://***@feeds.example/rss"


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    """The rows of a plain SQL query."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def save_bot(settings: Settings, engine: Engine, token: str) -> None:
    """A bot installation for team T0A, through the encrypting store."""
    installation_store(settings, engine).save_bot(
        Bot(
            app_id="A0",
            enterprise_id=None,
            team_id="T0A",
            bot_token=token,
            bot_refresh_token="xoxe-1-refresh",
            bot_id="B0",
            bot_user_id="U0BOT",
            installed_at=time.time(),
        )
    )


def test_a_feed_keeps_its_credentials_encrypted_and_apart_from_its_url(engine: Engine) -> None:
    box = SecretBox([new_key()])
    store = SqlStore(engine, box)
    channel = store.ensure_channel("T0A", "C0A")
    added = store.add_channel_source(channel.id, FEED, "Wire")
    assert added.url == FEED
    [(url, credentials)] = rows(engine, "SELECT url, credentials FROM source")
    assert url == SHOWN and "hunter2" not in str(credentials)
    assert box.decrypt(str(credentials)) == "user:hunter2"
    assert [s.url for s in store.channel_sources(channel.id)] == [FEED]
    # `dealwatch status` reads every source without decrypting anything.
    assert [s.url for s in store.all_sources()] == [SHOWN]
    # The same feed with a changed password: one source, the new credentials.
    store.add_channel_source(channel.id, "https://user:newpass@feeds.example/rss", "Wire")
    assert [s.url for s in store.channel_sources(channel.id)] == [
        "https://user:newpass@feeds.example/rss"
    ]
    # The same address without credentials is another feed: it never borrows them.
    store.add_channel_source(channel.id, "https://feeds.example/rss", "Open wire")
    assert sorted(s.url for s in store.channel_sources(channel.id)) == [
        "https://feeds.example/rss",
        "https://user:newpass@feeds.example/rss",
    ]


def test_without_a_key_a_credential_feed_is_refused_and_nothing_is_stored(engine: Engine) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T0A", "C0A")
    with pytest.raises(SecretKeyError, match="DEALWATCH_SECRET_KEY"):
        store.add_channel_source(channel.id, FEED, "Wire")
    assert rows(engine, "SELECT url FROM source") == []


def test_a_feed_whose_key_is_gone_is_fetched_without_credentials_and_says_why(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    channel = SqlStore(engine, SecretBox([new_key()])).ensure_channel("T0A", "C0A")
    SqlStore(engine, SecretBox([new_key()])).add_channel_source(channel.id, FEED, "Wire")
    with caplog.at_level("WARNING"):
        [source] = SqlStore(engine, SecretBox([new_key()])).channel_sources(channel.id)
    assert source.url == SHOWN
    assert "does not decrypt" in caplog.text and "hunter2" not in caplog.text


def test_secrets_rotate_reencrypts_feeds_and_tokens_with_the_first_key(
    engine: Engine, database_url: str
) -> None:
    old, new = new_key(), new_key()
    old_settings = Settings(slack_client_id="111.222", secret_key=old)
    store = SqlStore(engine, old_settings.secret_box)
    channel = store.ensure_channel("T0A", "C0A")
    store.add_channel_source(channel.id, FEED, "Wire")
    save_bot(old_settings, engine, "xoxb-rotate-me")
    with engine.begin() as connection:
        # Stored before encryption existed: a clear URL and a plain token.
        connection.execute(
            text(
                "INSERT INTO source (url, title, etag, last_modified, poll_interval_s, last_error, consecutive_failures, warned_broken, fetch_full_text, credentials, created_at) VALUES ('https://old:legacy9@wire.example/a', '', '', '', 900, '', 0, false, false, '', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(text("UPDATE slack_bots SET bot_refresh_token = 'xoxe-plain'"))

    result = run(
        "secrets",
        "rotate",
        env={"DATABASE_URL": database_url, "DEALWATCH_SECRET_KEY": f"{new},{old}"},
    )
    assert result.returncode == 0, result.stderr
    assert "2 feed credential(s), 2 Slack token(s)" in result.stdout

    only_new = Settings(slack_client_id="111.222", secret_key=new)
    renewed = SqlStore(engine, only_new.secret_box)
    assert [s.url for s in renewed.channel_sources(channel.id)] == [FEED]
    stored = rows(engine, "SELECT url, credentials FROM source ORDER BY id")
    assert stored[1][0] == "https://***@wire.example/a"
    assert SecretBox([new]).decrypt(str(stored[1][1])) == "old:legacy9"
    assert "hunter2" not in str(stored) and "legacy9" not in str(stored)
    bot = installation_store(only_new, engine).find_bot(enterprise_id=None, team_id="T0A")
    assert bot is not None and bot.bot_token == "xoxb-rotate-me"
    assert bot.bot_refresh_token == "xoxe-plain"
    [(plain_before,)] = rows(engine, "SELECT bot_refresh_token FROM slack_bots")
    assert SecretBox([new]).decrypt(str(plain_before)) == "xoxe-plain"
    with pytest.raises(SecretKeyError):
        SecretBox([old]).decrypt(str(plain_before))


def test_secrets_rotate_without_a_key_says_what_to_set(database_url: str) -> None:
    upgrade(make_engine(database_url))
    result = run(
        "secrets", "rotate", env={"DATABASE_URL": database_url, "DEALWATCH_SECRET_KEY": ""}
    )
    assert result.returncode == 2 and "DEALWATCH_SECRET_KEY is not set" in result.stderr


def _seed_before_encryption(engine: Engine) -> None:
    with engine.begin() as connection:
        for url in (FEED, "https://other:pw2@feeds.example/rss", "https://open.example/rss"):
            connection.execute(
                text(
                    "INSERT INTO source (url, title, etag, last_modified, poll_interval_s, last_error, consecutive_failures, warned_broken, fetch_full_text, created_at) VALUES (:url, '', '', '', 900, '', 0, false, false, CURRENT_TIMESTAMP)"
                ),
                {"url": url},
            )
        connection.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_refresh_token, is_enterprise_install, installed_at) VALUES ('111.222', 'A0', 'T0A', 'xoxb-before', NULL, false, CURRENT_TIMESTAMP)"
            )
        )


def test_migration_encrypts_existing_secrets_when_a_key_is_set_and_downgrade_restores_them(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0008")
    _seed_before_encryption(engine)
    key = new_key()
    monkeypatch.setenv("DEALWATCH_SECRET_KEY", key)
    upgrade(engine)
    box = SecretBox([key])
    stored = rows(engine, "SELECT url, credentials FROM source ORDER BY id")
    # Two URLs that differ only by their credentials stay two sources.
    assert [url for url, _ in stored] == [
        SHOWN,
        "https://***@feeds.example/rss#dealwatch-source-2",
        "https://open.example/rss",
    ]
    assert [box.decrypt(str(c)) if c else "" for _, c in stored] == [
        "user:hunter2",
        "other:pw2",
        "",
    ]
    [(token,)] = rows(engine, "SELECT bot_token FROM slack_bots")
    assert str(token).startswith("gAAAAA") and box.decrypt(str(token)) == "xoxb-before"
    store = SqlStore(engine, box)
    channel = store.ensure_channel("T0A", "C0A")
    with engine.begin() as connection:
        connection.execute(
            text(
                f"INSERT INTO channelsource (channel_id, source_id, created_at) VALUES ({channel.id}, 2, CURRENT_TIMESTAMP)"
            )
        )
    [second] = store.channel_sources(channel.id)
    assert second.url == "https://other:pw2@feeds.example/rss#dealwatch-source-2"

    downgrade(engine, "0008")
    assert [url for (url,) in rows(engine, "SELECT url FROM source ORDER BY id")] == [
        FEED,
        "https://other:pw2@feeds.example/rss",
        "https://open.example/rss",
    ]
    assert rows(engine, "SELECT bot_token FROM slack_bots") == [("xoxb-before",)]


def test_migration_without_a_key_leaves_secrets_readable_and_refuses_a_lossy_downgrade(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0008")
    _seed_before_encryption(engine)
    monkeypatch.delenv("DEALWATCH_SECRET_KEY", raising=False)
    upgrade(engine)
    assert rows(engine, "SELECT url FROM source ORDER BY id")[0] == (FEED,)
    assert rows(engine, "SELECT bot_token FROM slack_bots") == [("xoxb-before",)]
    # The feed still works until a key is set and `dealwatch secrets rotate` runs.
    store = SqlStore(engine)
    channel = store.ensure_channel("T0A", "C0A")
    with engine.begin() as connection:
        connection.execute(
            text(
                f"INSERT INTO channelsource (channel_id, source_id, created_at) VALUES ({channel.id}, 1, CURRENT_TIMESTAMP)"
            )
        )
    assert [s.url for s in store.channel_sources(channel.id)] == [FEED]
    key = new_key()
    SqlStore(engine, SecretBox([key])).reencrypt_feed_credentials()
    with pytest.raises(RuntimeError, match="DEALWATCH_SECRET_KEY"):
        downgrade(engine, "0008")
