"""Keys of the match index: the typo keys that find a word one edit away, and tables
from a key to one id or a few."""

from __future__ import annotations

from watchlists.matching_text import MIN_TYPO_WORD

# At most this many edits (OSA: substitution, insertion, deletion, adjacent swap).
MAX_EDITS = 1


def halves(word: str) -> tuple[str, str]:
    """Typo keys of a word: one edit leaves its head or its tail (past the middle) intact.

    Head is word[:m] and tail word[m + 1:] with m = len(word) // 2: an edit before m keeps
    the tail (still at the end of the text word), an edit at or after m keeps the head,
    and a swap of letters m-1 and m keeps the tail. Both keys carry the word length.
    """
    middle = len(word) // 2
    return f"{len(word)}<{word[:middle]}", f"{len(word)}>{word[middle + 1 :]}"


def typo_probe_keys(word: str) -> list[str]:
    """Typo keys of every word of length len(word) +- 1 that could be one edit from `word`."""
    length = len(word)
    keys: list[str] = []
    for size in range(length - MAX_EDITS, length + MAX_EDITS + 1):
        if size < MIN_TYPO_WORD:
            continue
        middle = size // 2
        keys.append(f"{size}<{word[:middle]}")
        tail = size - middle - 1
        keys.append(f"{size}>{word[length - tail :]}" if tail else f"{size}>")
    return keys


def add_id(table: dict[str, int | list[int]], key: str, pattern_id: int) -> None:
    current = table.get(key)
    if current is None:
        table[key] = pattern_id
    elif isinstance(current, int):
        if current != pattern_id:
            table[key] = [current, pattern_id]
    elif pattern_id not in current:
        current.append(pattern_id)


def remove_id(table: dict[str, int | list[int]], key: str, pattern_id: int) -> None:
    current = table.get(key)
    if current is None:
        return
    if isinstance(current, int):
        if current == pattern_id:
            del table[key]
        return
    if pattern_id in current:
        current.remove(pattern_id)
    if len(current) == 1:
        table[key] = current[0]


def add_anchor(table: dict[str, tuple[str] | list[str]], key: str, anchor: str) -> None:
    bucket = table.get(key)
    if bucket is None:
        table[key] = (anchor,)
    elif isinstance(bucket, tuple):
        table[key] = [*bucket, anchor]
    else:
        bucket.append(anchor)


def remove_anchor(table: dict[str, tuple[str] | list[str]], key: str, anchor: str) -> None:
    bucket = table.get(key, ())
    if anchor not in bucket:
        return
    if isinstance(bucket, tuple) or len(bucket) == 1:
        del table[key]
    else:
        bucket.remove(anchor)
