"""`dealwatch shell`: a local console that plays one Slack channel.

Each line is a /deals command, with or without the `/deals` prefix, run through the same
`run_command` as Slack; replies print as plain text (links as `label (url)`, escapes
undone). `digest now` prints the digest the channel would get; `export` writes the CSV
to the current folder. Shell-only lines: `ingest <file|url>` stores, matches and queues
articles; `quit` (or end of input) leaves. A failing line prints one error line and the
shell goes on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.ingest.fetch import FetchPolicy
from bot.ingest.fetcher import HttpFeedFetcher
from bot.ingest.parse import InputError
from bot.pipeline import Pipeline, ingest_file, ingest_url
from db.store import SqlStore
from handlers.blocks import digest_message, message_to_text
from handlers.commands import Reply, run_command
from handlers.deps import Deps
from watchlists.errors import DealwatchError
from watchlists.model import Channel, Digest
from watchlists.services import run_digest

SHELL_TEAM, SHELL_CHANNEL = "T0LOCAL", "C0LOCAL"
SHELL_HELP = """Shell commands, besides every /deals command (the /deals prefix is optional):
  ingest <file|url>   store, match and queue the articles of a file or feed
  quit                leave (end of input does too)"""


class TextPoster:
    """A Poster that prints digest pages and notices as plain text."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def post_digest_page(self, digest: Digest, page: int, pages: int) -> str:
        """Print the page as the channel would read it; return a made-up ts."""
        print(message_to_text(digest_message(digest, page, pages)), file=self.out)
        return f"{datetime.now(UTC).timestamp():.6f}"

    def post_notice(self, channel: Channel, text: str) -> str:
        """Print a notice."""
        print(f"[notice] {text}", file=self.out)
        return f"{datetime.now(UTC).timestamp():.6f}"

    def find_posted(self, channel: Channel, story_ids: Sequence[int]) -> dict[int, str]:
        """Nothing printed earlier can be found again."""
        return {}


def mrkdwn_to_plain(text: str) -> str:
    """A reply's mrkdwn as readable plain text."""
    text = re.sub(r"<#([A-Z0-9]+)(?:\|[^>]*)?>", r"#\1", text)
    text = re.sub(r"<(https?://[^|>]+)>", r"\1", text)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return message_to_text({"blocks": [section]}).replace("`", "")


class Shell:
    """One channel's console: runs lines, prints answers."""

    def __init__(
        self,
        store: SqlStore,
        channel: Channel,
        out: TextIO,
        export_dir: Path,
        policy: FetchPolicy | None = None,
    ) -> None:
        self.store = store
        self.channel = channel
        self.out = out
        self.export_dir = export_dir
        self.policy = policy or FetchPolicy()
        self.poster = TextPoster(out)
        self.deps = Deps(
            store=store,
            poster_for=lambda _client: self.poster,
            fetcher=HttpFeedFetcher(self.policy),
        )

    def run_line(self, line: str) -> bool:
        """Run one input line; False when the shell should stop."""
        text = line.strip()
        word = text.split(" ", 1)[0].lower()
        if word in ("quit", "exit", r"\q"):
            return False
        if not text or text.startswith("#"):
            return True
        try:
            if word == "ingest":
                self._ingest(text[len("ingest") :].strip())
            else:
                self._command(text)
                if text.lower().removeprefix("/deals").strip() in ("", "help"):
                    print(SHELL_HELP, file=self.out)
        except (DealwatchError, InputError, OSError) as error:
            print(f"error: {error}", file=self.out)
        return True

    def _command(self, text: str) -> None:
        reply: Reply = run_command(text, self.channel, self.deps, self.poster)
        print(mrkdwn_to_plain(reply.ephemeral_text), file=self.out)
        if reply.broadcast_text:
            print(f"[to the channel] {mrkdwn_to_plain(reply.broadcast_text)}", file=self.out)
        if reply.upload is not None:
            path = self.export_dir / reply.upload.filename
            path.write_bytes(reply.upload.content)
            print(f"Wrote {path}", file=self.out)

    def _ingest(self, target: str) -> None:
        if not target:
            raise InputError("`ingest` needs a file or a feed URL")
        if target.startswith(("http://", "https://")):
            added = ingest_url(self.store, target, self.policy)
        else:
            path = Path(target).expanduser()
            if not path.is_file():
                raise InputError(f"{target}: no such file")
            added, _bad = ingest_file(self.store, path)
        result = Pipeline(self.store).process()
        print(
            f"{target}: {added} new article(s); {result.matched} matched a watched entity; "
            f"{result.deliveries_queued} deliveries queued",
            file=self.out,
        )
        channel = self.store.get_channel(self.channel.id)
        if channel.delivery == "instant":
            # An instant channel hears at once, as it would in Slack.
            run_digest(self.store, self.poster, channel, datetime.now(UTC))


def run_shell(
    store: SqlStore,
    team_id: str = SHELL_TEAM,
    channel_id: str = SHELL_CHANNEL,
    lines: Iterable[str] | None = None,
    out: TextIO | None = None,
    export_dir: Path | None = None,
    policy: FetchPolicy | None = None,
) -> int:
    """Read lines (stdin by default) and run each one for the channel until quit."""
    out = out or sys.stdout
    channel = store.ensure_channel(team_id, channel_id, name="shell")
    shell = Shell(store, channel, out, export_dir or Path.cwd(), policy)
    interactive = lines is None and sys.stdin.isatty()
    if interactive:
        print(f"dealwatch shell: channel {channel_id} of {team_id}. `help`, `quit`.", file=out)
    source = lines if lines is not None else _stdin_lines(interactive)
    for line in source:
        if not shell.run_line(line):
            break
        out.flush()
    return 0


def _stdin_lines(prompt: bool) -> Iterable[str]:
    while True:
        try:
            line = input("deals> ") if prompt else sys.stdin.readline()
        except EOFError:
            return
        if not prompt and not line:
            return
        yield line
