"""Full article text for teaser feed items: fetch the article page, extract its main text.

Rules:
- An item is a teaser when its text, spaces folded, is shorter than `teaser_chars` (400)
  and its URL is http(s). Other items are left exactly as the feed gave them.
- A page is fetched with the GET feeds use (`bot.ingest.http.guarded_get`): through the
  guarded client, every hop checked by the SSRF guard, the policy's redirect limit, size
  cap and timeouts. Only a 2xx answer that is HTML (text/html, application/xhtml+xml, or
  no Content-Type) is read.
- trafilatura extracts the main text (no comments, tables or images, precision over
  recall, so navigation, footers and ads stay out). It replaces the teaser only when it
  is longer, and is cut at `max_text_chars`.
- Bounded per feed fetch: at most `max_pages` pages (20) and `budget_s` seconds (60) in
  all; items past either limit keep their teaser.
- Any failure (guard, HTTP status, timeout, size, not HTML, extractor crash, nothing
  extracted) keeps the teaser and is logged at INFO; nothing here raises.
- Each URL's result, text or failure, is remembered (bounded, in memory): a store keeps
  an item by its guid, so fetching the page of an item the feed repeats is wasted work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import httpx
import trafilatura

from bot.ingest.fetch import USER_AGENT
from bot.ingest.guard import FetchPolicy
from bot.ingest.http import FetchFailed, guarded_get
from watchlists.model import Article
from watchlists.urls import redact_url, redact_urls_in

log = logging.getLogger("dealwatch.ingest.fulltext")

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FullTextLimits:
    """How much work full-text extraction may do for one feed fetch."""

    teaser_chars: int = 400
    max_pages: int = 20
    budget_s: float = 60.0
    max_text_chars: int = 50_000
    remembered_urls: int = 2_000


def is_teaser(article: Article, teaser_chars: int = 400) -> bool:
    """True when the item's text is short and its URL is one a page can be fetched from."""
    short = len(" ".join(article.text.split())) < teaser_chars
    return short and article.url.lower().startswith(("http://", "https://"))


def extract_main_text(html: bytes | str, url: str = "") -> str:
    """The main text of an HTML page (boilerplate removed), or "" when none is found."""
    try:
        text = trafilatura.extract(
            html,
            url=url or None,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
        )
    except Exception as error:
        # lxml and trafilatura are fed untrusted bytes: any crash means "no text".
        log.info(
            "full text: extracting %s failed: %s: %s", redact_url(url), type(error).__name__, error
        )
        return ""
    return (text or "").strip()


def fetch_page(client: httpx.Client, url: str, policy: FetchPolicy) -> bytes:
    """The HTML body at url, fetched under the policy; FetchFailed with the reason otherwise."""
    headers = {"User-Agent": USER_AGENT, "Accept": HTML_ACCEPT}
    return guarded_get(client, url, policy=policy, headers=headers, accept=_require_html).body


def _require_html(response: httpx.Response) -> None:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type and content_type not in _HTML_TYPES:
        raise FetchFailed(f"not an HTML page ({content_type})")


class FullTextExtractor:
    """Replaces teaser items with their article page's main text, within the limits."""

    def __init__(self, policy: FetchPolicy, limits: FullTextLimits | None = None) -> None:
        self.policy = policy
        self.limits = limits or FullTextLimits()
        self._remembered: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def expand(self, articles: Sequence[Article], client: httpx.Client) -> tuple[Article, ...]:
        """The articles, teasers replaced by their page's main text where that is longer."""
        started = time.monotonic()
        pages = 0
        expanded: list[Article] = []
        for article in articles:
            if not is_teaser(article, self.limits.teaser_chars):
                expanded.append(article)
                continue
            text = self._recall(article.url)
            if text is None:
                remaining = self.limits.budget_s - (time.monotonic() - started)
                if pages >= self.limits.max_pages or remaining <= 0:
                    expanded.append(article)
                    continue
                pages += 1
                text = self._page_text(client, article.url, remaining)
                self._remember(article.url, text)
            longer = len(text) > len(article.text.strip())
            expanded.append(replace(article, text=text) if longer else article)
        return tuple(expanded)

    def _page_text(self, client: httpx.Client, url: str, remaining_s: float) -> str:
        # The page gets the policy's limits, shortened to what is left of the budget.
        policy = replace(
            self.policy,
            connect_timeout_s=min(self.policy.connect_timeout_s, remaining_s),
            read_timeout_s=min(self.policy.read_timeout_s, remaining_s),
            total_timeout_s=min(self.policy.total_timeout_s, remaining_s),
        )
        try:
            html = fetch_page(client, url, policy)
        except FetchFailed as failure:
            log.info("full text: keeping the teaser of %s: %s", redact_url(url), failure)
            return ""
        except Exception as error:
            # An unforeseen failure on one page must not cost the feed its poll.
            log.warning(
                "full text: fetching %s failed: %s: %s",
                redact_url(url),
                type(error).__name__,
                redact_urls_in(str(error)),
            )
            return ""
        text = extract_main_text(html, url)
        if not text:
            log.info("full text: keeping the teaser of %s: no main text found", redact_url(url))
        return text[: self.limits.max_text_chars]

    def _recall(self, url: str) -> str | None:
        with self._lock:
            text = self._remembered.get(url)
            if text is not None:
                self._remembered.move_to_end(url)
            return text

    def _remember(self, url: str, text: str) -> None:
        with self._lock:
            self._remembered[url] = text
            self._remembered.move_to_end(url)
            while len(self._remembered) > self.limits.remembered_urls:
                self._remembered.popitem(last=False)
