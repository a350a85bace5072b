"""Operations: Prometheus metrics, structured logs and the `dealwatch status` snapshot.

Metrics
    Every metric lives in a `Metrics` object around its own CollectorRegistry, so tests
    (and two apps in one process) never share counters. The core is instrumented from the
    outside, never edited: `MeteredStore` counts new articles however they arrive,
    `MeteredPipeline` counts what each processing pass did, `MeteredPoster` counts stories
    by delivery outcome (posted, failed, recovered after a crash), `MeteredFetcher` counts
    feed polls by outcome, `MeteredWebClient` times every Slack Web API call (retries
    included, as the caller waits for them) and `RateLimitObserver`, a retry handler that
    never retries, counts each HTTP 429 before the real handlers see it. Scheduler lag is
    how long after its scheduled time APScheduler submitted a job, read from its
    EVENT_JOB_SUBMITTED events; missed and overlapping runs are counted as skipped.

Logs
    `configure_logging(settings)` installs one stderr handler on the root logger. With
    LOG_FORMAT=json each record is one JSON object per line: timestamp (UTC, ISO 8601),
    level, logger, message, every field passed with `extra=`, and the traceback under
    `exception`. An extra field cannot overwrite those core keys. A flood of one message
    (asyncio's "socket.accept() out of system resource" when file descriptors run out)
    is let through once per FLOOD_INTERVAL_S, without its traceback, saying how many
    were dropped since.

Status
    `print_status` reads the database only (never Slack) and prints channels, watched
    entities, source health, articles, the outbox by status and the next digests.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from apscheduler.events import (  # type: ignore[import-untyped]
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobSubmissionEvent,
)
from apscheduler.schedulers.base import BaseScheduler  # type: ignore[import-untyped]
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest as RetryHttpRequest
from slack_sdk.http_retry.response import HttpResponse as RetryHttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.ingest.endpoint import ingest_route
from bot.pipeline import Pipeline, open_store
from bot.settings import Settings
from db.secrets import SecretBox
from db.store import SqlStore
from handlers.poster import make_web_client
from watchlists.backoff import feed_health
from watchlists.errors import DealwatchError
from watchlists.model import Article, Channel, Digest
from watchlists.ports import FeedFetcher, FetchOutcome, Poster
from watchlists.services import ProcessResult, next_digest_time
from watchlists.urls import redact_url, redact_urls_in

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
LAG_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0)


class Metrics:
    """Every dealwatch metric, registered on one registry (a fresh one unless given)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.feed_polls = Counter(
            "dealwatch_feed_polls",
            "Feed fetches by outcome (ok, not_modified, error).",
            ["outcome"],
            registry=r,
        )
        self.articles_ingested = Counter(
            "dealwatch_articles_ingested",
            "New articles stored (feeds, files, HTTP ingest).",
            registry=r,
        )
        self.articles_processed = Counter(
            "dealwatch_articles_processed", "Articles matched against the watchlists.", registry=r
        )
        self.articles_matched = Counter(
            "dealwatch_articles_matched", "Processed articles naming a watched entity.", registry=r
        )
        self.deliveries_queued = Counter(
            "dealwatch_deliveries_queued", "Stories queued for a channel.", registry=r
        )
        self.deliveries = Counter(
            "dealwatch_deliveries",
            "Stories by delivery outcome (posted, failed, recovered).",
            ["outcome"],
            registry=r,
        )
        self.process_seconds = Histogram(
            "dealwatch_process_seconds",
            "Duration of one matching pass.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.slack_api_seconds = Histogram(
            "dealwatch_slack_api_seconds",
            "Slack Web API call duration, retries included.",
            ["method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.slack_api_errors = Counter(
            "dealwatch_slack_api_errors",
            "Slack Web API calls that failed, by error code.",
            ["method", "error"],
            registry=r,
        )
        self.slack_rate_limited = Counter(
            "dealwatch_slack_rate_limited",
            "HTTP 429 answers from the Slack Web API.",
            ["method"],
            registry=r,
        )
        self.scheduler_lag = Histogram(
            "dealwatch_scheduler_lag_seconds",
            "How late a job started after its scheduled time.",
            ["job"],
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self.scheduler_skipped = Counter(
            "dealwatch_scheduler_skipped_runs",
            "Job runs not made (missed, max_instances).",
            ["job", "reason"],
            registry=r,
        )
        self.ingest_requests = Counter(
            "dealwatch_ingest_requests",
            "POST /ingest requests by HTTP status.",
            ["status"],
            registry=r,
        )
        # Known label values start at zero, so a dashboard sees 0 rather than no series.
        for outcome in ("ok", "not_modified", "error"):
            self.feed_polls.labels(outcome)
        for outcome in ("posted", "failed", "recovered"):
            self.deliveries.labels(outcome)

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)


def operations_routes(
    store: SqlStore,
    settings: Settings,
    metrics: Metrics,
    on_accepted: Callable[[], None] | None = None,
) -> list[Route]:
    """POST /ingest (counted by status) and GET /metrics, to mount next to Slack's routes;
    on_accepted runs after articles were accepted (it wakes the pipeline worker)."""

    def count_ingest(status: int) -> None:
        metrics.ingest_requests.labels(str(status)).inc()
        if status == ACCEPTED and on_accepted is not None:
            on_accepted()

    return [ingest_route(store, settings, on_status=count_ingest), metrics_route(metrics)]


def metrics_route(metrics: Metrics) -> Route:
    """GET /metrics in the Prometheus text format."""

    async def serve_metrics(_request: Request) -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", serve_metrics, methods=["GET"])


# instrumentation ------------------------------------------------------------


ACCEPTED = 202


class MeteredStore(SqlStore):
    """SqlStore that counts every new article it stores."""

    def __init__(self, engine: Engine, metrics: Metrics, secrets: SecretBox | None = None) -> None:
        super().__init__(engine, secrets)
        self.metrics = metrics

    def add_articles(
        self, articles: Sequence[Article], source_id: int | None, now: datetime
    ) -> int:
        """Store the new articles and count them."""
        added = super().add_articles(articles, source_id, now)
        self.metrics.articles_ingested.inc(added)
        return added


class MeteredPipeline(Pipeline):
    """Pipeline that counts what every processing pass did and how long it took."""

    def __init__(self, store: SqlStore, metrics: Metrics) -> None:
        super().__init__(store)
        self.metrics = metrics

    def process(self, now: datetime | None = None) -> ProcessResult:
        """Process new articles and record the counts."""
        with self.metrics.process_seconds.time():
            result = super().process(now)
        self.metrics.articles_processed.inc(result.articles)
        self.metrics.articles_matched.inc(result.matched)
        self.metrics.deliveries_queued.inc(result.deliveries_queued)
        return result


class MeteredPoster:
    """A Poster that counts stories posted, failed and recovered, delegating the posting."""

    def __init__(self, poster: Poster, metrics: Metrics) -> None:
        self.poster = poster
        self.metrics = metrics

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Post one page; count its stories as posted or failed."""
        try:
            ts = self.poster.post_digest_page(digest, page, pages)
        except Exception:
            self.metrics.deliveries.labels("failed").inc(len(digest.items))
            raise
        self.metrics.deliveries.labels("posted").inc(len(digest.items))
        return ts

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Stories Slack already has; those count as recovered after a crash."""
        found = self.poster.find_posted(channel, story_ids)
        self.metrics.deliveries.labels("recovered").inc(len(found))
        return found

    def post_notice(self, channel: Channel, text: str) -> str:
        """Post a notice (not a story: not counted as a delivery)."""
        return self.poster.post_notice(channel, text)


class MeteredFetcher:
    """A FeedFetcher that counts polls by outcome."""

    def __init__(self, fetcher: FeedFetcher, metrics: Metrics) -> None:
        self.fetcher = fetcher
        self.metrics = metrics

    def fetch(
        self, url: str, etag: str = "", last_modified: str = "", *, full_text: bool = False
    ) -> FetchOutcome:
        """Fetch and count the outcome."""
        outcome = self.fetcher.fetch(url, etag, last_modified, full_text=full_text)
        self.metrics.feed_polls.labels(outcome.status).inc()
        return outcome


class RateLimitObserver(RetryHandler):
    """Counts HTTP 429 answers; never asks for a retry, so the real handlers still decide."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self.metrics = metrics

    def can_retry(
        self,
        *,
        state: RetryState,
        request: RetryHttpRequest,
        response: RetryHttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        """Count a 429, then decline so the next handler is asked."""
        if response is not None and response.status_code == 429:
            method = request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            self.metrics.slack_rate_limited.labels(method).inc()
        return False


class MeteredWebClient(WebClient):
    """A WebClient that times every API call and counts its failures by error code."""

    metrics: Metrics

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        """Call the API method, recording its latency (retries and their waits included)."""
        started = time.perf_counter()
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            self.metrics.slack_api_errors.labels(api_method, code).inc()
            raise
        except Exception:
            self.metrics.slack_api_errors.labels(api_method, "transport").inc()
            raise
        finally:
            self.metrics.slack_api_seconds.labels(api_method).observe(time.perf_counter() - started)


def metered_web_client(token: str, base_url: str, metrics: Metrics) -> MeteredWebClient:
    """The production WebClient (same retry policy as make_web_client), metered."""
    template = make_web_client(token, base_url)
    client = MeteredWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[RateLimitObserver(metrics), *template.retry_handlers],
    )
    client.metrics = metrics
    return client


def observe_scheduler(
    scheduler: BaseScheduler,
    metrics: Metrics,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Record scheduler lag for every submitted job, and count skipped runs."""

    def on_event(event: JobEvent) -> None:
        if isinstance(event, JobSubmissionEvent) and event.code == EVENT_JOB_SUBMITTED:
            # With coalescing only the latest due time runs: that is the lag that matters.
            latest = max(event.scheduled_run_times)
            lag = (clock() - latest).total_seconds()
            metrics.scheduler_lag.labels(event.job_id).observe(max(lag, 0.0))
        elif event.code == EVENT_JOB_MISSED:
            metrics.scheduler_skipped.labels(event.job_id, "missed").inc()
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            metrics.scheduler_skipped.labels(event.job_id, "max_instances").inc()

    scheduler.add_listener(
        on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES
    )


# logs -----------------------------------------------------------------------

# Attributes every LogRecord has: anything else on a record came in through `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        extras = {
            key: value
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_")
        }
        entry: dict[str, Any] = {
            **extras,
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra that JSON cannot hold (a datetime, an object) still logs.
        return json.dumps(entry, ensure_ascii=False, default=str)


FLOOD_INTERVAL_S = 60.0
# Log lines that repeat in a tight loop when the process is out of a resource.
FLOOD_MESSAGES = ("socket.accept() out of system resource",)


class FloodFilter(logging.Filter):
    """Lets a flooding message through once per interval, short, with the count dropped."""

    def __init__(
        self,
        prefixes: Sequence[str] = FLOOD_MESSAGES,
        interval_s: float = FLOOD_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.interval_s = interval_s
        self.clock = clock
        self._last: dict[str, float] = {}
        self._dropped: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a repeat inside the interval; the first one is cut to one line."""
        message = str(record.msg)
        prefix = next((p for p in self.prefixes if message.startswith(p)), None)
        if prefix is None:
            return True
        now = self.clock()
        last = self._last.get(prefix)
        if last is not None and now - last < self.interval_s:
            self._dropped[prefix] = self._dropped.get(prefix, 0) + 1
            return False
        self._last[prefix] = now
        dropped = self._dropped.pop(prefix, 0)
        error = record.exc_info[1] if record.exc_info else None
        record.msg = prefix + (f": {error}" if error else "")
        if dropped:
            record.msg += f" ({dropped} more in the last {self.interval_s:.0f} s not logged)"
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return True


class _DealwatchHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler configure_logging installs, so a second call replaces it."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record with the credentials of every URL in it (traceback too) hidden."""
        # The last line of defence: a library's exception text may quote a feed URL whole.
        return redact_urls_in(super().format(record))


def configure_logging(
    settings: Settings, stream: TextIO | None = None, level: int = logging.INFO
) -> logging.Handler:
    """Send every log record to stderr (or stream) as text or, with LOG_FORMAT=json, JSON."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _DealwatchHandler):
            root.removeHandler(handler)
    handler = _DealwatchHandler(stream or sys.stderr)
    handler.addFilter(FloodFilter())
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root.addHandler(handler)
    root.setLevel(level)
    return handler


# status ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    """One source in the status report."""

    url: str
    title: str
    health: str
    consecutive_failures: int
    last_error: str
    last_success_at: str | None


@dataclass(frozen=True)
class DigestLine:
    """One channel's next scheduled digest."""

    channel: str
    schedule: str
    timezone: str
    next_digest_at: str | None


@dataclass(frozen=True)
class BackoffLine:
    """A channel waiting after failed posts."""

    channel: str
    failures: int
    reason: str
    not_before: str | None


@dataclass(frozen=True)
class QuarantineLine:
    """An article set aside because processing it failed."""

    article_id: int
    title: str
    reason: str


@dataclass(frozen=True)
class StatusReport:
    """What `dealwatch status` shows, read from the database at one instant."""

    database: str
    at: str
    channels: int
    paused: dict[str, str]
    entities_watched: int
    sources: list[SourceLine]
    articles: int
    unprocessed: int
    deliveries: dict[str, int]
    next_digests: list[DigestLine] = field(default_factory=list)
    backed_off: list[BackoffLine] = field(default_factory=list)
    quarantined: list[QuarantineLine] = field(default_factory=list)

    def health_counts(self) -> dict[str, int]:
        """How many sources are healthy, failing and broken."""
        counts = {"healthy": 0, "failing": 0, "broken": 0}
        for source in self.sources:
            counts[source.health] = counts.get(source.health, 0) + 1
        return counts


def _stamp(value: datetime | None) -> str | None:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if value else None


def collect_status(store: SqlStore, now: datetime) -> StatusReport:
    """The status snapshot of the store's database at now."""
    channel_states = store.channel_states()
    sources = [
        SourceLine(
            url=redact_url(source.url),
            title=source.title,
            health=feed_health(source.consecutive_failures, source.first_failure_at, now),
            consecutive_failures=source.consecutive_failures,
            last_error=source.last_error,
            last_success_at=_stamp(source.last_success_at),
        )
        for source in store.all_sources()
    ]
    total, unprocessed = store.article_counts()
    deliveries = {"pending": 0, "sending": 0, "posted": 0, **store.delivery_counts()}
    digests = sorted(
        (
            DigestLine(
                channel=_channel_label(channel),
                schedule=channel.digest_schedule,
                timezone=channel.timezone,
                # A channel never scheduled yet (the default daily 09:00) gets its first
                # digest at the schedule's next time: show that, not "not scheduled".
                next_digest_at=_stamp(next_at or _next_digest(channel, now)),
            )
            for channel, paused_reason, next_at in channel_states
            if channel.delivery == "digest" and not paused_reason
        ),
        key=lambda line: line.next_digest_at or "~",  # unscheduled last
    )
    return StatusReport(
        database=store.engine.url.render_as_string(hide_password=True),
        at=_stamp(now) or "",
        channels=len(channel_states),
        paused={
            _channel_label(channel): reason for channel, reason, _next in channel_states if reason
        },
        entities_watched=store.watched_entity_count(),
        sources=sources,
        articles=total,
        unprocessed=unprocessed,
        deliveries=deliveries,
        next_digests=digests,
        backed_off=[
            BackoffLine(
                channel=_channel_label(channel),
                failures=channel.failures,
                reason=channel.backoff_reason,
                not_before=_stamp(channel.not_before),
            )
            for channel, _reason, _next in channel_states
            if channel.failures
        ],
        quarantined=[
            QuarantineLine(article_id=article_id, title=title, reason=reason)
            for article_id, title, reason in store.quarantined_articles()
        ],
    )


def _next_digest(channel: Channel, now: datetime) -> datetime | None:
    try:
        return next_digest_time(channel, now)
    except DealwatchError:
        return None  # a schedule the database holds but no longer parses


def _channel_label(channel: Channel) -> str:
    return f"#{channel.name} ({channel.slack_id})" if channel.name else channel.slack_id


def render_status(report: StatusReport) -> str:
    """The status report as a few aligned lines of text."""
    health = report.health_counts()
    paused = ", ".join(f"{name}: {reason}" for name, reason in report.paused.items())
    lines = [
        f"dealwatch status of {report.database} at {report.at}",
        f"channels    {report.channels} ({len(report.paused)} paused{': ' + paused if paused else ''})",
        f"entities    {report.entities_watched} watched",
        f"sources     {len(report.sources)}: {health['healthy']} healthy, "
        f"{health['failing']} failing, {health['broken']} broken",
    ]
    for source in report.sources:
        if source.health != "healthy":
            lines.append(
                f"  {source.health:<8} {source.url}: {source.consecutive_failures} failure(s) "
                f"in a row; last error: {source.last_error or '?'}"
            )
    for line in report.backed_off:
        lines.append(
            f"  backed off {line.channel}: {line.failures} failure(s) in a row, "
            f"waits until {line.not_before or '?'}; last error: {line.reason or '?'}"
        )
    lines.append(
        f"articles    {report.articles} total, {report.unprocessed} unprocessed, "
        f"{len(report.quarantined)} quarantined"
    )
    for item in report.quarantined:
        lines.append(f"  quarantined #{item.article_id} {item.title!r}: {item.reason}")
    others = [key for key in report.deliveries if key not in ("pending", "sending", "posted")]
    lines.append(
        "deliveries  "
        + ", ".join(
            f"{key} {report.deliveries[key]}" for key in ("pending", "sending", "posted", *others)
        )
    )
    if report.next_digests:
        lines.append("next digests")
        for digest in report.next_digests:
            when = digest.next_digest_at or "not scheduled"
            lines.append(f"  {when:<20}  {digest.channel}  {digest.schedule} {digest.timezone}")
    else:
        lines.append("next digests  none scheduled")
    return "\n".join(lines)


def print_status(settings: Settings, as_json: bool = False, out: TextIO | None = None) -> int:
    """`dealwatch status`: print the snapshot of DATABASE_URL as text or JSON."""
    report = collect_status(open_store(settings), datetime.now(UTC))
    out = out or sys.stdout
    if as_json:
        out.write(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_status(report) + "\n")
    return 0
