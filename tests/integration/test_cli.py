"""The dealwatch command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEALWATCH = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parents[2]

WATCHLIST = """
[[entity]]
name = "RDIF"
aliases = ["Russian Direct Investment Fund"]

[[entity]]
name = "Alibaba"
"""


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DEALWATCH, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.mark.parametrize("command", ["run", "demo", "match", "ingest", "eval", "db", "secrets"])
def test_every_subcommand_explains_itself(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: dealwatch" in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_match_prints_one_jsonl_line_per_article_in_order(tmp_path: Path) -> None:
    (tmp_path / "w.toml").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "first.txt").write_text(
        "Alibaba news\nAlibaba and Alibaba again.", encoding="utf-8"
    )
    lines = "\n".join(
        [
            json.dumps({"id": "j1", "title": "Nothing", "text": "No names here."}),
            "{not json",
            json.dumps(
                {"id": "j2", "title": "RDIF deal", "text": "The Russian Direct Investment Fund."}
            ),
        ]
    )
    result = run(
        "match",
        "--watchlist",
        str(tmp_path / "w.toml"),
        str(tmp_path / "first.txt"),
        "-",
        stdin=lines,
    )
    assert result.returncode == 1, result.stderr  # a line was skipped
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in out] == ["first", "j1", "j2"]
    assert [m["entity"] for m in out[0]["matches"]] == ["Alibaba"] * 3
    assert out[1]["matches"] == []
    rdif = out[2]["matches"]
    assert {m["entity"] for m in rdif} == {"RDIF"}
    text_match = next(m for m in rdif if m["field"] == "text")
    assert text_match["text"] == "Russian Direct Investment Fund"
    assert text_match["start"] == 4 and text_match["end"] == 34
    assert "<stdin>:2: skipped" in result.stderr


def test_match_with_invalid_watchlist_exits_non_zero_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "w.toml").write_text('[[entity]]\naliases = ["x"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("t\nx", encoding="utf-8")
    result = run("match", "--watchlist", str(tmp_path / "w.toml"), str(tmp_path / "a.txt"))
    assert result.returncode != 0
    assert "w.toml:1: entity #1 has no name" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_match_with_missing_input_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "w.toml").write_text(WATCHLIST, encoding="utf-8")
    result = run("match", "--watchlist", str(tmp_path / "w.toml"), str(tmp_path / "nope.txt"))
    assert result.returncode != 0
    assert "nope.txt: no such file" in result.stderr


def test_db_upgrade_then_ingest_stores_and_processes(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    refused = run("ingest", str(ROOT / "bot/demo_data/sample-feed.xml"), env=env)
    assert refused.returncode != 0 and "dealwatch db upgrade" in refused.stderr
    assert run("db", "upgrade", env=env).returncode == 0
    result = run("ingest", str(ROOT / "bot/demo_data/sample-feed.xml"), env=env)
    assert result.returncode == 0, result.stderr
    assert "10 new article(s)" in result.stdout
    again = run("ingest", str(ROOT / "bot/demo_data/sample-feed.xml"), env=env)
    assert "0 new article(s)" in again.stdout


def test_demo_prints_a_digest_naming_the_three_entities(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    for name in ("Alibaba", "RDIF", "VK"):
        assert "Why: " in result.stdout and name in result.stdout
    payload = json.loads((tmp_path / "out" / "digest-page-1.json").read_text(encoding="utf-8"))
    assert payload["blocks"][0]["type"] == "header"
    assert len(payload["blocks"]) <= 50


HEAVY_PACKAGES = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "slack_sdk",
    "slack_bolt",
    "httpx",
    "feedparser",
)
# Runs the CLI in-process, then prints which heavy packages it loaded.
LOADED = """
import sys
from bot.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1].split(','))), file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["--help", "match --help", "match"])
def test_help_and_match_load_no_sql_slack_http_or_feed_stack(tmp_path: Path, command: str) -> None:
    (tmp_path / "w.toml").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Alibaba news\nAlibaba bought a shop.", encoding="utf-8")
    args = command.split()
    if args == ["match"]:
        args += ["--watchlist", str(tmp_path / "w.toml"), str(tmp_path / "a.txt")]
    result = subprocess.run(
        [sys.executable, "-c", LOADED, ",".join(HEAVY_PACKAGES), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr


def test_ingest_refuses_a_file_over_the_ingest_cap_and_stores_nothing(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "DEALWATCH_INGEST_MAX_BYTES": "2000",
    }
    assert run("db", "upgrade", env=env).returncode == 0
    feed = ROOT / "bot/demo_data/sample-feed.xml"
    assert feed.stat().st_size > 2000
    result = run("ingest", str(feed), env=env)
    assert result.returncode != 0
    assert f"{feed.stat().st_size} bytes is over the ingest cap of 2000 bytes" in result.stderr
    assert "DEALWATCH_INGEST_MAX_BYTES" in result.stderr
    status = run("status", env=env)
    assert "articles    0 total" in status.stdout, status.stdout
