"""Every user mistake or outage ends in one line on stderr, a distinct exit code and no traceback.

Each case runs the real console script in a subprocess; `-v` brings the traceback back.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import (
    EXIT_BROKEN_PIPE,
    EXIT_CONFIG,
    EXIT_DB_SCHEMA,
    EXIT_DB_UNREACHABLE,
    EXIT_SKIPPED,
    EXIT_SLACK_REJECTED,
    EXIT_SLACK_UNREACHABLE,
    EXIT_USAGE,
)
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
DEALWATCH = [sys.executable, "-m", "bot.cli"]
WATCHLIST = '[[entity]]\nname = "Alibaba"\naliases = ["Alibaba Group"]\n'
ARTICLE = "Alibaba buys a shop\nAlibaba agreed to buy a shop.\n"
SLACK_ENV = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", "PORT": "0"}


def dealwatch(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return subprocess.run(
        [*DEALWATCH, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("dealwatch:")]
    assert errors, result.stderr
    assert any(all(word in line for word in words) for line in errors), result.stderr


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "w.toml").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


# Databases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code", "word"),
    [
        pytest.param("mysql://user@127.0.0.1/deals", EXIT_CONFIG, "driver", id="mysql"),
        pytest.param("garbage", EXIT_CONFIG, "not a database URL", id="garbage"),
        pytest.param(
            "postgresql://postgres@127.0.0.1:9/test", EXIT_DB_UNREACHABLE, "cannot open", id="down"
        ),
    ],
)
def test_unusable_database_url_is_one_line(tmp_path: Path, url: str, code: int, word: str) -> None:
    for command in (["status"], ["db", "current"], ["watchlist", "export", "--name", "x"]):
        assert_one_line_error(
            dealwatch(*command, cwd=tmp_path, env={"DATABASE_URL": url}), code, word
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not PG_URL, reason="DEALWATCH_TEST_DATABASE_URL is not set")
def test_a_database_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    url = PG_URL.rsplit("/", 1)[0] + "/dealwatch_no_such_db"
    result = dealwatch("status", cwd=tmp_path, env={"DATABASE_URL": url})
    assert_one_line_error(result, EXIT_DB_UNREACHABLE, "does not exist")


def test_a_missing_sqlite_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    for command in (["status"], ["run"], ["db", "downgrade", "0001"], ["watchlist", "export"]):
        env = {"DATABASE_URL": "sqlite:///dealwatch.db", **SLACK_ENV}
        result = (
            dealwatch(*command, "--name", "x", cwd=tmp_path, env=env)
            if command[0] == ("watchlist")
            else dealwatch(*command, cwd=tmp_path, env=env)
        )
        assert_one_line_error(result, EXIT_DB_SCHEMA, "dealwatch db upgrade")
    assert list(tmp_path.iterdir()) == []


def test_unknown_revision_is_one_line_and_verbose_shows_the_traceback(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    assert dealwatch("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    assert_one_line_error(
        dealwatch("db", "downgrade", "bogus", cwd=tmp_path, env=env), EXIT_DB_SCHEMA, "bogus"
    )
    verbose = dealwatch("db", "downgrade", "bogus", "-v", cwd=tmp_path, env=env)
    assert verbose.returncode == EXIT_DB_SCHEMA
    assert "Traceback" in verbose.stderr


# Slack -----------------------------------------------------------------------------------


class _InvalidAuth(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({"ok": False, "error": "invalid_auth"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def rejecting_slack() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _InvalidAuth)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def migrated(tmp_path: Path) -> dict[str, str]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    assert dealwatch("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    return env


def test_slack_unreachable_is_one_line(tmp_path: Path, migrated: dict[str, str]) -> None:
    env = {**migrated, **SLACK_ENV, "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    result = dealwatch("run", cwd=tmp_path, env=env)
    assert_one_line_error(result, EXIT_SLACK_UNREACHABLE, "cannot reach Slack")


def test_invalid_token_is_one_line_without_bolt_or_alembic_noise(
    tmp_path: Path, migrated: dict[str, str], rejecting_slack: str
) -> None:
    env = {**migrated, **SLACK_ENV, "SLACK_API_URL": rejecting_slack}
    result = dealwatch("run", cwd=tmp_path, env=env)
    assert_one_line_error(result, EXIT_SLACK_REJECTED, "invalid_auth", "SLACK_BOT_TOKEN")
    assert "will be unused" not in result.stderr
    assert "alembic" not in result.stderr


def test_missing_credentials_point_at_the_readme_heading(
    tmp_path: Path, migrated: dict[str, str]
) -> None:
    result = dealwatch("run", cwd=tmp_path, env=migrated)
    assert_one_line_error(result, EXIT_CONFIG, "Connect your Slack workspace")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Connect your Slack workspace" in readme


# Pipes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["match", "demo"])
def test_a_reader_that_stops_early_gets_no_traceback(files: Path, command: str) -> None:
    many = [str(files / "a.txt")] * 2000
    args = (
        ["match", "--watchlist", str(files / "w.toml"), *many]
        if command == "match"
        else [
            "demo",
            "--out",
            str(files / "demo"),
        ]
    )
    reader = subprocess.Popen(
        [*DEALWATCH, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=files,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # as `| head -1` does
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == EXIT_BROKEN_PIPE, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


# Inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        pytest.param({"title": "Alibaba", "body": "Alibaba buys"}, "`body`", id="body"),
        pytest.param({"headline": "Alibaba buys", "text": "x"}, "`headline`", id="headline"),
    ],
)
def test_unknown_jsonl_keys_are_named_and_fail_unless_lenient(
    files: Path, line: dict[str, str], key: str
) -> None:
    args = ("match", "--watchlist", str(files / "w.toml"), "-")
    strict = dealwatch(*args, cwd=files, stdin=json.dumps(line) + "\n")
    assert_one_line_error(strict, EXIT_SKIPPED, "skipped")
    assert key in strict.stderr and "accepted keys: id, title, text" in strict.stderr
    assert "<stdin>:1" in strict.stderr and strict.stdout == ""
    lenient = dealwatch(*args[:1], "--lenient", *args[1:], cwd=files, stdin=json.dumps(line))
    assert lenient.returncode == 0, lenient.stderr
    assert key in lenient.stderr and "warning" in lenient.stderr
    assert len(lenient.stdout.splitlines()) == 1


def test_unknown_jsonl_keys_in_an_ingested_file_store_nothing(
    files: Path, migrated: dict[str, str]
) -> None:
    (files / "in.jsonl").write_text(
        json.dumps({"title": "Alibaba", "text": "ok"}) + "\n" + json.dumps({"body": "x"}) + "\n",
        encoding="utf-8",
    )
    refused = dealwatch("ingest", str(files / "in.jsonl"), cwd=files, env=migrated)
    assert_one_line_error(refused, EXIT_USAGE, "in.jsonl:2", "`body`", "accepted keys")
    status = dealwatch("status", "--json", cwd=files, env=migrated)
    assert json.loads(status.stdout)["articles"] == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            '[[entity]]\nname = "Foo"\nalias = ["F"]\n', ("w2.toml:3", "`alias`", "aliases")
        ),
        pytest.param('[[entities]]\nname = "Foo"\n', ("w2.toml:1", "`entities`", "entity")),
        pytest.param("", ("no entities",)),
        pytest.param("# nothing yet\n", ("no entities",)),
    ],
)
def test_watchlist_mistakes_are_refused(files: Path, text: str, words: tuple[str, ...]) -> None:
    (files / "w2.toml").write_text(text, encoding="utf-8")
    result = dealwatch(
        "match", "--watchlist", str(files / "w2.toml"), str(files / "a.txt"), cwd=files
    )
    assert_one_line_error(result, EXIT_USAGE, *words)


def test_lenient_watchlist_only_warns(files: Path) -> None:
    (files / "w2.toml").write_text(
        '[[entity]]\nname = "Alibaba"\nalias = ["A"]\n', encoding="utf-8"
    )
    result = dealwatch(
        "match", "--lenient", "--watchlist", str(files / "w2.toml"), str(files / "a.txt"), cwd=files
    )
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "`alias`" in result.stderr
    assert json.loads(result.stdout)["matches"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param("directory", ("is a directory",), id="directory"),
        pytest.param("file-url", ("file:// URLs",), id="file-url"),
        pytest.param("markdown", ("unsupported file type .md",), id="markdown"),
        pytest.param("empty-txt", ("empty file",), id="empty-txt"),
        pytest.param("missing", ("no such file",), id="missing"),
    ],
)
def test_file_messages_say_what_is_wrong(
    files: Path, migrated: dict[str, str], make: str, words: tuple[str, ...]
) -> None:
    (files / "folder").mkdir()
    (files / "notes.md").write_text("# Alibaba\n\nAlibaba buys.\n", encoding="utf-8")
    (files / "empty.txt").write_text("\n  \n", encoding="utf-8")
    name = {
        "directory": str(files / "folder"),
        "file-url": (files / "a.txt").as_uri(),
        "markdown": str(files / "notes.md"),
        "empty-txt": str(files / "empty.txt"),
        "missing": str(files / "nope.txt"),
    }[make]
    matched = dealwatch("match", "--watchlist", str(files / "w.toml"), name, cwd=files)
    assert_one_line_error(matched, EXIT_USAGE, *words)
    if make != "file-url":
        ingested = dealwatch("ingest", name, cwd=files, env=migrated)
        assert_one_line_error(ingested, EXIT_USAGE, *words)
    status = dealwatch("status", "--json", cwd=files, env=migrated)
    assert json.loads(status.stdout)["articles"] == 0


def test_ingest_exits_non_zero_when_lines_were_skipped(
    files: Path, migrated: dict[str, str]
) -> None:
    (files / "in.jsonl").write_text(
        json.dumps({"title": "Alibaba", "text": "ok"}) + "\n{not json\n", encoding="utf-8"
    )
    result = dealwatch("ingest", str(files / "in.jsonl"), cwd=files, env=migrated)
    assert_one_line_error(result, EXIT_SKIPPED, "skipped")
