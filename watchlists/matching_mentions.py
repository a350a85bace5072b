"""Mentions found in one article, and the rules that decide which of them are reported
when they overlap."""

from __future__ import annotations

from dataclasses import dataclass

from watchlists.model import Field, MatchKind


@dataclass(slots=True)
class Mention:
    """A mention before the article-level rules decide whether it is reported."""

    entity_id: int
    alias: str
    field: Field
    first: int
    last: int
    start: int
    end: int
    distance: int
    score: float
    confirmed: bool
    # 0 when the text spells this very alias (suffix included), so it is the one reported.
    alias_misfit: int = 1
    # True when the text spells only part of the alias (its core without its suffix).
    partial: bool = False


def kind_of(distance: int, partial: bool) -> MatchKind:
    """Fuzzy when edits were needed, else partial when the text gave only part of the alias."""
    if distance:
        return "fuzzy"
    return "partial" if partial else "exact"


def longest_per_entity(mentions: list[Mention]) -> list[Mention]:
    """One mention per entity per span: the longest, then the exact one, wins."""
    if len(mentions) < 2:
        return mentions
    mentions.sort(
        key=lambda m: (m.entity_id, -(m.last - m.first), m.distance, m.alias_misfit, m.first)
    )
    kept: list[Mention] = []
    covered: set[tuple[int, int]] = set()
    for mention in mentions:
        span = [(mention.entity_id, index) for index in range(mention.first, mention.last)]
        if covered.isdisjoint(span):
            covered.update(span)
            kept.append(mention)
    return kept


def overlap(one: Mention, other: Mention) -> bool:
    return one.start < other.end and other.start < one.end


def is_overshadowed(mention: Mention, other: Mention) -> bool:
    """True when another entity's mention explains these words better.

    A longer mention that contains this one wins; otherwise, on overlapping words, an
    exact mention wins over a fuzzy one.
    """
    if other.entity_id == mention.entity_id or not overlap(mention, other):
        return False
    inside_other = other.start <= mention.start and mention.end <= other.end
    other_inside = mention.start <= other.start and other.end <= mention.end
    if inside_other and not other_inside:
        return True
    if other_inside and not inside_other:
        return False
    return mention.distance > 0 and other.distance == 0


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Apply the cross-entity rules and order mentions: title first, then by position."""
    mentions.sort(key=lambda m: (m.field != "title", m.start, -m.end, m.entity_id))
    result: list[Mention] = []
    cluster: list[Mention] = []
    cluster_end = -1
    for mention in [*mentions, None]:
        if (
            mention is not None
            and cluster
            and mention.field == cluster[0].field
            and mention.start < cluster_end
        ):
            cluster.append(mention)
            cluster_end = max(cluster_end, mention.end)
            continue
        if len(cluster) == 1:
            result.extend(cluster)
        elif cluster:
            result.extend(
                m for m in cluster if not any(is_overshadowed(m, other) for other in cluster)
            )
        if mention is not None:
            cluster = [mention]
            cluster_end = mention.end
    return result
