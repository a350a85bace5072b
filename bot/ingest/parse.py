"""Turn feeds, text files and JSONL into domain Articles."""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from watchlists.deals.summary import headline_and_text, headline_of
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


# Tags that start a new line of text; their content and everything else is kept as text.
_LINE_TAGS = ("p", "br", "div", "li", "h1", "h2", "h3")
# Tags whose content is code or data, never text a person reads.
_HIDDEN_TAGS = ("script", "style", "template")
# Characters XML (and so lxml) cannot hold: C0 controls other than tab, newline and return.
_NON_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept as line breaks, scripts and styles out."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    markup = _NON_XML_CHARS.sub("", markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    lxml.etree.strip_elements(
        root, *_HIDDEN_TAGS, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False
    )
    for element in root.iter(*_LINE_TAGS):
        element.text = "\n" + (element.text or "")
    text = html.unescape(root.text_content())
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# Column widths in db/tables.py: a longer value fails the insert on PostgreSQL.
MAX_GUID_CHARS = 2000
MAX_URL_CHARS = 2000
MAX_SOURCE_NAME_CHARS = 200
MAX_FEED_TITLE_CHARS = 300
# What no text column holds: NUL and other C0 controls but tab, newline and return; and
# lone surrogates, which no UTF-8 encoder accepts.
_UNSTORABLE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

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
    source_title = fit_text(str(parsed.feed.get("title", "")) or origin, MAX_FEED_TITLE_CHARS)
    articles = [fit_article(_entry_to_article(entry, source_title)) for entry in parsed.entries]
    return ParsedFeed(title=source_title, articles=[a for a in articles if a.title or a.text])


def clean_text(value: str) -> str:
    """value without the characters a database or XML cannot hold (NUL, controls, surrogates)."""
    return _UNSTORABLE_CHARS.sub("", value)


def fit_text(value: str, limit: int) -> str:
    """value cleaned and cut to at most limit characters."""
    return clean_text(value)[:limit]


def fit_article(article: Article) -> Article:
    """The article with every field fitting its column, so one odd item cannot fail a batch."""
    guid = clean_text(article.id)
    if len(guid) > MAX_GUID_CHARS:
        # A cut guid could collide with another item's; a digest of the whole one cannot.
        guid = "sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    url = clean_text(article.url)
    return Article(
        id=guid,
        title=clean_text(article.title),
        text=clean_text(article.text),
        # A cut link leads nowhere: an item whose link does not fit keeps none.
        url=url if len(url) <= MAX_URL_CHARS else "",
        published=article.published,
        source=fit_text(article.source, MAX_SOURCE_NAME_CHARS),
    )


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
            published = _utc_from_struct(stamp)
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


def _utc_from_struct(stamp: time.struct_time) -> datetime | None:
    """The UTC datetime of a parsed feed date, or None when no datetime can hold it."""
    try:
        return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
    except (ValueError, OverflowError, OSError):
        # "0000-00-00T00:00:00Z" or year 9999 west of UTC: this item goes undated.
        return None


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
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


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
    article = Article(
        id=str(data.get("id") or default_id),
        title=title if title.strip() else headline_of(text),
        text=text,
        url=str(data.get("url") or ""),
        published=_parse_datetime(published) if published else None,
        source=str(data.get("source") or ""),
    )
    for name, value in (
        ("id", article.id),
        ("title", article.title),
        ("text", article.text),
        ("url", article.url),
        ("source", article.source),
    ):
        if _UNSTORABLE_CHARS.search(value):
            raise ValueError(
                f"`{name}` holds a character that cannot be stored "
                "(NUL, a control character or a lone surrogate)"
            )
    return article


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("`published` must be an ISO 8601 string")
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"`published` is not an ISO 8601 date: {value!r}") from None
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)
    try:
        return stamp.astimezone(UTC)
    except OverflowError:
        # Year 1 east of UTC or year 9999 west of it: no datetime holds the UTC instant.
        raise ValueError(f"`published` is out of range in UTC: {value!r}") from None


def parse_text_file(path: Path) -> Article:
    """One article from a text file: id is the file stem, title the first line (or sentence)."""
    content = path.read_text(encoding="utf-8")
    title, text = headline_and_text(content)
    return Article(id=path.stem, title=title, text=text)


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
