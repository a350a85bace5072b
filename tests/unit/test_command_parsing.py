"""/deals text parsing: forgiving with input, and never lets an exception escape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.commands import UsageError, parse_command, parse_watch


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
