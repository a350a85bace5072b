"""A match index restored from its snapshot behaves like the one it was taken of."""

from __future__ import annotations

import marshal

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

ENTITIES = [
    Entity(id=1, name="Post Holdings, Inc."),
    Entity(id=2, name="Сбербанк", exclude=("Сбербанк Арена",)),
    Entity(id=3, name="Alibaba Group"),
]
TEXTS = [
    "Please post the memo. Post Holdings, Inc. agreed to buy a cereal maker.",
    "Матч прошёл на «Сбербанк Арене». Акции Сбербанка выросли.",
    "Alibab Group shares rose; the group said so.",
]


def found(index: MatchIndex) -> list[list[tuple[str, str]]]:
    return [
        [(match.entity, match.kind) for match in index.match(Article(id=str(n), title="", text=t))]
        for n, t in enumerate(TEXTS)
    ]


def test_a_restored_index_keeps_word_name_and_declined_exclusion_rules() -> None:
    built = MatchIndex(ENTITIES)
    restored = MatchIndex.from_snapshot(marshal.loads(marshal.dumps(built.snapshot())))
    assert found(restored) == found(built)
    assert any(found(built))
