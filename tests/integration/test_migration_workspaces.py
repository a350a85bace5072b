"""Migration 0010: entities and feeds of the old, shared schema become per workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, DateTime, Engine, Float, Integer, MetaData, Table, select, text

from db.engine import downgrade, make_engine, upgrade
from db.store import SqlStore

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
# Seeded before 0006 too: its batch rebuild of watchlist must keep subscriptions on SQLite.
BEFORE = "0005"
# The revision just before the split, when feeds have credentials and articles a quarantine.
LAST_SHARED = "0009"


def _blank(column: Any) -> object:
    """A value for a NOT NULL column the test does not care about."""
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime):
        return NOW
    if isinstance(kind, Integer | Float):
        return 0
    return ""


class OldSchema:
    """Inserts rows into the tables as they are at revision 0006."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.meta = MetaData()
        self.meta.reflect(engine)

    def add(self, table: str, **values: object) -> int:
        """Insert one row (NOT NULL columns not given get a blank value); return its id."""
        reflected: Table = self.meta.tables[table]
        for column in reflected.columns:
            if column.name not in values and not column.nullable and not column.primary_key:
                values[column.name] = _blank(column)
        with self.engine.begin() as connection:
            result = connection.execute(reflected.insert().values(**values))
            key = result.inserted_primary_key
            return int(key[0]) if key and key[0] is not None else 0

    def rows(self, table: str, **where: object) -> list[dict[str, Any]]:
        """The rows of the table (matching where), as dicts, by their first column."""
        reflected = MetaData()
        reflected.reflect(self.engine, only=[table])
        found = reflected.tables[table]
        query = select(found)
        for name, value in where.items():
            query = query.where(found.c[name] == value)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]


def _seed(old: OldSchema) -> dict[str, int]:
    """Two workspaces sharing one entity and one feed, the way the old schema allowed."""
    ids: dict[str, int] = {}
    ids["w1"] = old.add("workspace", team_id="T1")
    ids["w2"] = old.add("workspace", team_id="T2")
    ids["c1"] = old.add("channel", workspace_id=ids["w1"], slack_id="C1", delivery="digest")
    ids["c2"] = old.add("channel", workspace_id=ids["w2"], slack_id="C2", delivery="digest")
    ids["own1"] = old.add(
        "watchlist", workspace_id=ids["w1"], name="#C1", owner_channel_id=ids["c1"]
    )
    ids["own2"] = old.add(
        "watchlist", workspace_id=ids["w2"], name="#C2", owner_channel_id=ids["c2"]
    )
    ids["shared2"] = old.add("watchlist", workspace_id=ids["w2"], name="deals")
    for channel, watchlist in (("c1", "own1"), ("c2", "own2"), ("c2", "shared2")):
        old.add("subscription", channel_id=ids[channel], watchlist_id=ids[watchlist])
    ids["alibaba"] = old.add("entity", name="Alibaba", name_key="alibaba")
    ids["orphan"] = old.add("entity", name="Nobody Corp", name_key="nobody corp")
    old.add("alias", entity_id=ids["alibaba"], text="BABA")
    old.add("entityexclusion", entity_id=ids["alibaba"], phrase="Alibaba cave")
    old.add("watchlistentity", watchlist_id=ids["own1"], entity_id=ids["alibaba"])
    old.add("watchlistentity", watchlist_id=ids["shared2"], entity_id=ids["alibaba"])
    ids["mute2"] = old.add(
        "mute", channel_id=ids["c2"], entity_id=ids["alibaba"], until=NOW + timedelta(days=9)
    )
    ids["shared_feed"] = old.add("source", url="https://news.example/feed")
    ids["private2"] = old.add("source", url="https://t2.example/feed")
    ids["operator"] = old.add("source", url="dealwatch:ingest")
    for channel, source in (("c1", "shared_feed"), ("c2", "shared_feed"), ("c2", "private2")):
        old.add("channelsource", channel_id=ids[channel], source_id=ids[source])
    ids["story"] = old.add("story", key="k1", title="Alibaba buys")
    for name, source in (("a_shared", "shared_feed"), ("a_private2", "private2")):
        ids[name] = old.add(
            "article",
            source_id=ids[source],
            guid=name,
            title="Alibaba buys a stake",
            content_hash=name,
            story_id=ids["story"],
            matched_at=NOW,
        )
        old.add(
            "match",
            article_id=ids[name],
            entity_id=ids["alibaba"],
            alias="Alibaba",
            field="title",
            span_start=0,
            span_end=7,
            matched_text="Alibaba",
            score=100.0,
            kind="exact",
        )
    return ids


def test_shared_entities_and_feeds_are_copied_per_workspace(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, BEFORE)
    old = OldSchema(engine)
    ids = _seed(old)
    upgrade(engine, LAST_SHARED)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE source SET credentials = 'sealed' WHERE id = :s"),
            {"s": ids["shared_feed"]},
        )
        connection.execute(
            text("UPDATE article SET quarantine_reason = 'too deep' WHERE id = :a"),
            {"a": ids["a_shared"]},
        )

    upgrade(engine)

    new = OldSchema(engine)
    alibabas = new.rows("entity", name_key="alibaba")
    by_workspace = {row["workspace_id"]: row["id"] for row in alibabas}
    assert set(by_workspace) == {ids["w1"], ids["w2"]}
    t1, t2 = by_workspace[ids["w1"]], by_workspace[ids["w2"]]
    for entity_id in (t1, t2):
        assert [r["text"] for r in new.rows("alias", entity_id=entity_id)] == ["BABA"]
        assert [r["phrase"] for r in new.rows("entityexclusion", entity_id=entity_id)] == [
            "Alibaba cave"
        ]
    links = {r["watchlist_id"]: r["entity_id"] for r in new.rows("watchlistentity")}
    assert links == {ids["own1"]: t1, ids["shared2"]: t2}
    assert [r["entity_id"] for r in new.rows("mute", id=ids["mute2"])] == [t2]
    assert len(new.rows("subscription")) == 3
    [orphan] = new.rows("entity", id=ids["orphan"])
    assert orphan["workspace_id"] is None

    feeds = {(r["url"], r["workspace_id"]): r["id"] for r in new.rows("source")}
    assert set(feeds) == {
        ("https://news.example/feed", ids["w1"]),
        ("https://news.example/feed", ids["w2"]),
        ("https://t2.example/feed", ids["w2"]),
        ("dealwatch:ingest", None),
    }
    feed_of = {r["channel_id"]: r["source_id"] for r in new.rows("channelsource")}
    t2_copy = feeds[("https://news.example/feed", ids["w2"])]
    assert feed_of[ids["c1"]] == ids["shared_feed"]
    assert {r["source_id"] for r in new.rows("channelsource", channel_id=ids["c2"])} == {
        t2_copy,
        ids["private2"],
    }
    [copied] = new.rows("article", source_id=t2_copy)
    assert copied["guid"] == "a_shared" and copied["story_id"] == ids["story"]
    assert copied["quarantine_reason"] == "too deep"
    assert [r["credentials"] for r in new.rows("source", id=t2_copy)] == ["sealed"]
    matches = {(r["article_id"], r["entity_id"]) for r in new.rows("match")}
    # Each workspace's entity matches its own copy of the shared article; T2's private
    # article matches T2's entity only.
    assert matches == {
        (ids["a_shared"], t1),
        (copied["id"], t2),
        (ids["a_private2"], t2),
    }

    store = SqlStore(engine)
    assert store.find_entity("T1", "baba") is not None
    assert store.find_entity("T1", "baba").id == t1  # type: ignore[union-attr]
    assert [e.id for e in store.all_entities("T2")] == [t2]
    assert store.find_entity("T3", "Alibaba") is None


def test_downgrade_restores_the_shared_schema_when_nothing_was_copied(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, BEFORE)
    old = OldSchema(engine)
    workspace = old.add("workspace", team_id="T1")
    channel = old.add("channel", workspace_id=workspace, slack_id="C1")
    own = old.add("watchlist", workspace_id=workspace, name="#C1", owner_channel_id=channel)
    entity = old.add("entity", name="Acme", name_key="acme")
    old.add("watchlistentity", watchlist_id=own, entity_id=entity)
    upgrade(engine)
    downgrade(engine, BEFORE)
    back = OldSchema(engine)
    assert [r["name"] for r in back.rows("entity")] == ["Acme"]
    assert "workspace_id" not in back.meta.tables["entity"].columns


def test_an_operator_source_url_is_unique_though_it_has_no_workspace(database_url: str) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    upgrade(engine)
    store = SqlStore(engine)
    first = store.ensure_source("dealwatch:ingest", "Ingest")
    assert store.ensure_source("dealwatch:ingest") == first
    channel = store.ensure_channel("T1", "C1")
    assert store.add_channel_source(channel.id, "dealwatch:ingest", "mine").id != first
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            OldSchema(engine)
            .meta.tables["source"]
            .insert()
            .values(
                url="dealwatch:ingest",
                title="",
                etag="",
                last_modified="",
                poll_interval_s=900,
                last_error="",
                consecutive_failures=0,
                warned_broken=False,
                fetch_full_text=False,
                created_at=NOW,
            )
        )
