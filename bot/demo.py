"""`dealwatch demo`: one full cycle offline on a fresh SQLite database, printed to the terminal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from bot.pipeline import Pipeline, ingest_file
from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.blocks import digest_message, message_to_text, validate_message
from watchlists.model import Channel, Digest
from watchlists.services import run_digest
from watchlists.watchlist_file import parse_watchlist

DEMO_TEAM, DEMO_CHANNEL = "T0DEMO", "C0DEALDESK"


class TerminalPoster:
    """A Poster that prints each digest page and saves its Block Kit JSON."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[Path] = []

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Print the page as text, write its chat.postMessage payload, return a fake ts."""
        message = digest_message(digest, page, pages)
        problems = validate_message(message)
        if problems:
            raise ValueError(f"digest page {page} breaks Slack limits: {problems}")
        path = self.out / f"digest-page-{page}.json"
        path.write_text(json.dumps(message, ensure_ascii=False, indent=2), encoding="utf-8")
        self.files.append(path)
        print(message_to_text(message))
        return f"{datetime.now(UTC).timestamp():.6f}"

    def post_notice(self, channel: Channel, text: str) -> str:
        """Print a notice."""
        print(f"[notice to #{channel.name or channel.slack_id}] {text}")
        return f"{datetime.now(UTC).timestamp():.6f}"

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Nothing was posted before the demo started."""
        return {}


def run_demo(out: Path) -> int:
    """Build a fresh demo database, run a cycle, print the digest."""
    out.mkdir(parents=True, exist_ok=True)
    database = out / "dealwatch-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    store = SqlStore(engine)

    data = resources.files("bot") / "demo_data"
    channel = store.ensure_channel(DEMO_TEAM, DEMO_CHANNEL, name="deal-desk")
    watchlist = parse_watchlist((data / "watchlist.toml").read_text(encoding="utf-8"), "watchlist")
    for entity in watchlist:
        store.watch(channel.id, entity)
    print(f"Channel #deal-desk watches: {', '.join(e.name for e in watchlist)}")

    with resources.as_file(data / "sample-feed.xml") as feed_path:
        added, _bad = ingest_file(store, feed_path)
    result = Pipeline(store).process()
    print(
        f"Ingested {added} articles from the sample feed; {result.matched} mention a watched "
        f"entity; {result.deliveries_queued} stories queued for #deal-desk.\n"
    )
    poster = TerminalPoster(out)
    digest = run_digest(store, poster, channel, datetime.now(UTC))
    print()
    print(f"Posted {digest.stories_posted} stories in {len(digest.messages)} message(s).")
    for path in poster.files:
        print(f"Block Kit JSON (chat.postMessage payload): {path}")
    print(f"Database: {database}")
    return 0
