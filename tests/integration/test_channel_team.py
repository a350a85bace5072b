"""A channel created by ensure_channel carries its workspace's team at once."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from db.store import SqlStore


def test_new_channel_comes_back_with_its_team(engine: Engine) -> None:
    store = SqlStore(engine)
    first = store.ensure_channel("T0NEW", "C0NEW", "deals")
    again = store.ensure_channel("T0NEW", "C0NEW")
    other_store = SqlStore(engine).ensure_channel("T0OTHER", "C0OTHER")
    assert (first.team_id, again.team_id, other_store.team_id) == ("T0NEW", "T0NEW", "T0OTHER")
