"""The `dealwatch` command line: run, demo, match, ingest, eval, status, watchlist, shell, db."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError
from watchlists.errors import DealwatchError

if TYPE_CHECKING:
    from bot.ingest.parse import BadLine
    from watchlists.model import Article, Entity
    from watchlists.sharing import ImportResult

# Each command imports what it uses inside its own function, so `--help` and `match` start
# without the SQL, Slack and HTTP stacks (tests/integration/test_cli.py checks it).

# Exit codes: each failure a script may want to tell apart has its own (README, "Exit codes").
EXIT_OK = 0
EXIT_SKIPPED = 1  # the command ran, but some input lines or files were skipped
EXIT_USAGE = 2  # bad arguments or bad input (argparse uses 2 too)
EXIT_CONFIG = 3  # the environment (DATABASE_URL, Slack settings, ...) is not usable
EXIT_DB_UNREACHABLE = 4  # the database server is down or the database does not exist
EXIT_DB_SCHEMA = 5  # no database file yet, an unmigrated schema, or an unknown revision
EXIT_SLACK_UNREACHABLE = 6
EXIT_SLACK_REJECTED = 7  # Slack refused the token or secret
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # stdout closed early (`| head`): 128 + SIGPIPE, as a shell reports it

ARTICLE_KEYS = ("id", "title", "text", "url", "published", "source")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".feed")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt",)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand and its help."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="on an error, print the traceback too",
    )
    parser = argparse.ArgumentParser(
        prog="dealwatch",
        description="Watch deal news for the companies, funds and people your Slack channels follow.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="start the Slack bot: HTTP (or Socket Mode) server plus scheduler",
    )
    run.description = (
        "Start the bot with its scheduler. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; "
        "uses Socket Mode when SLACK_APP_TOKEN is set, else serves POST /slack/events on PORT."
    )

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="run one full cycle offline on a fresh SQLite database and print the digest",
    )
    demo.description = (
        "Create a SQLite database, a demo channel watching Alibaba, RDIF and VK, ingest the "
        "bundled sample feed, match, build the digest and print it as it would be posted."
    )
    demo.add_argument("--out", type=Path, default=Path("demo-output"), help="output folder")

    match = commands.add_parser(
        "match",
        parents=[common],
        help="match articles against a watchlist file; print matches, deal and story",
    )
    match.description = (
        "Match INPUT articles (.txt, .jsonl, RSS/Atom, or - for JSONL on stdin) against a "
        "watchlist TOML file. One output line per article, in input order."
    )
    match.add_argument("--watchlist", required=True, type=Path, help="watchlist TOML file")
    match.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    match.add_argument(
        "--lenient",
        action="store_true",
        help="warn about unknown keys in the watchlist or JSONL instead of refusing them",
    )
    match.add_argument(
        "--no-index-cache",
        action="store_true",
        help="build the index from the watchlist even when a cached copy exists "
        "(big watchlists are cached in $XDG_CACHE_HOME/dealwatch)",
    )
    match.add_argument("inputs", nargs="+", metavar="INPUT")

    ingest = commands.add_parser(
        "ingest",
        parents=[common],
        help="store articles from files or feed URLs, then match and queue them",
    )
    ingest.description = (
        "Ingest .txt/.jsonl/RSS/Atom files or http(s) feed URLs into the database "
        "(DATABASE_URL), then match them and queue deliveries for watching channels."
    )
    ingest.add_argument(
        "--lenient", action="store_true", help="warn about unknown JSONL keys instead of refusing"
    )
    ingest.add_argument("inputs", nargs="+", metavar="FILE|URL")

    evaluate = commands.add_parser(
        "eval",
        parents=[common],
        help="measure matching and deal analysis on the labelled evaluation set",
    )
    evaluate.description = "Print precision, recall and F1 (overall and per case type)."
    evaluate.add_argument(
        "--data",
        type=Path,
        default=None,
        help="folder with watchlist.toml and articles.jsonl (default: tests/data/eval)",
    )

    status = commands.add_parser(
        "status",
        parents=[common],
        help="print channels, sources, articles and deliveries from the database",
    )
    status.description = (
        "Read DATABASE_URL and print at a glance: channels (paused ones with the reason), "
        "entities watched, source health, articles (unprocessed), deliveries by status "
        "and the next digest times."
    )
    status.add_argument("--json", action="store_true", help="print one JSON document instead")

    watchlist = commands.add_parser(
        "watchlist",
        parents=[common],
        help="import or export a channel's own or a shared watchlist as TOML",
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
        sub = list_commands.add_parser(action, help=help_text, parents=[common])
        sub.description = help_text
        if action == "import":
            sub.add_argument("file", type=Path, metavar="FILE")
            sub.add_argument(
                "--lenient", action="store_true", help="warn about unknown keys instead of refusing"
            )
            sub.add_argument(
                "--create-team",
                action="store_true",
                help="create the workspace --team names when it is not known yet",
            )
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument("--channel", metavar="C123", help="a channel's own list")
        target.add_argument("--name", metavar="LIST", help="a shared list (import creates it)")
        sub.add_argument("--team", metavar="T123", help="the workspace (default: the only one)")

    shell = commands.add_parser(
        "shell",
        parents=[common],
        help="a local console that plays one channel: /deals commands, ingest, digest",
    )
    shell.description = (
        "Read /deals commands (the prefix is optional) from stdin and print the replies as "
        "text, as one channel. Also `ingest <file|url>` and `quit`. Uses DATABASE_URL when it "
        "is set, else a SQLite file (--db, default dealwatch.db) created and migrated when needed."
    )
    shell.add_argument("--db", type=Path, default=None, help="SQLite database file")
    shell.add_argument("--team", default="T0LOCAL", help="the workspace to play")
    shell.add_argument("--channel", default="C0LOCAL", help="the channel to play")

    database = commands.add_parser(
        "db", parents=[common], help="database schema: upgrade, downgrade, current"
    )
    database.description = "Manage the schema of DATABASE_URL (default sqlite:///dealwatch.db)."
    db_commands = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser(
        "upgrade", help="migrate the schema to the newest revision", parents=[common]
    )
    down = db_commands.add_parser(
        "downgrade", help="migrate the schema back to REVISION", parents=[common]
    )
    down.add_argument("revision")
    db_commands.add_parser(
        "current", help="print the schema revision of the database", parents=[common]
    )

    secrets = commands.add_parser(
        "secrets",
        parents=[common],
        help="encryption of feed credentials and Slack tokens (DEALWATCH_SECRET_KEY)",
    )
    secret_commands = secrets.add_subparsers(
        dest="secrets_command", required=True, metavar="ACTION"
    )
    secret_commands.add_parser(
        "new-key", help="print a fresh key for DEALWATCH_SECRET_KEY", parents=[common]
    )
    secret_commands.add_parser(
        "rotate",
        help="re-encrypt every stored secret with the first key of DEALWATCH_SECRET_KEY",
        parents=[common],
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dealwatch` console script."""
    args = build_parser().parse_args(argv)
    try:
        code = int(_dispatch(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        failure = explain(error)
        if failure is None:
            raise
        if getattr(args, "verbose", False):
            import traceback

            traceback.print_exc()
        code, message = failure
        print(f"dealwatch: {message}", file=sys.stderr)
        return code


def _drop_stdout() -> None:
    # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def explain(error: BaseException) -> tuple[int, str] | None:
    """(exit code, one line saying what is wrong and what to do), or None for a bug."""
    from bot.ingest.parse import InputError
    from watchlists.errors import DatabaseNotMigratedError

    if isinstance(error, DatabaseNotMigratedError):
        return EXIT_DB_SCHEMA, str(error)
    if isinstance(error, SettingsError):
        return EXIT_CONFIG, str(error)
    if isinstance(error, DealwatchError | InputError):
        return EXIT_USAGE, str(error)
    return _explain_library_error(error)


def _explain_library_error(error: BaseException) -> tuple[int, str] | None:
    # Only modules already loaded can have raised: checking sys.modules imports nothing new.
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import exc

        if isinstance(error, exc.ArgumentError | exc.NoSuchModuleError):
            return EXIT_CONFIG, (
                f"DATABASE_URL is not a database URL dealwatch can use ({first_line}); "
                "use sqlite:///FILE or postgresql://USER@HOST/DB"
            )
        if isinstance(error, exc.OperationalError):
            reason = str(error.orig).strip().splitlines()[0] if error.orig else first_line
            return EXIT_DB_UNREACHABLE, (
                f"cannot open the database: {reason}; check DATABASE_URL and that the "
                "server is running and the database exists"
            )
    if isinstance(error, ModuleNotFoundError) and "sqlalchemy" in sys.modules:
        return EXIT_CONFIG, (
            f"DATABASE_URL names a database this install has no driver for ({error.name}); "
            "use sqlite:///FILE or postgresql://USER@HOST/DB"
        )
    if "alembic" in sys.modules:
        from alembic.util import CommandError

        if isinstance(error, CommandError):
            return EXIT_DB_SCHEMA, f"{first_line}; `dealwatch db current` shows the revisions"
    if "slack_bolt" in sys.modules:
        from slack_bolt.error import BoltError

        if isinstance(error, BoltError):
            return EXIT_SLACK_REJECTED, (
                f"Slack refused the credentials ({first_line}); check SLACK_BOT_TOKEN and "
                "SLACK_SIGNING_SECRET (README, 'Connect your Slack workspace')"
            )
    from urllib.error import URLError

    if isinstance(error, URLError | ConnectionError | TimeoutError):
        return EXIT_SLACK_UNREACHABLE, (
            f"cannot reach Slack ({getattr(error, 'reason', None) or first_line}); check the "
            "network, a proxy, or SLACK_API_URL"
        )
    return None


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "match":
        from bot.index_cache import default_cache_dir

        cache_dir = None if args.no_index_cache else default_cache_dir()
        return command_match(
            args.watchlist, args.inputs, args.format, lenient=args.lenient, cache_dir=cache_dir
        )
    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(args.out)
    if args.command == "eval":
        from bot import evaluation

        return evaluation.run(evaluation.DEFAULT_DATA_DIR if args.data is None else args.data)
    settings = Settings.from_env()
    if args.command == "shell":
        return command_shell(settings, args)
    if not (args.command == "db" and args.db_command == "upgrade"):
        refuse_missing_sqlite_file(settings.database_url)
    if args.command == "db":
        return command_db(settings, args)
    if args.command == "status":
        from bot.observability import print_status

        return print_status(settings, as_json=args.json)
    if args.command == "ingest":
        from bot.pipeline import ingest_inputs

        for name in args.inputs:
            if not name.startswith(("http://", "https://")):
                check_input_file(name, lenient=args.lenient)
        code = ingest_inputs(settings, args.inputs)
    elif args.command == "watchlist":
        code = command_watchlist(settings, args)
    elif args.command == "secrets":
        code = command_secrets(settings, args)
    elif args.command == "run":
        import logging

        from bot.app import run_bot

        # Schema checks at start-up are routine: their INFO lines are noise in the bot's log.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        # Settings hold the token now; left in the environment, Bolt would read it a second
        # time next to the client it is given and warn that it goes unused.
        os.environ.pop("SLACK_BOT_TOKEN", None)
        code = run_bot(settings)
    else:
        raise AssertionError(args.command)
    checkpoint_sqlite(settings.database_url)
    return code


def sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL, or None for another database or an in-memory one."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :].split("?", 1)[0]
    return None if name in ("", ":memory:") else Path(name)


def refuse_missing_sqlite_file(url: str) -> None:
    """Refuse, without creating it, a SQLite database file that does not exist yet."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        from watchlists.errors import DatabaseNotMigratedError

        raise DatabaseNotMigratedError(
            f"no database at {path.resolve()}: create it with `dealwatch db upgrade` "
            "(or set DATABASE_URL to an existing one)"
        )


def checkpoint_sqlite(url: str, announce: bool = True) -> None:
    """Fold SQLite's write-ahead log into the file, so the .db alone holds everything."""
    path = sqlite_file(url)
    if path is None or not path.exists():
        return
    import sqlite3

    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    if announce:
        print(f"dealwatch: database saved in {path.resolve()}", file=sys.stderr)


def command_watchlist(settings: Settings, args: argparse.Namespace) -> int:
    """`dealwatch watchlist import|export`: a watchlist file in or out of the database."""
    from bot.pipeline import open_store
    from watchlists import sharing

    store = open_store(settings)
    teams = store.team_ids()
    if args.team is None:
        team = _only_team(teams)
    elif args.team in teams or getattr(args, "create_team", False):
        team = args.team
    else:
        known = f"workspaces here: {', '.join(teams[:10])}" if teams else "no workspace here yet"
        raise DealwatchError(
            f"unknown workspace {args.team} ({known}); pass --create-team to create it"
        )
    if args.watchlist_command == "import":
        from db.bulk_import import find_watchlist_header, import_entities_bulk

        entities = read_watchlist(args.file, lenient=args.lenient)
        if args.channel:
            store.ensure_channel(team, args.channel)
            name = sharing.own_list_name(args.channel)
        else:
            name = sharing.validate_list_name(args.name)
        # Looked up without its entities: loading a 100,000-entity list would take minutes.
        target = find_watchlist_header(store.engine, team, name) or store.create_watchlist(
            team, name
        )
        print(short_summary(import_entities_bulk(store.engine, target, entities)))
        return EXIT_OK
    name = sharing.own_list_name(args.channel) if args.channel else args.name
    found = store.find_watchlist(team, name)
    if found is None:
        raise DealwatchError(f"no watchlist {name!r} in workspace {team}")
    sys.stdout.write(sharing.export_watchlist(found))
    return EXIT_OK


SUMMARY_NAMES = 20  # names listed in an import summary before "and N more"


def short_summary(result: ImportResult) -> str:
    """The import summary, with long name lists cut to their first SUMMARY_NAMES."""
    from dataclasses import replace

    if max(len(result.added), len(result.extended)) <= SUMMARY_NAMES:
        return result.summary()
    cut = replace(
        result,
        added=_cut(result.added),
        extended=_cut(result.extended),
    )
    line = cut.summary()
    return line.replace(f"{len(cut.added)} added", f"{len(result.added)} added", 1).replace(
        f"{len(cut.extended)} got new", f"{len(result.extended)} got new", 1
    )


def _cut(names: tuple[str, ...]) -> tuple[str, ...]:
    if len(names) <= SUMMARY_NAMES:
        return names
    return (*names[:SUMMARY_NAMES], f"and {len(names) - SUMMARY_NAMES} more")


def read_watchlist(
    path: Path, lenient: bool = False, warn: Callable[[str], None] | None = None
) -> list[Entity]:
    """The entities of a watchlist file; an unreadable, malformed or empty file is an error.

    Unknown keys are errors, or warnings (printed, or passed to warn) when lenient.
    """
    from bot.ingest.parse import InputError
    from watchlists.watchlist_file import parse_watchlist

    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a watchlist TOML file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from None
    entities = parse_watchlist(text, str(path), warn=(warn or _warn) if lenient else None)
    if not entities:
        raise InputError(
            f"{path}: the watchlist has no entities; add one per [[entity]] table with "
            'name = "..." (README, "Watchlist TOML")'
        )
    return entities


def _warn(message: str) -> None:
    print(f"dealwatch: warning: {message}", file=sys.stderr)


def _only_team(teams: Sequence[str]) -> str:
    if len(teams) == 1:
        return teams[0]
    known = f"workspaces here: {', '.join(teams[:10])}" if teams else "no workspace here yet"
    raise DealwatchError(f"pass --team T123 ({known})")


def command_shell(settings: Settings, args: argparse.Namespace) -> int:
    """`dealwatch shell`: play one channel from the terminal, on its own SQLite file by default."""
    from bot.ingest.fetch import FetchPolicy
    from bot.pipeline import open_store
    from bot.shell import run_shell
    from db.engine import make_engine, upgrade
    from db.store import SqlStore

    if args.db is None and "DATABASE_URL" in os.environ:
        url = settings.database_url
        refuse_missing_sqlite_file(url)
        store = open_store(settings)
    else:
        url = f"sqlite:///{args.db or DEFAULT_SHELL_DB}"
        engine = make_engine(url)
        upgrade(engine)
        store = SqlStore(engine, settings.secret_box)
    policy = FetchPolicy(allow_loopback=settings.allow_loopback_feeds)
    code = run_shell(store, args.team, args.channel, policy=policy)
    checkpoint_sqlite(url)
    return code


DEFAULT_SHELL_DB = Path("dealwatch.db")


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
    engine.dispose()
    checkpoint_sqlite(settings.database_url, announce=False)
    return EXIT_OK


def check_input_file(name: str, lenient: bool = False) -> Path:
    """The path of an input file, or InputError saying plainly why it cannot be read."""
    from bot.ingest.parse import InputError

    if name.startswith("file://"):
        raise InputError(f"{name}: file:// URLs are not read; pass the path itself")
    if name.startswith(("http://", "https://")):
        raise InputError(f"{name}: `match` reads files; fetch a feed with `dealwatch ingest URL`")
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a directory; pass the files in it (e.g. {name}/*.txt)")
    if not path.exists():
        raise InputError(f"{name}: no such file")
    suffix = path.suffix.lower()
    try:
        head = path.read_bytes()[:4096] if suffix not in JSONL_SUFFIXES else b""
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error}") from None
    if suffix in TEXT_SUFFIXES and not head.strip():
        raise InputError(f"{name}: empty file; a .txt article has its title on the first line")
    if suffix in JSONL_SUFFIXES:
        _check_jsonl_keys(path, lenient)
    elif suffix not in (*TEXT_SUFFIXES, *FEED_SUFFIXES) and not head.lstrip().startswith(b"<"):
        raise InputError(
            f"{name}: unsupported file type {suffix or '(no suffix)'}: use .txt (one article), "
            ".jsonl (one JSON article a line) or an RSS/Atom feed (.xml, .rss, .atom)"
        )
    return path


def _check_jsonl_keys(path: Path, lenient: bool) -> None:
    from bot.ingest.parse import InputError

    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            unknown = unknown_article_keys(line)
            if unknown:
                message = _unknown_keys_message(f"{path}:{number}", unknown)
                if not lenient:
                    raise InputError(message)
                _warn(f"{message} (ignored)")


def unknown_article_keys(line: str) -> list[str]:
    """The keys of a JSON article line that dealwatch does not read (none if not an object)."""
    try:
        data = json.loads(line)
    except ValueError:
        return []
    return [key for key in data if key not in ARTICLE_KEYS] if isinstance(data, dict) else []


def _unknown_keys_message(where: str, unknown: list[str]) -> str:
    keys = ", ".join(f"`{key}`" for key in unknown)
    return f"{where}: unknown key {keys}; accepted keys: {', '.join(ARTICLE_KEYS)}"


def iter_inputs(inputs: Sequence[str], lenient: bool = False) -> Iterator[Article | BadLine]:
    """Articles from every input in order; `-` reads JSONL from stdin."""
    from bot.ingest.parse import read_articles

    for name in inputs:
        if name == "-":
            yield from _stdin_articles(lenient)
            continue
        path = check_input_file(name, lenient)
        yield from read_articles(path)


def _stdin_articles(lenient: bool) -> Iterator[Article | BadLine]:
    from bot.ingest.parse import BadLine, article_from_json

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        unknown = unknown_article_keys(line)
        if unknown and not lenient:
            message = _unknown_keys_message("", unknown).removeprefix(": ")
            yield BadLine(origin="<stdin>", line=number, reason=message)
            continue
        if unknown:
            _warn(f"{_unknown_keys_message(f'<stdin>:{number}', unknown)} (ignored)")
        try:
            yield article_from_json(json.loads(line), default_id=f"<stdin>:{number}")
        except (ValueError, TypeError) as error:
            yield BadLine(origin="<stdin>", line=number, reason=str(error))


def command_match(
    watchlist_path: Path,
    inputs: Sequence[str],
    output_format: str,
    lenient: bool = False,
    cache_dir: Path | None = None,
) -> int:
    """`dealwatch match`: one line per article with its matches.

    With a cache_dir, the index of a big watchlist is kept there and reused while neither
    the file nor the matching code changes (`bot.index_cache`).
    """
    from bot.index_cache import load_index
    from bot.ingest.parse import BadLine
    from watchlists.deals import analyse_deal
    from watchlists.matching import MatchIndex
    from watchlists.services import analysed_part
    from watchlists.stories import StoryIndex

    if cache_dir is None:
        index = MatchIndex(read_watchlist(watchlist_path, lenient))
    else:
        index = load_index(
            watchlist_path,
            lenient,
            cache_dir,
            lambda path, warn: read_watchlist(path, warn is not None, warn),
            _warn,
        )
    stories = StoryIndex()
    bad_lines = 0
    for item in iter_inputs(inputs, lenient):
        if isinstance(item, BadLine):
            bad_lines += 1
            print(f"dealwatch: {item.origin}:{item.line}: skipped: {item.reason}", file=sys.stderr)
            continue
        # The same bounded part of the article as the pipeline analyses.
        item = analysed_part(item)
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
        return EXIT_SKIPPED
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
