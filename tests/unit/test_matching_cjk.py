"""Names in scripts written without spaces (Chinese, Japanese) are found inside a run."""

from __future__ import annotations

import pytest

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

WATCHLIST = (
    Entity("Alibaba Group", ("阿里巴巴",), id=1),
    Entity("Alibaba Pictures", ("阿里巴巴影业",), id=2),
    Entity("Tencent", ("腾讯",), id=3),
    Entity("Toyota", ("トヨタ",), id=4),
    Entity("Toyota Motor", ("トヨタ自動車",), id=5),
    Entity("SoftBank", ("ソフトバンク",), id=6),
    Entity("Mitsui", ("三井",), id=7),
    Entity("SMBC", ("三井住友銀行",), id=8),
)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(WATCHLIST)


def found(index: MatchIndex, text: str) -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in index.match(Article(id="a", title="", text=text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("阿里巴巴宣布回购", [("Alibaba Group", "阿里巴巴")], id="zh-at-start"),
        pytest.param(
            "周二，阿里巴巴和腾讯宣布合作。",
            [("Alibaba Group", "阿里巴巴"), ("Tencent", "腾讯")],
            id="zh-two-names-in-a-run",
        ),
        pytest.param("据报道阿里巴巴将出售股份", [("Alibaba Group", "阿里巴巴")], id="zh-mid-run"),
        pytest.param("ソフトバンクは発表した", [("SoftBank", "ソフトバンク")], id="ja-katakana"),
        pytest.param(
            "トヨタは新工場を建設する", [("Toyota", "トヨタ")], id="ja-name-then-particle"
        ),
        pytest.param("三井は買収を発表", [("Mitsui", "三井")], id="ja-kanji"),
    ],
)
def test_names_are_found_inside_text_without_spaces(
    index: MatchIndex, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(index, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "阿里巴巴影业宣布增资", [("Alibaba Pictures", "阿里巴巴影业")], id="zh-longer-name-wins"
        ),
        pytest.param(
            "トヨタ自動車は発表した", [("Toyota Motor", "トヨタ自動車")], id="ja-longer-name-wins"
        ),
        pytest.param(
            "三井住友銀行が融資する", [("SMBC", "三井住友銀行")], id="ja-kanji-longer-name-wins"
        ),
    ],
)
def test_a_name_inside_a_longer_watched_name_is_not_reported(
    index: MatchIndex, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(index, text) == expected


def test_offsets_point_at_the_characters_of_the_name(index: MatchIndex) -> None:
    text = "消息人士称，阿里巴巴宣布回购。"
    (match,) = index.match(Article(id="a", title="", text=text))
    assert text[match.start : match.end] == "阿里巴巴"
    assert (match.start, match.end) == (6, 10)


def test_a_latin_name_is_not_found_in_the_transliteration_of_chinese() -> None:
    # "百度" transliterates to "BaiDu": a Latin "Baidu" alias must not claim Chinese text.
    index = MatchIndex([Entity("Baidu, Inc.", id=1)])
    assert found(index, "百度宣布") == []
