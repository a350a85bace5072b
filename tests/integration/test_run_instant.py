"""A real `dealwatch run`: an article pushed to POST /ingest reaches instant channels at
once, long before the next pipeline interval."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from db.store import SqlStore
from tests.fakes.running_bot import dealwatch_run, ingest
from tests.fakes.slack_api import FakeSlack
from watchlists.model import Entity
from watchlists.services import set_digest

# Generous: the figures live in benchmarks/bench_instant.py; this checks behaviour.
DELIVERY_LIMIT_S = 20.0
CHANNELS = 3


def test_an_ingested_article_reaches_instant_channels_before_the_next_interval(
    database_url: str, engine: Engine, slack: FakeSlack
) -> None:
    store = SqlStore(engine)
    for n in range(CHANNELS):
        channel = store.ensure_channel("T1", f"C{n}", f"desk-{n}")
        store.watch(channel.id, Entity(name="Alibaba"))
        set_digest(store, channel, "instant", datetime.now(UTC))
    # An hour between cycles: only the wake-up of the ingest can deliver in time.
    with dealwatch_run(database_url, slack.url, {"DEALWATCH_PIPELINE_INTERVAL": "3600"}) as url:
        answer = ingest(
            url,
            [
                {
                    "id": "wire-1",
                    "title": "Alibaba agrees to buy Zorvex Robotics",
                    "text": "Alibaba agrees to buy Zorvex Robotics for $90 million in cash.",
                    "url": "https://wire.test/1",
                }
            ],
        )
        assert answer.status_code == 202, answer.text
        deadline = time.monotonic() + DELIVERY_LIMIT_S
        while time.monotonic() < deadline:
            reached = {
                call.body["channel"]
                for call in slack.calls_to("chat.postMessage")
                if "Zorvex" in str(call.body.get("text", ""))
            }
            if len(reached) == CHANNELS:
                break
            time.sleep(0.05)
    assert reached == {f"C{n}" for n in range(CHANNELS)}
