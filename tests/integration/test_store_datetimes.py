"""Every timestamp the store hands back is timezone-aware UTC, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import text
from sqlalchemy.engine import Engine

from db.store import SqlStore
from watchlists.model import Entity

PLUS_FIVE = timezone(timedelta(hours=5))


def test_an_aware_time_in_another_zone_comes_back_as_the_same_instant_in_utc(
    engine: Engine,
) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1")
    entity = store.watch(channel.id, Entity(name="Contoso"))
    until = datetime(2030, 1, 1, 17, 0, tzinfo=PLUS_FIVE)
    store.mute(channel.id, entity.id, until)

    [(_, stored)] = store.mutes(channel.id, datetime(2029, 1, 1, tzinfo=UTC))
    assert stored == until
    assert stored.tzinfo == UTC
    assert stored.hour == 12


def test_a_naive_time_written_behind_the_store_reads_back_as_utc(engine: Engine) -> None:
    store = SqlStore(engine)
    channel = store.ensure_channel("T1", "C1")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE channel SET next_digest_at = :at"), {"at": datetime(2030, 1, 1, 9, 0)}
        )
    got = store.get_channel(channel.id).next_digest_at
    assert got == datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    assert got is not None and got.tzinfo == UTC
