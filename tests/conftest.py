"""Shared fixtures: databases on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import db.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import alembic_config, make_engine
from db.slack_tables import slack_oauth_tables as db_slack_tables
from handlers.poster import ChannelPacer, SlackPoster, make_web_client
from tests.fakes.slack_api import FakeSlack

PG_URL = os.environ.get("DEALWATCH_TEST_DATABASE_URL", "")
SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.is_dir():
    SHARED = Path(__file__).resolve().parents[1].parent / "shared"

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not PG_URL,
            reason="DEALWATCH_TEST_DATABASE_URL is not set (e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/test); .ci/run sets it",
        ),
    ),
]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@contextmanager
def empty_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty "sqlite" file or "postgresql" schema, dropped on the way out."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def create_schema(engine: Engine) -> None:
    """The newest schema, built from the models and stamped at head: faster than migrating.

    tests/integration/test_migrations.py proves the migrations build the same schema.
    """
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
        for table in slack_oauth_tables():
            table.create(connection, checkfirst=True)
    command.stamp(alembic_config(engine), "head")


def slack_oauth_tables() -> list[Table]:
    """slack_sdk's OAuth store tables, as migrations 0003 and 0007 leave them."""
    return db_slack_tables(MetaData())


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database, with the newest schema."""
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API over HTTP on a free port."""
    server = FakeSlack().start()
    yield server
    server.stop()


def unpaced_poster(slack: FakeSlack) -> SlackPoster:
    """A SlackPoster on the fake server with no per-channel pause, for fast tests."""
    return SlackPoster(make_web_client("xoxb-test", slack.url), ChannelPacer(interval=0))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per skip reason with its count, instead of one line per skipped test."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            reasons[str(report.longrepr[2]).removeprefix("Skipped: ")] += 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"{count} skipped: {reason}")
