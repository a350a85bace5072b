"""The Store port is the union of the narrow per-family ports, and use cases ask for less."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from watchlists import ports

FAMILIES = (
    ports.ChannelStore,
    ports.EntityStore,
    ports.SourceStore,
    ports.ArticleStore,
    ports.OutboxStore,
    ports.FeedbackStore,
    ports.HousekeepingStore,
)
CORE = Path(ports.__file__).parent


def _methods(protocol: type) -> set[str]:
    return {
        name
        for name, _ in inspect.getmembers(protocol, inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_store_method_belongs_to_exactly_one_family() -> None:
    owners: dict[str, list[str]] = {}
    for family in FAMILIES:
        for name in _methods(family):
            owners.setdefault(name, []).append(family.__name__)
    assert {name: names for name, names in owners.items() if len(names) > 1} == {}
    assert set(owners) == _methods(ports.Store)


def test_no_use_case_takes_the_whole_store() -> None:
    wide = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    if isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Store":
                        wide.append(f"{path.name}:{node.name}")
    assert wide == []
