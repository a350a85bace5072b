"""What every part of SqlStore shares: the engine, sessions, locks and the channel cache."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import cast

from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import object_session
from sqlmodel import Session, SQLModel, select

from db import tables as t
from db.notify import WorkNotifier
from db.secrets import SecretBox
from db.store.convert import to_channel
from watchlists import model as m

OWN_LIST_PREFIX = "#"
# SQLite has no row locks: every store on the same file shares these process-wide locks.
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_NAMED_LOCKS: dict[str, dict[str, threading.Lock]] = {}


def content_hash(article: m.Article) -> str:
    """A hash of what an article says, to spot the same item twice."""
    basis = f"{article.title.strip()}\n{article.text.strip()}".encode()
    return hashlib.sha256(basis).hexdigest()


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class, for executemany statements."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


class StoreBase:
    """The engine, one short transaction per call, and the locks SQLite needs."""

    def __init__(self, engine: Engine, secrets: SecretBox | None = None) -> None:
        self.engine = engine
        # Encrypts feed credentials; None (no DEALWATCH_SECRET_KEY) refuses to store any.
        self.secrets = secrets
        # Tells other processes' workers (PostgreSQL LISTEN) that articles or deliveries came.
        self.notifier = WorkNotifier(engine)
        self._named_locks = _NAMED_LOCKS.setdefault(str(engine.url), {})
        self._team_ids: dict[int, str] = {}
        # Feed leases this store's process holds (sources have no owner column): the
        # heartbeat renews them, record_poll ends them.
        self._held_sources: set[int] = set()
        self._held_lock = threading.Lock()
        self._write_lock: AbstractContextManager[object] = (
            _WRITE_LOCKS.setdefault(str(engine.url), threading.Lock())
            if engine.dialect.name == "sqlite"
            else nullcontext()
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise

    def ensure_workspace(self, session: Session, team_id: str) -> t.Workspace:
        """The workspace row for team_id, created when new."""
        workspace = session.exec(select(t.Workspace).where(t.Workspace.team_id == team_id)).first()
        if workspace is None:
            workspace = t.Workspace(team_id=team_id)
            session.add(workspace)
            session.flush()
        return workspace

    def _to_channel(self, row: t.Channel) -> m.Channel:
        """The domain channel of a row, with its workspace's team id (cached)."""
        team_id = self._team_ids.get(row.workspace_id)
        if team_id is None:
            # The row's own session sees a workspace created in the same transaction.
            session = object_session(row)
            if session is not None:
                workspace = session.get(t.Workspace, row.workspace_id)
            else:
                with Session(self.engine) as fresh:
                    workspace = fresh.get(t.Workspace, row.workspace_id)
            team_id = workspace.team_id if workspace else ""
            if team_id:
                self._team_ids[row.workspace_id] = team_id
        return to_channel(row, team_id)
