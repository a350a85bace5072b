"""Who receives a story and how its item reads: the rules every store applies."""

from __future__ import annotations

import pytest

from watchlists.story_rules import (
    UNDISCLOSED,
    also_reported_by,
    recipients,
    shown_amount,
    shown_summary,
    times_flagged,
)

# entity -> channels watching it
WATCHERS = {1: {10, 20}, 2: {20, 30}, 3: {40}}


@pytest.mark.parametrize(
    ("mentioned", "muted", "expected"),
    [
        pytest.param([1], {}, [10, 20], id="every-watcher-of-the-entity"),
        pytest.param([1, 2], {}, [10, 20, 30], id="each-channel-once-sorted"),
        pytest.param([1], {10: {1}}, [20], id="muted-channel-is-left-out"),
        pytest.param([1, 2], {20: {1}}, [10, 20, 30], id="one-of-two-watched-muted-still-gets-it"),
        pytest.param([1, 2], {20: {1, 2}}, [10, 30], id="all-watched-entities-muted"),
        pytest.param([1], {20: {2}}, [10, 20], id="mute-of-an-unmentioned-entity-hides-nothing"),
        pytest.param([9], {}, [], id="nobody-watches"),
        pytest.param([], {}, [], id="no-matches"),
        pytest.param([1, 1], {}, [10, 20], id="repeated-mention"),
    ],
)
def test_recipients(mentioned: list[int], muted: dict[int, set[int]], expected: list[int]) -> None:
    assert recipients(mentioned, WATCHERS, muted) == expected


@pytest.mark.parametrize(
    ("amounts", "undisclosed", "expected"),
    [
        pytest.param(["$2.5bn", "€1bn"], False, "$2.5bn", id="first-amount"),
        pytest.param(["$2.5bn"], True, "$2.5bn", id="amount-beats-undisclosed"),
        pytest.param([], True, UNDISCLOSED, id="undisclosed"),
        pytest.param([], False, "", id="nothing"),
    ],
)
def test_shown_amount(amounts: list[str], undisclosed: bool, expected: str) -> None:
    assert shown_amount(amounts, undisclosed) == expected


def test_shown_summary_prefers_the_deal_summary() -> None:
    assert shown_summary("Contoso buys Fabrikam.", "Long text") == "Contoso buys Fabrikam."


def test_shown_summary_falls_back_to_the_text_with_space_collapsed() -> None:
    assert shown_summary("", "Contoso   agreed\nto buy") == "Contoso agreed to buy"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param(["Wire A", "Wire B", "Wire C"], ("Wire B", "Wire C"), id="in-order"),
        pytest.param(["Wire A", "Wire A", "Wire B"], ("Wire B",), id="own-source-left-out"),
        pytest.param(["Wire A", "Wire B", "Wire B"], ("Wire B",), id="each-once"),
        pytest.param(["Wire A"], (), id="alone"),
        pytest.param([], (), id="no-articles"),
    ],
)
def test_also_reported_by(sources: list[str], expected: tuple[str, ...]) -> None:
    assert also_reported_by(sources) == expected


def test_times_flagged_counts_distinct_story_and_person_whatever_the_case() -> None:
    flags = [
        ("Amazon rainforest", 1, "U1"),
        ("amazon RAINFOREST", 1, "U1"),  # the same person on the same story
        ("Amazon rainforest", 1, "U2"),
        ("Amazon rainforest", 2, "U1"),
        ("Amazon river", 3, "U3"),
    ]
    assert times_flagged(flags, "AMAZON rainforest") == 3
    assert times_flagged(flags, "Amazon basin") == 0
