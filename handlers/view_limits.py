"""Slack's limits for views and their elements, and a check of a view against them."""

from __future__ import annotations

from typing import Any

from handlers.blocks import validate_view

Block = dict[str, Any]

# Slack's limits for views and their elements.
MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_OPTION_GROUPS = 100
MAX_OVERFLOW_OPTIONS = 5
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_VALUE = 3000
MAX_SECTION = 3000


def view_problems(view: Block) -> list[str]:
    """Every way a Home or modal breaks Slack's limits (view, inputs, selects); empty when fine."""
    problems = validate_view(view)
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if key in view and not 0 < len(view[key]["text"]) <= MAX_TITLE:
                problems.append(f"{key} of {len(view[key]['text'])} characters")
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        problems.append("private_metadata too long")
    for number, block in enumerate(view.get("blocks", [])):
        problems.extend(f"block {number}: {p}" for p in _element_problems(block))
    return problems


def _element_problems(block: Block) -> list[str]:
    problems: list[str] = []
    if block["type"] == "input" and not 0 < len(block["label"]["text"]) <= MAX_LABEL:
        problems.append("input label size")
    if len(block.get("hint", {}).get("text", "")) > MAX_LABEL:
        problems.append("hint too long")
    elements = [*block.get("elements", []), block.get("accessory"), block.get("element")]
    for element in (e for e in elements if isinstance(e, dict)):
        if len(element.get("placeholder", {}).get("text", "")) > MAX_PLACEHOLDER:
            problems.append("placeholder too long")
        if len(element.get("initial_value", "")) > MAX_INPUT_VALUE:
            problems.append("initial value too long")
        groups = element.get("option_groups")
        if groups is not None and len(groups) > MAX_OPTION_GROUPS:
            problems.append(f"{len(groups)} option groups")
        option_lists = [g["options"] for g in groups or []] + [element.get("options", [])]
        for group in groups or []:
            if not 0 < len(group["label"]["text"]) <= MAX_OPTION_TEXT:
                problems.append("option group label size")
        for options in option_lists:
            limit = MAX_OVERFLOW_OPTIONS if element["type"] == "overflow" else MAX_OPTIONS
            if len(options) > limit:
                problems.append(f"{len(options)} options > {limit}")
            for item in options:
                if not 0 < len(item["text"]["text"]) <= MAX_OPTION_TEXT:
                    problems.append("option text size")
                if not 0 < len(item["value"]) <= MAX_OPTION_VALUE:
                    problems.append("option value size")
        if element["type"] == "overflow" and len(element.get("options", [])) < 2:
            problems.append("overflow with fewer than 2 options")
    return problems
