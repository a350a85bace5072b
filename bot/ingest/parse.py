"""Turn feeds, text files and JSONL into domain Articles."""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from watchlists.model import Article


class InputError(Exception):
    """An input file or line could not be read as articles."""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and its items as articles."""

    title: str
    articles: list[Article]


@dataclass(frozen=True)
class BadLine:
    """A JSONL line that is not an article, with the reason."""

    origin: str
    line: int
    reason: str


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "br", "div", "li", "h1", "h2", "h3"}:
            self.parts.append("\n")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept as line breaks."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = html.unescape("".join(extractor.parts))
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_STARTS_WITH_MARKUP = re.compile(r"\s*<(?:!--|/?[a-zA-Z][a-zA-Z0-9]*[\s/>])")


def parse_feed(content: bytes | str, origin: str) -> ParsedFeed:
    """Articles of an RSS or Atom document; InputError when it is not a feed."""
    import feedparser  # here, not at the top: `dealwatch match` on text files never loads it

    parsed = feedparser.parse(content)
    # feedparser accepts any markup; without entries, only a recognised version proves a feed.
    if not parsed.entries and (parsed.bozo or not parsed.feed or not parsed.get("version")):
        reason = getattr(parsed, "bozo_exception", None) or (
            "no feed items found" if parsed.get("version") else "no RSS or Atom root element"
        )
        raise InputError(f"{origin}: not a readable RSS/Atom feed: {reason}")
    source_title = str(parsed.feed.get("title", "")) or origin
    articles = [_entry_to_article(entry, source_title) for entry in parsed.entries]
    return ParsedFeed(title=source_title, articles=[a for a in articles if a.title or a.text])


def _entry_to_article(entry: Any, source: str) -> Article:
    body = ""
    if entry.get("content"):
        body = max((c.get("value", "") for c in entry["content"]), key=len)
    summary = entry.get("summary", "") or ""
    text = html_to_text(body if len(body) > len(summary) else summary)
    if _STARTS_WITH_MARKUP.match(text):
        # Escaped twice by the publisher (reddit does this): one more pass yields the text.
        text = html_to_text(text)
    link = str(entry.get("link", "") or "")
    guid = str(entry.get("id", "") or link or entry.get("title", ""))
    published = None
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
            break
    if published is None:
        published = parse_localized_date(str(entry.get("published") or entry.get("updated") or ""))
    # RSS <source> names the original publisher when a feed aggregates several.
    publisher = (
        entry.get("source", {}).get("title") if isinstance(entry.get("source"), dict) else None
    )
    return Article(
        id=guid,
        title=html_to_text(str(entry.get("title", ""))),
        text=text,
        url=link,
        published=published,
        source=str(publisher or source),
    )


# Month names feedparser does not know (it reads English RFC 822 only): Portuguese,
# Spanish, French, German and Italian, keyed by their first three letters.
_LOCAL_MONTHS = {
    **dict.fromkeys(("jan", "ene", "gen", "jän", "janv"), 1),
    **dict.fromkeys(("fev", "feb", "fév"), 2),
    **dict.fromkeys(("mar", "mär"), 3),
    **dict.fromkeys(("abr", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may", "mag"), 5),
    **dict.fromkeys(("jun", "jui", "giu"), 6),
    **dict.fromkeys(("jul", "lug", "juil"), 7),
    **dict.fromkeys(("ago", "aug", "aoû", "aou"), 8),
    **dict.fromkeys(("set", "sep"), 9),
    **dict.fromkeys(("out", "oct", "okt", "ott"), 10),
    **dict.fromkeys(("nov",), 11),
    **dict.fromkeys(("dez", "dic", "déc", "dec"), 12),
}
_LOCAL_DATE = re.compile(
    r"^\s*(?:[^\W\d]+\.?,?\s+)?(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d]+)\.?\s+(?P<year>\d{4})"
    r"\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def parse_localized_date(value: str) -> datetime | None:
    """A UTC datetime from an RFC 822 date in another language ("Seg, 24 Set 2018 19:42 -0300")."""
    found = _LOCAL_DATE.match(value)
    if not found:
        return None
    name = found["month"].lower()
    month = _LOCAL_MONTHS.get(name[:4]) or _LOCAL_MONTHS.get(name[:3])
    if month is None:
        return None
    zone = (found["zone"] or "Z").upper().replace(":", "")
    offset = timedelta(0)
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    try:
        local = datetime(
            int(found["year"]),
            month,
            int(found["day"]),
            int(found["hour"]),
            int(found["minute"]),
            int(found["second"] or 0),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


def parse_jsonl(lines: Iterator[str], origin: str) -> Iterator[Article | BadLine]:
    """Articles from JSONL lines; a bad line yields a BadLine instead of stopping."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield article_from_json(json.loads(line), default_id=f"{origin}:{number}")
        except (ValueError, TypeError) as error:
            yield BadLine(origin=origin, line=number, reason=str(error))


def article_from_json(data: object, default_id: str = "") -> Article:
    """An Article from a JSON object with title, text and optional id, url, published, source."""
    if not isinstance(data, dict):
        raise ValueError("an article must be a JSON object")
    title, text = data.get("title", ""), data.get("text", "")
    if not isinstance(title, str) or not isinstance(text, str):
        raise ValueError("`title` and `text` must be strings")
    if not title.strip() and not text.strip():
        raise ValueError("an article needs a `title` or a `text`")
    published = data.get("published")
    return Article(
        id=str(data.get("id") or default_id),
        title=title,
        text=text,
        url=str(data.get("url") or ""),
        published=_parse_datetime(published) if published else None,
        source=str(data.get("source") or ""),
    )


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("`published` must be an ISO 8601 string")
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`published` is not an ISO 8601 date: {value!r}") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def parse_text_file(path: Path) -> Article:
    """One article from a text file: id is the file stem, title the first line."""
    content = path.read_text(encoding="utf-8")
    title, _, text = content.strip().partition("\n")
    return Article(id=path.stem, title=title.strip(), text=text.strip())


def read_articles(path: Path) -> Iterator[Article | BadLine]:
    """Articles from a .txt, .jsonl or feed file, chosen by suffix and content."""
    try:
        if path.suffix == ".txt":
            yield parse_text_file(path)
            return
        if path.suffix in {".jsonl", ".ndjson"}:
            with path.open(encoding="utf-8") as handle:
                yield from parse_jsonl(iter(handle), str(path))
            return
        yield from parse_feed(path.read_bytes(), str(path)).articles
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from None
