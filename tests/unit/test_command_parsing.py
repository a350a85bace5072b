"""/deals text parsing: forgiving with input, and never lets an exception escape."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.commands import (
    VERBS,
    Reply,
    UsageError,
    parse_command,
    parse_watch,
    parse_watchlist_args,
    run_command,
)
from handlers.deps import Deps
from watchlists.model import Entity
from watchlists.sharing import ListNameError, safe_cell, validate_list_name


@pytest.mark.parametrize(
    ("text", "name", "aliases", "exclude"),
    [
        pytest.param("Alibaba", "Alibaba", (), (), id="bare-name"),
        pytest.param(
            "Russian Direct Investment Fund aka RDIF, РФПИ",
            "Russian Direct Investment Fund",
            ("RDIF", "РФПИ"),
            (),
            id="aliases-with-cyrillic",
        ),
        pytest.param(
            '"Shell" not shell company, shell companies',
            "Shell",
            (),
            ("shell company", "shell companies"),
            id="quoted-name-with-exclusions",
        ),
        pytest.param(
            "“VK” aka VKontakte not vk.com", "VK", ("VKontakte",), ("vk.com",), id="curly-quotes"
        ),
    ],
)
def test_watch_arguments_parse(
    text: str, name: str, aliases: tuple[str, ...], exclude: tuple[str, ...]
) -> None:
    entity = parse_watch(text)
    assert (entity.name, entity.aliases, entity.exclude) == (name, aliases, exclude)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("frobnicate", "is not a /deals command", id="unknown-verb"),
        pytest.param("watch", "needs an argument", id="missing-name"),
        pytest.param("digest", "needs an argument", id="missing-schedule"),
    ],
)
def test_bad_commands_raise_usage_errors(text: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        parse_command(text)


def test_empty_command_means_help() -> None:
    assert parse_command("   ").verb == "help"


def test_overlong_name_is_refused() -> None:
    with pytest.raises(UsageError, match="at most"):
        parse_watch("x" * 4000)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=4000))
def test_no_exception_but_usage_error_escapes_the_parser(text: str) -> None:
    try:
        command = parse_command(text)
        if command.verb == "watch":
            parse_watch(command.args)
    except UsageError as error:
        assert str(error)


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        pytest.param("new russia-ecommerce", ("new", "russia-ecommerce", ""), id="new"),
        pytest.param(
            "ADD fintech Kaspi aka Kaspi.kz",
            ("add", "fintech", "Kaspi aka Kaspi.kz"),
            id="add-keeps-entity-text",
        ),
        pytest.param("remove fintech  Ozon ", ("remove", "fintech", "Ozon"), id="remove"),
    ],
)
def test_watchlist_arguments_parse(args: str, parsed: tuple[str, str, str]) -> None:
    assert parse_watchlist_args(args) == parsed


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        pytest.param("archive fintech", "is not a watchlist command", id="unknown-action"),
        pytest.param("new", "needs a list name", id="missing-name"),
        pytest.param("add fintech", "needs a list name and an entity name", id="missing-entity"),
        pytest.param("new two words", "without spaces", id="spaces"),
    ],
)
def test_bad_watchlist_arguments_raise_usage_errors(args: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        parse_watchlist_args(args)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        pytest.param("russia-ecommerce", True, id="dashes"),
        pytest.param("Fin_Tech_2", True, id="underscore-digits"),
        pytest.param("x" * 64, True, id="64-chars"),
        pytest.param("x" * 65, False, id="65-chars"),
        pytest.param("#C0DEALS", False, id="reserved-channel-list"),
        pytest.param("россия", False, id="cyrillic"),
        pytest.param("two words", False, id="space"),
        pytest.param("", False, id="empty"),
    ],
)
def test_list_names_follow_the_rules(name: str, valid: bool) -> None:
    if valid:
        assert validate_list_name(name) == name
    else:
        with pytest.raises(ListNameError):
            validate_list_name(name)


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        pytest.param("=SUM(A1:A2)", "'=SUM(A1:A2)", id="equals"),
        pytest.param("+7 495", "'+7 495", id="plus"),
        pytest.param("-5%", "'-5%", id="minus"),
        pytest.param("@handle", "'@handle", id="at"),
        pytest.param("\tcmd", "'\tcmd", id="tab"),
        pytest.param("Alibaba = VK", "Alibaba = VK", id="formula-char-inside"),
        pytest.param("", "", id="empty"),
    ],
)
def test_csv_cells_cannot_start_a_formula(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe


@pytest.fixture(scope="module")
def command_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    """A real SqlStore on a migrated SQLite file, shared by the generated commands."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('commands') / 'commands.db'}")
    upgrade(engine)
    yield SqlStore(engine)
    engine.dispose()


COMMAND_STARTS = [
    *sorted(VERBS),
    "watchlist new",
    "watchlist add fintech",
    "watchlist remove fintech",
    "watchlist show",
    "feeds add",
    "feeds remove",
    "digest weekly",
    "mute Kaspi",
    "/deals",
]
JUNK = "".join(chr(0x20 + (i * 7919) % 0x2FF) for i in range(4000))


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=4000),
        st.builds(
            lambda start, rest: f"{start} {rest}",
            st.sampled_from(COMMAND_STARTS),
            st.text(max_size=300),
        ),
    )
)
@example(JUNK)
@example("watch \"Say 'Cheese' Capital\" aka «Сыр», 🧀 not 'cheese, please")
@example("watch " + "ß" * 150)
@example("watchlist new fintech")
@example("watchlist add fintech Озон aka Ozon 🛒")
@example("subscribe fintech")
@example("digest weekly someday 99:99")
@example("tz ../../etc/passwd")
@example("export 0d")
@example("watch Kaspi\x00Bank")
@example("watch <!channel> aka <@U1> & co not <http://evil.example|x>")
@example("unwatch <!here>")
@example("lookup <!channel> 7d")
@example("digest <!channel>")
@example("watchlist new <!here>")
@example("feeds remove ²")
def test_run_command_always_answers_and_never_raises(command_store: SqlStore, text: str) -> None:
    channel = command_store.ensure_channel("T0PROP", "C0PROP")
    deps = Deps(
        store=command_store,
        poster_for=lambda _client: None,  # type: ignore[arg-type,return-value]
        now=lambda: datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    reply = run_command(text, channel, deps)
    assert reply.ephemeral_text.strip()
    for shown in (reply.ephemeral_text, reply.broadcast_text):
        assert_escaped(shown)


# dealwatch's own markup in replies: links, with or without a label.
OUR_LINK = re.compile(r"<https?://[^\s<>|]+(?:\|[^<>]*)?>")


def assert_escaped(shown: str) -> None:
    """No <, > or bare & in a reply outside dealwatch's own links."""
    bare = OUR_LINK.sub(" ", shown)
    assert "<" not in bare and ">" not in bare, shown
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt);)*", bare, flags=re.DOTALL), shown


# A newcomer's first hour (issue 15, items 8 and 9) -----------------------------


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        pytest.param("aka foo", "needs a name before `aka`", id="keyword-first"),
        pytest.param("not foo", "needs a name before `not`", id="not-first"),
        pytest.param("X aka", "`aka` needs an alias", id="aka-at-end"),
        pytest.param("Y not", "`not` needs a phrase", id="not-at-end"),
        pytest.param("X aka , , not y", "`aka` needs an alias", id="only-commas"),
        pytest.param("Ali\u202ebaba", "text-direction controls", id="right-to-left-override"),
        pytest.param("Alibaba aka \u2066Ali\u2069", "text-direction controls", id="isolate-alias"),
    ],
)
def test_watch_usage_errors(args: str, reason: str) -> None:
    with pytest.raises(UsageError, match=re.escape(reason)):
        parse_watch(args)


def test_a_quoted_name_may_start_with_a_keyword() -> None:
    assert parse_watch('"Not Inc" aka NOT, "aka labs"') == Entity(
        name="Not Inc", aliases=("NOT", "aka labs")
    )


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[SqlStore]:
    """A real SqlStore on its own migrated SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'first-hour.db'}")
    upgrade(engine)
    yield SqlStore(engine)
    engine.dispose()


def _runner(store: SqlStore, channel_id: str = "C0NEW") -> Callable[[str], Reply]:
    channel = replace(store.ensure_channel("T0NEW", channel_id), team_id="T0NEW")
    deps = Deps(
        store=store,
        poster_for=lambda _client: None,  # type: ignore[arg-type,return-value]
        now=lambda: datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    return lambda text: run_command(text, channel, deps)


def test_a_near_miss_asks_before_creating_and_watch_bang_insists(fresh_store: SqlStore) -> None:
    run = _runner(fresh_store)
    run("watch Alibaba aka Alibaba Group")
    asked = run("watch Alibab")
    assert "Did you mean *Alibaba* (aka Alibaba Group)?" in asked.ephemeral_text
    assert "`/deals watch! Alibab`" in asked.ephemeral_text
    assert asked.broadcast_text == ""
    assert fresh_store.find_entity("T0NEW", "Alibab") is None
    insisted = run("watch! Alibab")
    assert insisted.ephemeral_text == "Watching *Alibab* in this channel."
    assert insisted.broadcast_text == "This channel now watches *Alibab*."
    assert fresh_store.find_entity("T0NEW", "Alibab") is not None


def test_watching_again_is_not_announced_again(fresh_store: SqlStore) -> None:
    run = _runner(fresh_store)
    first = run("watch Shell not shell company")
    assert first.ephemeral_text == "Watching *Shell* (not shell company) in this channel."
    assert first.broadcast_text
    again = run("watch Shell")
    assert again.ephemeral_text == "This channel already watches *Shell* (not shell company)."
    assert again.broadcast_text == ""
    more = run("watch Shell aka Shell plc")
    assert more.ephemeral_text.startswith("Updated *Shell* (aka Shell plc; not shell company)")
    assert more.broadcast_text == ""


def test_list_shows_exclusions(fresh_store: SqlStore) -> None:
    run = _runner(fresh_store)
    run("watch Shell aka Shell plc not shell company, shell script")
    listed = run("list").ephemeral_text
    assert "• *Shell* aka Shell plc; not shell company, shell script" in listed


@pytest.mark.parametrize(
    ("text", "reason", "usage"),
    [
        pytest.param(
            "watch aka foo", "needs a name before `aka`", "`watch &lt;name&gt;", id="watch"
        ),
        pytest.param("mute", "`mute` needs an argument.", "`mute &lt;name&gt;", id="mute-bare"),
        pytest.param(
            "mute Alibaba", "needs a name and a duration", "`mute &lt;name&gt;", id="mute"
        ),
        pytest.param("lookup Z 1y", "`1y` is not a period", "`lookup &lt;name&gt;", id="period"),
        pytest.param("frobnicate", "is not a /deals command", "`/deals help` lists", id="unknown"),
    ],
)
def test_an_error_is_one_reason_and_that_verbs_usage_line(
    fresh_store: SqlStore, text: str, reason: str, usage: str
) -> None:
    lines = _runner(fresh_store)(text).ephemeral_text.splitlines()
    assert len(lines) == 2, lines
    assert reason in lines[0]
    assert lines[1].startswith("*Usage:*") and usage in lines[1]


def test_small_replies_read_right(fresh_store: SqlStore) -> None:
    run = _runner(fresh_store)
    assert run("feeds remove 1").ephemeral_text == "This channel has no feeds to remove."
    assert run("tz europe/london").ephemeral_text == "Timezone set to Europe/London."
    assert "Did you mean `Europe/London`?" in run("tz Europe/Londn").ephemeral_text
    unsubscribed = run("unsubscribe nosuchlist").ephemeral_text
    assert unsubscribed == "There is no shared watchlist called *nosuchlist* to unsubscribe from."
    assert "Create it first" not in unsubscribed


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("unwatch " + "x" * 10_000, id="unwatch"),
        pytest.param("mute " + "y" * 10_000 + " 7d", id="mute"),
        pytest.param("lookup " + "z" * 10_000, id="lookup"),
        pytest.param("feeds add https://" + "a" * 10_000, id="feeds-add"),
        pytest.param("digest " + "9" * 10_000, id="digest"),
        pytest.param("tz " + "Q" * 10_000, id="tz"),
        pytest.param("unsubscribe " + "w" * 10_000, id="unsubscribe"),
    ],
)
def test_echoed_input_is_capped(fresh_store: SqlStore, text: str) -> None:
    assert len(_runner(fresh_store)(text).ephemeral_text) < 1000
