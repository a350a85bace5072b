"""Turn feeds, text files and JSONL into domain Articles."""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser

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


def parse_feed(content: bytes | str, origin: str) -> ParsedFeed:
    """Articles of an RSS or Atom document; InputError when it is not a feed."""
    parsed = feedparser.parse(content)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = getattr(parsed, "bozo_exception", None) or "no feed items found"
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
    link = str(entry.get("link", "") or "")
    guid = str(entry.get("id", "") or link or entry.get("title", ""))
    published = None
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
            break
    return Article(
        id=guid,
        title=html_to_text(str(entry.get("title", ""))),
        text=text,
        url=link,
        published=published,
        source=source,
    )


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
