"""`/deals lookup` answers with filters and "More" buttons that page through the results."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from handlers.blocks import (
    MAX_SECTION_TEXT,
    action_value,
    button,
    deal_line,
    escape,
    link,
    read_action_value,
    truncate,
)
from handlers.deps import Deps
from watchlists.errors import DealwatchError
from watchlists.lookup import LookupPage, LookupPorts, lookup_page, parse_lookup

ACTION_LOOKUP_MORE = "lookup_more"
# A name and its filters travel in the button's value: at most this many characters of them.
MAX_CARRIED = 600


def lookup_text(page: LookupPage) -> str:
    """The heading and one line per story of the page (escaped)."""
    query = page.query
    heading = f"*Stories about {escape(page.entity.name)}* ({escape(query.filters())})"
    if not page.items:
        more = "more " if query.page else ""
        return f"No {more}stories about *{escape(page.entity.name)}* ({escape(query.filters())})."
    lines = [heading + (f", page {query.page + 1}" if query.page else "") + ":"]
    for item in page.items:
        deal = deal_line(item)
        suffix = f" · {escape(deal)}" if deal else ""
        when = f"{item.published:%Y-%m-%d} " if item.published else ""
        lines.append(f"• {when}{link(item.url, truncate(item.title, 200))}{suffix}")
        if item.summary:
            lines.append(f"    {escape(truncate(item.summary, 300))}")
    return truncate("\n".join(lines), MAX_SECTION_TEXT)


def lookup_answer(
    args: str, store: LookupPorts, now: datetime, page: int = 0
) -> tuple[str, list[dict[str, Any]]]:
    """The text and Block Kit of a lookup page; DealwatchError for a bad name or filter."""
    found = lookup_page(store, parse_lookup(args, page), now)
    text = lookup_text(found)
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if found.has_more:
        carried = f"{found.query.name[:200]} {found.query.filters()}"[:MAX_CARRIED]
        value = action_value(q=carried, p=found.query.page + 1)
        blocks.append(
            {
                "type": "actions",
                "block_id": "lookup-more",
                "elements": [button("More", ACTION_LOOKUP_MORE, value)],
            }
        )
    return text, blocks


def handle_more(ack: Ack, action: dict[str, Any], respond: Respond, deps: Deps) -> None:
    """The next page of a lookup, in place of the message with the button."""
    ack()
    fields = read_action_value(str(action.get("value", "")))
    try:
        text, blocks = lookup_answer(
            str(fields.get("q", "")), deps.store, deps.now(), int(fields.get("p") or 0)
        )
    except (DealwatchError, ValueError, TypeError) as error:
        respond(text=escape(str(error)), response_type="ephemeral", replace_original=False)
        return
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


def register(app: App, deps: Deps) -> None:
    """Attach the More button's listener."""
    app.action(ACTION_LOOKUP_MORE)(partial(handle_more, deps=deps))
