"""Every Block Kit message dealwatch sends, and the mrkdwn escaping they share.

Limits kept here: at most 50 blocks a message, 3,000 characters of section text,
150 characters of header text, 10 context elements, and a fallback `text` always set.
"""

from __future__ import annotations

import re
from typing import Any

from watchlists.model import Digest, Match, StoryItem

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FALLBACK_TEXT = 3000

Block = dict[str, Any]
Message = dict[str, Any]

DEAL_LABELS = {
    "acquisition": "Acquisition",
    "merger": "Merger",
    "joint_venture": "Joint venture",
    "investment": "Investment",
    "funding_round": "Funding round",
    "ipo": "IPO",
    "divestment": "Divestment",
    "partnership": "Partnership",
}


def escape(text: str) -> str:
    """Escape text for mrkdwn: &, < and > only, & first."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Text cut to limit characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def link(url: str, label: str) -> str:
    """A mrkdwn link, or the escaped label alone when there is no usable URL."""
    if not url.startswith(("http://", "https://")):
        return escape(label)
    safe_url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe_url}|{escape(label.replace('|', '/'))}>"


def why_line(matches: tuple[Match, ...]) -> str:
    """The "why this matched" explanation: each entity, its alias and the text seen."""
    seen: dict[str, str] = {}
    for match in matches:
        if match.entity in seen:
            continue
        how = "" if match.kind == "exact" else f", fuzzy {match.score:.0f}"
        if match.text == match.alias:
            seen[match.entity] = f"{match.entity}: “{match.text}” in {match.field}{how}"
        else:
            seen[match.entity] = (
                f"{match.entity}: “{match.text}” ≈ alias “{match.alias}” in {match.field}{how}"
            )
    return "Why: " + "; ".join(seen.values()) if seen else ""


def deal_line(item: StoryItem) -> str:
    """Deal type, stage and amount, as one short line."""
    parts: list[str] = []
    if item.deal_type in DEAL_LABELS:
        label = DEAL_LABELS[item.deal_type]
        parts.append(f"{label} ({item.deal_stage.replace('_', ' ')})" if item.deal_stage else label)
    if item.amount:
        parts.append(item.amount)
    return " · ".join(parts)


def story_blocks(item: StoryItem) -> list[Block]:
    """The blocks of one story: headline, deal, summary, why, sources."""
    entities = ", ".join(dict.fromkeys(m.entity for m in item.matches))
    heading = f"*{link(item.url, item.title or 'Untitled')}*"
    lines = [heading]
    deal = deal_line(item)
    meta = " · ".join(part for part in (escape(entities), escape(deal)) if part)
    if meta:
        lines.append(meta)
    if item.summary:
        lines.append(escape(item.summary))
    section_text = truncate("\n".join(lines), MAX_SECTION_TEXT)
    context: list[str] = []
    why = why_line(item.matches)
    if why:
        context.append(escape(truncate(why, 1000)))
    sources = item.source or "unknown source"
    if item.also_reported_by:
        sources += " · also reported by: " + ", ".join(item.also_reported_by)
    context.append(escape(truncate(sources, 1000)))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": section_text}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": text} for text in context[:10]],
        },
        {"type": "divider"},
    ]


def digest_message(digest: Digest, page: int = 1, pages: int = 1) -> Message:
    """One digest page as a chat.postMessage payload (channel, text, blocks)."""
    count = len(digest.items)
    title = "Deal digest" if pages == 1 else f"Deal digest ({page}/{pages})"
    header = truncate(f"{title}: {count} stor{'y' if count == 1 else 'ies'}", MAX_HEADER_TEXT)
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    for item in digest.items:
        story = story_blocks(item)
        if len(blocks) + len(story) > MAX_BLOCKS:
            break
        blocks.extend(story)
    fallback = header + ": " + "; ".join(item.title for item in digest.items)
    return {
        "channel": digest.channel.slack_id,
        "text": truncate(fallback, MAX_FALLBACK_TEXT),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def lookup_text(name: str, period: str, items: list[StoryItem]) -> str:
    """The answer to `/deals lookup`: one line per story, newest first."""
    if not items:
        return f"No stories about *{escape(name)}* in the last {escape(period)}."
    lines = [f"*Latest stories about {escape(name)}* (last {escape(period)}):"]
    for item in items[:10]:
        deal = deal_line(item)
        suffix = f" · {escape(deal)}" if deal else ""
        lines.append(f"• {link(item.url, truncate(item.title, 200))}{suffix}")
        if item.summary:
            lines.append(f"    {escape(truncate(item.summary, 300))}")
    return truncate("\n".join(lines), MAX_SECTION_TEXT)


def validate_message(message: Message) -> list[str]:
    """Every way the message breaks Slack's limits; empty when it is fine."""
    problems: list[str] = []
    blocks = message.get("blocks", [])
    if not message.get("text"):
        problems.append("no fallback text")
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS}")
    for number, block in enumerate(blocks):
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and len(text) > MAX_SECTION_TEXT:
            problems.append(f"block {number}: section text {len(text)} > {MAX_SECTION_TEXT}")
        if block["type"] == "header" and len(text) > MAX_HEADER_TEXT:
            problems.append(f"block {number}: header {len(text)} > {MAX_HEADER_TEXT}")
        if block["type"] == "context" and len(block.get("elements", [])) > 10:
            problems.append(f"block {number}: more than 10 context elements")
    return problems


def message_to_text(message: Message) -> str:
    """A terminal rendering of a Block Kit message, for the demo and the shell."""
    out: list[str] = []
    for block in message.get("blocks", []):
        kind = block["type"]
        if kind == "header":
            title = block["text"]["text"]
            out.extend([title, "=" * len(title)])
        elif kind == "section":
            out.append(_mrkdwn_to_text(block["text"]["text"]))
        elif kind == "context":
            out.extend("  " + _mrkdwn_to_text(e["text"]) for e in block["elements"])
        elif kind == "divider":
            out.append("-" * 72)
    return "\n".join(out)


def _mrkdwn_to_text(text: str) -> str:
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = text.replace("*", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
