"""`lookup <name> [type:...] [since:...] [min:...]`: filters and pages of an entity's stories.

Rules:
- `type:` takes deal types separated by `|` or `,` (acquisition, merger, jv, investment,
  funding, ipo, divestment, partnership, or their full names); a story matches any of them.
- `since:` takes a UTC date (`2026-01-01`) or a period (`12h`, `30d`, `2w`); a bare trailing
  period (`lookup Acme 7d`) still works. Without either, the last DEFAULT_PERIOD.
- `min:` takes an amount such as `$100m`, `€1.5bn` or `250k`. A story matches when its
  amount is at least that; with a currency sign, only amounts in that currency count; a
  story without an amount never matches.
- Results come PAGE_SIZE at a time, newest first, out of the SCAN_LIMIT newest stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from watchlists.errors import DealwatchError
from watchlists.model import Entity, StoryItem
from watchlists.ports import ArticleStore, EntityStore
from watchlists.services import (
    LOOKUP_SCAN_LIMIT,
    match_stored_articles,
    parse_duration,
    resolve_entity,
)

DEFAULT_PERIOD = "30d"
PAGE_SIZE = 5
SCAN_LIMIT = 200
MAX_PAGE = SCAN_LIMIT // PAGE_SIZE
TYPE_NAMES = {
    "acquisition": "acquisition",
    "acquisitions": "acquisition",
    "m&a": "acquisition",
    "merger": "merger",
    "mergers": "merger",
    "jv": "joint_venture",
    "joint_venture": "joint_venture",
    "joint-venture": "joint_venture",
    "investment": "investment",
    "funding": "funding_round",
    "funding_round": "funding_round",
    "ipo": "ipo",
    "offering": "ipo",
    "placement": "ipo",
    "spo": "ipo",
    "divestment": "divestment",
    "partnership": "partnership",
}
CURRENCY_SIGNS = {"$": "$", "us$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£"}
SCALES = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}
_AMOUNT = re.compile(
    r"(?P<sign>us\$|\$|€|£|usd|eur|gbp)?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b|t)?\b\.?\s*"
    r"(?P<suffix>usd|eur|gbp|dollars|euros|pounds)?",
    re.IGNORECASE,
)
_SUFFIX_SIGNS = {"dollars": "$", "euros": "€", "pounds": "£"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PERIOD = re.compile(r"\d+[hdw]")
_PERIOD_LIKE = re.compile(r"\d+[^\W\d]+")


class LookupPorts(EntityStore, ArticleStore, Protocol):
    """What a filtered lookup reads."""


@dataclass(frozen=True)
class Money:
    """An amount: its value and its currency sign ("" when none was given)."""

    value: float
    sign: str = ""


@dataclass(frozen=True)
class LookupQuery:
    """A parsed lookup: the name, its filters as typed, and the page wanted."""

    name: str
    types: tuple[str, ...] = ()
    since: str = DEFAULT_PERIOD
    minimum: str = ""
    page: int = 0

    def filters(self) -> str:
        """The filters as a person would type them (for the More button and the heading)."""
        parts = [f"since:{self.since}"]
        if self.types:
            parts.append("type:" + "|".join(self.types))
        if self.minimum:
            parts.append(f"min:{self.minimum}")
        return " ".join(parts)

    def start(self, now: datetime) -> datetime:
        """The moment `since:` stands for."""
        if _DATE.fullmatch(self.since):
            return datetime.fromisoformat(self.since).replace(tzinfo=UTC)
        return now - parse_duration(self.since)


@dataclass(frozen=True)
class LookupPage:
    """One page of a lookup: the entity, its stories on this page and whether more follow."""

    entity: Entity
    query: LookupQuery
    items: tuple[StoryItem, ...]
    has_more: bool


def parse_money(text: str) -> Money | None:
    """`$100m`, `€1.5 bn`, `250k`, `40 million dollars` as Money; None when it is not one."""
    found = _AMOUNT.fullmatch(text.strip())
    if not found:
        return None
    number = float(found.group("number").replace(",", ""))
    scale = SCALES[(found.group("scale") or "").lower()]
    sign = (found.group("sign") or "").lower()
    suffix = (found.group("suffix") or "").lower()
    currency = (
        CURRENCY_SIGNS.get(sign) or CURRENCY_SIGNS.get(suffix) or _SUFFIX_SIGNS.get(suffix, "")
    )
    return Money(number * scale, currency)


def story_money(amount: str) -> Money | None:
    """The first amount in a story's amount text (`$40 million`, `€1.2bn`), if any."""
    for found in _AMOUNT.finditer(amount):
        if found.group("sign") or found.group("scale") or found.group("suffix"):
            return parse_money(found.group(0))
    return None


def parse_lookup(args: str, page: int = 0) -> LookupQuery:
    """The name and filters of lookup arguments, or DealwatchError saying which filter is wrong."""
    words = args.split()
    name: list[str] = []
    query = LookupQuery(name="", page=min(max(page, 0), MAX_PAGE))
    for number, word in enumerate(words):
        key, colon, value = word.partition(":")
        key = key.lower()
        if colon and key == "type":
            types = []
            for part in re.split(r"[|,]", value.lower()):
                if part not in TYPE_NAMES:
                    known = ", ".join(
                        sorted(
                            {
                                "acquisition",
                                "merger",
                                "jv",
                                "investment",
                                "funding",
                                "ipo",
                                "divestment",
                                "partnership",
                            }
                        )
                    )
                    raise DealwatchError(f"`{part[:30]}` is not a deal type: use {known}.")
                types.append(TYPE_NAMES[part])
            query = replace(query, types=tuple(dict.fromkeys(types)))
        elif colon and key == "since":
            query = replace(query, since=_since(value))
        elif colon and key == "min":
            if parse_money(value) is None:
                raise DealwatchError(f"`{value[:30]}` is not an amount: use e.g. $100m or €1.5bn.")
            query = replace(query, minimum=value)
        elif number == len(words) - 1 and name and _PERIOD.fullmatch(word.lower()):
            query = replace(query, since=_since(word))
        elif number == len(words) - 1 and name and _PERIOD_LIKE.fullmatch(word):
            raise DealwatchError(
                f"`{word[:20]}` is not a period: use hours, days or weeks (12h, 7d, 2w)."
            )
        else:
            name.append(word)
    if not name:
        raise DealwatchError("`lookup` needs a name before its filters.")
    return replace(query, name=" ".join(name))


def _since(value: str) -> str:
    value = value.lower()
    if _DATE.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise DealwatchError(f"`{value[:20]}` is not a date: use YYYY-MM-DD.") from None
        return value
    parse_duration(value)
    return value


def matches(item: StoryItem, query: LookupQuery) -> bool:
    """True when the story passes the query's type and amount filters."""
    if query.types and item.deal_type not in query.types:
        return False
    if not query.minimum:
        return True
    wanted = parse_money(query.minimum)
    found = story_money(item.amount)
    if wanted is None or found is None:
        return False
    if wanted.sign and found.sign != wanted.sign:
        return False
    return found.value >= wanted.value


def lookup_page(store: LookupPorts, team_id: str, query: LookupQuery, now: datetime) -> LookupPage:
    """The page of the team's entity's stories that pass the filters, newest first, from the
    articles the team may see."""
    entity = resolve_entity(store, team_id, query.name)
    if query.page == 0:
        # Articles stored before anyone watched the entity are matched for it first.
        match_stored_articles(store, [entity], query.start(now), LOOKUP_SCAN_LIMIT)
    found = [
        item
        for item in store.stories_for_entity(entity.id or 0, query.start(now), SCAN_LIMIT)
        if matches(item, query)
    ]
    start = query.page * PAGE_SIZE
    return LookupPage(
        entity=entity,
        query=query,
        items=tuple(found[start : start + PAGE_SIZE]),
        has_more=len(found) > start + PAGE_SIZE,
    )
