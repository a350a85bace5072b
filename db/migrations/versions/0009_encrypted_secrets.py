"""secrets at rest: feed credentials in source.credentials, Slack tokens, all Fernet-encrypted

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:50:00.000000

What upgrade does, depending on DEALWATCH_SECRET_KEY at the time it runs:
- with a key: the user name and password of every feed URL move, encrypted with the first
  key, into the new source.credentials column, and the URL keeps them as `***`; every
  plain Slack token (and incoming-webhook URL) is encrypted in place.
- without a key: nothing is encrypted. Feed URLs keep their credentials in clear and
  tokens stay plain, so that existing feeds and installations keep working; a warning
  says so. Set the key and run `dealwatch secrets rotate`: it does the same move then.
The token columns grow to text either way: an encrypted token is longer than 200 characters.
Downgrade puts the credentials back into the URLs and the tokens back in clear, which needs
the key; without one it refuses rather than lose them.
"""

import logging
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet

from watchlists.urls import join_credentials, split_credentials

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

KEY_VARIABLE = "DEALWATCH_SECRET_KEY"
FERNET_PREFIX = "gAAAAA"
TOKEN_COLUMNS = {
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}
OLD_TOKEN_LENGTH = 200
# A URL whose redacted form another source already has stays distinct by this fragment,
# which an HTTP client never sends.
DUPLICATE_FRAGMENT = "#dealwatch-source-{id}"


def _fernet() -> MultiFernet | None:
    keys = [key.strip() for key in os.environ.get(KEY_VARIABLE, "").split(",") if key.strip()]
    return MultiFernet([Fernet(key.encode()) for key in keys]) if keys else None


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credentials", sa.Text(), nullable=False, server_default=""))
    for table, columns in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, type_=sa.Text(), existing_type=sa.String(OLD_TOKEN_LENGTH)
                )
    fernet = _fernet()
    if fernet is None:
        log.warning(
            "%s is not set: feed credentials and Slack tokens stay in clear; set it and run "
            "`dealwatch secrets rotate` to encrypt them",
            KEY_VARIABLE,
        )
        return
    connection = op.get_bind()
    _encrypt_feed_credentials(connection, fernet)
    for table, columns in TOKEN_COLUMNS.items():
        _convert_tokens(connection, table, columns, fernet.encrypt, encrypted=False)


def downgrade() -> None:
    connection = op.get_bind()
    has_secrets = connection.execute(
        sa.text("SELECT count(*) FROM source WHERE credentials <> ''")
    ).scalar_one() or any(
        connection.execute(
            sa.text(f"SELECT count(*) FROM {table} WHERE {column} LIKE '{FERNET_PREFIX}%'")
        ).scalar_one()
        for table, columns in TOKEN_COLUMNS.items()
        for column in columns
    )
    fernet = _fernet()
    if has_secrets and fernet is None:
        raise RuntimeError(f"set {KEY_VARIABLE}: downgrading decrypts the stored secrets")
    if fernet is not None:
        rows = connection.execute(
            sa.text("SELECT id, url, credentials FROM source WHERE credentials <> ''")
        ).all()
        for source_id, url, credentials in rows:
            userinfo = fernet.decrypt(credentials.encode()).decode()
            plain = join_credentials(url.split("#dealwatch-source-")[0], userinfo)
            connection.execute(
                sa.text("UPDATE source SET url = :url WHERE id = :id"),
                {"url": plain, "id": source_id},
            )
        for table, columns in TOKEN_COLUMNS.items():
            _convert_tokens(connection, table, columns, fernet.decrypt, encrypted=True)
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("credentials")
    for table, columns in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, type_=sa.String(OLD_TOKEN_LENGTH), existing_type=sa.Text()
                )


def _encrypt_feed_credentials(connection: sa.Connection, fernet: MultiFernet) -> None:
    rows = connection.execute(sa.text("SELECT id, url FROM source ORDER BY id")).all()
    taken = {url for _, url in rows}
    for source_id, url in rows:
        stored, userinfo = split_credentials(url)
        if not userinfo or stored == url:
            continue
        if stored in taken:
            stored += DUPLICATE_FRAGMENT.format(id=source_id)
        taken.add(stored)
        connection.execute(
            sa.text("UPDATE source SET url = :url, credentials = :credentials WHERE id = :id"),
            {
                "url": stored,
                "credentials": fernet.encrypt(userinfo.encode()).decode(),
                "id": source_id,
            },
        )


def _convert_tokens(
    connection: sa.Connection,
    table: str,
    columns: Sequence[str],
    convert: object,
    encrypted: bool,
) -> None:
    assert callable(convert)
    for column in columns:
        rows = connection.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        for row_id, value in rows:
            if not value or value.startswith(FERNET_PREFIX) != encrypted:
                continue
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": convert(value.encode()).decode(), "id": row_id},
            )
