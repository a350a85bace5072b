"""Dependencies point inwards: the core imports no adapter, handlers import no bot or db."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "watchlists": {
        "slack_bolt",
        "slack_sdk",
        "sqlmodel",
        "sqlalchemy",
        "apscheduler",
        "httpx",
        "bot",
        "db",
        "handlers",
        "os",
        "feedparser",
        "starlette",
        "uvicorn",
    },
    "handlers": {"bot", "db", "sqlmodel", "sqlalchemy"},
    "db": {"handlers", "bot", "slack_bolt"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_outer_layers(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
