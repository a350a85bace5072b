"""SqlStore: the core's Store port over SQLModel, on SQLite or PostgreSQL.

One mixin per aggregate (channels, entities, watchlists, sources, articles, stories,
outbox, status); rows become domain objects in convert.py only.
"""

from __future__ import annotations

from db.store.articles import ArticlesMixin
from db.store.base import OWN_LIST_PREFIX, content_hash
from db.store.channels import ChannelsMixin
from db.store.entities import EntitiesMixin
from db.store.outbox import OutboxMixin
from db.store.sources import SourcesMixin
from db.store.status import StatusMixin
from db.store.stories import StoriesMixin
from db.store.watchlists import WatchlistsMixin
from watchlists.entity_rules import name_key
from watchlists.ports import Store

__all__ = ["OWN_LIST_PREFIX", "SqlStore", "content_hash", "name_key"]


class SqlStore(
    ChannelsMixin,
    EntitiesMixin,
    WatchlistsMixin,
    SourcesMixin,
    ArticlesMixin,
    StoriesMixin,
    OutboxMixin,
    StatusMixin,
):
    """Store implemented with SQLModel sessions; one short transaction per call."""


def _implements_the_port(store: SqlStore) -> Store:
    """Never called: mypy checks here that SqlStore provides every method of the Store port."""
    return store
