"""Deal analysis on wire copy, session 6: deals by their context, and the dev halves.

Every sentence here is invented for these tests in the style of a news wire; none is copied.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.deals.rules import MASK_RULES, TYPE_RULES
from watchlists.deals.wire_context import NOT_DEAL_EXPRESSIONS, TYPE_TRIGGERS
from watchlists.model import Article

DEAL_LIKE = {"acquisition", "merger", "investment", "divestment", "joint_venture"}


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="w", title=title, text=text), [])


def _evaluate_module() -> ModuleType:
    path = Path(__file__).parents[2] / "benchmarks" / "reuters" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("reuters_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------
# The benchmark's dev halves: errors are read on dev-a, dev-b checks that rules generalise


def test_dev_halves_split_dev_by_newid_parity_and_leave_eval_alone() -> None:
    in_slice = _evaluate_module().in_slice
    rows = [{"id": f"r{n}", "slice": "eval" if n % 5 == 0 else "dev"} for n in range(1, 41)]
    dev_a = {row["id"] for row in rows if in_slice(row, "dev-a")}
    dev_b = {row["id"] for row in rows if in_slice(row, "dev-b")}
    dev = {row["id"] for row in rows if in_slice(row, "dev")}
    assert dev_a | dev_b == dev and not dev_a & dev_b
    assert "r2" in dev_a and "r3" in dev_b and "r10" not in dev_a | dev_b
    assert all(in_slice(row, "all") for row in rows)


def test_errors_are_listed_for_dev_a_only(capsys: pytest.CaptureFixture[str]) -> None:
    main = _evaluate_module().main
    for name in ("eval", "dev", "dev-b"):
        assert main(["--slice", name, "--errors", "5", "--data", "/nonexistent"]) in (0, 2)
        out = capsys.readouterr().out
        assert "skipped" in out or "dev-a errors only" in out


# ---------------------------------------------------------------------------
# Every rule of the module is tried: a rule with no anchor would never run


def test_every_context_rule_has_anchors() -> None:
    assert all(found.anchors for found in TYPE_RULES[-len(TYPE_TRIGGERS) :])
    if NOT_DEAL_EXPRESSIONS:
        assert all(found.anchors for found in MASK_RULES[-len(NOT_DEAL_EXPRESSIONS) :])


# ---------------------------------------------------------------------------
# Deals stated with their stage clear the bar of a headline that names no deal


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "ORCHARD <ORC> EXPANDS CEILING MATERIALS LINE",
            "TAMPA, March 4 - Orchard Corp said it completed the acquisition of Plumtree "
            "Inc's fiberboard plant in Biloxi, Miss. Terms were not disclosed. The plant "
            "will add to production at Orchard's building products group.",
            "acquisition",
            id="completed-the-acquisition-of",
        ),
        pytest.param(
            "ORCHARD <ORC> SETS NEW STRUCTURE ABROAD",
            "DENVER, March 4 - Orchard Corp said it has sold its affiliates in Ruritania "
            "to a local trust formed to carry on the operations there. The board decided "
            "to separate the company from its interests in that country, it said.",
            "divestment",
            id="has-sold-its",
        ),
        pytest.param(
            "ORCHARD <ORC> SETS SHIPPING CHANGES",
            "NEWARK, March 4 - Orchard Lines said it has agreed in principle to sell its "
            "Caribbean freight service to Plumtree Shipping Co. Talks on a final contract "
            "should end next week, it said.",
            "divestment",
            id="agreed-in-principle-to-sell",
        ),
    ],
)
def test_a_deal_stated_with_its_stage_needs_no_deal_headline(
    title: str, text: str, expected: str
) -> None:
    assert analyse(title, text).type == expected
