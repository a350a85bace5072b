"""A cache of built match indexes for `dealwatch match` on big watchlist files.

Parsing a 100,000-entity watchlist and building its index takes seconds; loading the index
built last time takes a fraction of that. An entry is keyed by the SHA-256 of the watchlist
file's bytes, the `--lenient` flag and a fingerprint of the code that builds the index (the
sources of `watchlists/`, the transliteration library's version, the Python version), so any
change to the file or to the matching code misses the cache and builds afresh. The warnings
`--lenient` printed when the entry was made are kept with it and printed again.

Entries are `marshal` files in a private folder (mode 0700): `marshal` is fast and loads
plain data only, but it trusts its input, as the code in the virtualenv is trusted; the
folder is the user's own. A damaged entry is ignored and rebuilt. Only the newest few
entries are kept.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import watchlists
from watchlists.matching import MatchIndex
from watchlists.model import Entity

# Smaller watchlists build in well under a second: not worth a file.
MIN_CACHED_ENTITIES = 1_000
# Entries kept; older ones are deleted when a new one is written.
KEPT_ENTRIES = 4
_FORMAT = b"dealwatch-match-index-1"
_SUFFIX = ".index"


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/dealwatch (else ~/.cache/dealwatch)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dealwatch"


def load_index(
    path: Path,
    lenient: bool,
    cache_dir: Path,
    read_entities: Callable[[Path, Callable[[str], None] | None], list[Entity]],
    warn: Callable[[str], None],
) -> MatchIndex:
    """The index of a watchlist file: from the cache when the same file was built before
    by the same code, else built with read_entities (and cached when big)."""
    try:
        key = _key(path.read_bytes(), lenient)
    except OSError:
        key = ""
    entry = cache_dir / f"{key}{_SUFFIX}"
    if key:
        cached = _read_entry(entry)
        if cached is not None:
            replayed, state = cached
            for message in replayed:
                warn(message)
            return MatchIndex.from_snapshot(state)
    warnings: list[str] = []

    def keep_and_warn(message: str) -> None:
        warnings.append(message)
        warn(message)

    entities = read_entities(path, keep_and_warn if lenient else None)
    index = MatchIndex(entities)
    if key and len(entities) >= MIN_CACHED_ENTITIES:
        _write_entry(entry, warnings, index)
    return index


def _key(content: bytes, lenient: bool) -> str:
    digest = hashlib.sha256(_FORMAT)
    digest.update(_code_fingerprint())
    digest.update(b"lenient" if lenient else b"strict")
    digest.update(content)
    return digest.hexdigest()


def _code_fingerprint() -> bytes:
    """What the index depends on besides the file: our sources, anyascii, Python."""
    from anyascii import __version__ as anyascii_version

    digest = hashlib.sha256(f"{sys.version}|{marshal.version}|{anyascii_version}".encode())
    # The word lists that decide which one-word names must read as a company.
    for package in ("wordfreq", "english-words"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"|{package}={metadata.version(package)}".encode())
    for source in sorted(Path(watchlists.__file__).parent.rglob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.digest()


def _read_entry(entry: Path) -> tuple[list[str], dict[str, object]] | None:
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    # Loading creates a few million objects at once: the collector would walk them all.
    collecting = gc.isenabled()
    gc.disable()
    try:
        header, warnings, state = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    finally:
        if collecting:
            gc.enable()
    if header != _FORMAT or not isinstance(state, dict):
        return None
    return list(warnings), state


def _write_entry(entry: Path, warnings: list[str], index: MatchIndex) -> None:
    """Write atomically (a reader sees the old entry or the whole new one); never fail."""
    with contextlib.suppress(OSError, ValueError):
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        blob = marshal.dumps((_FORMAT, warnings, index.snapshot()))
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(blob)
            os.replace(temporary, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _prune(entry.parent)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob(f"*{_SUFFIX}"), key=lambda file: file.stat().st_mtime)
    for old in entries[:-KEPT_ENTRIES]:
        with contextlib.suppress(OSError):
            old.unlink()
