"""ArticleStore on the fake's tables: articles, matches and stories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from tests.fakes.store.state import (
    QUARANTINE_REASON_WIDTH,
    ArticleRow,
    Delivery,
    MatchRow,
    State,
    StoryRow,
    aware,
    content_hash,
)
from watchlists import story_rules
from watchlists.deals import Amount
from watchlists.errors import NotFoundError
from watchlists.model import Article, Match, StoryItem
from watchlists.ports import (
    AnalysedArticle,
    StoredStory,
    StoryDetails,
)
from watchlists.story_rules import (
    recipients,
)


class ArticleStoreMixin(State):
    """Articles, matches and stories."""

    def add_articles(
        self, articles: Sequence[Article], source_id: int | None, now: datetime
    ) -> int:
        """Store the articles this source has not given before (same guid or same text)."""
        seen = {
            key
            for row in self.articles.values()
            if row.source_id == source_id
            for key in (row.guid, row.content_hash)
        }
        added = 0
        for article in articles:
            digest = content_hash(article)
            guid = article.id or article.url or digest
            if guid in seen or digest in seen:
                continue
            seen.update((guid, digest))
            row = ArticleRow(
                id=self.new_id(),
                source_id=source_id,
                guid=guid,
                content_hash=digest,
                article=replace(article, id=guid, published=aware(article.published)),
                ingested_at=now,
            )
            self.articles[row.id] = row
            added += 1
        return added

    def quarantine_article(self, article_id: int, reason: str, now: datetime) -> None:
        """Set an article aside for good: processed, with the reason it failed."""
        row = self.articles.get(article_id)
        if row is not None:
            row.matched_at = now
            row.quarantine_reason = reason[:QUARANTINE_REASON_WIDTH] or "failed"

    def unmatched_articles(self, limit: int) -> list[tuple[int, Article]]:
        """Articles not processed yet, oldest first."""
        rows = [row for row in self.articles.values() if row.matched_at is None]
        return [(row.id, row.article) for row in sorted(rows, key=lambda r: r.id)[:limit]]

    def recent_stories(self, since: datetime) -> list[StoredStory]:
        """Stories first seen since then, each with its first article, amounts and parties."""
        result = []
        for story in sorted(self.stories.values(), key=lambda s: s.id):
            rows = self._story_articles(story.id)
            if story.created_at < since or not rows:
                continue
            amounts, parties = _deal_facts(rows)
            result.append(
                StoredStory(
                    key=story.key,
                    article=rows[0].article,
                    deal_type=story.deal_type,
                    deal_stage=story.deal_stage,
                    entity_ids=tuple(
                        sorted(
                            {m.match.entity_id for m in self.matches if m.article_id == rows[0].id}
                        )
                    ),
                    amounts=amounts,
                    parties=parties,
                )
            )
        return result

    def file_articles(self, analysed: Sequence[AnalysedArticle], now: datetime) -> int:
        """File a batch under its stories and queue a delivery per watching, unmuted channel."""
        for item in analysed:
            if item.article_id not in self.articles:
                raise NotFoundError(f"no article with id {item.article_id}")
        filed_at = now
        queued = 0
        analysed = [self._visible_matches(item) for item in analysed]
        mentioned = {match.entity_id for item in analysed for match in item.matches}
        watchers = {entity_id: self._watchers(entity_id) for entity_id in mentioned}
        muted: dict[int, set[int]] = {}
        for (channel_id, entity_id), until in self.muted_until.items():
            if until > now:
                muted.setdefault(channel_id, set()).add(entity_id)
        for item in analysed:
            story = self._file_story(item, filed_at)
            for match in item.matches:
                self.matches.append(MatchRow(self.new_id(), item.article_id, match))
            row = self.articles[item.article_id]
            row.story_id, row.deal_json, row.matched_at = story.id, item.deal_json, filed_at
            entity_ids = {match.entity_id for match in item.matches}
            for channel_id in recipients(entity_ids, watchers, muted):
                if (channel_id, story.id) in self.deliveries:
                    continue
                self.deliveries[(channel_id, story.id)] = Delivery(
                    id=self.new_id(), channel_id=channel_id, story_id=story.id, created_at=filed_at
                )
                queued += 1
        return queued

    def _visible_matches(self, item: AnalysedArticle) -> AnalysedArticle:
        """The item with only the matches its feed's team may see (all for operator sources)."""
        row = self.articles[item.article_id]
        return replace(
            item, matches=tuple(m for m in item.matches if self._may_match(row, m.entity_id))
        )

    def _file_story(self, item: AnalysedArticle, at: datetime) -> StoryRow:
        story = next((s for s in self.stories.values() if s.key == item.story_key), None)
        if story is None:
            story = StoryRow(
                id=self.new_id(),
                key=item.story_key,
                title=item.story_title,
                deal_type=item.deal_type,
                deal_stage=item.deal_stage,
                update_of=item.update_of,
                created_at=at,
                updated_at=at,
            )
            self.stories[story.id] = story
        else:
            story.deal_stage = item.deal_stage or story.deal_stage
            story.updated_at = at
        return story

    def stories_for_entity(self, entity_id: int, since: datetime, limit: int) -> list[StoryItem]:
        """The latest stories that mention the entity, newest first."""
        mentioned = {
            self.articles[m.article_id].story_id
            for m in self.matches
            if m.match.entity_id == entity_id
        }
        stories = [s for s in self.stories.values() if s.id in mentioned and s.updated_at >= since]
        stories.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
        return self._story_items(stories[:limit], {entity_id}, self.entity_team.get(entity_id))

    def unscanned_articles(
        self, entity_ids: Sequence[int], since: datetime, before_id: int | None, limit: int
    ) -> list[tuple[int, Article]]:
        """Processed articles ingested since then, newest first, below before_id, that lack a
        recorded mention of at least one of the entities."""
        wanted = set(entity_ids)
        if not wanted:
            return []
        found: dict[int, set[int]] = {}
        for row in self.matches:
            found.setdefault(row.article_id, set()).add(row.match.entity_id)
        rows = [
            row
            for row in self.articles.values()
            if row.matched_at is not None
            and row.ingested_at >= since
            and (before_id is None or row.id < before_id)
            and not {e for e in wanted if self._may_match(row, e)} <= found.get(row.id, set())
        ]
        rows.sort(key=lambda row: row.id, reverse=True)
        return [(row.id, row.article) for row in rows[:limit]]

    def add_matches(self, found: Sequence[tuple[int, Sequence[Match]]]) -> int:
        """Record mentions found in stored articles (each (article, entity) pair once);
        return how many pairs were new."""
        known = {(row.article_id, row.match.entity_id) for row in self.matches}
        new_pairs: set[tuple[int, int]] = set()
        for article_id, matches in found:
            row = self.articles.get(article_id)
            for match in matches:
                pair = (article_id, match.entity_id)
                if pair in known or row is None or not self._may_match(row, match.entity_id):
                    continue
                new_pairs.add(pair)
                self.matches.append(MatchRow(id=self.new_id(), article_id=article_id, match=match))
        return len(new_pairs)

    def queue_recent_stories(
        self, channel_id: int, entity_ids: Sequence[int], since: datetime, limit: int, now: datetime
    ) -> int:
        """Queue for the channel the newest stories since then that mention the entities
        (unless muted there or already queued or sent); return how many."""
        wanted = {
            entity_id
            for entity_id in entity_ids
            if self.muted_until.get((channel_id, entity_id), now) <= now
        }
        team_id = self._channel_row(channel_id).channel.team_id
        newest: dict[int, int] = {}
        for row in self.matches:
            article = self.articles.get(row.article_id)
            if (
                row.match.entity_id in wanted
                and article is not None
                and self._visible_to(article, team_id)
                and self._may_match(article, row.match.entity_id)
                and article.story_id is not None
                and article.ingested_at >= since
                and (channel_id, article.story_id) not in self.deliveries
            ):
                newest[article.story_id] = max(newest.get(article.story_id, 0), article.id)
        chosen = sorted(newest, key=lambda story_id: newest[story_id], reverse=True)[:limit]
        for story_id in reversed(chosen):
            self.deliveries[(channel_id, story_id)] = Delivery(
                id=self.new_id(),
                channel_id=channel_id,
                story_id=story_id,
                created_at=now,
                recent=True,
            )
        return len(chosen)

    def story_details(self, story_id: int, team_id: str | None = None) -> StoryDetails:
        """Everything known about a story; with a team, what that team may see of it."""
        story = self.stories.get(story_id)
        if story is None or (team_id is not None and team_id not in self.workspaces):
            raise NotFoundError(f"no story with id {story_id}")
        every = self._story_articles(story_id)
        rows = [row for row in every if self._visible_to(row, team_id)]
        title = story.title
        if every and rows and every[0] is not rows[0]:
            title = ("Update: " if story.update_of else "") + rows[0].article.title
        return story_rules.story_details(
            story_id,
            title or (rows[0].article.title if rows else ""),
            story.deal_type,
            story.deal_stage,
            rows[0].deal_json or "" if rows else "",
            (
                (
                    row.article.title,
                    row.article.url,
                    row.article.source,
                    row.article.published,
                    [
                        replace(m.match, entity=self._entity_name(m.match.entity_id))
                        for m in self.matches
                        if m.article_id == row.id
                        and (team_id is None or self.entity_team.get(m.match.entity_id) == team_id)
                    ],
                )
                for row in rows
            ),
        )


def _deal_facts(rows: Sequence[ArticleRow]) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    """The first amounts and the parties any of a story's articles reported."""
    return story_rules.deal_facts(row.deal_json or "" for row in rows)
