"""Digest schedules: parsing `daily 09:00`, `weekdays 08:30`, `weekly mon 09:00`, and the next run.

Times are wall-clock times in the channel's IANA timezone; the next run is computed on
the local calendar, so a daily 09:00 digest stays at 09:00 across DST changes. A local
time that does not exist (skipped by a DST jump) runs at the same wall time after the jump.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchlists.errors import DealwatchError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(DealwatchError):
    """A schedule or timezone a person typed is not valid."""


@dataclass(frozen=True)
class Schedule:
    """When a channel's digest goes out: days of the week and a local time."""

    kind: str  # daily | weekdays | weekly
    at: time
    weekday: int = 0

    def __str__(self) -> str:
        clock = self.at.strftime("%H:%M")
        if self.kind == "weekly":
            return f"weekly {DAYS[self.weekday]} {clock}"
        return f"{self.kind} {clock}"

    def runs_on(self, day: int) -> bool:
        """True when the digest goes out on that weekday (0 = Monday)."""
        if self.kind == "daily":
            return True
        if self.kind == "weekdays":
            return day < 5
        return day == self.weekday


def parse_schedule(text: str) -> Schedule:
    """A Schedule from `daily HH:MM`, `weekdays HH:MM` or `weekly <day> HH:MM`."""
    words = text.strip().lower().split()
    if len(words) == 2 and words[0] in ("daily", "weekdays"):
        return Schedule(kind=words[0], at=_parse_time(words[1]))
    if len(words) == 3 and words[0] == "weekly":
        day = words[1][:3]
        if day not in DAYS:
            raise ScheduleError(f"`{words[1]}` is not a day of the week (mon, tue, ... sun)")
        return Schedule(kind="weekly", at=_parse_time(words[2]), weekday=DAYS.index(day))
    raise ScheduleError(
        f"`{text.strip()[:60]}` is not a schedule: use daily HH:MM, weekdays HH:MM "
        "or weekly <day> HH:MM"
    )


def _parse_time(text: str) -> time:
    found = _TIME.match(text)
    if not found:
        raise ScheduleError(f"`{text[:20]}` is not a time: use 24-hour HH:MM, e.g. 09:00")
    return time(int(found.group(1)), int(found.group(2)))


def parse_timezone(name: str) -> ZoneInfo:
    """The IANA zone with that name, or ScheduleError."""
    try:
        if not re.fullmatch(r"[A-Za-z0-9_+\-/]{1,64}", name):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"`{name[:64]}` is not an IANA timezone (e.g. Europe/London, America/New_York)"
        ) from None


def next_run(schedule: Schedule, timezone: str, after: datetime) -> datetime:
    """The first run strictly after `after`, as an aware datetime in the channel's zone."""
    zone = parse_timezone(timezone)
    local = after.astimezone(zone)
    for offset in range(0, 8):
        day = local.date() + timedelta(days=offset)
        if not schedule.runs_on(day.weekday()):
            continue
        candidate = datetime.combine(day, schedule.at, tzinfo=zone)
        # Round-trip through UTC to resolve times skipped or repeated by DST.
        candidate = candidate.astimezone(zone)
        if candidate > after:
            return candidate
    raise AssertionError("a schedule runs at least once a week")
