"""LOG_FORMAT=json: one JSON object per line with the core keys and every `extra=` field."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.observability import JsonFormatter, configure_logging
from bot.settings import Settings, SettingsError


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _format(message: str, *args: object, **extra: Any) -> dict[str, Any]:
    record = logging.getLogger("dealwatch.test").makeRecord(
        "dealwatch.test", logging.WARNING, __file__, 1, message, args, None, extra=extra
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed: dict[str, Any] = json.loads(line)
    return parsed


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param({"channel": "C1"}, {"channel": "C1"}, id="channel"),
        pytest.param(
            {"source": "https://feeds.test/a.xml", "story_ids": [4, 9]},
            {"source": "https://feeds.test/a.xml", "story_ids": [4, 9]},
            id="source-and-story-ids",
        ),
        pytest.param(
            {"at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC)},
            {"at": "2026-01-02 03:04:00+00:00"},
            id="datetime-as-text",
        ),
        pytest.param({"level": "fake", "logger": "fake"}, {}, id="extras-cannot-override-core"),
    ],
)
def test_extra_fields_appear_next_to_the_core_keys(
    extra: dict[str, Any], expected: dict[str, Any]
) -> None:
    entry = _format("posted %d stories", 3, **extra)
    assert entry["message"] == "posted 3 stories"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "dealwatch.test"
    assert datetime.fromisoformat(entry["timestamp"]).tzinfo is not None
    core = {"timestamp", "level", "logger", "message"}
    assert {key: value for key, value in entry.items() if key not in core} == expected


def test_an_exception_is_logged_with_its_traceback_on_one_line() -> None:
    try:
        raise RuntimeError("feed exploded")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "cycle failed", (), exc_info=sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "cycle failed"
    assert "RuntimeError: feed exploded" in entry["exception"]
    assert "Traceback" in entry["exception"]


@pytest.mark.parametrize(
    ("log_format", "is_json"),
    [pytest.param("json", True, id="json"), pytest.param("text", False, id="text")],
)
def test_configure_logging_follows_log_format(
    restore_root_logger: None, log_format: str, is_json: bool
) -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format=log_format), stream=stream)
    logging.getLogger("dealwatch.scheduler").info("cycle done", extra={"channel": "C7"})
    line = stream.getvalue().strip()
    if is_json:
        assert json.loads(line)["channel"] == "C7"
    else:
        assert line.endswith("INFO dealwatch.scheduler cycle done")
        with pytest.raises(ValueError):
            json.loads(line)


def test_configuring_twice_keeps_one_handler(restore_root_logger: None) -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format="json"), stream=stream)
    configure_logging(Settings(log_format="json"), stream=stream)
    logging.getLogger("dealwatch").warning("once")
    assert len(stream.getvalue().splitlines()) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("JSON", "json", id="upper-case"),
        pytest.param("", "text", id="empty-is-text"),
    ],
)
def test_log_format_setting_is_normalised(value: str, expected: str) -> None:
    assert Settings.from_env({"LOG_FORMAT": value}).log_format == expected


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        Settings.from_env({"LOG_FORMAT": "yaml"})
