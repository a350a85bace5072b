"""Settings, read once from the environment at start-up and passed in everywhere."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.secrets import SecretBox

# The same default as db.engine.make_engine; kept here so reading settings loads no SQL stack.
DEFAULT_DATABASE_URL = "sqlite:///dealwatch.db"
# As db.secrets.KEY_VARIABLE; db.secrets (and cryptography) load only when a key is read.
KEY_VARIABLE = "DEALWATCH_SECRET_KEY"


class SettingsError(ValueError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a dealwatch process; secrets stay out of its repr."""

    # Secrets (and the database URL, which may hold a password) stay out of repr.
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_client_id: str = ""
    slack_client_secret: str = field(default="", repr=False)
    slack_token_rotation: bool = False
    slack_api_url: str = "https://slack.com/api/"
    port: int = 3000
    host: str = "0.0.0.0"
    pipeline_interval_s: int = 60
    log_format: str = "text"
    allow_loopback_feeds: bool = False
    channel_post_interval_s: float = 1.0
    workspace_posts_per_s: float = 10.0
    retention_days: float = 90.0
    ingest_token: str = field(default="", repr=False)
    ingest_max_bytes: int = 1_000_000
    secret_key: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables (DATABASE_URL, SLACK_BOT_TOKEN, ...)."""
        env = os.environ if environ is None else environ
        try:
            port = int(env.get("PORT", "3000"))
            pipeline = int(env.get("DEALWATCH_PIPELINE_INTERVAL", "60"))
            ingest_max_bytes = int(env.get("DEALWATCH_INGEST_MAX_BYTES", "1000000"))
        except ValueError as error:
            raise SettingsError(f"a numeric setting is not a number: {error}") from None
        if ingest_max_bytes <= 0:
            raise SettingsError("DEALWATCH_INGEST_MAX_BYTES must be a positive number of bytes")
        log_format = env.get("LOG_FORMAT", "text").strip().lower() or "text"
        if log_format not in ("text", "json"):
            raise SettingsError(f"LOG_FORMAT must be text or json, not {log_format!r}")
        from db.secrets import SecretBox, SecretKeyError

        secret_key = env.get(KEY_VARIABLE, "")
        try:
            SecretBox.from_setting(secret_key)
        except SecretKeyError as error:
            raise SettingsError(str(error)) from None
        return cls(
            database_url=_normalise_db_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            slack_client_id=env.get("SLACK_CLIENT_ID", ""),
            slack_client_secret=env.get("SLACK_CLIENT_SECRET", ""),
            slack_token_rotation=env.get("SLACK_TOKEN_ROTATION", "") in ("1", "true"),
            slack_api_url=env.get("SLACK_API_URL", "https://slack.com/api/"),
            port=port,
            host=env.get("HOST", "0.0.0.0"),
            pipeline_interval_s=pipeline,
            log_format=log_format,
            allow_loopback_feeds=env.get("DEALWATCH_ALLOW_LOOPBACK_FEEDS", "") in ("1", "true"),
            channel_post_interval_s=_float(env, "DEALWATCH_CHANNEL_POST_INTERVAL", 1.0),
            workspace_posts_per_s=_float(env, "DEALWATCH_WORKSPACE_POST_RATE", 10.0),
            retention_days=_float(env, "DEALWATCH_RETENTION_DAYS", 90.0),
            ingest_token=env.get("DEALWATCH_INGEST_TOKEN", ""),
            ingest_max_bytes=ingest_max_bytes,
            secret_key=secret_key,
        )

    @property
    def secret_box(self) -> SecretBox | None:
        """What encrypts feed credentials and OAuth tokens; None without DEALWATCH_SECRET_KEY."""
        from db.secrets import SecretBox

        return SecretBox.from_setting(self.secret_key)

    @property
    def oauth_enabled(self) -> bool:
        """True when the app installs into many workspaces through OAuth."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require_slack(self) -> None:
        """Raise SettingsError unless Slack credentials for `dealwatch run` are present."""
        credential = "SLACK_CLIENT_ID" if self.oauth_enabled else "SLACK_BOT_TOKEN"
        token = (credential, self.slack_client_id if self.oauth_enabled else self.slack_bot_token)
        missing = [
            name
            for name, value in (token, ("SLACK_SIGNING_SECRET", self.slack_signing_secret))
            if not value
        ]
        if missing:
            raise SettingsError(
                f"missing {', '.join(missing)}: see README 'Connect your Slack workspace'"
            )
        if self.oauth_enabled and not self.secret_key:
            raise SettingsError(
                f"SLACK_CLIENT_ID is set but {KEY_VARIABLE} is not: installations keep their "
                f"tokens only encrypted; make a key with `dealwatch secrets new-key` (SECURITY.md)"
            )


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        return float(env.get(name, default))
    except ValueError:
        raise SettingsError(f"{name} is not a number: {env.get(name)!r}") from None


def _normalise_db_url(url: str) -> str:
    # Heroku-style URLs name neither the dialect nor the driver we install.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
