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


def _longest_first(mention: Mention) -> tuple[int, int, int, int, int]:
    return (
        mention.entity_id,
        mention.first - mention.last,
        mention.distance,
        mention.alias_misfit,
        mention.first,
    )


def longest_per_entity(mentions: list[Mention]) -> list[Mention]:
    """One mention per entity per span: the longest, then the exact one, wins; in no set
    order (`resolve_overlaps` orders what is reported)."""
    if len(mentions) < 2 or len({mention.entity_id for mention in mentions}) == len(mentions):
        # One mention per entity (most articles): nothing to choose, and callers order
        # mentions themselves.
        return mentions
    mentions.sort(key=_longest_first)
    kept: list[Mention] = []
    entity_id = -1
    # Word indices covered by the kept mentions of the entity at hand (sorted by entity).
    covered: set[int] = set()
    for mention in mentions:
        words = range(mention.first, mention.last)
        if mention.entity_id != entity_id:
            entity_id = mention.entity_id
            covered = set(words)
        elif covered.isdisjoint(words):
            covered.update(words)
        else:
            continue
        kept.append(mention)
    return kept


def _not_overshadowed(cluster: list[Mention]) -> list[Mention]:
    """The mentions of a cluster that no other entity's mention explains better: a longer
    mention that contains one wins; otherwise, on overlapping words, an exact mention wins
    over a fuzzy one."""
    if not any(mention.distance for mention in cluster):
        return _not_contained(cluster)
    kept: list[Mention] = []
    for one in cluster:
        start, end, entity_id = one.start, one.end, one.entity_id
        fuzzy = one.distance > 0
        for other in cluster:
            if other.entity_id == entity_id or other.start >= end or start >= other.end:
                continue
            inside_other = other.start <= start and end <= other.end
            other_inside = start <= other.start and other.end <= end
            if inside_other and not other_inside:
                break
            if other_inside and not inside_other:
                continue
            if fuzzy and other.distance == 0:
                break
        else:
            kept.append(one)
    return kept


def _not_contained(cluster: list[Mention]) -> list[Mention]:
    """`_not_overshadowed` of a cluster without fuzzy mentions, in reading order: a mention
    counts unless one with a longer span contains it (an entity's own mentions in a field
    never overlap, so that one is another entity's)."""
    kept: list[Mention] = []
    # The furthest end of the mentions that start before this one, and the end of the
    # longest mention that starts where this one does (the first of them in this order).
    earlier_end = start = same_start_end = -1
    for mention in cluster:
        if mention.start != start:
            earlier_end = max(earlier_end, same_start_end)
            start, same_start_end = mention.start, mention.end
        if earlier_end < mention.end and same_start_end <= mention.end:
            kept.append(mention)
    return kept


def _reading_order(mention: Mention) -> tuple[bool, int, int, int]:
    return (mention.field != "title", mention.start, -mention.end, mention.entity_id)


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Apply the cross-entity rules and order mentions: title first, then by position."""
    mentions.sort(key=_reading_order)
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
            if mention.end > cluster_end:
                cluster_end = mention.end
            continue
        if len(cluster) == 1:
            result.append(cluster[0])
        elif cluster:
            result += _not_overshadowed(cluster)
        if mention is not None:
            cluster = [mention]
            cluster_end = mention.end
    return result
