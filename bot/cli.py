"""The `dealwatch` command line: run, demo, match, ingest, eval, status, watchlist, shell, db."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot.ingest.parse import BadLine, InputError, parse_jsonl, read_articles
from bot.settings import Settings, SettingsError
from watchlists.deals import analyse_deal
from watchlists.errors import DealwatchError
from watchlists.matching import MatchIndex
from watchlists.model import Article
from watchlists.stories import StoryIndex
from watchlists.watchlist_file import parse_watchlist


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand and its help."""
    parser = argparse.ArgumentParser(
        prog="dealwatch",
        description="Watch deal news for the companies, funds and people your Slack channels follow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="start the Slack bot: HTTP (or Socket Mode) server plus scheduler"
    )
    run.description = (
        "Start the bot with its scheduler. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; "
        "uses Socket Mode when SLACK_APP_TOKEN is set, else serves POST /slack/events on PORT."
    )

    demo = commands.add_parser(
        "demo", help="run one full cycle offline on a fresh SQLite database and print the digest"
    )
    demo.description = (
        "Create a SQLite database, a demo channel watching Alibaba, RDIF and VK, ingest the "
        "bundled sample feed, match, build the digest and print it as it would be posted."
    )
    demo.add_argument("--out", type=Path, default=Path("demo-output"), help="output folder")

    match = commands.add_parser(
        "match", help="match articles against a watchlist file; print matches, deal and story"
    )
    match.description = (
        "Match INPUT articles (.txt, .jsonl, RSS/Atom, or - for JSONL on stdin) against a "
        "watchlist TOML file. One output line per article, in input order."
    )
    match.add_argument("--watchlist", required=True, type=Path, help="watchlist TOML file")
    match.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    match.add_argument("inputs", nargs="+", metavar="INPUT")

    ingest = commands.add_parser(
        "ingest", help="store articles from files or feed URLs, then match and queue them"
    )
    ingest.description = (
        "Ingest .txt/.jsonl/RSS/Atom files or http(s) feed URLs into the database "
        "(DATABASE_URL), then match them and queue deliveries for watching channels."
    )
    ingest.add_argument("inputs", nargs="+", metavar="FILE|URL")

    evaluate = commands.add_parser(
        "eval", help="measure matching and deal analysis on the labelled evaluation set"
    )
    evaluate.description = "Print precision, recall and F1 (overall and per case type)."
    evaluate.add_argument("--data", type=Path, default=None, help="evaluation set folder")

    status = commands.add_parser(
        "status", help="print channels, sources, articles and deliveries from the database"
    )
    status.description = (
        "Read DATABASE_URL and print at a glance: channels (paused ones with the reason), "
        "entities watched, source health, articles (unprocessed), deliveries by status "
        "and the next digest times."
    )
    status.add_argument("--json", action="store_true", help="print one JSON document instead")

    watchlist = commands.add_parser(
        "watchlist", help="import or export a channel's own or a shared watchlist as TOML"
    )
    watchlist.description = (
        "Import a watchlist TOML file (the `dealwatch match` format) into a channel's own list "
        "or a shared list of the workspace, or print one as TOML. Uses DATABASE_URL. Importing "
        "is idempotent: known entities are reused and only new aliases are added."
    )
    list_commands = watchlist.add_subparsers(dest="watchlist_command", required=True)
    for action, help_text in (
        ("import", "add the entities of FILE to the list; print what changed"),
        ("export", "print the list as watchlist TOML (import reads it back)"),
    ):
        sub = list_commands.add_parser(action, help=help_text)
        sub.description = help_text
        if action == "import":
            sub.add_argument("file", type=Path, metavar="FILE")
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument("--channel", metavar="C123", help="a channel's own list")
        target.add_argument("--name", metavar="LIST", help="a shared list (import creates it)")
        sub.add_argument("--team", metavar="T123", help="the workspace (default: the only one)")

    shell = commands.add_parser(
        "shell", help="a local console that plays one channel: /deals commands, ingest, digest"
    )
    shell.description = (
        "Read /deals commands (the prefix is optional) from stdin and print the replies as "
        "text, as one channel. Also `ingest <file|url>` and `quit`. Uses DATABASE_URL, or a "
        "SQLite file with --db (created and migrated when needed)."
    )
    shell.add_argument("--db", type=Path, default=None, help="SQLite database file")
    shell.add_argument("--team", default="T0LOCAL", help="the workspace to play")
    shell.add_argument("--channel", default="C0LOCAL", help="the channel to play")

    database = commands.add_parser("db", help="database schema: upgrade, downgrade, current")
    database.description = "Manage the schema of DATABASE_URL (default sqlite:///dealwatch.db)."
    db_commands = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="migrate the schema to the newest revision")
    down = db_commands.add_parser("downgrade", help="migrate the schema back to REVISION")
    down.add_argument("revision")
    db_commands.add_parser("current", help="print the schema revision of the database")

    secrets = commands.add_parser(
        "secrets", help="encryption of feed credentials and Slack tokens (DEALWATCH_SECRET_KEY)"
    )
    secret_commands = secrets.add_subparsers(
        dest="secrets_command", required=True, metavar="ACTION"
    )
    secret_commands.add_parser("new-key", help="print a fresh key for DEALWATCH_SECRET_KEY")
    secret_commands.add_parser(
        "rotate", help="re-encrypt every stored secret with the first key of DEALWATCH_SECRET_KEY"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dealwatch` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(_dispatch(args) or 0)
    except (DealwatchError, SettingsError, InputError) as error:
        print(f"dealwatch: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "match":
        return command_match(args.watchlist, args.inputs, args.format)
    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(args.out)
    if args.command == "eval":
        from bot.evaluation import main as eval_main

        return eval_main([] if args.data is None else ["--data", str(args.data)])
    settings = Settings.from_env()
    if args.command == "db":
        return command_db(settings, args)
    if args.command == "ingest":
        from bot.pipeline import ingest_inputs

        return ingest_inputs(settings, args.inputs)
    if args.command == "status":
        from bot.observability import print_status

        return print_status(settings, as_json=args.json)
    if args.command == "watchlist":
        return command_watchlist(settings, args)
    if args.command == "shell":
        return command_shell(settings, args)
    if args.command == "secrets":
        return command_secrets(settings, args)
    if args.command == "run":
        from bot.app import run_bot

        return run_bot(settings)
    raise AssertionError(args.command)


def command_watchlist(settings: Settings, args: argparse.Namespace) -> int:
    """`dealwatch watchlist import|export`: a watchlist file in or out of the database."""
    from bot.pipeline import open_store
    from watchlists import sharing

    store = open_store(settings)
    team = args.team or _only_team(store.team_ids())
    if args.watchlist_command == "import":
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{args.file}: cannot read: {error}") from None
        entities = parse_watchlist(text, str(args.file))
        if args.channel:
            channel = store.ensure_channel(team, args.channel)
            target = sharing.own_watchlist(store, channel)
        else:
            target = sharing.ensure_shared_watchlist(store, team, args.name)
        print(sharing.import_entities(store, target, entities).summary())
        return 0
    name = sharing.own_list_name(args.channel) if args.channel else args.name
    found = store.find_watchlist(team, name)
    if found is None:
        raise DealwatchError(f"no watchlist {name!r} in workspace {team}")
    sys.stdout.write(sharing.export_watchlist(found))
    return 0


def _only_team(teams: Sequence[str]) -> str:
    if len(teams) == 1:
        return teams[0]
    known = f"workspaces here: {', '.join(teams[:10])}" if teams else "no workspace here yet"
    raise DealwatchError(f"pass --team T123 ({known})")


def command_shell(settings: Settings, args: argparse.Namespace) -> int:
    """`dealwatch shell`: play one channel from the terminal."""
    from bot.ingest.fetch import FetchPolicy
    from bot.pipeline import open_store
    from bot.shell import run_shell
    from db.engine import make_engine, upgrade
    from db.store import SqlStore

    if args.db is not None:
        engine = make_engine(f"sqlite:///{args.db}")
        upgrade(engine)
        store = SqlStore(engine, settings.secret_box)
    else:
        store = open_store(settings)
    policy = FetchPolicy(allow_loopback=settings.allow_loopback_feeds)
    return run_shell(store, args.team, args.channel, policy=policy)


def command_secrets(settings: Settings, args: argparse.Namespace) -> int:
    """`dealwatch secrets new-key | rotate`."""
    from bot.oauth import installation_store
    from bot.pipeline import open_store
    from db.secrets import KEY_VARIABLE, new_key

    if args.secrets_command == "new-key":
        print(new_key())
        return 0
    if settings.secret_box is None:
        raise DealwatchError(f"{KEY_VARIABLE} is not set: nothing to encrypt with")
    store = open_store(settings)
    feeds = store.reencrypt_feed_credentials()
    tokens = installation_store(settings, store.engine).reencrypt()
    print(f"re-encrypted with the first key: {feeds} feed credential(s), {tokens} Slack token(s)")
    return 0


def command_db(settings: Settings, args: argparse.Namespace) -> int:
    """Run one of the `dealwatch db` actions."""
    from db.engine import current_revision, downgrade, head_revision, make_engine, upgrade

    engine = make_engine(settings.database_url)
    where = engine.url.render_as_string(hide_password=True)
    if args.db_command == "upgrade":
        upgrade(engine)
        print(f"{where}: schema at revision {current_revision(engine)}")
    elif args.db_command == "downgrade":
        downgrade(engine, args.revision)
        print(f"{where}: schema at revision {current_revision(engine)}")
    else:
        print(f"{where}: {current_revision(engine) or 'not migrated'} (newest: {head_revision()})")
    return 0


def iter_inputs(inputs: Sequence[str]) -> Iterator[Article | BadLine]:
    """Articles from every input in order; `-` reads JSONL from stdin."""
    for name in inputs:
        if name == "-":
            yield from parse_jsonl(iter(sys.stdin), "<stdin>")
            continue
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{name}: no such file")
        yield from read_articles(path)


def command_match(watchlist_path: Path, inputs: Sequence[str], output_format: str) -> int:
    """`dealwatch match`: one line per article with its matches."""
    try:
        watchlist_text = watchlist_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{watchlist_path}: cannot read: {error}") from None
    index = MatchIndex(parse_watchlist(watchlist_text, str(watchlist_path)))
    stories = StoryIndex()
    bad_lines = 0
    for item in iter_inputs(inputs):
        if isinstance(item, BadLine):
            bad_lines += 1
            print(f"dealwatch: {item.origin}:{item.line}: skipped: {item.reason}", file=sys.stderr)
            continue
        matches = index.match(item)
        deal = analyse_deal(item, matches)
        story = stories.assign(item, deal, matches)
        if output_format == "jsonl":
            line = {
                "id": item.id,
                "matches": [match.to_json() for match in matches],
                "deal": deal.to_json(),
                "story": story.key,
            }
            print(json.dumps(line, ensure_ascii=False), flush=False)
        else:
            print(f"{item.id}\t{item.title}\t[{deal.type} {deal.stage}] story {story.key}")
            for match in matches:
                print(
                    f"  {match.entity}: {match.text!r} ({match.field} {match.start}-{match.end}, "
                    f"alias {match.alias!r}, {match.kind} {match.score:.1f})"
                )
    sys.stdout.flush()
    if bad_lines:
        print(f"dealwatch: {bad_lines} bad input line(s) skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
