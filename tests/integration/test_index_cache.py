"""The cache of built match indexes that `dealwatch match` keeps for big watchlist files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli import read_watchlist
from bot.index_cache import MIN_CACHED_ENTITIES, load_index
from watchlists.model import Article, Entity

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = Article(id="a", title="", text="Zorvex Holdings 17 agreed to buy Quamar Labs 3.")


def write_watchlist(path: Path, size: int, first: str = "Zorvex Holdings 17") -> None:
    names = [first, *(f"Quamar Labs {number}" for number in range(3, size + 2))]
    path.write_text(
        "".join(f"[[entity]]\nname = {json.dumps(name)}\n\n" for name in names[:size]),
        encoding="utf-8",
    )


class Reader:
    """read_watchlist that counts how often the file was parsed."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path, warn: Callable[[str], None] | None) -> list[Entity]:
        self.calls += 1
        return read_watchlist(path, warn is not None, warn)


def matched(path: Path, cache: Path, reader: Reader, lenient: bool = False) -> list[str]:
    index = load_index(path, lenient, cache, reader, lambda message: None)
    return [match.entity for match in index.match(ARTICLE)]


def test_a_big_watchlist_is_parsed_once_then_loaded_from_the_cache(tmp_path: Path) -> None:
    watchlist, cache, reader = tmp_path / "w.toml", tmp_path / "cache", Reader()
    write_watchlist(watchlist, MIN_CACHED_ENTITIES)
    first = matched(watchlist, cache, reader)
    second = matched(watchlist, cache, reader)
    assert reader.calls == 1
    assert first == second == ["Zorvex Holdings 17", "Quamar Labs 3"]
    assert len(list(cache.iterdir())) == 1


def test_an_edited_watchlist_misses_the_cache(tmp_path: Path) -> None:
    watchlist, cache, reader = tmp_path / "w.toml", tmp_path / "cache", Reader()
    write_watchlist(watchlist, MIN_CACHED_ENTITIES)
    matched(watchlist, cache, reader)
    write_watchlist(watchlist, MIN_CACHED_ENTITIES, first="Zorvex Capital 17")
    assert matched(watchlist, cache, reader) == ["Quamar Labs 3"]
    assert reader.calls == 2


def test_lenient_and_strict_reads_are_cached_apart_and_warnings_come_back(
    tmp_path: Path,
) -> None:
    watchlist, cache, reader = tmp_path / "w.toml", tmp_path / "cache", Reader()
    write_watchlist(watchlist, MIN_CACHED_ENTITIES)
    watchlist.write_text(
        watchlist.read_text(encoding="utf-8") + '[[entity]]\nname = "X9"\nticker = "X"\n',
        encoding="utf-8",
    )
    warnings: list[list[str]] = [[], []]
    for run in range(2):
        index = load_index(watchlist, True, cache, reader, warnings[run].append)
        assert index.match(ARTICLE)
    assert reader.calls == 1
    assert warnings[0] == warnings[1] and "unknown key `ticker`" in warnings[0][0]


def test_a_damaged_entry_is_rebuilt(tmp_path: Path) -> None:
    watchlist, cache, reader = tmp_path / "w.toml", tmp_path / "cache", Reader()
    write_watchlist(watchlist, MIN_CACHED_ENTITIES)
    matched(watchlist, cache, reader)
    (entry,) = cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:1000])
    assert matched(watchlist, cache, reader) == ["Zorvex Holdings 17", "Quamar Labs 3"]
    assert reader.calls == 2


def test_a_small_watchlist_is_not_cached(tmp_path: Path) -> None:
    watchlist, cache, reader = tmp_path / "w.toml", tmp_path / "cache", Reader()
    write_watchlist(watchlist, 10)
    matched(watchlist, cache, reader)
    matched(watchlist, cache, reader)
    assert reader.calls == 2
    assert not cache.exists()


def test_match_command_caches_in_xdg_cache_home_unless_told_not_to(tmp_path: Path) -> None:
    watchlist, article = tmp_path / "w.toml", tmp_path / "a.txt"
    write_watchlist(watchlist, MIN_CACHED_ENTITIES)
    article.write_text(f"Deal\n{ARTICLE.text}", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    outputs = []
    command = [sys.executable, "-m", "bot.cli", "match", "--watchlist", str(watchlist)]
    for extra in (["--no-index-cache"], [], []):
        result = subprocess.run(
            [*command, *extra, str(article)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
        if extra:
            assert not (tmp_path / "xdg").exists()
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(list((tmp_path / "xdg" / "dealwatch").iterdir())) == 1
