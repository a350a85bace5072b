"""entities and feeds belong to a workspace

Each entity is copied once per workspace that uses it (channel or shared lists, mutes,
channel exclusions, feedback), with its aliases, exclusions and matches, and every
reference is repointed to the workspace's copy. Each feed goes to the workspace of the
channels that added it, copied (with its articles) when several workspaces share it; a
source no channel added stays operator-level (no workspace), seen by every workspace.
Matches of a workspace's feed on another workspace's entity are deleted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names SQLite's batch mode gives the unnamed unique constraints of 0001, so they can go.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
# PostgreSQL's own names for them.
POSTGRES_OLD = {"entity": "entity_name_key_key", "source": "source_url_key"}

# Who uses an entity: (table, entity column, how the row reaches its workspace).
ENTITY_USERS = (
    (
        "watchlistentity",
        "SELECT we.watchlist_id, w.workspace_id FROM watchlistentity we "
        "JOIN watchlist w ON w.id = we.watchlist_id WHERE we.entity_id = :e",
    ),
    (
        "mute",
        "SELECT m.id, c.workspace_id FROM mute m "
        "JOIN channel c ON c.id = m.channel_id WHERE m.entity_id = :e",
    ),
    (
        "channelexclusion",
        "SELECT x.id, c.workspace_id FROM channelexclusion x "
        "JOIN channel c ON c.id = x.channel_id WHERE x.entity_id = :e",
    ),
    (
        "feedback",
        "SELECT f.id, c.workspace_id FROM feedback f "
        "JOIN channel c ON c.id = f.channel_id WHERE f.entity_id = :e",
    ),
)
SOURCE_COPIED = (
    "url, title, etag, last_modified, poll_interval_s, next_poll_at, last_success_at, "
    "last_error, consecutive_failures, first_failure_at, warned_broken, fetch_full_text, "
    "credentials, created_at"
)
ARTICLE_COPIED = (
    "guid, url, canonical_url, source_name, title, text, published_at, content_hash, "
    "ingested_at, matched_at, story_id, deal_json, quarantine_reason"
)
MATCH_COPIED = "alias, field, span_start, span_end, matched_text, score, kind"


def _old_unique(table: str) -> str:
    if op.get_bind().dialect.name == "sqlite":
        return SQLITE_NAMES["uq"] % {"table_name": table, "column_0_name": _key_column(table)}
    return POSTGRES_OLD[table]


def _key_column(table: str) -> str:
    return "name_key" if table == "entity" else "url"


def _batch(table: str):  # type: ignore[no-untyped-def]
    if op.get_bind().dialect.name == "sqlite":
        return op.batch_alter_table(table, naming_convention=SQLITE_NAMES)
    return op.batch_alter_table(table)


def upgrade() -> None:
    for table in ("entity", "source"):
        with _batch(table) as batch_op:
            batch_op.add_column(sa.Column("workspace_id", sa.Integer(), nullable=True))
            batch_op.drop_constraint(_old_unique(table), type_="unique")
            batch_op.create_index(f"ix_{table}_workspace_id", ["workspace_id"], unique=False)
            batch_op.create_foreign_key(
                f"fk_{table}_workspace_id_workspace",
                "workspace",
                ["workspace_id"],
                ["id"],
                ondelete="CASCADE",
            )
    _split_entities()
    _split_sources()
    _drop_foreign_matches()
    with _batch("entity") as batch_op:
        batch_op.create_unique_constraint(
            "uq_entity_workspace_name_key", ["workspace_id", "name_key"]
        )
    with _batch("source") as batch_op:
        batch_op.create_unique_constraint("uq_source_workspace_url", ["workspace_id", "url"])
    op.create_index(
        "uq_source_operator_url",
        "source",
        ["url"],
        unique=True,
        sqlite_where=sa.text("workspace_id IS NULL"),
        postgresql_where=sa.text("workspace_id IS NULL"),
    )


def _insert(sql: str, **params: object) -> int:
    """Run an INSERT ... RETURNING id (SQLite 3.35+ and PostgreSQL both have it)."""
    return int(op.get_bind().execute(sa.text(sql + " RETURNING id"), params).scalar_one())


def _split_entities() -> None:
    bind = op.get_bind()
    for (entity_id,) in bind.execute(sa.text("SELECT id FROM entity ORDER BY id")).all():
        rows: dict[str, list[tuple[object, int]]] = {}
        workspaces: set[int] = set()
        for table, query in ENTITY_USERS:
            found = [(key, ws) for key, ws in bind.execute(sa.text(query), {"e": entity_id})]
            rows[table] = found
            workspaces.update(ws for _key, ws in found)
        if not workspaces:
            continue  # nobody uses it: it stays without a workspace, seen by none
        first, *others = sorted(workspaces)
        bind.execute(
            sa.text("UPDATE entity SET workspace_id = :w WHERE id = :e"),
            {"w": first, "e": entity_id},
        )
        for workspace_id in others:
            copy = _insert(
                "INSERT INTO entity (workspace_id, name, name_key, created_at) "
                "SELECT :w, name, name_key, created_at FROM entity WHERE id = :e",
                w=workspace_id,
                e=entity_id,
            )
            for table, column in (("alias", "text"), ("entityexclusion", "phrase")):
                bind.execute(
                    sa.text(
                        f"INSERT INTO {table} (entity_id, {column}) "
                        f"SELECT :c, {column} FROM {table} WHERE entity_id = :e"
                    ),
                    {"c": copy, "e": entity_id},
                )
            bind.execute(
                sa.text(
                    f"INSERT INTO match (article_id, entity_id, {MATCH_COPIED}) "
                    f"SELECT article_id, :c, {MATCH_COPIED} FROM match WHERE entity_id = :e"
                ),
                {"c": copy, "e": entity_id},
            )
            _repoint(rows, entity_id, copy, workspace_id)


def _repoint(
    rows: dict[str, list[tuple[object, int]]], entity_id: int, copy: int, workspace_id: int
) -> None:
    bind = op.get_bind()
    for table, found in rows.items():
        keys = [key for key, ws in found if ws == workspace_id]
        for key in keys:
            if table == "watchlistentity":
                bind.execute(
                    sa.text(
                        "UPDATE watchlistentity SET entity_id = :c "
                        "WHERE watchlist_id = :k AND entity_id = :e"
                    ),
                    {"c": copy, "k": key, "e": entity_id},
                )
            else:
                bind.execute(
                    sa.text(f"UPDATE {table} SET entity_id = :c WHERE id = :k"),
                    {"c": copy, "k": key},
                )


def _split_sources() -> None:
    bind = op.get_bind()
    for (source_id,) in bind.execute(sa.text("SELECT id FROM source ORDER BY id")).all():
        channels = bind.execute(
            sa.text(
                "SELECT cs.channel_id, c.workspace_id FROM channelsource cs "
                "JOIN channel c ON c.id = cs.channel_id WHERE cs.source_id = :s"
            ),
            {"s": source_id},
        ).all()
        workspaces = sorted({ws for _channel, ws in channels})
        if not workspaces:
            continue  # an operator's source (/ingest, dealwatch ingest): seen by all
        first, *others = workspaces
        bind.execute(
            sa.text("UPDATE source SET workspace_id = :w WHERE id = :s"),
            {"w": first, "s": source_id},
        )
        for workspace_id in others:
            copy = _insert(
                f"INSERT INTO source (workspace_id, {SOURCE_COPIED}) "
                f"SELECT :w, {SOURCE_COPIED} FROM source WHERE id = :s",
                w=workspace_id,
                s=source_id,
            )
            for channel_id, ws in channels:
                if ws == workspace_id:
                    bind.execute(
                        sa.text(
                            "UPDATE channelsource SET source_id = :c "
                            "WHERE channel_id = :ch AND source_id = :s"
                        ),
                        {"c": copy, "ch": channel_id, "s": source_id},
                    )
            _copy_articles(source_id, copy, workspace_id)


def _copy_articles(source_id: int, copy: int, workspace_id: int) -> None:
    """The workspace's copy of a shared feed gets its own copy of each article, and the
    matches on the workspace's entities move to it."""
    bind = op.get_bind()
    articles = bind.execute(
        sa.text("SELECT id FROM article WHERE source_id = :s ORDER BY id"), {"s": source_id}
    ).all()
    for (article_id,) in articles:
        new_id = _insert(
            f"INSERT INTO article (source_id, {ARTICLE_COPIED}) "
            f"SELECT :c, {ARTICLE_COPIED} FROM article WHERE id = :a",
            c=copy,
            a=article_id,
        )
        bind.execute(
            sa.text(
                "UPDATE match SET article_id = :n WHERE article_id = :a AND entity_id IN "
                "(SELECT id FROM entity WHERE workspace_id = :w)"
            ),
            {"n": new_id, "a": article_id, "w": workspace_id},
        )


def _drop_foreign_matches() -> None:
    """A workspace's feed matches only that workspace's entities."""
    op.get_bind().execute(
        sa.text(
            "DELETE FROM match WHERE id IN ("
            "SELECT m.id FROM match m "
            "JOIN article a ON a.id = m.article_id "
            "JOIN source s ON s.id = a.source_id "
            "JOIN entity e ON e.id = m.entity_id "
            "WHERE s.workspace_id IS NOT NULL "
            "AND (e.workspace_id IS NULL OR e.workspace_id <> s.workspace_id))"
        )
    )


def downgrade() -> None:
    # Only possible while no name or URL is held by two workspaces: the old unique
    # constraints refuse the copies otherwise.
    op.drop_index("uq_source_operator_url", table_name="source")
    for table in ("entity", "source"):
        with _batch(table) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_workspace_{_key_column(table)}", type_="unique")
        with _batch(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_workspace_id_workspace", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_workspace_id")
            batch_op.drop_column("workspace_id")
            batch_op.create_unique_constraint(_old_unique(table), [_key_column(table)])
