"""Ingested articles: stored once per source, then picked up by the pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from db import tables as t
from db.notify import ARTICLES_ADDED
from db.store.base import StoreBase, content_hash
from db.store.convert import to_article
from watchlists import model as m
from watchlists.story_urls import canonical_url


class ArticlesMixin(StoreBase):
    """Articles in, deduplicated by guid and content."""

    def add_articles(
        self, articles: Sequence[m.Article], source_id: int | None, now: datetime
    ) -> int:
        """Store articles this source has not given before (same guid or same text), ingested
        now; count them."""
        added = 0
        for start in range(0, len(articles), 500):
            chunk = articles[start : start + 500]
            try:
                added += self._add_article_chunk(chunk, source_id, now)
            except IntegrityError:
                # Another worker stored some of them meanwhile: the retry skips those.
                added += self._add_article_chunk(chunk, source_id, now)
        return added

    def _add_article_chunk(
        self, articles: Sequence[m.Article], source_id: int | None, now: datetime
    ) -> int:
        keyed = [
            (article.id or article.url or content_hash(article), content_hash(article), article)
            for article in articles
        ]
        same_source = (
            col(t.Article.source_id) == source_id
            if source_id is not None
            else col(t.Article.source_id).is_(None)
        )
        with self.session() as session:
            seen: set[str] = set()
            for guid, digest in session.exec(
                select(t.Article.guid, t.Article.content_hash).where(
                    same_source,
                    or_(
                        col(t.Article.guid).in_([guid for guid, _, _ in keyed]),
                        col(t.Article.content_hash).in_([digest for _, digest, _ in keyed]),
                    ),
                )
            ):
                seen.update((guid, digest))
            added = 0
            for guid, digest, article in keyed:
                if guid in seen or digest in seen:
                    continue
                seen.update((guid, digest))
                session.add(
                    t.Article(
                        source_id=source_id,
                        guid=guid,
                        url=article.url,
                        canonical_url=canonical_url(article.url) if article.url else "",
                        source_name=article.source,
                        title=article.title,
                        text=article.text,
                        published_at=article.published,
                        content_hash=digest,
                        ingested_at=now,
                    )
                )
                added += 1
            if added:
                self.notifier.notify(session, ARTICLES_ADDED)
            return added

    def quarantine_article(self, article_id: int, reason: str, now: datetime) -> None:
        """Set an article aside for good: processing it failed; it is never picked up again."""
        with self.session() as session:
            session.execute(
                update(t.Article)
                .where(col(t.Article.id) == article_id)
                .values(matched_at=now, quarantine_reason=reason[:300] or "failed")
            )

    def quarantined_articles(self, limit: int = 20) -> list[tuple[int, str, str]]:
        """The latest quarantined articles: (id, title, reason), newest first."""
        with self.session() as session:
            rows = session.exec(
                select(t.Article.id, t.Article.title, t.Article.quarantine_reason)
                .where(t.Article.quarantine_reason != "")
                .order_by(col(t.Article.id).desc())
                .limit(limit)
            ).all()
            return [(int(i), title[:120], reason) for i, title, reason in rows if i is not None]

    def unmatched_articles(self, limit: int) -> list[tuple[int, m.Article]]:
        """Stored articles the pipeline has not processed yet, oldest first."""
        with self.session() as session:
            rows = session.exec(
                select(t.Article)
                .where(col(t.Article.matched_at).is_(None))
                .order_by(col(t.Article.id))
                .limit(limit)
            ).all()
            return [(row.id, to_article(row)) for row in rows if row.id is not None]
