"""Entities, a channel's own watchlist, exclusions and mutes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import tables as t
from db.store.base import StoreBase
from db.store.convert import load_entities, load_entity
from watchlists import model as m
from watchlists.entity_rules import (
    answers_to,
    has_phrase,
    name_key,
    new_aliases,
    new_phrases,
)
from watchlists.errors import NotFoundError


def ensure_entity(session: Session, workspace_id: int, entity: m.Entity) -> t.Entity:
    """The workspace's row of the entity named like entity, created when new, with its new
    aliases and exclusions added."""
    key = name_key(entity.name)
    row = session.exec(
        select(t.Entity).where(t.Entity.workspace_id == workspace_id, t.Entity.name_key == key)
    ).first()
    if row is None:
        row = t.Entity(workspace_id=workspace_id, name=entity.name, name_key=key)
        session.add(row)
        session.flush()
    assert row.id is not None
    known = session.exec(select(t.Alias.text).where(t.Alias.entity_id == row.id)).all()
    for alias in new_aliases(row.name, known, entity.aliases):
        session.add(t.Alias(entity_id=row.id, text=alias))
    phrases = session.exec(
        select(t.EntityExclusion.phrase).where(t.EntityExclusion.entity_id == row.id)
    ).all()
    for phrase in new_phrases(phrases, entity.exclude):
        session.add(t.EntityExclusion(entity_id=row.id, phrase=phrase))
    return row


def team_workspace_id(session: Session, team_id: str) -> int | None:
    """The id of the team's workspace, or None when the team is unknown."""
    return session.exec(select(t.Workspace.id).where(t.Workspace.team_id == team_id)).first()


def channel_workspace_id(session: Session, channel_id: int) -> int:
    """The id of the channel's workspace, or NotFoundError."""
    channel = session.get(t.Channel, channel_id)
    if channel is None:
        raise NotFoundError(f"no channel with id {channel_id}")
    return channel.workspace_id


def find_entity_row(session: Session, workspace_id: int | None, name: str) -> t.Entity | None:
    """The workspace's entity whose name or alias has the name key of name, if any."""
    if workspace_id is None:
        return None
    row = session.exec(
        select(t.Entity).where(
            t.Entity.workspace_id == workspace_id, t.Entity.name_key == name_key(name)
        )
    ).first()
    if row is None:
        # Aliases are compared by name key in Python: SQLite's lower() folds only ASCII.
        wanted = name_key(name)
        aliases = session.exec(
            select(t.Alias.entity_id, t.Alias.text)
            .join(t.Entity, col(t.Alias.entity_id) == t.Entity.id)
            .where(t.Entity.workspace_id == workspace_id)
            .order_by(col(t.Alias.entity_id))
        ).all()
        found = next((eid for eid, text in aliases if name_key(text) == wanted), None)
        row = session.get(t.Entity, found) if found is not None else None
    return row


def channel_entity_rows(session: Session, channel_id: int) -> Sequence[t.Entity]:
    """The entities the channel receives stories for, own and subscribed lists, by name."""
    return session.exec(
        select(t.Entity)
        .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
        .join(
            t.Subscription,
            col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
        )
        .where(t.Subscription.channel_id == channel_id)
        .distinct()
        .order_by(col(t.Entity.name))
    ).all()


def watched_ids(session: Session, channel_id: int) -> set[int]:
    """The ids of the entities the channel receives stories for."""
    return watched_ids_of(session, [channel_id])[channel_id]


def watched_ids_of(session: Session, channel_ids: Sequence[int]) -> dict[int, set[int]]:
    """watched_ids of several channels in one query (an empty set for one that watches none)."""
    watched: dict[int, set[int]] = {channel_id: set() for channel_id in channel_ids}
    for channel_id, entity_id in session.exec(
        select(t.Subscription.channel_id, t.WatchlistEntity.entity_id)
        .join(t.WatchlistEntity, col(t.WatchlistEntity.watchlist_id) == t.Subscription.watchlist_id)
        .where(col(t.Subscription.channel_id).in_(sorted(watched)))
    ).all():
        watched[channel_id].add(entity_id)
    return watched


class EntitiesMixin(StoreBase):
    """Entities with their aliases and exclusions, the channel's own list and mutes."""

    def watch(self, channel_id: int, entity: m.Entity) -> m.Entity:
        """Add entity (merged with a known one of the same name) to the channel's own list."""
        try:
            return self._watch(channel_id, entity)
        except IntegrityError:
            # A concurrent request created the same entity or link first: merge into it.
            return self._watch(channel_id, entity)

    def _watch(self, channel_id: int, entity: m.Entity) -> m.Entity:
        with self.session() as session:
            row = ensure_entity(session, channel_workspace_id(session, channel_id), entity)
            own = self._own_watchlist(session, channel_id)
            assert row.id is not None and own.id is not None
            if session.get(t.WatchlistEntity, (own.id, row.id)) is None:
                session.add(t.WatchlistEntity(watchlist_id=own.id, entity_id=row.id))
            session.flush()
            return load_entity(session, row)

    def _own_watchlist(self, session: Session, channel_id: int) -> t.Watchlist:
        own = session.exec(
            select(t.Watchlist).where(t.Watchlist.owner_channel_id == channel_id)
        ).first()
        if own is None:
            raise NotFoundError(f"channel {channel_id} has no watchlist")
        return own

    def unwatch(self, channel_id: int, name: str) -> bool:
        """Remove the entity from the channel's own list; False when it was not there."""
        with self.session() as session:
            own = self._own_watchlist(session, channel_id)
            entity = session.exec(
                select(t.Entity).where(
                    t.Entity.workspace_id == own.workspace_id, t.Entity.name_key == name_key(name)
                )
            ).first()
            if entity is None or own.id is None or entity.id is None:
                return False
            link = session.get(t.WatchlistEntity, (own.id, entity.id))
            if link is None:
                return False
            session.delete(link)
            return True

    def channel_entities(self, channel_id: int) -> list[m.Entity]:
        """Every entity the channel receives stories for, own and subscribed lists."""
        with self.session() as session:
            return load_entities(session, channel_entity_rows(session, channel_id))

    def find_entity(self, team_id: str, name: str) -> m.Entity | None:
        """The team's entity whose name or alias is name (case-insensitive), if any."""
        with self.session() as session:
            row = find_entity_row(session, team_workspace_id(session, team_id), name)
            return load_entity(session, row) if row else None

    def all_entities(self, team_id: str) -> list[m.Entity]:
        """Every entity the team's watchlists ever named."""
        with self.session() as session:
            workspace_id = team_workspace_id(session, team_id)
            if workspace_id is None:
                return []
            rows = session.exec(
                select(t.Entity)
                .where(t.Entity.workspace_id == workspace_id)
                .order_by(col(t.Entity.id))
            ).all()
            return load_entities(session, rows)

    def watched_entities(self) -> list[m.Entity]:
        """Every entity some channel receives: the global match index is built from these."""
        with self.session() as session:
            rows = session.exec(
                select(t.Entity)
                .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
                .join(
                    t.Subscription,
                    col(t.Subscription.watchlist_id) == t.WatchlistEntity.watchlist_id,
                )
                .distinct()
                .order_by(col(t.Entity.id))
            ).all()
            return load_entities(session, rows)

    def get_entity(self, entity_id: int) -> m.Entity:
        """The entity with that id, or NotFoundError."""
        with self.session() as session:
            row = session.get(t.Entity, entity_id)
            if row is None:
                raise NotFoundError(f"no entity with id {entity_id}")
            return load_entity(session, row)

    def add_exclusion(self, entity_id: int, phrase: str) -> m.Entity:
        """Add a phrase that vetoes the entity's mentions; return the entity."""
        try:
            with self.session() as session:
                row = session.get(t.Entity, entity_id)
                if row is None:
                    raise NotFoundError(f"no entity with id {entity_id}")
                known = session.exec(
                    select(t.EntityExclusion.phrase).where(t.EntityExclusion.entity_id == entity_id)
                ).all()
                if not has_phrase(known, phrase):
                    session.add(t.EntityExclusion(entity_id=entity_id, phrase=phrase[:200]))
        except IntegrityError:
            pass  # the same phrase was added at the same moment: it is there either way
        return self.get_entity(entity_id)

    def remove_names(
        self, entity_id: int, aliases: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> m.Entity:
        """Drop aliases (by name key) and exclusions (ignoring case); return the entity."""
        with self.session() as session:
            if session.get(t.Entity, entity_id) is None:
                raise NotFoundError(f"no entity with id {entity_id}")
            for alias in session.exec(select(t.Alias).where(t.Alias.entity_id == entity_id)):
                if answers_to(alias.text, aliases):
                    session.delete(alias)
            for row in session.exec(
                select(t.EntityExclusion).where(t.EntityExclusion.entity_id == entity_id)
            ):
                if has_phrase(exclude, row.phrase):
                    session.delete(row)
        return self.get_entity(entity_id)

    def mute(self, channel_id: int, entity_id: int, until: datetime) -> None:
        """Silence an entity in the channel until a time (replacing an earlier mute)."""
        with self._write_lock, self.session() as session:
            row = session.exec(
                select(t.Mute).where(t.Mute.channel_id == channel_id, t.Mute.entity_id == entity_id)
            ).first()
            if row is None:
                row = t.Mute(channel_id=channel_id, entity_id=entity_id, until=until)
            row.until = until
            session.add(row)

    def unmute(self, channel_id: int, entity_id: int) -> bool:
        """Lift a mute; False when there was none."""
        with self.session() as session:
            row = session.exec(
                select(t.Mute).where(t.Mute.channel_id == channel_id, t.Mute.entity_id == entity_id)
            ).first()
            if row is None:
                return False
            session.delete(row)
            return True

    def mutes(self, channel_id: int, now: datetime) -> list[tuple[m.Entity, datetime]]:
        """The channel's active mutes with their end times."""
        with self.session() as session:
            rows = session.exec(
                select(t.Mute, t.Entity)
                .join(t.Entity, col(t.Entity.id) == t.Mute.entity_id)
                .where(t.Mute.channel_id == channel_id, t.Mute.until > now)
                .order_by(col(t.Entity.name))
            ).all()
            return [(load_entity(session, entity), mute.until) for mute, entity in rows]
