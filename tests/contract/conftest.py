"""The store every contract test runs against: the fake, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.engine import make_engine
from db.store import SqlStore
from tests.conftest import DATABASES, create_schema, empty_database
from tests.fakes.store import FakeStore
from watchlists.ports import Store

STORES = [pytest.param("fake", id="fake"), *DATABASES]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store: FakeStore, or SqlStore on a fresh SQLite file or PostgreSQL schema."""
    if request.param == "fake":
        yield FakeStore()
        return
    with empty_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        create_schema(engine)
        yield SqlStore(engine)
        engine.dispose()
