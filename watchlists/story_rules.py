"""Who receives a story and how a story item reads: rules every store applies alike.

Rules:
- Fan-out: a channel gets an article's story when it watches (through its own list or a
  subscribed one) an entity the article mentions, unless every such entity it watches is
  muted there. A mute of one entity never hides a story about another.
- Amount: an item shows the first amount of the story's first article; when that article
  names none but says the terms were not disclosed, it shows "undisclosed"; else nothing.
- Summary: the deal summary of the first article, else its text shortened.
- "Also reported by": the sources of the story's later articles, in the order they came,
  each once, leaving out the first article's own source.
- Feedback count: how many distinct (story, person) pairs of a workspace flagged the same
  entity's same matched text (compared case-insensitively).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence, Set
from datetime import datetime
from typing import Any

from watchlists.deals import Amount, shorten
from watchlists.model import Match
from watchlists.ports import ArticleEvidence, StoryDetails

UNDISCLOSED = "undisclosed"


def recipients(
    entity_ids: Iterable[int],
    watchers: Mapping[int, Set[int]],
    muted: Mapping[int, Set[int]],
) -> list[int]:
    """The channels, by id, that get a story mentioning entity_ids.

    watchers maps an entity to the channels watching it, muted a channel to the entities
    it has muted right now.
    """
    watched: dict[int, set[int]] = {}
    for entity_id in set(entity_ids):
        for channel_id in watchers.get(entity_id, ()):
            watched.setdefault(channel_id, set()).add(entity_id)
    return [
        channel_id
        for channel_id, relevant in sorted(watched.items())
        if not relevant <= muted.get(channel_id, set())
    ]


def shown_amount(amounts: Sequence[str], undisclosed: bool) -> str:
    """The amount a story item shows: the first one, "undisclosed", or ""."""
    if amounts:
        return amounts[0]
    return UNDISCLOSED if undisclosed else ""


def shown_summary(deal_summary: str, text: str) -> str:
    """The summary a story item shows: the deal's, else the article text shortened."""
    return deal_summary or shorten(text)


def also_reported_by(sources: Sequence[str]) -> tuple[str, ...]:
    """The other sources of a story whose articles came in sources order (first = original)."""
    if not sources:
        return ()
    first = sources[0]
    return tuple(dict.fromkeys(source for source in sources[1:] if source != first))


def times_flagged(flags: Iterable[tuple[str, int, str]], matched_text: str) -> int:
    """How many distinct (story, person) flagged matched_text, from (text, story, user) rows."""
    wanted = matched_text.casefold()
    return len({(story, user) for text, story, user in flags if text.casefold() == wanted})


def stored_deal(deal_json: str) -> dict[str, Any]:
    """The deal analysis stored with an article as JSON ({} before the pipeline saw it)."""
    deal: dict[str, Any] = json.loads(deal_json or "{}")
    return deal


def deal_facts(deal_jsons: Iterable[str]) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    """The first amounts and the parties any of a story's articles (oldest first) reported."""
    amounts: tuple[Amount, ...] = ()
    parties: dict[str, None] = {}
    for deal_json in deal_jsons:
        deal = stored_deal(deal_json)
        if not amounts and deal.get("amounts"):
            amounts = tuple(
                Amount(currency=a["currency"], value=float(a["value"]), text=a["text"])
                for a in deal["amounts"]
            )
        parties.update(dict.fromkeys(deal.get("parties") or ()))
    return amounts, tuple(parties)


def story_details(
    story_id: int,
    title: str,
    deal_type: str,
    deal_stage: str,
    first_deal_json: str,
    articles: Iterable[tuple[str, str, str, datetime | None, Sequence[Match]]],
) -> StoryDetails:
    """A story in full: its deal as the first article gave it, then every article's evidence.

    articles are (title, url, source, published, matches), oldest first.
    """
    deal = stored_deal(first_deal_json)
    return StoryDetails(
        story_id=story_id,
        title=title,
        deal_type=deal_type,
        deal_stage=deal_stage,
        confidence=float(deal.get("confidence") or 0.0),
        trigger=str(deal.get("trigger") or ""),
        amounts=tuple(str(a.get("text", "")) for a in deal.get("amounts") or []),
        stakes=tuple(str(s.get("text", "")) for s in deal.get("stakes") or []),
        undisclosed=bool(deal.get("undisclosed")),
        parties=tuple(str(p) for p in deal.get("parties") or []),
        summary=str(deal.get("summary") or ""),
        articles=tuple(
            ArticleEvidence(
                title=title, url=url, source=source, published=published, matches=tuple(matches)
            )
            for title, url, source, published, matches in articles
        ),
    )
