"""Deal analysis on real newswire: Reuters-21578 TRAIN, deal-vs-rest F1 and amount agreement.

Usage: python benchmarks/reuters/evaluate.py [--slice eval|dev|dev-a|dev-b|all] [--data DIR]
[--errors N]

Reads benchmarks/reuters/data/train.jsonl (make it with derive.py; it is never committed)
and skips with a reason when it is absent. A document is a deal when its topics include
``acq`` (acquisitions, mergers and stake purchases); a prediction is a deal when
``analyse_deal`` (no watched entities) gives one of DEAL_LIKE. The default slice, ``eval``,
is every fifth TRAIN document (NEWID divisible by 5): rules are never tuned on it.
The dev slice splits in two halves by NEWID parity: errors are read on ``dev-a`` (even
NEWID) only, and ``dev-b`` (odd NEWID) checks that a rule found there generalises.

Amount agreement: among ``acq`` documents whose copy states a price (a sum in wire dialect
right after "for", "valued at", "worth", "offer of" ..., found by the independent pattern
below), the share whose stated price is among the predicted amounts (same currency, within
0.5%). The stated price is the first such sum that is a total, by the rule the analysis
follows (``watchlists.deals.money``): a price per share, per unit or "each" ("60 dlrs per
First Federal share", "34.125 dlrs each") and an unscaled sum below ``MIN_UNSCALED_AMOUNT``
(a product's or an option's price) are no deal's total.

Per-share prices: a deal whose copy gives no total but an offer price per share ("offers
36 dlrs a share") shows that per-share price as its amount (its text keeps "a share"); a
total, where the copy has one, comes first. Documents with a per-share price and no total
the pattern finds are counted apart: per-share price shown, a total shown instead (often
stated in words the pattern does not know, "or about 53 mln dlrs"), or no amount.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from watchlists.deals import Deal, analyse_deal
from watchlists.deals.money import MIN_UNSCALED_AMOUNT
from watchlists.model import Article

DEFAULT_DATA = Path(__file__).resolve().parent / "data"
DEAL_LIKE = frozenset({"acquisition", "merger", "investment", "divestment", "joint_venture"})
# Two values agree when they are this close (rounding in "1.1 billion" vs "1,100 mln").
AMOUNT_TOLERANCE = 0.005

_SCALE = {"mln": 1e6, "million": 1e6, "billion": 1e9, "bln": 1e9, "": 1.0}
_CURRENCY = {
    "dlrs": "USD",
    "dlr": "USD",
    "dollars": "USD",
    "stg": "GBP",
    "yen": "JPY",
    "marks": "DEM",
    "guilders": "NLG",
    "lire": "ITL",
    "canadian dlrs": "CAD",
    "australian dlrs": "AUD",
}
_STATED_PRICE = re.compile(
    r"\b(?:for|valued\s+at|worth|offer\s+of|price\s+of|priced\s+at|paid|pay|total\s+of|"
    r"totalling|totaling)\s+(?:about\s+|around\s+|approximately\s+|some\s+|nearly\s+)?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s+(?P<scale>mln|million|billion|bln)?\s*"
    r"(?P<cur>canadian\s+dlrs|australian\s+dlrs|dlrs|dlr|dollars|stg|yen|marks|guilders|lire)"
    r"\b(?P<per>\s*/\s*(?:shr|share)\b|(?:\s+(?:in\s+)?cash)?\s+(?:a|per|each|for\s+each)\b"
    r"(?:\s+(?-i:[A-Z])[\w.&'-]*){0,3}(?:\s+(?:common|preferred|ordinary))?\s+"
    r"(?:share|shr|unit|mcf|barrel|tonne|ounce)s?\b|\s+each\b|\s+plus\b)?",
    re.IGNORECASE,
)
# "36 dlrs a share" after an offer word: the price of a deal priced per share.
_SHARE_PRICE = re.compile(
    r"\b(?:offer|offers|offered|offering|bid|bids|pay|pays|paying|paid|price\s+of|priced\s+at|"
    r"for)\s+(?P<num>\d[\d,]*(?:\.\d+)?)\s+(?P<cur>canadian\s+dlrs|australian\s+dlrs|dlrs|dlr|"
    r"dollars|stg|yen|marks|guilders|lire)(?:\s+(?:in\s+)?cash)?\s*(?:/\s*(?:shr|share)|\s+"
    r"(?:a|per)\s+share)\b",
    re.IGNORECASE,
)


def _sum(found: re.Match[str]) -> tuple[str, float]:
    value = (
        float(found.group("num").replace(",", ""))
        * _SCALE[(found.group("scale") or "").lower() if "scale" in found.groupdict() else ""]
    )
    return _CURRENCY[" ".join(found.group("cur").lower().split())], value


def stated_price(text: str) -> tuple[str, float] | None:
    """The first total price the copy states for the deal, as (currency, value), if any."""
    for found in _STATED_PRICE.finditer(text):
        currency, value = _sum(found)
        if found.group("per") or (not found.group("scale") and value < MIN_UNSCALED_AMOUNT):
            continue
        return currency, value
    return None


def stated_share_price(text: str) -> tuple[str, float] | None:
    """The first per-share offer price the copy states, as (currency, value), if any."""
    found = _SHARE_PRICE.search(text)
    return _sum(found) if found else None


def wire_article(row: dict[str, Any]) -> Article:
    """The derived row as the product reads an article: title, text and publication time."""
    published = row.get("published")
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        published=datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None,
    )


def in_slice(row: dict[str, object], name: str) -> bool:
    """Whether a derived row belongs to the named slice (dev-a/dev-b halve dev by NEWID parity)."""
    if name == "all":
        return True
    if name in ("dev-a", "dev-b"):
        newid = int(str(row["id"]).lstrip("r"))
        return row["slice"] == "dev" and (newid % 2 == 0) == (name == "dev-a")
    return row["slice"] == name


def amount_agrees(price: tuple[str, float], deal: Deal, first_only: bool = False) -> bool:
    """Whether the stated price is among the deal's amounts (or is the first of them)."""
    currency, value = price
    amounts = deal.amounts[:1] if first_only else deal.amounts
    return any(
        amount.currency == currency and abs(amount.value - value) <= AMOUNT_TOLERANCE * value
        for amount in amounts
    )


def main(argv: list[str] | None = None) -> int:
    """Print deal-vs-rest precision, recall, F1 and amount agreement for one slice."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slice", choices=("eval", "dev", "dev-a", "dev-b", "all"), default="eval")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="list N errors (dev-a only)")
    args = parser.parse_args(argv)
    path = args.data / "train.jsonl"
    if not path.exists():
        print(f"skipped: {path} is absent (run benchmarks/reuters/derive.py SGM_DIR first)")
        return 0
    if args.errors and args.slice != "dev-a":
        print("--errors lists dev-a errors only: eval is never read, dev-b checks dev-a rules")
        return 2
    tally: Counter[str] = Counter()
    types: Counter[tuple[bool, str]] = Counter()
    errors: list[str] = []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if not in_slice(row, args.slice):
            continue
        article = wire_article(row)
        deal = analyse_deal(article, [])
        gold = "acq" in row["topics"]
        predicted = deal.type in DEAL_LIKE
        types[(gold, deal.type)] += 1
        tally["tp" if gold and predicted else "fp" if predicted else "fn" if gold else "tn"] += 1
        if gold != predicted and len(errors) < args.errors:
            errors.append(
                f"{row['id']} gold={'acq' if gold else '-'} got={deal.type}: {row['title']}"
            )
        price = stated_price(row["text"]) if gold else None
        share_price = stated_share_price(row["text"]) if gold and price is None else None
        if share_price is not None and predicted:
            tally["per_share"] += 1
            if amount_agrees(share_price, deal):
                tally["per_share_shown"] += 1
            elif deal.amounts:
                tally["per_share_total"] += 1
        if price is not None:
            tally["priced"] += 1
            if amount_agrees(price, deal, first_only=True):
                tally["first"] += 1
            tally["extra"] += len(deal.amounts) - amount_agrees(price, deal)
            if amount_agrees(price, deal):
                tally["agreed"] += 1
            elif len(errors) < args.errors:
                errors.append(f"{row['id']} price={price} got={[a.text for a in deal.amounts]}")
    precision = tally["tp"] / max(1, tally["tp"] + tally["fp"])
    recall = tally["tp"] / max(1, tally["tp"] + tally["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    print(f"Reuters-21578 TRAIN, slice {args.slice}: {sum(types.values())} documents")
    print(
        f"  deal vs rest  F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}"
        f"  (TP {tally['tp']}, FP {tally['fp']}, FN {tally['fn']}, TN {tally['tn']})"
    )
    agreed, priced = tally["agreed"], tally["priced"]
    print(
        f"  amounts       {agreed}/{priced} priced acq documents agree ({agreed / max(1, priced):.3f});"
        f" first amount agrees {tally['first']}; other amounts shown {tally['extra']}"
    )
    print(
        f"  per share     {tally['per_share']} acq deals with a per-share price and no total the"
        f" pattern finds: per-share price shown {tally['per_share_shown']}, a total shown"
        f" instead {tally['per_share_total']}, no amount"
        f" {tally['per_share'] - tally['per_share_shown'] - tally['per_share_total']}"
    )
    for gold in (True, False):
        row_types = {t: n for (g, t), n in types.items() if g == gold}
        print(f"  {'acq' if gold else 'rest':>4} predicted: {dict(sorted(row_types.items()))}")
    for error in errors:
        print("  " + error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
