"""`/deals lookup` answers with filters and "More" buttons that page through the results."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

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
ACTION_LOOKUP_OPEN = "lookup_open"
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
    args: str, store: LookupPorts, team_id: str, now: datetime, page: int = 0
) -> tuple[str, list[dict[str, Any]]]:
    """The text and Block Kit of a team's lookup page; DealwatchError for a bad name or
    filter."""
    found = lookup_page(store, team_id, parse_lookup(args, page), now)
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


TYPE_OPTIONS = (
    ("acquisition", "Acquisition"),
    ("merger", "Merger"),
    ("jv", "Joint venture"),
    ("investment", "Investment"),
    ("funding", "Funding round"),
    ("ipo", "IPO or share offering"),
    ("divestment", "Divestment"),
    ("partnership", "Partnership"),
)
CALLBACK_LOOKUP = "lookup_modal"
FIELD_WHO = "who"
FIELD_TYPES = "types"
FIELD_SINCE = "since"
FIELD_MIN = "min"


def _input(block_id: str, label: str, hint: str, optional: bool = True) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": {"type": "plain_text_input", "action_id": block_id, "max_length": 200},
    }


def lookup_modal() -> dict[str, Any]:
    """The lookup's name and filters as a form."""
    options = [{"text": {"type": "plain_text", "text": t}, "value": v} for v, t in TYPE_OPTIONS]
    return {
        "type": "modal",
        "callback_id": CALLBACK_LOOKUP,
        "title": {"type": "plain_text", "text": "Look up stories"},
        "submit": {"type": "plain_text", "text": "Look up"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _input(FIELD_WHO, "Company or person", "Watched here or not.", optional=False),
            {
                "type": "input",
                "block_id": FIELD_TYPES,
                "optional": True,
                "label": {"type": "plain_text", "text": "Deal types"},
                "element": {
                    "type": "multi_static_select",
                    "action_id": FIELD_TYPES,
                    "options": options,
                },
            },
            _input(FIELD_SINCE, "Since", "A date (2026-01-01) or a period (30d); 30d if empty."),
            _input(FIELD_MIN, "Minimum amount", "e.g. $100m or €1.5bn"),
        ],
    }


def results_modal(text: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """A page of lookup results as a modal, its More button paging in place."""
    return {
        "type": "modal",
        "callback_id": "lookup_results",
        "title": {"type": "plain_text", "text": "Lookup"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": blocks
        or [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)},
            }
        ],
    }


def _team_of(body: dict[str, Any]) -> str:
    """The workspace an interaction came from (a lookup sees that workspace's entities)."""
    return str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or "")


def handle_lookup_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps
) -> None:
    """Run the lookup of the form (the `lookup` command's parser and service)."""
    values = (view.get("state") or {}).get("values") or {}

    def typed(field: str) -> str:
        return str((values.get(field, {}).get(field) or {}).get("value") or "").strip()

    chosen = (values.get(FIELD_TYPES, {}).get(FIELD_TYPES) or {}).get("selected_options") or []
    filters = {
        FIELD_TYPES: "type:" + "|".join(str(o.get("value")) for o in chosen) if chosen else "",
        FIELD_SINCE: f"since:{typed(FIELD_SINCE)}" if typed(FIELD_SINCE) else "",
        FIELD_MIN: f"min:{typed(FIELD_MIN)}" if typed(FIELD_MIN) else "",
    }
    errors = {}
    for field, written in filters.items():
        try:
            if written:
                parse_lookup(f"x {written}")
        except DealwatchError as error:
            errors[field] = truncate(str(error), 150)
    who = typed(FIELD_WHO)
    if ":" in who or not who:
        errors[FIELD_WHO] = "Type a name (the filters have their own fields)."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    args = " ".join([who, *(f for f in filters.values() if f)])
    try:
        text, blocks = lookup_answer(args, deps.store, _team_of(body), deps.now())
    except DealwatchError as error:
        ack(response_action="errors", errors={FIELD_WHO: truncate(str(error), 150)})
        return
    ack(response_action="update", view=results_modal(text, blocks))


def handle_more(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    deps: Deps,
) -> None:
    """The next page of a lookup, in place of the message (or modal) with the button."""
    ack()
    fields = read_action_value(str(action.get("value", "")))
    view = body.get("view") or {}
    try:
        text, blocks = lookup_answer(
            str(fields.get("q", "")),
            deps.store,
            _team_of(body),
            deps.now(),
            int(fields.get("p") or 0),
        )
    except (DealwatchError, ValueError, TypeError) as error:
        text, blocks = escape(str(error)), []
        if not view:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
    if view:
        client.views_update(view_id=view["id"], view=results_modal(text, blocks))
        return
    respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


def handle_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The panel's "Look up stories" button: open the lookup form."""
    ack()
    if (body.get("view") or {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=lookup_modal())
    else:
        client.views_open(trigger_id=body["trigger_id"], view=lookup_modal())


def register(app: App, deps: Deps) -> None:
    """Attach the More button's listener."""
    app.action(ACTION_LOOKUP_MORE)(partial(handle_more, deps=deps))
    app.action(ACTION_LOOKUP_OPEN)(handle_open)
    app.view(CALLBACK_LOOKUP)(partial(handle_lookup_submission, deps=deps))
