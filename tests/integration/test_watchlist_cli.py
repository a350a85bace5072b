"""`dealwatch watchlist import|export` against the test database.

One test runs the real console script in a subprocess; the others call the same `main`
in-process, which is the same code without the interpreter start-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.cli import EXIT_DB_SCHEMA, EXIT_USAGE, main
from watchlists.watchlist_file import parse_watchlist

ROOT = Path(__file__).resolve().parents[2]

WATCHLIST = """
[[entity]]
name = "Russian Direct Investment Fund"
aliases = ["RDIF", "РФПИ"]

[[entity]]
name = "Ozon"
aliases = ["Озон"]
exclude = ["ozone layer"]

[[entity]]
name = "Say \\"Cheese\\" Capital"
"""


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


Dealwatch = Callable[..., Outcome]


@pytest.fixture
def dealwatch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Dealwatch:
    """`dealwatch ARGS` with DATABASE_URL set, run in-process."""

    def run(database_url: str, *args: str) -> Outcome:
        monkeypatch.setenv("DATABASE_URL", database_url)
        capsys.readouterr()
        code = main(with_create_team(args))
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


DEALWATCH = [sys.executable, "-m", "bot.cli"]


def with_create_team(args: tuple[str, ...]) -> list[str]:
    """Imports here name their workspace on an empty database: let them create it."""
    if args[:2] == ("watchlist", "import") and "--team" in args:
        return [*args, "--create-team"]
    return list(args)


def dealwatch_process(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *with_create_team(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
    )


def row_counts(engine: Engine) -> dict[str, int]:
    tables = ("workspace", "channel", "watchlist", "watchlistentity", "entity", "alias")
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in (*tables, "entityexclusion", "subscription")
        }


@pytest.fixture
def watchlist_file(tmp_path: Path) -> Path:
    path = tmp_path / "russia.toml"
    path.write_text(WATCHLIST, encoding="utf-8")
    return path


def test_export_round_trips_through_import(
    dealwatch: Dealwatch, engine: Engine, database_url: str, watchlist_file: Path, tmp_path: Path
) -> None:
    imported = dealwatch(
        database_url, "watchlist", "import", str(watchlist_file), "--name", "russia", "--team", "T1"
    )
    assert imported.returncode == 0, imported.stderr
    assert "3 added" in imported.stdout
    exported = dealwatch(database_url, "watchlist", "export", "--name", "russia", "--team", "T1")
    assert exported.returncode == 0, exported.stderr
    entities = parse_watchlist(exported.stdout)
    expected = parse_watchlist(WATCHLIST)
    assert sorted((e.name, e.aliases, e.exclude) for e in entities) == sorted(
        (e.name, e.aliases, e.exclude) for e in expected
    )
    copy = tmp_path / "copy.toml"
    copy.write_text(exported.stdout, encoding="utf-8")
    assert (
        dealwatch(
            database_url, "watchlist", "import", str(copy), "--name", "copy", "--team", "T1"
        ).returncode
        == 0
    )
    again = dealwatch(database_url, "watchlist", "export", "--name", "copy", "--team", "T1")
    assert again.stdout == exported.stdout


def test_importing_the_same_file_twice_changes_nothing(
    dealwatch: Dealwatch, engine: Engine, database_url: str, watchlist_file: Path
) -> None:
    args = ("watchlist", "import", str(watchlist_file), "--channel", "C0DESK", "--team", "T1")
    assert dealwatch(database_url, *args).returncode == 0
    before = row_counts(engine)
    second = dealwatch(database_url, *args)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "own list of C0DESK: 0 added; 3 already there"
    assert row_counts(engine) == before


def test_import_into_a_channel_fills_its_own_list(
    dealwatch: Dealwatch, engine: Engine, database_url: str, watchlist_file: Path
) -> None:
    result = dealwatch(
        database_url,
        "watchlist",
        "import",
        str(watchlist_file),
        "--channel",
        "C0DESK",
        "--team",
        "T1",
    )
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        names = connection.execute(
            text(
                "SELECT entity.name FROM entity "
                "JOIN watchlistentity ON watchlistentity.entity_id = entity.id "
                "JOIN watchlist ON watchlist.id = watchlistentity.watchlist_id "
                "JOIN channel ON channel.id = watchlist.owner_channel_id "
                "WHERE channel.slack_id = 'C0DESK'"
            )
        ).scalars()
        assert sorted(names) == ["Ozon", "Russian Direct Investment Fund", 'Say "Cheese" Capital']
    exported = dealwatch(database_url, "watchlist", "export", "--channel", "C0DESK")
    assert exported.returncode == 0, exported.stderr
    assert 'name = "Say \\"Cheese\\" Capital"' in exported.stdout


def test_import_reports_new_aliases_of_known_entities(
    dealwatch: Dealwatch, engine: Engine, database_url: str, watchlist_file: Path, tmp_path: Path
) -> None:
    dealwatch(
        database_url, "watchlist", "import", str(watchlist_file), "--name", "a", "--team", "T1"
    )
    more = tmp_path / "more.toml"
    more.write_text('[[entity]]\nname = "RDIF"\naliases = ["RDIF Capital"]\n', encoding="utf-8")
    result = dealwatch(
        database_url, "watchlist", "import", str(more), "--name", "a", "--team", "T1"
    )
    assert result.stdout.strip() == (
        "a: 0 added; 1 got new aliases (Russian Direct Investment Fund); 0 already there"
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        pytest.param(("export", "--name", "missing", "--team", "T1"), "no watchlist", id="unknown"),
        pytest.param(("export", "--name", "x"), "pass --team", id="no-team-known"),
        pytest.param(
            ("import", "FILE", "--name", "#C0DESK", "--team", "T1"), "own lists", id="reserved"
        ),
        pytest.param(("import", "FILE", "--name", "two words"), "not a list name", id="spaces"),
    ],
)
def test_bad_requests_fail_with_a_reason_and_change_nothing(
    dealwatch: Dealwatch,
    engine: Engine,
    database_url: str,
    watchlist_file: Path,
    args: tuple[str, ...],
    reason: str,
) -> None:
    if "two words" in args or "missing" in args:
        dealwatch(
            database_url, "watchlist", "import", str(watchlist_file), "--name", "ok", "--team", "T1"
        )
    before = row_counts(engine)
    filled = [str(watchlist_file) if arg == "FILE" else arg for arg in args]
    result = dealwatch(database_url, "watchlist", *filled)
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert row_counts(engine) == before


def test_bad_toml_is_refused_with_the_file_name(
    dealwatch: Dealwatch, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[entity]]\nname = "Unclosed\n', encoding="utf-8")
    result = dealwatch(
        database_url, "watchlist", "import", str(broken), "--name", "x", "--team", "T1"
    )
    assert result.returncode == 2
    assert "broken.toml" in result.stderr and "Traceback" not in result.stderr
    assert row_counts(engine)["watchlist"] == 0


def test_an_unmigrated_database_is_refused(
    dealwatch: Dealwatch, tmp_path: Path, watchlist_file: Path
) -> None:
    result = dealwatch(
        f"sqlite:///{tmp_path / 'empty.db'}",
        *("watchlist", "import", str(watchlist_file), "--name", "x", "--team", "T1"),
    )
    assert result.returncode == EXIT_DB_SCHEMA
    assert "dealwatch db upgrade" in result.stderr
    assert list(tmp_path.iterdir()) == [watchlist_file], "a refusal creates no file"


@pytest.mark.parametrize("action", ["import", "export"])
def test_an_unknown_team_is_refused_unless_it_is_to_be_created(
    engine: Engine, database_url: str, watchlist_file: Path, action: str
) -> None:
    file_args = [str(watchlist_file)] if action == "import" else []
    refused = subprocess.run(
        [*DEALWATCH, "watchlist", action, *file_args, "--name", "x", "--team", "TNOPE"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
    )
    assert refused.returncode == EXIT_USAGE
    assert "unknown workspace TNOPE" in refused.stderr and "--create-team" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert row_counts(engine)["workspace"] == 0
    if action == "import":
        created = dealwatch_process(
            database_url,
            "watchlist",
            "import",
            str(watchlist_file),
            "--name",
            "x",
            "--team",
            "TNOPE",
        )
        assert created.returncode == 0, created.stderr
        assert row_counts(engine)["workspace"] == 1


def test_the_console_script_imports_and_exports(
    engine: Engine, database_url: str, watchlist_file: Path
) -> None:
    imported = dealwatch_process(
        database_url, "watchlist", "import", str(watchlist_file), "--name", "russia", "--team", "T1"
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("russia: 3 added")
    exported = dealwatch_process(database_url, "watchlist", "export", "--name", "russia")
    assert exported.returncode == 0, exported.stderr
    assert len(parse_watchlist(exported.stdout)) == 3


@pytest.mark.parametrize("args", [["watchlist", "--help"], ["watchlist", "import", "--help"]])
def test_watchlist_command_explains_itself(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 0
    assert "usage: dealwatch watchlist" in capsys.readouterr().out
