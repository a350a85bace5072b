"""Every Block Kit message dealwatch sends, and the mrkdwn escaping they share.

Limits kept here: at most 50 blocks a message, 3,000 characters of section text,
150 characters of header text, 10 context elements, and a fallback `text` always set.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from watchlists.feedback import ChannelOverview, HomeOverview
from watchlists.model import Digest, Entity, Match, StoryItem
from watchlists.ports import ArticleEvidence, StoryDetails

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
    "ipo": "IPO or share offering",
    "divestment": "Divestment",
    "partnership": "Partnership",
}


def escape(text: str) -> str:
    """Escape text for mrkdwn: &, < and > only, & first."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Text cut to limit characters at a word boundary, with an ellipsis when cut.

    Only a boundary in the second half of the cut counts: Chinese or Japanese text has
    no spaces, and "012 中华…" cut at its one space would show nothing of the name.

    Escaped text stays escaped: a cut never leaves half an entity (`&am`) or an
    unclosed link or mention (`<https://…`) behind.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0]
    if len(head) >= len(cut) // 2:
        cut = head
    cut = _PARTIAL_ENTITY.sub("", cut)
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    return cut + "…"


_PARTIAL_ENTITY = re.compile(r"&#?[A-Za-z0-9]{0,5}$")
# Characters that would end a link, split its label off, or hide in it unseen.
_URL_UNSAFE = re.compile(r"[\s<>|\x00-\x1f\x7f]")


def plain(text: str, limit: int) -> str:
    """Text for a plain_text field: escaped like mrkdwn, and at most limit characters so."""
    room = limit
    shown = escape(truncate(text, room))
    while len(shown) > limit and room > 1:
        room = max(room - (len(shown) - limit), 1)
        shown = escape(truncate(text, room))
    return shown


def link(url: str, label: str) -> str:
    """A mrkdwn link, or the escaped label alone when there is no usable URL."""
    if not url.startswith(("http://", "https://")):
        return escape(label)
    safe_url = _URL_UNSAFE.sub(lambda found: quote(found.group()), url).replace("&", "&amp;")
    return f"<{safe_url}|{escape(label.replace('|', '/'))}>"


def bare_link(url: str) -> str:
    """`<url>` for an http(s) URL, made safe like link(); anything else escaped, unlinked."""
    if not url.startswith(("http://", "https://")):
        return escape(truncate(url, 200))
    return f"<{_URL_UNSAFE.sub(lambda found: quote(found.group()), url).replace('&', '&amp;')}>"


def channel_mention(slack_id: str) -> str:
    """`<#C123>` for a real channel id; anything else is shown escaped, never as markup."""
    return f"<#{slack_id}>" if _SLACK_ID.fullmatch(slack_id) else escape(slack_id)


_SLACK_ID = re.compile(r"[A-Z0-9]{1,40}")


def why_line(matches: tuple[Match, ...]) -> str:
    """The "why this matched" explanation: each entity, its alias and the text seen."""
    seen: dict[str, str] = {}
    for match in matches:
        if match.entity in seen:
            continue
        how = "" if match.kind == "exact" else f", {match.kind} {match.score:.0f}"
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
        story_actions(item),
        {"type": "divider"},
    ]


def digest_message(digest: Digest, page: int = 1, pages: int = 1) -> Message:
    """One digest page as a chat.postMessage payload (channel, text, blocks).

    A page with a thread_ts is an update: a reply in the first report's thread, also
    shown in the channel so nobody misses it.
    """
    count = len(digest.items)
    if digest.thread_ts:
        header = "Update on this story"
    else:
        name = "Recent coverage" if digest.recent_coverage else "Deal digest"
        title = name if pages == 1 else f"{name} ({page}/{pages})"
        header = truncate(f"{title}: {count} stor{'y' if count == 1 else 'ies'}", MAX_HEADER_TEXT)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": plain(header, MAX_HEADER_TEXT)}}
    ]
    for item in digest.items:
        story = story_blocks(item)
        if len(blocks) + len(story) > MAX_BLOCKS:
            break
        blocks.extend(story)
    # Slack notifies from `text`: a title must not ping (<!channel>) or link from there either.
    fallback = escape(header + ": " + "; ".join(item.title for item in digest.items))
    message: Message = {
        "channel": digest.channel.slack_id,
        "text": truncate(fallback, MAX_FALLBACK_TEXT),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }
    if digest.thread_ts:
        message.update(thread_ts=digest.thread_ts, reply_broadcast=True)
    return message


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
        problems.extend(_interactive_problems(number, block))
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
        elif kind == "actions":
            out.append(
                "  "
                + " ".join(f"[{e.get('text', {}).get('text', '⋯')}]" for e in block["elements"])
            )
    return "\n".join(out)


def _mrkdwn_to_text(text: str) -> str:
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = text.replace("*", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Interactive surfaces: story buttons, the details thread, exclusion proposals, App Home.

MAX_VIEW_BLOCKS = 100
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ID = 255
MAX_ACTION_ELEMENTS = 25
MAX_DETAIL_ARTICLES = 40

ACTION_MUTE = "story_mute"
ACTION_NOT_RELEVANT = "story_not_relevant"
ACTION_DETAILS = "story_details"
ACTION_EXCLUDE = "exclusion_accept"
ACTION_WATCH_CHOICE = "watch_choice"
# The "Manage" overflow under every story: opens the channel's panel modals.
ACTION_MANAGE = "story_manage"
MANAGE_OPTIONS = (
    ("settings", "Channel settings"),
    ("entity", "Watch another entity"),
    ("schedule", "Change the schedule"),
    ("mute", "Mute an entity"),
    ("export", "Export stories as CSV"),
)


def action_value(**fields: int | str) -> str:
    """A button value carrying ids (and a phrase) as compact JSON."""
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def read_action_value(value: str) -> dict[str, Any]:
    """The fields of a button value written by action_value; {} when it is not one."""
    try:
        fields = json.loads(value)
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def button(text: str, action_id: str, value: str, style: str = "") -> Block:
    """A plain-text button, its label cut to Slack's 75 characters."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(text, MAX_BUTTON_TEXT)},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def story_actions(item: StoryItem) -> Block:
    """The buttons under a story: mute its first entity, not relevant, details."""
    elements: list[Block] = []
    if item.matches:
        first = item.matches[0]
        value = action_value(story=item.story_id, entity=first.entity_id)
        elements.append(button(f"Mute {truncate(first.entity, 60)} 7d", ACTION_MUTE, value))
        elements.append(button("Not relevant", ACTION_NOT_RELEVANT, value))
    elements.append(button("Details", ACTION_DETAILS, action_value(story=item.story_id)))
    manage = [
        {"text": {"type": "plain_text", "text": label}, "value": action_value(o=op)}
        for op, label in MANAGE_OPTIONS
    ]
    elements.append({"type": "overflow", "action_id": ACTION_MANAGE, "options": manage})
    return {"type": "actions", "block_id": f"story-{item.story_id}", "elements": elements}


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "date unknown"


def match_line(match: Match) -> str:
    """One match in full: entity, alias, text seen, field and span, score, kind."""
    return (
        f"• {match.entity}: alias “{match.alias}”, text “{match.text}”, "
        f"{match.field} {match.start}–{match.end}, score {match.score:.1f}, {match.kind}"
    )


def deal_details(details: StoryDetails) -> str:
    """The deal as analysed: type, stage, confidence, trigger, amounts, stakes, parties."""
    if details.deal_type not in DEAL_LABELS:
        return "No deal detected in this story."
    lines = [
        f"Deal: {DEAL_LABELS[details.deal_type]}"
        + (f" ({details.deal_stage.replace('_', ' ')})" if details.deal_stage else "")
        + f" · confidence {details.confidence:.2f}"
    ]
    if details.trigger:
        lines.append(f"Trigger: “{details.trigger}”")
    if details.amounts:
        lines.append("Amounts: " + "; ".join(details.amounts))
    elif details.undisclosed:
        lines.append("Amount: undisclosed")
    if details.stakes:
        lines.append("Stakes: " + "; ".join(details.stakes))
    if details.parties:
        lines.append("Parties: " + ", ".join(details.parties))
    if details.summary:
        lines.append("Summary: " + details.summary)
    return "\n".join(lines)


def _article_text(article: ArticleEvidence) -> str:
    heading = link(article.url, article.title or "Untitled")
    lines = [
        f"*{heading}*",
        escape(f"{article.source or 'unknown source'} · {_when(article.published)}"),
    ]
    lines.extend(escape(match_line(match)) for match in article.matches)
    if not article.matches:
        lines.append("No watched entity matched in this article.")
    return truncate("\n".join(lines), MAX_SECTION_TEXT)


def details_message(details: StoryDetails, channel: str, thread_ts: str) -> Message:
    """The full explanation of a story, as a thread reply under the message that carried it."""
    title = details.title or "Untitled"
    blocks: list[Block] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": truncate(f"*Why dealwatch posted: {escape(title)}*", MAX_SECTION_TEXT),
            },
        },
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": truncate(escape(deal_details(details)), MAX_SECTION_TEXT),
            },
        },
    ]
    shown = details.articles[:MAX_DETAIL_ARTICLES]
    blocks.extend(
        {"type": "section", "text": {"type": "mrkdwn", "text": _article_text(article)}}
        for article in shown
    )
    rest = details.articles[len(shown) :]
    if rest:
        more = ", ".join(link(a.url, a.source or a.title or "source") for a in rest)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": truncate("Also: " + more, MAX_SECTION_TEXT)},
            }
        )
    return {
        "channel": channel,
        "thread_ts": thread_ts,
        "text": truncate(escape(f"Details: {title}"), MAX_FALLBACK_TEXT),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def watch_choice_blocks(text: str, known: str, typed: str, typed_args: str) -> list[Block]:
    """The "Did you mean" question as buttons: watch the known entity, or the name as typed.

    text is mrkdwn already; no buttons when the typed arguments do not fit a button value.
    """
    section: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)},
    }
    insist = action_value(args=typed_args, insist=1)
    if len(insist) > MAX_BUTTON_VALUE:
        return [section]
    return [
        section,
        {
            "type": "actions",
            "block_id": "watch-choice",
            "elements": [
                button(
                    f"Watch {truncate(known, 60)}",
                    ACTION_WATCH_CHOICE,
                    action_value(args=_quoted(known)[: MAX_BUTTON_VALUE // 2], insist=0),
                    style="primary",
                ),
                button(f"Watch “{truncate(typed, 50)}” as typed", ACTION_WATCH_CHOICE, insist),
            ],
        },
    ]


def _quoted(name: str) -> str:
    # A known name may hold `aka` or `not` as a word: quoted, it stays one name.
    return f'"{name}"' if '"' not in name else name


def exclusion_proposal(entity: Entity, phrase: str, times: int) -> Message:
    """An ephemeral offer to exclude a phrase that people keep flagging for an entity."""
    text = (
        f"“{phrase}” was marked not relevant for {entity.name} {times} times in this "
        "workspace. Exclude it, so mentions covered by it stop matching everywhere?"
    )
    label = f"Exclude '{truncate(phrase, 30)}' for {truncate(entity.name, 25)}"
    value = action_value(entity=entity.id, phrase=phrase)
    return {
        "text": truncate(escape(text), MAX_FALLBACK_TEXT),
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": truncate(escape(text), MAX_SECTION_TEXT)},
            },
            {
                "type": "actions",
                "block_id": f"exclude-{entity.id}",
                "elements": [button(label, ACTION_EXCLUDE, value, style="primary")],
            },
        ],
    }


def _channel_blocks(overview: ChannelOverview) -> list[Block]:
    channel = overview.channel
    delivery = (
        f"digest {channel.digest_schedule}" if channel.delivery == "digest" else channel.delivery
    )
    watching = ", ".join(overview.entities) if overview.entities else "nothing yet"
    name = f" (#{channel.name})" if channel.name else ""
    summary = (
        f"*{channel_mention(channel.slack_id)}*{escape(name)}\n"
        f"Delivery: {escape(delivery)} · timezone {escape(channel.timezone)}\n"
        f"Watching: {escape(truncate(watching, 2500))}"
    )
    blocks: list[Block] = [
        {"type": "divider"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": truncate(summary, MAX_SECTION_TEXT)},
        },
    ]
    feeds = [
        escape(truncate(f"Feed {feed.name}: {feed.health}", 300)) for feed in overview.feeds[:9]
    ]
    if len(overview.feeds) > 9:
        feeds.append(f"and {len(overview.feeds) - 9} more feeds")
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": text} for text in (feeds or ["No feeds of its own."])
            ],
        }
    )
    if overview.recent:
        lines = ["Recent stories:"]
        lines.extend(
            f"• {link(post.url, truncate(post.title or 'Untitled', 200))} · {_when(post.posted_at)}"
            for post in overview.recent
        )
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": truncate("\n".join(lines), MAX_SECTION_TEXT)},
            }
        )
    return blocks


def home_view(overview: HomeOverview) -> Block:
    """The App Home tab: every channel the bot knows in the workspace, at most 100 blocks."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "dealwatch"}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "Channels here that receive deal news. "
                    "Change them with `/deals` in each channel.",
                }
            ],
        },
    ]
    if not overview.channels:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "No channel uses dealwatch yet. Invite it to a channel and type "
                    "`/deals watch &lt;name&gt;`.",
                },
            }
        )
    hidden = overview.hidden_channels
    for number, channel in enumerate(overview.channels):
        part = _channel_blocks(channel)
        if len(blocks) + len(part) > MAX_VIEW_BLOCKS - 1:
            hidden += len(overview.channels) - number
            break
        blocks.extend(part)
    if hidden:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"and {hidden} more channels"}],
            }
        )
    return {"type": "home", "blocks": blocks}


def validate_view(view: Block) -> list[str]:
    """Every way a Home or modal view breaks Slack's limits; empty when it is fine."""
    blocks = view.get("blocks", [])
    problems = (
        [f"{len(blocks)} blocks > {MAX_VIEW_BLOCKS}"] if len(blocks) > MAX_VIEW_BLOCKS else []
    )
    for number, block in enumerate(blocks):
        problems.extend(
            f"block {number}: {problem}"
            for problem in validate_message({"text": "view", "blocks": [block]})
        )
    return problems


def _interactive_problems(number: int, block: Block) -> list[str]:
    problems: list[str] = []
    if len(block.get("block_id", "")) > MAX_ID:
        problems.append(f"block {number}: block_id longer than {MAX_ID}")
    elements = list(block.get("elements", [])) if block["type"] == "actions" else []
    if len(elements) > MAX_ACTION_ELEMENTS:
        problems.append(f"block {number}: more than {MAX_ACTION_ELEMENTS} action elements")
    if "accessory" in block:
        elements.append(block["accessory"])
    for element in elements:
        if element.get("type") != "button":
            continue
        label = element.get("text", {}).get("text", "")
        if not label or len(label) > MAX_BUTTON_TEXT:
            problems.append(f"block {number}: button text of {len(label)} characters")
        if len(element.get("value", "")) > MAX_BUTTON_VALUE:
            problems.append(f"block {number}: button value longer than {MAX_BUTTON_VALUE}")
        if not element.get("action_id") or len(element["action_id"]) > MAX_ID:
            problems.append(f"block {number}: missing or long action_id")
    return problems
