"""Derive the Reuters-21578 TRAIN documents into benchmarks/reuters/data/train.jsonl.

Usage: python benchmarks/reuters/derive.py SGM_DIR [--out DIR]

SGM_DIR holds the corpus's reut2-000.sgm ... reut2-021.sgm (the Reuters-21578
distribution, public for research use; not in this repository and never to be committed).
Only documents with LEWISSPLIT="TRAIN" and TOPICS="YES" (the ModApte training documents)
are written; every other document is skipped before its text is read. Each line is one
article: {"id", "title", "text", "topics", "published", "slice"}. "slice" is "eval" for
every fifth document (NEWID divisible by 5), the fixed slice that rules are never tuned
on, and "dev" for the rest.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / "data"
# Every EVAL_EVERY-th document (by NEWID) is the untouched evaluation slice.
EVAL_EVERY = 5

_DOCUMENT = re.compile(r"<REUTERS (?P<attrs>[^>]*)>(?P<body>.*?)</REUTERS>", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_FIELD = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.S)
    for name in ("DATE", "TOPICS", "TITLE", "DATELINE", "BODY")
}
_TOPIC = re.compile(r"<D>(.*?)</D>")
_TRAILER = re.compile(r"\s*Reuter\s*(?:&#3;)?\s*$")
_CONTROL = re.compile(r"&#\d+;")


def train_documents(text: str) -> Iterator[dict[str, object]]:
    """The TRAIN documents with topics of one .sgm file, as articles."""
    for document in _DOCUMENT.finditer(text):
        attrs = dict(_ATTRIBUTE.findall(document.group("attrs")))
        if attrs.get("LEWISSPLIT") != "TRAIN" or attrs.get("TOPICS") != "YES":
            continue
        yield _article(int(attrs["NEWID"]), document.group("body"))


def _field(name: str, body: str) -> str:
    found = _FIELD[name].search(body)
    return found.group(1) if found else ""


def _clean(text: str) -> str:
    return html.unescape(_CONTROL.sub("", text))


def _paragraphs(body: str) -> str:
    """Wire lines joined: an indented line starts a paragraph, a blank line between them."""
    paragraphs: list[list[str]] = []
    for line in _TRAILER.sub("", body).split("\n"):
        if not line.strip():
            continue
        if line.startswith((" ", "\t")) or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(lines) for lines in paragraphs)


def _article(newid: int, body: str) -> dict[str, object]:
    dateline = " ".join(_clean(_field("DATELINE", body)).split())
    text = _paragraphs(_clean(_field("BODY", body)))
    if dateline and text:
        text = f"{dateline} {text}"
    published = _field("DATE", body).strip()
    try:
        when = datetime.strptime(published.split(".")[0], "%d-%b-%Y %H:%M:%S").isoformat() + "Z"
    except ValueError:
        when = None
    return {
        "id": f"r{newid}",
        "title": " ".join(_clean(_field("TITLE", body)).split()),
        "text": text,
        "topics": _TOPIC.findall(_field("TOPICS", body)),
        "published": when,
        "slice": "eval" if newid % EVAL_EVERY == 0 else "dev",
    }


def main(argv: list[str] | None = None) -> int:
    """Write train.jsonl from the .sgm files in the given folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sgm_dir", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    files = sorted(args.sgm_dir.glob("reut2-*.sgm"))
    if not files:
        print(f"derive: no reut2-*.sgm files in {args.sgm_dir}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    with (args.out / "train.jsonl").open("w", encoding="utf-8") as out:
        for path in files:
            text = path.read_bytes().decode("latin-1")
            for article in train_documents(text):
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
                written += 1
    print(f"derive: {written} TRAIN documents -> {args.out / 'train.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
