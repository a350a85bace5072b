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


def test_every_model_timestamp_is_the_aware_type_the_migrations_create(database_url: str) -> None:
    from sqlalchemy import DateTime
    from sqlmodel import SQLModel

    from db.tables import UtcDateTime

    engine = make_engine(database_url)
    upgrade(engine)
    inspector = inspect(engine)
    checked = 0
    for table in SQLModel.metadata.tables.values():
        reflected = {column["name"]: column["type"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if not isinstance(column.type, DateTime | UtcDateTime):
                continue
            assert isinstance(column.type, UtcDateTime), f"{table.name}.{column.name}"
            assert isinstance(reflected[column.name], DateTime), f"{table.name}.{column.name}"
            if engine.dialect.name == "postgresql":
                # SQLite keeps no zone; PostgreSQL's column must be timestamptz, as migrated.
                assert reflected[column.name].timezone, f"{table.name}.{column.name}"
            checked += 1
    assert checked >= 20
