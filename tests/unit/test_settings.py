"""Settings from the environment: secrets never show in a repr or a log line."""

from __future__ import annotations

from bot.settings import DEFAULT_DATABASE_URL, Settings

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-bot",
    "SLACK_SIGNING_SECRET": "secret-signing",
    "SLACK_APP_TOKEN": "xapp-secret-app",
    "SLACK_CLIENT_SECRET": "secret-client",
    "DEALWATCH_INGEST_TOKEN": "secret-ingest",
}


def test_repr_and_str_hide_every_token_but_keep_the_rest() -> None:
    settings = Settings.from_env({**SECRETS, "SLACK_CLIENT_ID": "123.456", "PORT": "8080"})
    for shown in (repr(settings), str(settings), f"{settings}"):
        assert not [value for value in SECRETS.values() if value in shown]
        assert "123.456" in shown
        assert "port=8080" in shown
    assert settings.slack_bot_token == "xoxb-secret-bot"


def test_default_database_url_is_the_one_the_engine_uses() -> None:
    from db.engine import DEFAULT_DATABASE_URL as ENGINE_DEFAULT

    assert Settings.from_env({}).database_url == DEFAULT_DATABASE_URL == ENGINE_DEFAULT


def test_package_licence_is_an_spdx_expression() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"  # a table here makes setuptools warn
