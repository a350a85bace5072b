"""Installing dealwatch into many workspaces: Bolt's OAuth flow on our own database.

- slack_sdk's SQLAlchemy stores keep installations, bots and OAuth states in the tables
  our migration creates (slack_installations, slack_bots, slack_oauth_states); their
  create_tables is never called.
- After an install the installer becomes the workspace's contact (pause notices go to
  them) and their Slack timezone the default of the workspace's new channels.
- Rotating tokens (SLACK_TOKEN_ROTATION=1) last 12 hours. Bolt refreshes them while it
  authorises a request; scheduled posts have no request, so TeamPoster refreshes a team's
  bot token (when it expires within TOKEN_REFRESH_MINUTES) before posting.
- Tokens, refresh tokens and the incoming-webhook URL are Fernet-encrypted with
  DEALWATCH_SECRET_KEY (db/secrets.py) before they reach the database and decrypted when
  found; without a key no installation is saved (`dealwatch run` refuses OAuth mode).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TypeVar

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.settings import Settings
from db.secrets import KEY_VARIABLE, SecretBox, SecretKeyError, is_encrypted
from db.slack_tables import BOTS_TABLE, INSTALLATIONS_TABLE, SECRET_COLUMNS, STATES_TABLE
from handlers.events import user_timezone
from handlers.poster import ChannelPacer, SlackPoster, WorkspaceLimiter, make_web_client
from watchlists.errors import DeliveryError
from watchlists.model import Channel, Digest
from watchlists.ports import Store

log = logging.getLogger("dealwatch.oauth")

BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
    "users:read",
    "files:write",
)
STATE_EXPIRATION_S = 600
TOKEN_REFRESH_MINUTES = 120
# The secret attributes of slack_sdk's Installation and Bot, as columns of their tables.
INSTALLATION_SECRETS = SECRET_COLUMNS[INSTALLATIONS_TABLE]
BOT_SECRETS = SECRET_COLUMNS[BOTS_TABLE]
_Item = TypeVar("_Item", Installation, Bot)


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store with every token encrypted on save, decrypted on find."""

    def __init__(self, secrets: SecretBox | None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.secrets = secrets

    def save(self, installation: Installation) -> None:
        """Save an installation (and its bot) with its tokens encrypted."""
        # The parent saves the bot through save_bot, which keeps values already encrypted.
        super().save(self._sealed(installation, INSTALLATION_SECRETS))

    def save_bot(self, bot: Bot) -> None:
        """Save a bot with its tokens encrypted."""
        super().save_bot(self._sealed(bot, BOT_SECRETS))

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The team's latest bot, its tokens decrypted."""
        bot = super().find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if bot is None else self._opened(bot, BOT_SECRETS)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The latest installation, its tokens decrypted."""
        found = super().find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else self._opened(found, INSTALLATION_SECRETS)

    def reencrypt(self) -> int:
        """Re-encrypt every stored token with the first key (plain ones too); how many."""
        box = self._box()
        changed = 0
        with self.engine.begin() as connection:
            for table, names in (
                (self.installations, INSTALLATION_SECRETS),
                (self.bots, BOT_SECRETS),
            ):
                columns = [table.c[name] for name in names]
                for row in connection.execute(select(table.c.id, *columns)).mappings():
                    values = {name: box.rotate(row[name]) for name in names if row[name]}
                    if values:
                        connection.execute(
                            update(table).where(table.c.id == row["id"]).values(**values)
                        )
                        changed += len(values)
        return changed

    def _box(self) -> SecretBox:
        if self.secrets is None:
            raise SecretKeyError(
                f"Slack tokens are stored only encrypted: set {KEY_VARIABLE} (SECURITY.md)"
            )
        return self.secrets

    def _sealed(self, item: _Item, names: Sequence[str]) -> _Item:
        box = self._box()
        sealed = copy.copy(item)
        for name in names:
            value = getattr(item, name, None)
            if value and not is_encrypted(value):
                setattr(sealed, name, box.encrypt(value))
        return sealed

    def _opened(self, item: _Item, names: Sequence[str]) -> _Item:
        for name in names:
            value = getattr(item, name, None)
            if value and is_encrypted(value):
                setattr(item, name, self._box().decrypt(value))
        return item


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    """Installations and bot tokens, encrypted, in the tables our migration created."""
    return EncryptedInstallationStore(
        settings.secret_box,
        client_id=settings.slack_client_id,
        engine=engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
    )


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """One-time OAuth states, in the table our migration created."""
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_S, engine=engine, table_name=STATES_TABLE
    )


def oauth_settings(settings: Settings, engine: Engine, store: Store) -> OAuthSettings:
    """Bolt's OAuth settings: /slack/install, /slack/oauth_redirect, our stores."""
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        installation_store=installation_store(settings, engine),
        state_store=state_store(engine),
        state_expiration_seconds=STATE_EXPIRATION_S,
        token_rotation_expiration_minutes=TOKEN_REFRESH_MINUTES,
        callback_options=CallbackOptions(
            success=partial(remember_installer, store=store, api_url=settings.slack_api_url),
            failure=show_failure,
        ),
    )


def remember_installer(args: SuccessArgs, store: Store, api_url: str) -> BoltResponse:
    """After an install: record the installer and their timezone, then the usual page."""
    installation = args.installation
    if installation.team_id and installation.user_id and installation.bot_token:
        client = make_web_client(installation.bot_token, api_url)
        timezone = user_timezone(client, installation.user_id) or "UTC"
        store.set_workspace_timezone(installation.team_id, timezone, installation.user_id)
    return args.default.success(args)


def show_failure(args: FailureArgs) -> BoltResponse:
    """The usual failure page."""
    return args.default.failure(args)


class TeamPoster:
    """The Poster port for many workspaces: each call uses the bot token of its team."""

    def __init__(self, settings: Settings, installations: SQLAlchemyInstallationStore) -> None:
        self.settings = settings
        self.installations = installations
        self.pacer = ChannelPacer(settings.channel_post_interval_s)
        self.workspace = WorkspaceLimiter(settings.workspace_posts_per_s)
        self.rotator = (
            TokenRotator(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                client=WebClient(base_url=settings.slack_api_url),
            )
            if settings.slack_token_rotation
            else None
        )

    def client_for(self, team_id: str) -> WebClient:
        """A client with the team's bot token, refreshed first when it is about to expire."""
        bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise DeliveryError("app_uninstalled", team_id)
        if self.rotator is not None and bot.bot_refresh_token:
            refreshed = self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=TOKEN_REFRESH_MINUTES
            )
            if refreshed is not None:
                self.installations.save_bot(refreshed)
                bot = refreshed
        assert bot.bot_token is not None
        return make_web_client(bot.bot_token, self.settings.slack_api_url)

    def refresh_tokens(self, team_ids: Iterable[str]) -> int:
        """Rotate every listed team's bot token that is close to expiring; return how many."""
        refreshed = 0
        for team_id in team_ids:
            bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
            before = bot.bot_token if bot else None
            try:
                client = self.client_for(team_id)
            except (DeliveryError, SlackApiError):
                log.warning("token refresh failed for team %s", team_id)
                continue
            refreshed += client.token != before
        return refreshed

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Post one page of a digest with the channel's team token."""
        poster = SlackPoster(
            self.client_for(digest.channel.team_id), self.pacer, workspace=self.workspace
        )
        return poster.post_digest_page(digest, page, pages)

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Which of these stories already reached the channel."""
        poster = SlackPoster(self.client_for(channel.team_id), self.pacer, workspace=self.workspace)
        return poster.find_posted(channel, story_ids)

    def post_notice(self, channel: Channel, text: str) -> str:
        """Post a short notice with the channel's team token."""
        return SlackPoster(
            self.client_for(channel.team_id), self.pacer, workspace=self.workspace
        ).post_notice(channel, text)
