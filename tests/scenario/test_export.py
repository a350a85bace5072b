"""`/deals export`: the channel's stories as a CSV file, uploaded the files_upload_v2 way."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import text

from tests.fakes.slack_api import UploadedFile
from tests.scenario.conftest import RunningBot
from tests.scenario.test_watchlists import ask, ingest
from watchlists.model import Article

KASPI = Article(
    id="kaspi-1",
    title="=SUM(A1:A9) Kaspi agrees to acquire Georgian lender for $120 million",
    text="Kaspi said it agreed to acquire a Georgian lender for $120 million in cash.",
    url="https://news.example.com/kaspi-lender",
    published=datetime(2026, 3, 2, 7, 30, tzinfo=UTC),
    source="Example Wire",
)
OZON = Article(
    id="ozon-1",
    title="Озон покупает платёжный сервис",
    text="Компания Озон объявила о покупке платёжного сервиса.",
    url="https://news.example.com/ozon-payments",
    published=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
    source="@Telegram Digest",
)
ALIBABA = Article(
    id="alibaba-1",
    title="Alibaba opens a data centre in Jakarta",
    text="Alibaba Cloud opened its third Indonesian data centre.",
    url="https://news.example.com/alibaba-jakarta",
    source="Example Wire",
)


def uploaded(bot: RunningBot, count: int = 1) -> list[UploadedFile]:
    """The completed uploads once there are count of them."""
    bot.slack.wait_for("files.completeUploadExternal", count)
    return bot.slack.uploaded_files()


def rows_of(upload: UploadedFile) -> list[dict[str, str]]:
    """The CSV rows of an uploaded file, keyed by column."""
    return list(csv.DictReader(io.StringIO(upload.content.decode("utf-8-sig"))))


def test_export_uploads_the_channels_stories_as_csv(bot: RunningBot) -> None:
    ask(bot, "watch Kaspi")
    ask(bot, "watch Ozon aka Озон")
    ask(bot, "watch Alibaba", "C0OTHER")
    ingest(bot, KASPI, OZON, ALIBABA)
    answer = ask(bot, "export 30d")
    assert answer == "Exported 2 stories of the last 30d as a CSV file."
    [upload] = uploaded(bot)
    assert upload.channel == "C0DEALS"
    assert upload.filename.startswith("dealwatch-C0DEALS-30d-") and upload.filename.endswith(".csv")
    assert upload.length == len(upload.content)
    rows = rows_of(upload)
    assert list(rows[0]) == [
        "published",
        "story title",
        "url",
        "source",
        "entities",
        "deal type",
        "stage",
        "amount",
        "summary",
        "also reported by",
    ]
    by_url = {row["url"]: row for row in rows}
    assert set(by_url) == {KASPI.url, OZON.url}
    kaspi = by_url[KASPI.url]
    assert kaspi["published"] == "2026-03-02 07:30"
    assert kaspi["story title"] == "'" + KASPI.title
    assert (kaspi["entities"], kaspi["deal type"], kaspi["stage"], kaspi["amount"]) == (
        "Kaspi",
        "acquisition",
        "announced",
        "$120 million",
    )
    ozon = by_url[OZON.url]
    assert ozon["story title"] == OZON.title
    assert ozon["source"] == "'@Telegram Digest"
    assert ozon["entities"] == "Ozon"


def test_export_leaves_out_stories_older_than_the_period(bot: RunningBot) -> None:
    ask(bot, "watch Kaspi")
    ask(bot, "watch Ozon aka Озон")
    ingest(bot, KASPI, OZON)
    with bot.store.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE delivery SET created_at = :old WHERE story_id IN "
                "(SELECT story_id FROM article WHERE guid = 'kaspi-1')"
            ),
            {"old": datetime(2020, 1, 1, tzinfo=UTC)},
        )
    assert ask(bot, "export 7d").startswith("Exported 1 story")
    [row] = rows_of(uploaded(bot)[0])
    assert row["url"] == OZON.url


def test_export_without_stories_says_so_and_uploads_nothing(bot: RunningBot) -> None:
    ask(bot, "watch Kaspi")
    assert ask(bot, "export") == "No stories reached this channel in the last 30d."
    assert bot.slack.calls_to("files.getUploadURLExternal") == []


def test_export_with_a_bad_period_explains_itself(bot: RunningBot) -> None:
    answer = ask(bot, "export forever")
    assert "`forever` is not a duration" in answer
    assert "export [30d]" in answer


def test_a_refused_upload_is_reported_to_the_person(bot: RunningBot) -> None:
    ask(bot, "watch Kaspi")
    ingest(bot, KASPI)
    bot.slack.fail_next("files.getUploadURLExternal", "missing_scope")
    assert ask(bot, "export") == "Slack refused the file upload: missing_scope."
    assert bot.slack.uploaded_files() == []
