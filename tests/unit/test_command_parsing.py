"""/deals text parsing: forgiving with input, and never lets an exception escape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from db.engine import make_engine, upgrade
from db.store import SqlStore
from handlers.commands import (
    VERBS,
    UsageError,
    parse_command,
    parse_watch,
    parse_watchlist_args,
    run_command,
)
from handlers.deps import Deps
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
        pytest.param("delete fintech", "is not a watchlist command", id="unknown-action"),
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
