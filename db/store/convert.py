"""Rows <-> domain objects: the one place db/ turns table rows into the core's types and back.

The batch loaders at the end read what a list of rows needs (aliases, matches, articles) in
a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Row, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from db import tables as t
from watchlists import model as m
from watchlists import story_rules
from watchlists.deals import Amount
from watchlists.deals.summary import SUMMARY_LIMIT
from watchlists.ports import PostedStory, SourceState, StoryDetails, WatchlistInfo
from watchlists.story_rules import also_reported_by, shown_amount, shown_summary

DELIVERY_MODES = ("digest", "instant", "off")
# Keeps IN lists under SQLite's limit on bound parameters.
IN_CHUNK = 5000


def to_channel(row: t.Channel, team_id: str) -> m.Channel:
    """The domain channel of a row; an unknown delivery mode reads as "digest"."""
    assert row.id is not None
    delivery = row.delivery if row.delivery in DELIVERY_MODES else "digest"
    return m.Channel(
        id=row.id,
        team_id=team_id,
        slack_id=row.slack_id,
        name=row.name,
        timezone=row.timezone,
        delivery=delivery,  # type: ignore[arg-type]
        digest_schedule=row.digest_schedule,
        next_digest_at=row.next_digest_at,
        last_post_at=row.last_post_at,
        not_before=row.not_before,
        failures=row.delivery_failures,
        backoff_reason=row.backoff_reason,
    )


def to_source(row: t.Source, url: str | None = None) -> SourceState:
    """A source row with its fetch state and health; url replaces the stored (redacted) one."""
    assert row.id is not None
    return SourceState(
        id=row.id,
        url=row.url if url is None else url,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        poll_interval_s=row.poll_interval_s,
        consecutive_failures=row.consecutive_failures,
        first_failure_at=row.first_failure_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        warned_broken=row.warned_broken,
        next_poll_at=row.next_poll_at,
        fetch_full_text=row.fetch_full_text,
    )


def update_source_row(row: t.Source, state: SourceState) -> None:
    """Copy a source's fetch state and health onto its row (not fetch_full_text)."""
    row.title = state.title[:300]
    row.etag, row.last_modified = state.etag[:300], state.last_modified[:100]
    row.consecutive_failures = state.consecutive_failures
    row.first_failure_at = state.first_failure_at
    row.last_success_at = state.last_success_at
    row.last_error = state.last_error
    row.warned_broken = state.warned_broken
    row.next_poll_at = state.next_poll_at


def to_article(row: t.Article, text: str | None = None) -> m.Article:
    """The domain article of a row (with text instead of the row's, when given)."""
    return m.Article(
        id=row.guid,
        title=row.title,
        text=row.text if text is None else text,
        url=row.url,
        published=row.published_at,
        source=row.source_name,
    )


# Enough of a text for a summary of SUMMARY_LIMIT characters, unless it is mostly white space.
LEAD_CHARACTERS = 4 * SUMMARY_LIMIT
# The columns a domain match is read from: plain rows, not ORM objects (a lookup reads hundreds).
MATCH_COLUMNS = (
    col(t.Match.article_id),
    col(t.Match.entity_id),
    col(t.Match.alias),
    col(t.Match.field),
    col(t.Match.span_start),
    col(t.Match.span_end),
    col(t.Match.matched_text),
    col(t.Match.score),
    col(t.Match.kind),
)


def to_match(row: t.Match | Row[Any], entity_name: str) -> m.Match:
    """The domain match of a row (or of its MATCH_COLUMNS), named after its entity."""
    return m.Match(
        entity_id=row.entity_id,
        entity=entity_name,
        alias=row.alias,
        field="title" if row.field == "title" else "text",
        start=row.span_start,
        end=row.span_end,
        text=row.matched_text,
        score=row.score,
        kind="fuzzy" if row.kind == "fuzzy" else "partial" if row.kind == "partial" else "exact",
    )


def match_values(article_id: int, match: m.Match) -> dict[str, object]:
    """The column values of a match row, for an executemany insert."""
    return {
        "article_id": article_id,
        "entity_id": match.entity_id,
        "alias": match.alias[:200],
        "field": match.field,
        "span_start": match.start,
        "span_end": match.end,
        "matched_text": match.text[:400],
        "score": match.score,
        "kind": match.kind,
    }


def deal_of(row: t.Article) -> dict[str, Any]:
    """The deal analysis stored with an article ({} before the pipeline saw it)."""
    deal: dict[str, Any] = json.loads(row.deal_json or "{}")
    return deal


def deal_facts(articles: Sequence[t.Article]) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    """The first amounts and the parties any of a story's articles reported."""
    return story_rules.deal_facts(article.deal_json or "" for article in articles)


def to_story_item(
    story: t.Story,
    articles: Sequence[t.Article],
    matches: Sequence[m.Match],
    lead: Callable[[t.Article], str],
) -> m.StoryItem:
    """A story as a digest shows it, from its articles (oldest first) and watched matches;
    lead gives the start of an article's text (for a story whose deal has no summary)."""
    assert story.id is not None
    first = articles[0]
    deal = deal_of(first)
    summary = deal.get("summary") or ""
    return m.StoryItem(
        story_id=story.id,
        title=story.title or first.title,
        url=first.url,
        summary=shown_summary(summary, "" if summary else lead(first)),
        published=first.published_at,
        source=first.source_name,
        matches=tuple(matches),
        deal_type=story.deal_type,
        deal_stage=story.deal_stage,
        amount=shown_amount(
            [a["text"] for a in deal.get("amounts") or []], bool(deal.get("undisclosed"))
        ),
        also_reported_by=also_reported_by([a.source_name for a in articles]),
    )


def to_story_details(
    story: t.Story, articles: Sequence[t.Article], matches: Sequence[tuple[int, m.Match]]
) -> StoryDetails:
    """A story in full, from its articles (oldest first) and (article id, match) pairs."""
    assert story.id is not None
    by_article: dict[int, list[m.Match]] = {}
    for article_id, match in matches:
        by_article.setdefault(article_id, []).append(match)
    return story_rules.story_details(
        story.id,
        story.title or (articles[0].title if articles else ""),
        story.deal_type,
        story.deal_stage,
        articles[0].deal_json or "" if articles else "",
        (
            (a.title, a.url, a.source_name, a.published_at, by_article.get(a.id or 0, ()))
            for a in articles
        ),
    )


def to_posted_story(delivery: t.Delivery, story: t.Story, first: t.Article | None) -> PostedStory:
    """A story as it was posted to a channel."""
    assert story.id is not None
    return PostedStory(
        story_id=story.id,
        title=story.title or (first.title if first else ""),
        url=first.url if first else "",
        posted_at=delivery.posted_at,
    )


# batch loaders ---------------------------------------------------------------


def load_entities(session: Session, rows: Sequence[t.Entity]) -> list[m.Entity]:
    """Domain entities for rows, with aliases and exclusions, in three queries."""
    ids = [row.id for row in rows]
    aliases: dict[int, list[str]] = {}
    exclude: dict[int, list[str]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        for entity_id, alias in session.exec(
            select(t.Alias.entity_id, t.Alias.text)
            .where(col(t.Alias.entity_id).in_(chunk))
            .order_by(col(t.Alias.id))
        ):
            aliases.setdefault(entity_id, []).append(alias)
        for entity_id, phrase in session.exec(
            select(t.EntityExclusion.entity_id, t.EntityExclusion.phrase)
            .where(col(t.EntityExclusion.entity_id).in_(chunk))
            .order_by(col(t.EntityExclusion.id))
        ):
            exclude.setdefault(entity_id, []).append(phrase)
    entities = []
    for row in rows:
        assert row.id is not None
        entities.append(
            m.Entity(
                name=row.name,
                aliases=tuple(aliases.get(row.id, ())),
                exclude=tuple(exclude.get(row.id, ())),
                id=row.id,
            )
        )
    return entities


def load_entity(session: Session, row: t.Entity) -> m.Entity:
    """The domain entity of one row."""
    return load_entities(session, [row])[0]


def text_starts(session: Session, article_ids: Sequence[int], length: int) -> dict[int, str]:
    """The first length characters of each article's text, by article id (one query)."""
    rows = session.exec(
        select(t.Article.id, func.substr(t.Article.text, 1, length)).where(
            col(t.Article.id).in_(list(article_ids))
        )
    ).all()
    return {article_id: str(start) for article_id, start in rows if article_id is not None}


def load_matches(
    session: Session, article_ids: Sequence[int], entity_ids: set[int] | None = None
) -> list[tuple[int, m.Match]]:
    """(article id, match) for these articles (these entities only, when given), in order."""
    query = select_columns(*MATCH_COLUMNS).where(col(t.Match.article_id).in_(list(article_ids)))
    if entity_ids is not None:
        query = query.where(col(t.Match.entity_id).in_(list(entity_ids)))
    rows = session.execute(query.order_by(col(t.Match.id))).all()
    names = dict(
        session.exec(
            select(t.Entity.id, t.Entity.name).where(
                col(t.Entity.id).in_({row.entity_id for row in rows})
            )
        ).all()
    )
    return [(row.article_id, to_match(row, names.get(row.entity_id, "?"))) for row in rows]


def hidden_sources(
    session: Session, articles: Sequence[t.Article], workspace_id: int | None
) -> set[int]:
    """The ids of the sources of these articles that another workspace owns: their
    articles are not shown to workspace_id (None: shown everything, for the operator)."""
    if workspace_id is None:
        return set()
    source_ids = {a.source_id for a in articles if a.source_id is not None}
    if not source_ids:
        return set()
    return {
        source_id
        for source_id in session.exec(
            select(t.Source.id).where(
                col(t.Source.id).in_(source_ids),
                col(t.Source.workspace_id).is_not(None),
                t.Source.workspace_id != workspace_id,
            )
        ).all()
        if source_id is not None
    }


def visible_articles(
    session: Session, articles: Sequence[t.Article], workspace_id: int | None
) -> list[t.Article]:
    """The articles workspace_id may see: those of its own and of operator sources."""
    hidden = hidden_sources(session, articles, workspace_id)
    return [a for a in articles if a.source_id is None or a.source_id not in hidden]


def visible_title(story: t.Story, articles: Sequence[t.Article], shown: Sequence[t.Article]) -> str:
    """The story's title, or the first shown article's when the first report is not shown."""
    if articles and shown and articles[0] is not shown[0]:
        return ("Update: " if story.update_of else "") + shown[0].title
    return story.title


def load_story_items(
    session: Session,
    stories: Sequence[t.Story],
    watched: set[int],
    workspace_id: int | None = None,
) -> list[m.StoryItem]:
    """StoryItems for stories, with matches of the watched entities, in four queries; with a
    workspace, from the articles it may see only (stories with none are left out)."""
    return StoryItemLoader(session, stories, watched).items(stories, watched, workspace_id)


class StoryItemLoader:
    """Stories' articles and matches read once, turned into StoryItems for many channels.

    A delivery pass serves many channels the same stories: each channel sees the articles
    its workspace may see and the matches of the entities it watches.
    """

    def __init__(self, session: Session, stories: Sequence[t.Story], entity_ids: set[int]) -> None:
        self.session = session
        # Without their texts: a digest shows the stored summary, and a stored text may be
        # megabytes (the lead of the few without a summary is read on its own, `_lead`).
        self.everything = session.exec(
            select(t.Article)
            .options(defer(t.Article.text, raiseload=True))  # type: ignore[arg-type]
            .where(col(t.Article.story_id).in_({story.id for story in stories}))
            .order_by(col(t.Article.id))
        ).all()
        self.all_of: dict[int, list[t.Article]] = {}
        for article in self.everything:
            assert article.story_id is not None
            self.all_of.setdefault(article.story_id, []).append(article)
        ids = [a.id for a in self.everything if a.id]
        self.matches = load_matches(session, ids, entity_ids) if ids and entity_ids else []
        self._visible: dict[int | None, dict[int, list[t.Article]]] = {}

    def _articles_seen_by(self, workspace_id: int | None) -> dict[int, list[t.Article]]:
        if workspace_id not in self._visible:
            articles: dict[int, list[t.Article]] = {}
            for article in visible_articles(self.session, self.everything, workspace_id):
                assert article.story_id is not None
                articles.setdefault(article.story_id, []).append(article)
            self._visible[workspace_id] = articles
        return self._visible[workspace_id]

    def _lead(self, article: t.Article) -> str:
        """The start of an article's text: enough for a summary of SUMMARY_LIMIT characters."""
        assert article.id is not None
        lead = text_starts(self.session, [article.id], LEAD_CHARACTERS).get(article.id, "")
        if len(lead) == LEAD_CHARACTERS and len(" ".join(lead.split())) <= SUMMARY_LIMIT + 1:
            # Mostly white space: the summary may need more of the text.
            return str(
                self.session.exec(select(t.Article.text).where(t.Article.id == article.id)).one()
            )
        return str(lead)

    def items(
        self, stories: Sequence[t.Story], watched: set[int], workspace_id: int | None
    ) -> list[m.StoryItem]:
        """The StoryItems of these stories as a channel watching watched in workspace sees."""
        articles = self._articles_seen_by(workspace_id)
        story_of = {a.id: story_id for story_id, rows in articles.items() for a in rows}
        by_story: dict[int, list[m.Match]] = {}
        for article_id, match in self.matches:
            if article_id in story_of and match.entity_id in watched:
                by_story.setdefault(story_of[article_id], []).append(match)
        items = []
        for story in stories:
            assert story.id is not None
            shown = articles.get(story.id)
            if not shown:
                continue
            item = to_story_item(story, shown, by_story.get(story.id, ()), self._lead)
            title = visible_title(story, self.all_of[story.id], shown)
            items.append(replace(item, title=title) if title and title != story.title else item)
        return items


def load_watchlist(session: Session, row: t.Watchlist, team_id: str) -> WatchlistInfo:
    """A watchlist with its entities by name and its subscribers' Slack ids."""
    assert row.id is not None
    entities = session.exec(
        select(t.Entity)
        .join(t.WatchlistEntity, col(t.WatchlistEntity.entity_id) == t.Entity.id)
        .where(t.WatchlistEntity.watchlist_id == row.id)
        .order_by(col(t.Entity.name))
    ).all()
    subscribers = session.exec(
        select(t.Channel.slack_id)
        .join(t.Subscription, col(t.Subscription.channel_id) == t.Channel.id)
        .where(t.Subscription.watchlist_id == row.id)
        .order_by(col(t.Channel.slack_id))
    ).all()
    return WatchlistInfo(
        id=row.id,
        name=row.name,
        team_id=team_id,
        owner_channel_id=row.owner_channel_id,
        entities=tuple(load_entities(session, entities)),
        subscribers=tuple(subscribers),
        created_in=row.created_in,
    )
