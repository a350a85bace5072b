"""Summary: one or two sentences about the deal, cut to fit a Slack line.

The best deal sentence of the text (without a deal: the first sentence naming a watched
entity, failing that the lead), followed by the next sentence when both fit in
``SUMMARY_LIMIT`` characters. Longer text is cut at a word boundary and ends with "…". An
article without text is summarised by its title.
"""

from __future__ import annotations

from watchlists.deals.sentences import Layout

# Characters a summary may have: two short sentences, about what a Slack preview shows.
SUMMARY_LIMIT = 300
ELLIPSIS = "…"


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
    first = " ".join(layout.sentence(centre).split())
    if centre < layout.count_up_to(centre + 1):
        second = " ".join(layout.sentence(centre + 1).split())
        if len(first) + 1 + len(second) <= SUMMARY_LIMIT:
            return f"{first} {second}"
    return shorten(first)
