"""Shared watchlists of a workspace and the channels subscribed to them."""

from __future__ import annotations

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import tables as t
from db.store.base import StoreBase
from db.store.convert import load_entity, load_watchlist
from db.store.entities import ensure_entity
from watchlists import model as m
from watchlists.entity_rules import answers_to
from watchlists.errors import AlreadyExistsError, NotFoundError
from watchlists.ports import WatchlistInfo


class WatchlistsMixin(StoreBase):
    """Shared watchlists and subscriptions."""

    def find_watchlist(self, team_id: str, name: str) -> WatchlistInfo | None:
        """The team's watchlist with that name (case-insensitive), if any."""
        with self.session() as session:
            row = self._watchlist_row(session, team_id, name)
            return load_watchlist(session, row, team_id) if row else None

    def _watchlist_row(self, session: Session, team_id: str, name: str) -> t.Watchlist | None:
        return session.exec(
            select(t.Watchlist)
            .join(t.Workspace, col(t.Workspace.id) == t.Watchlist.workspace_id)
            .where(t.Workspace.team_id == team_id, func.lower(t.Watchlist.name) == name.lower())
            .order_by(col(t.Watchlist.id))
        ).first()

    def create_watchlist(self, team_id: str, name: str, created_in: str = "") -> WatchlistInfo:
        """A new shared watchlist of the team, or AlreadyExistsError."""
        exists = AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        try:
            with self._write_lock, self.session() as session:
                workspace = self.ensure_workspace(session, team_id)
                if self._watchlist_row(session, team_id, name) is not None:
                    raise exists
                assert workspace.id is not None
                row = t.Watchlist(workspace_id=workspace.id, name=name, created_in=created_in)
                session.add(row)
                session.flush()
                return load_watchlist(session, row, team_id)
        except IntegrityError:
            raise exists from None

    def rename_watchlist(self, watchlist_id: int, name: str) -> WatchlistInfo:
        """The list under its new name, or AlreadyExistsError when the team has that name."""
        exists = AlreadyExistsError(f"A watchlist called `{name}` already exists.")
        try:
            with self._write_lock, self.session() as session:
                row = session.get(t.Watchlist, watchlist_id)
                if row is None:
                    raise NotFoundError(f"no watchlist with id {watchlist_id}")
                workspace = session.get(t.Workspace, row.workspace_id)
                team_id = workspace.team_id if workspace else ""
                other = self._watchlist_row(session, team_id, name)
                if other is not None and other.id != row.id:
                    raise exists
                row.name = name
                session.add(row)
                session.flush()
                return load_watchlist(session, row, team_id)
        except IntegrityError:
            raise exists from None

    def delete_watchlist(self, watchlist_id: int) -> None:
        """Delete the list and its subscriptions (its entities stay known)."""
        with self._write_lock, self.session() as session:
            row = session.get(t.Watchlist, watchlist_id)
            if row is None:
                raise NotFoundError(f"no watchlist with id {watchlist_id}")
            session.execute(
                delete(t.Subscription).where(col(t.Subscription.watchlist_id) == watchlist_id)
            )
            session.execute(
                delete(t.WatchlistEntity).where(col(t.WatchlistEntity.watchlist_id) == watchlist_id)
            )
            session.delete(row)

    def add_to_watchlist(self, watchlist_id: int, entity: m.Entity) -> tuple[m.Entity, bool]:
        """Add entity (merged with a known one of the same name); True when new to the list."""
        with self.session() as session:
            watchlist = session.get(t.Watchlist, watchlist_id)
            if watchlist is None:
                raise NotFoundError(f"no watchlist with id {watchlist_id}")
            row = ensure_entity(session, watchlist.workspace_id, entity)
            assert row.id is not None
            added = session.get(t.WatchlistEntity, (watchlist_id, row.id)) is None
            if added:
                session.add(t.WatchlistEntity(watchlist_id=watchlist_id, entity_id=row.id))
            session.flush()
            return load_entity(session, row), added

    def remove_from_watchlist(self, watchlist_id: int, name: str) -> bool:
        """Take the entity named (or aliased) name off the list; False when it was not there."""
        with self.session() as session:
            # Compared in Python: SQLite's lower() folds ASCII only, and lists are short.
            links = session.exec(
                select(t.WatchlistEntity).where(t.WatchlistEntity.watchlist_id == watchlist_id)
            ).all()
            for link in links:
                entity = session.get(t.Entity, link.entity_id)
                if entity is None:
                    continue
                aliases = session.exec(
                    select(t.Alias.text).where(t.Alias.entity_id == link.entity_id)
                ).all()
                if answers_to(name, (entity.name, *aliases)):
                    session.delete(link)
                    return True
            return False

    def subscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Have the channel receive the list's stories; False when it already did."""
        try:
            with self.session() as session:
                channel = session.get(t.Channel, channel_id)
                watchlist = session.get(t.Watchlist, watchlist_id)
                if channel is None or watchlist is None:
                    raise NotFoundError(f"no channel {channel_id} or watchlist {watchlist_id}")
                if channel.workspace_id != watchlist.workspace_id:
                    # A list is another workspace's business: it is not there for this channel.
                    raise NotFoundError(f"no watchlist with id {watchlist_id} in this workspace")
                known = session.exec(
                    select(t.Subscription).where(
                        t.Subscription.channel_id == channel_id,
                        t.Subscription.watchlist_id == watchlist_id,
                    )
                ).first()
                if known is not None:
                    return False
                session.add(t.Subscription(channel_id=channel_id, watchlist_id=watchlist_id))
                return True
        except IntegrityError:
            return False  # a concurrent subscribe won the race: the outcome is the same

    def unsubscribe(self, channel_id: int, watchlist_id: int) -> bool:
        """Stop the channel receiving the list's stories; False when it did not."""
        with self.session() as session:
            row = session.exec(
                select(t.Subscription).where(
                    t.Subscription.channel_id == channel_id,
                    t.Subscription.watchlist_id == watchlist_id,
                )
            ).first()
            if row is None:
                return False
            session.delete(row)
            return True

    def team_watchlists(self, team_id: str) -> list[WatchlistInfo]:
        """The team's shared watchlists by name, with their entities and subscribers."""
        with self.session() as session:
            rows = session.exec(
                select(t.Watchlist)
                .join(t.Workspace, col(t.Workspace.id) == t.Watchlist.workspace_id)
                .where(t.Workspace.team_id == team_id, col(t.Watchlist.owner_channel_id).is_(None))
                .order_by(func.lower(t.Watchlist.name))
            ).all()
            return [load_watchlist(session, row, team_id) for row in rows]

    def channel_watchlists(self, channel_id: int) -> list[WatchlistInfo]:
        """The channel's own list, then the shared lists it subscribes to, by name."""
        with self.session() as session:
            channel = session.get(t.Channel, channel_id)
            if channel is None:
                raise NotFoundError(f"no channel with id {channel_id}")
            workspace = session.get(t.Workspace, channel.workspace_id)
            team_id = workspace.team_id if workspace else ""
            rows = session.exec(
                select(t.Watchlist)
                .join(t.Subscription, col(t.Subscription.watchlist_id) == t.Watchlist.id)
                .where(t.Subscription.channel_id == channel_id)
            ).all()
            ordered = sorted(
                rows, key=lambda row: (row.owner_channel_id != channel_id, row.name.lower())
            )
            return [load_watchlist(session, row, team_id) for row in ordered]
