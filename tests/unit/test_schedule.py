"""Digest schedules parse strictly and fire at local wall-clock time across DST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchlists.schedule import ScheduleError, next_run, parse_schedule, parse_timezone


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        pytest.param("daily 09:00", "daily 09:00", id="daily"),
        pytest.param("WEEKDAYS 8:30", "weekdays 08:30", id="weekdays-case-and-short-hour"),
        pytest.param("weekly Monday 17:05", "weekly mon 17:05", id="weekly-long-day"),
    ],
)
def test_valid_schedules_parse(text: str, canonical: str) -> None:
    assert str(parse_schedule(text)) == canonical


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("daily 25:00", id="hour-out-of-range"),
        pytest.param("daily 9am", id="not-24h"),
        pytest.param("weekly funday 09:00", id="bad-day"),
        pytest.param("hourly", id="unknown-kind"),
        pytest.param("", id="empty"),
    ],
)
def test_invalid_schedules_raise_a_readable_error(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_schedule(text)


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(ScheduleError, match="IANA"):
        parse_timezone("Mars/Olympus_Mons")


def test_daily_digest_keeps_local_time_across_dst_change() -> None:
    schedule = parse_schedule("daily 09:00")
    before = next_run(schedule, "Europe/London", datetime(2026, 10, 23, 12, 0, tzinfo=UTC))
    after = next_run(schedule, "Europe/London", datetime(2026, 10, 25, 12, 0, tzinfo=UTC))
    assert (before.hour, before.utcoffset().total_seconds()) == (9, 3600)  # type: ignore[union-attr]
    assert (after.hour, after.utcoffset().total_seconds()) == (9, 0)  # type: ignore[union-attr]
    assert after.astimezone(UTC).hour == 9 and before.astimezone(UTC).hour == 8


def test_weekdays_schedule_skips_the_weekend() -> None:
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    run = next_run(parse_schedule("weekdays 08:00"), "UTC", friday_evening)
    assert run.weekday() == 0 and run.day == 30


def test_next_run_is_strictly_after_now() -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert next_run(parse_schedule("daily 09:00"), "UTC", now).day == 3
