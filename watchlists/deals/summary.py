"""Summary: one or two sentences about the deal, cut to fit a Slack line.

The best deal sentence of the text (without a deal: the first sentence naming a watched
entity, failing that the lead), followed by the next sentence when both fit in
``SUMMARY_LIMIT`` characters. Longer text is cut at a word boundary and ends with "…". An
article without text is summarised by its title. A dateline ("(Reuters) - ", "MOSCOW, Nov 3
(Reuters) -", "LONDON (AP) —", "HOUSTON, Feb 26 - ") never starts a summary or a headline. An
article given as one paragraph, with no title line, takes its first sentence as headline.
"""

from __future__ import annotations

from watchlists.deals.patterns import LazyPattern
from watchlists.deals.sentences import Layout, iter_sentences

# Characters a summary may have: two short sentences, about what a Slack preview shows.
SUMMARY_LIMIT = 300
ELLIPSIS = "…"

_AGENCIES = (
    r"Reuters|AP|AFP|Bloomberg|Interfax|TASS|RIA\s+Novosti|Xinhua|dpa|UPI|PTI|IANS|Prime|RBC|"
    r"Kommersant|Dow\s+Jones|CNBC"
)
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# A place: capitalised words ("MOSCOW", "BEVERLY HILLS, CALIF.", "New York").
_PLACE = r"[A-Z][\w.'’-]*(?:\s*,?\s+[A-Z][\w.'’-]*){0,4}"
# A wire dateline: a place and date, an agency in brackets, or both, then a dash.
_DATELINE = LazyPattern(
    rf"^\s*(?:(?:{_PLACE}\s*,\s*{_MONTHS}\s+\d{{1,2}}\s*)?\((?:{_AGENCIES})\)"
    rf"|{_PLACE}\s*\((?:{_AGENCIES})\)"
    rf"|{_PLACE}\s*,\s*{_MONTHS}\s+\d{{1,2}}),?\s*[-–—]+\s+"
)


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Text with white space collapsed, cut at a word boundary with "…" beyond limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    boundary = cut.rfind(" ")
    if boundary <= 0:
        return text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return cut[:boundary].rstrip(" ,;:-–—") + ELLIPSIS


def summarise(layout: Layout, centre: int | None) -> str:
    """The centre sentence (by default the first naming a watched entity), plus the next if both fit."""
    if not layout.count_up_to(1):
        return shorten(layout.title)
    if centre is None or centre == 0:
        centre = min((n for n in layout.entity_sentences if n > 0), default=1)
    first = without_dateline(" ".join(layout.sentence(centre).split()))
    if centre < layout.count_up_to(centre + 1):
        second = " ".join(layout.sentence(centre + 1).split())
        if len(first) + 1 + len(second) <= SUMMARY_LIMIT:
            return f"{first} {second}"
    return shorten(first)


def without_dateline(text: str) -> str:
    """text without the wire dateline it starts with, if any."""
    found = _DATELINE.match(text)
    return text[found.end() :] if found else text


def headline_of(text: str) -> str:
    """The headline of an article that has none: its first sentence, without a dateline."""
    first = next(iter_sentences(text), None)
    return without_dateline(text[first[0] : first[1]]) if first else ""


def headline_and_text(content: str) -> tuple[str, str]:
    """A plain-text article split into headline and text.

    The first line is the headline when it is one sentence; an article given as one
    paragraph (no title line) takes its first sentence as headline and keeps the whole
    paragraph as its text.
    """
    content = content.strip()
    first_line, _, rest = content.partition("\n")
    spans = iter_sentences(first_line)
    if next(spans, None) is None or next(spans, None) is None:
        return first_line.strip(), rest.strip()
    return headline_of(first_line), content
