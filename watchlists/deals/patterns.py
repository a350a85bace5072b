"""Regular expressions compiled on their first use, so importing the deal rules stays cheap.

The deal rules hold a few hundred patterns; compiling them all at import cost about half of
``dealwatch match``'s start-up. A ``LazyPattern`` keeps the source and flags and compiles on
the first call of one of its methods, which then rebinds every method to the compiled
pattern's own: after the first use a call costs what it costs on a ``re.Pattern``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# The re.Pattern methods the deal rules call; the first call of any of them compiles.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")


class LazyPattern:
    """A regular expression that compiles itself on first use (same results as re.compile)."""

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def is_compiled(self) -> bool:
        """Whether the pattern has been compiled yet."""
        return self._compiled is not None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern; compiles it (once) and rebinds the methods to it."""
        if self._compiled is None:
            compiled = re.compile(self.pattern, self.flags)
            self.__dict__.update({name: getattr(compiled, name) for name in _METHODS})
            self._compiled = compiled
        return self._compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """re.Pattern.search."""
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """re.Pattern.match."""
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        """re.Pattern.fullmatch."""
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """re.Pattern.finditer."""
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """re.Pattern.findall."""
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        """re.Pattern.sub."""
        return self.compiled().sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        """re.Pattern.split."""
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"
