"""slack_sdk's OAuth tables as our migrations leave them: its own definitions, with token
columns widened to text (migration 0007) because encrypted tokens outgrow 200 characters."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, Text

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
STATES_TABLE = "slack_oauth_states"
# The secret columns of each table: encrypted at rest, hence text.
SECRET_COLUMNS = {
    INSTALLATIONS_TABLE: (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    BOTS_TABLE: ("bot_token", "bot_refresh_token"),
}


def slack_oauth_tables(metadata: MetaData) -> list[Table]:
    """The installations, bots and OAuth states tables, as migrated."""
    tables = [
        SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE),
        SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, STATES_TABLE),
    ]
    for table in tables:
        for name in SECRET_COLUMNS.get(table.name, ()):
            table.c[name].type = Text()
    return tables
