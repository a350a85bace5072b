"""The schema comes from Alembic, and the app refuses an un-migrated database."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from db.engine import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    require_migrated,
    upgrade,
)
from watchlists.errors import DatabaseNotMigratedError

TABLES = {
    "workspace",
    "channel",
    "entity",
    "alias",
    "entityexclusion",
    "watchlist",
    "watchlistentity",
    "subscription",
    "mute",
    "channelexclusion",
    "source",
    "article",
    "match",
    "story",
    "delivery",
    "channelsource",
    "feedback",
    "processedrequest",
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
}


def test_unmigrated_database_is_refused_with_instructions(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(DatabaseNotMigratedError, match="dealwatch db upgrade"):
        require_migrated(engine)


def test_upgrade_creates_every_table_and_reaches_head(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    require_migrated(engine)


def test_downgrade_to_base_removes_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())


def test_migrations_build_exactly_the_schema_of_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData
    from sqlmodel import SQLModel

    from tests.conftest import slack_oauth_tables

    engine = make_engine(database_url)
    upgrade(engine)
    expected = MetaData()
    for table in [*SQLModel.metadata.tables.values(), *slack_oauth_tables()]:
        table.to_metadata(expected)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), expected)
    assert differences == []
