"""A message that floods the log (out of file descriptors) is let through once a minute."""

from __future__ import annotations

import io
import logging

from bot.observability import FLOOD_INTERVAL_S, FloodFilter, configure_logging
from bot.settings import Settings


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _accept_failure(logger: logging.Logger) -> None:
    try:
        raise OSError(24, "Too many open files")
    except OSError:
        logger.error("socket.accept() out of system resource\nsocket: <socket fd=5>", exc_info=True)


def test_accept_failures_are_logged_once_per_interval_with_the_count_dropped() -> None:
    clock = FakeClock()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(FloodFilter(clock=clock))
    logger = logging.getLogger("test.flood.asyncio")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for _ in range(500):
            _accept_failure(logger)
        logger.error("a different error")
        clock.now += FLOOD_INTERVAL_S
        _accept_failure(logger)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines == [
        "socket.accept() out of system resource: [Errno 24] Too many open files",
        "a different error",
        "socket.accept() out of system resource: [Errno 24] Too many open files "
        f"(499 more in the last {FLOOD_INTERVAL_S:.0f} s not logged)",
    ]


def test_the_configured_handler_filters_the_flood() -> None:
    stream = io.StringIO()
    handler = configure_logging(Settings(), stream=stream)
    try:
        for _ in range(100):
            _accept_failure(logging.getLogger("asyncio"))
    finally:
        logging.getLogger().removeHandler(handler)
    assert stream.getvalue().count("out of system resource") == 1
    assert "Traceback" not in stream.getvalue()
