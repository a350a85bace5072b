"""`dealwatch shell`: stdin fed to a real subprocess, and the same loop in-process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.cli import EXIT_DB_SCHEMA
from bot.shell import mrkdwn_to_plain, run_shell
from db.store import SqlStore

ROOT = Path(__file__).resolve().parents[2]

ARTICLES = [
    {
        "id": "kaspi-1",
        "title": "Kaspi agrees to acquire Georgian lender for $120 million",
        "text": "Kaspi said it agreed to acquire a Georgian lender for $120 million in cash.",
        "url": "https://news.example.com/kaspi-lender",
        "source": "Example Wire",
    },
    {
        "id": "weather-1",
        "title": "Rain expected across the region",
        "text": "Forecasters expect rain all week.",
    },
]


def shell_process(
    stdin: str, *args: str, cwd: Path, env: dict[str, str] | None = None, replace_env: bool = False
) -> subprocess.CompletedProcess[str]:
    base = {} if replace_env else os.environ
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "shell", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )


@pytest.fixture
def articles_file(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    return path


def test_shell_subprocess_plays_a_channel_from_stdin(tmp_path: Path, articles_file: Path) -> None:
    script = "\n".join(
        [
            "/deals watch AT&T aka Kaspi Bank",
            "watch! Kaspi",
            "frobnicate now",
            f"ingest {articles_file}",
            "digest now",
            "export 30d",
            "quit",
            "watch Never Reached",
        ]
    )
    result = shell_process(script, "--db", str(tmp_path / "shell.db"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Watching AT&T (aka Kaspi Bank) in this channel." in out
    assert "[to the channel] This channel now watches Kaspi." in out
    assert "frobnicate is not a /deals command." in out and "Usage: /deals <command>" in out
    assert "articles.jsonl: 2 new article(s); 1 matched a watched entity" in out
    assert "Deal digest: 1 story" in out
    assert f"{ARTICLES[0]['title']} ({ARTICLES[0]['url']})" in out
    assert "Posted 1 story." in out
    assert "Never Reached" not in out
    assert "*" not in out and "&amp;" not in out and "Traceback" not in result.stderr
    [export] = tmp_path.glob("dealwatch-C0LOCAL-30d-*.csv")
    [row] = csv.DictReader(io.StringIO(export.read_text(encoding="utf-8-sig")))
    assert row["url"] == ARTICLES[0]["url"]


def test_shell_subprocess_uses_database_url_and_refuses_an_unmigrated_one(
    tmp_path: Path,
) -> None:
    refused = shell_process(
        "list\n", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    )
    assert refused.returncode == EXIT_DB_SCHEMA
    assert "dealwatch db upgrade" in refused.stderr
    assert refused.stdout == ""
    assert list(tmp_path.iterdir()) == [], "a refusal creates no file"


def test_shell_without_a_database_creates_migrates_and_checkpoints_its_own(
    tmp_path: Path,
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    first = shell_process("watch Kaspi\nquit\n", cwd=tmp_path, env=env, replace_env=True)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    database = tmp_path / "dealwatch.db"
    assert f"database saved in {database}" in first.stderr
    assert (
        not (tmp_path / "dealwatch.db-wal").exists()
        or not (tmp_path / "dealwatch.db-wal").stat().st_size
    )
    copy = tmp_path / "copy" / "alone.db"
    copy.parent.mkdir()
    shutil.copyfile(database, copy)  # the .db alone, as a user would copy it
    again = shell_process("list\n", cwd=tmp_path, env={**env, "DATABASE_URL": f"sqlite:///{copy}"})
    assert again.returncode == 0, again.stderr
    assert "Kaspi" in again.stdout


def test_shell_changes_are_stored_for_the_channel_it_plays(engine: Engine, tmp_path: Path) -> None:
    out = io.StringIO()
    lines = [
        "watch Kaspi",
        "watchlist new fintech",
        "watchlist add fintech Ozon",
        "subscribe fintech",
    ]
    run_shell(SqlStore(engine), "T0DESK", "C0DESK", lines=lines, out=out, export_dir=tmp_path)
    with engine.connect() as connection:
        names = connection.execute(
            text(
                "SELECT DISTINCT entity.name FROM entity "
                "JOIN watchlistentity ON watchlistentity.entity_id = entity.id "
                "JOIN subscription ON subscription.watchlist_id = watchlistentity.watchlist_id "
                "JOIN channel ON channel.id = subscription.channel_id "
                "JOIN workspace ON workspace.id = channel.workspace_id "
                "WHERE channel.slack_id = 'C0DESK' AND workspace.team_id = 'T0DESK'"
            )
        ).scalars()
        assert sorted(names) == ["Kaspi", "Ozon"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("tz Mars/Olympus", "`Mars/Olympus` is not an IANA timezone", id="bad-zone"),
        pytest.param("digest daily 25:99", "is not a time", id="bad-time"),
        pytest.param("ingest /no/such/file.jsonl", "error: /no/such/file.jsonl", id="no-file"),
        pytest.param("ingest", "error: `ingest` needs a file", id="ingest-nothing"),
        pytest.param("watchlist", "`watchlist` needs an argument", id="missing-argument"),
    ],
)
def test_shell_answers_bad_lines_with_one_reason_and_goes_on(
    engine: Engine, tmp_path: Path, line: str, expected: str
) -> None:
    out = io.StringIO()
    run_shell(SqlStore(engine), lines=[line, "watch Kaspi"], out=out, export_dir=tmp_path)
    printed = out.getvalue().replace("`", "")
    assert expected.replace("`", "") in printed
    assert printed.rstrip().endswith("[to the channel] This channel now watches Kaspi.")


@pytest.mark.parametrize(
    ("mrkdwn", "plain"),
    [
        pytest.param("*Bold* &lt;tag&gt; &amp; co", "Bold <tag> & co", id="escapes"),
        pytest.param("<https://x.example/a|A story>", "A story (https://x.example/a)", id="link"),
        pytest.param("subscribed: <#C0ONE>, <#C0TWO|two>", "subscribed: #C0ONE, #C0TWO", id="chan"),
        pytest.param(
            "1. Wire <https://f.example/rss> · ok", "1. Wire https://f.example/rss · ok", id="url"
        ),
    ],
)
def test_replies_print_as_readable_text(mrkdwn: str, plain: str) -> None:
    assert mrkdwn_to_plain(mrkdwn) == plain


def test_shell_in_instant_mode_shows_the_alert_on_ingest(
    engine: Engine, tmp_path: Path, articles_file: Path
) -> None:
    out = io.StringIO()
    lines = ["watch! Kaspi", "digest instant", f"ingest {articles_file}"]
    run_shell(SqlStore(engine), "T0DESK", "C0DESK", lines=lines, out=out, export_dir=tmp_path)
    shown = out.getvalue().split("deliveries queued", 1)[1]
    assert "Kaspi agrees to acquire Georgian lender" in shown
