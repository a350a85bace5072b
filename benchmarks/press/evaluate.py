"""Deal analysis on modern financial headlines nobody here wrote: deal rate by news category.

Usage:
    python benchmarks/press/evaluate.py derive GIT_DIR   # once, after fetching the repository
    python benchmarks/press/evaluate.py [--list CATEGORY]

The items are Finnhub market-news records (headline and summary, July 2025: press releases
from GlobeNewswire and Business Wire, CNBC, Seeking Alpha, crypto sites) kept as fixtures in
the public repository black-belt-badger/vertx-demo (``fetch github:black-belt-badger/vertx-demo``,
files ``dhall/output/news_{merger,general,crypto}.dhall``). Publishers' text: ``derive``
writes it to benchmarks/press/data/ (ignored); it is never committed. Without it the
script skips with a reason.

Labels are the feed's own categories, not ours:
* ``merger`` is M&A news. Its UK Takeover Code dealing disclosures ("Form 8.3 - Orchard
  Plc") say nothing of a deal in their headline or summary and are counted apart; the
  recall figure is the share of the other merger items typed as a deal.
* ``general`` and ``crypto`` are everything else. Some of their items are deals ("in
  talks to buy"), so their deal rate is an upper bound of the false-deal rate.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from watchlists.deals import analyse_deal
from watchlists.model import Article

DATA = Path(__file__).resolve().parent / "data" / "finnhub.jsonl"
CATEGORIES = ("merger", "general", "crypto")
DEAL_LIKE = frozenset({"acquisition", "merger", "investment", "divestment", "joint_venture"})
_STRING = r'"((?:[^"\\]|\\.)*)"'
_HEADLINE = re.compile(r"headline\s*=\s*Some\s*" + _STRING)
_SUMMARY = re.compile(r"summary\s*=\s*Some\s*" + _STRING)
_RECORD = re.compile(r"\n,\s*\{|\[\s*\{")
# UK Takeover Code dealing disclosures: "Form 8.3 - Orchard Plc", "FORM 8.5 (EPT/RI)".
_DISCLOSURE = re.compile(r"\bForm\s+8\.[35]\b", re.IGNORECASE)


def _unquote(value: str) -> str:
    """A Dhall string literal's text (Dhall escapes "$" as "\\$")."""
    text: str = json.loads('"' + value.replace("\\$", "$") + '"')
    return text


def derive(git_dir: Path) -> int:
    """Write every record of the three categories to DATA as JSON lines."""
    DATA.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with DATA.open("w", encoding="utf-8") as out:
        for category in CATEGORIES:
            source = subprocess.run(
                ["git", f"--git-dir={git_dir}", "show", f"HEAD:dhall/output/news_{category}.dhall"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for record in _RECORD.split(source):
                headline = _HEADLINE.search(record)
                if headline is None:
                    continue
                summary = _SUMMARY.search(record)
                row = {
                    "category": category,
                    "title": _unquote(headline.group(1)),
                    "text": _unquote(summary.group(1)) if summary else "",
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    print(f"derive: {count} records -> {DATA}")
    return 0


def evaluate(listing: str | None) -> int:
    """Print each category's deal rate; list one category's items with their reading."""
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (fetch the repository, then run `derive GIT_DIR`)")
        return 0
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    for category in CATEGORIES:
        types: Counter[str] = Counter()
        disclosures = 0
        for row in (row for row in rows if row["category"] == category):
            if category == "merger" and _DISCLOSURE.search(row["title"]):
                disclosures += 1
                continue
            deal = analyse_deal(Article(id="p", title=row["title"], text=row["text"]), [])
            types[deal.type] += 1
            if listing == category:
                amounts = ", ".join(amount.text for amount in deal.amounts)
                print(f"  [{deal.type} {deal.stage} {amounts}] {row['title']}")
        total = sum(types.values())
        deals = sum(count for label, count in types.items() if label in DEAL_LIKE)
        what = "typed as a deal (recall)" if category == "merger" else "typed as a deal"
        print(
            f"{category:>8}: {total} items, {deals} {what} ({deals / max(1, total):.2f})"
            + (f"; {disclosures} Form 8.3/8.5 disclosures left out" if disclosures else "")
            + f"; {dict(types.most_common())}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Derive the records, or evaluate them."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["derive"]:
        return derive(Path(args[1]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", choices=CATEGORIES, help="print one category's items")
    return evaluate(parser.parse_args(args).list)


if __name__ == "__main__":
    sys.exit(main())
