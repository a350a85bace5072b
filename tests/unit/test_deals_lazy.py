"""The deal rules compile their regular expressions on first use, with the same results."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from watchlists.deals import analyse_deal
from watchlists.deals.patterns import LazyPattern
from watchlists.model import Article

# Patterns the deal modules may still compile while being imported (none today).
MAX_COMPILES_AT_IMPORT = 5

_COUNT_COMPILES = """
import re, sys
calls = []
original = re.compile
def counting(pattern, flags=0):
    frame = sys._getframe(1)
    if "watchlists/deals/" in frame.f_code.co_filename.replace("\\\\", "/"):
        calls.append(pattern)
    return original(pattern, flags)
re.compile = counting
import watchlists.deals
print(len(calls))
"""


def test_importing_the_deal_rules_compiles_no_patterns() -> None:
    """Compiling ~250 patterns at import was half of `dealwatch match`'s start-up."""
    result = subprocess.run(
        [sys.executable, "-c", _COUNT_COMPILES], capture_output=True, text=True, check=True
    )
    assert int(result.stdout.strip()) <= MAX_COMPILES_AT_IMPORT


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"\b(?P<n>\d+)\s+mln\b", re.IGNORECASE, "paid 12 MLN dlrs and 3 mln more"),
        (r"(?<=a)b+", 0, "abbb ab cb"),
        (r"\s*,\s*", 0, "a , b,c"),
    ],
)
def test_a_lazy_pattern_answers_as_the_compiled_one(pattern: str, flags: int, text: str) -> None:
    lazy, compiled = LazyPattern(pattern, flags), re.compile(pattern, flags)
    assert not lazy.is_compiled
    assert _span(lazy.search(text)) == _span(compiled.search(text))
    assert lazy.is_compiled
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("_", text) == compiled.sub("_", text)
    assert lazy.split(text) == compiled.split(text)
    assert _span(lazy.match(text, 1)) == _span(compiled.match(text, 1))


def _span(found: re.Match[str] | None) -> tuple[int, int] | None:
    return found.span() if found else None


def test_each_method_compiles_once_and_is_then_the_compiled_patterns() -> None:
    lazy = LazyPattern(r"x+")
    assert lazy.fullmatch("xx") is not None
    assert lazy.compiled() is lazy.compiled()
    assert lazy.search == lazy.compiled().search


def test_a_fresh_process_analyses_as_a_warm_one() -> None:
    """The first analysis (which compiles) and a later one give the same deal."""
    article = Article(
        id="a1",
        title="ACME TO BUY BETA FOR 588 MLN DLRS",
        text="Acme Corp said it agreed to buy Beta Inc for 588 mln dlrs in cash.",
    )
    script = (
        "import json; from watchlists.deals import analyse_deal; from watchlists.model import "
        f"Article; print(json.dumps(analyse_deal(Article(id={article.id!r}, title="
        f"{article.title!r}, text={article.text!r}), []).to_json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == json.loads(json.dumps(analyse_deal(article, []).to_json()))
