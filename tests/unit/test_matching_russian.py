"""Tests of Russian inflection in the matcher (watchlists.matching_russian)."""

from __future__ import annotations

import pytest

from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity

WATCHLIST = (
    Entity("RDIF", ("РФПИ", "Российский фонд прямых инвестиций"), id=1),
    Entity("VK", ("ВКонтакте", "ВК"), id=2),
    Entity("Sberbank", ("Сбербанк", "Сбер"), id=3),
    Entity("Yandex", (), id=4),
    Entity("Ozon", ("Озон",), exclude=("озоновый слой",), id=5),
    Entity("MTS", ("МТС", "Мобильные ТелеСистемы"), id=6),
    Entity("Magnit", ("Магнит",), exclude=("неодимовый магнит",), id=7),
    Entity("Lenta", ("Лента",), id=8),
    Entity("Rostelecom", ("Ростелеком",), id=9),
    Entity("Shell", (), id=10),
)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(WATCHLIST)


def entities(index: MatchIndex, text: str, title: str = "") -> list[str]:
    return sorted({m.entity for m in index.match(Article(id="a", title=title, text=text))})


@pytest.mark.parametrize(
    ("text", "entity", "mention"),
    [
        pytest.param("Сделку одобрили в руководстве Сбербанка.", "Sberbank", "Сбербанка", id="gen"),
        pytest.param("Акции перейдут Сберу в конце года.", "Sberbank", "Сберу", id="short-dat"),
        pytest.param(
            "Сервис куплен Яндексом за 2 млрд руб.", "Yandex", "Яндексом", id="latin-alias"
        ),
        pytest.param("Доля в «Озоне» выросла до 10%.", "Ozon", "Озоне", id="quoted-prep"),
        pytest.param("Склады сдадут в аренду Озону.", "Ozon", "Озону", id="dat"),
        pytest.param("Договор подписан с Лентой на пять лет.", "Lenta", "Лентой", id="vowel-final"),
        pytest.param("Сеть выкупит у Ростелекома 40 вышек.", "Rostelecom", "Ростелекома", id="om"),
        pytest.param(
            "Капитал Российского фонда прямых инвестиций вырос.",
            "RDIF",
            "Российского фонда прямых инвестиций",
            id="multi-word-gen",
        ),
        pytest.param(
            "Решение приняли акционеры Мобильных ТелеСистем.",
            "MTS",
            "Мобильных ТелеСистем",
            id="multi-word-plural",
        ),
        pytest.param(
            "Российским фондом прямых инвестиций создан фонд.",
            "RDIF",
            "Российским фондом прямых инвестиций",
            id="multi-word-instr",
        ),
    ],
)
def test_declined_cyrillic_form_matches_its_alias(
    index: MatchIndex, text: str, entity: str, mention: str
) -> None:
    matches = index.match(Article(id="a", title="", text=text))
    assert [(m.entity, m.text) for m in matches] == [(entity, mention)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Вклады и Сбережения граждан выросли на 3%.", id="sber-prefix"),
        pytest.param("Инспекторы Ростехнадзора проверили завод.", id="longer-word"),
        pytest.param("Завод выпускает неодимовые магниты для моторов.", id="lower-common-noun"),
        pytest.param("Партия магнитов ушла на экспорт.", id="lower-declined-noun"),
        pytest.param("Концентрация озона в воздухе упала.", id="lower-gas"),
        pytest.param("Магнит из нового сплава держит 50 кг.", id="sentence-start-magnet"),
        pytest.param("Озон образуется при грозе.", id="sentence-start-gas"),
        pytest.param("Во всех ВКС участвовали 40 человек.", id="acronym-not-declined"),
        pytest.param("Лента транспортёра остановилась.", id="sentence-start-ribbon"),
    ],
)
def test_russian_common_words_and_longer_words_do_not_match(index: MatchIndex, text: str) -> None:
    assert entities(index, text) == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        pytest.param("«Магнит» купил сеть аптек в Казани.", "Magnit", id="guillemets"),
        pytest.param("Магнит купил сеть аптек в Казани.", "Magnit", id="company-verb"),
        pytest.param("Сделку закрыл ритейлер «Магнит».", "Magnit", id="mid-sentence"),
        pytest.param("Озон объявил о покупке сервиса.", "Ozon", id="ozon-verb"),
    ],
)
def test_russian_common_word_name_counts_as_a_company(
    index: MatchIndex, text: str, entity: str
) -> None:
    assert entities(index, text) == [entity]


def test_cyrillic_exclude_covers_declined_forms(index: MatchIndex) -> None:
    assert entities(index, "Склад Неодимового Магнита закрыли.") == []
    assert entities(index, "Склад Неодимового Магнита закрыли, «Магнит» молчит.") == ["Magnit"]


def test_latin_words_never_lose_an_ending(index: MatchIndex) -> None:
    assert entities(index, "Shella and Yandexom are made-up words here.") == []


def test_acronyms_are_not_declined(index: MatchIndex) -> None:
    assert entities(index, "Абоненты МТСа и ВКа жалуются.") == []


def test_declined_form_after_entity_added_later() -> None:
    index = MatchIndex([Entity("Shell", (), id=1)])
    assert entities(index, "Акции Сбербанка выросли.") == []
    index.add(Entity("Sberbank", ("Сбербанк",), id=2))
    assert entities(index, "Акции Сбербанка выросли.") == ["Sberbank"]
    index.remove(2)
    assert entities(index, "Акции Сбербанка выросли.") == []


LATIN_NAMES = MatchIndex(
    [
        Entity("Lukoil", id=1),
        Entity("Norilsk Nickel", ("Nornickel",), id=2),
        Entity("Rostelecom", id=3),
        Entity("Rosneft", id=4),
    ]
)


@pytest.mark.parametrize(
    ("text", "entity", "mention"),
    [
        pytest.param("Акционеры Лукойла одобрили выкуп.", "Lukoil", "Лукойла", id="y-for-i"),
        pytest.param(
            "Совет директоров Норильского никеля собрался.",
            "Norilsk Nickel",
            "Норильского никеля",
            id="lower-case-second-word",
        ),
        pytest.param(
            "Сделка Ростелекома закрыта.", "Rostelecom", "Ростелекома", id="k-for-c-declined"
        ),
    ],
)
def test_latin_name_finds_its_declined_cyrillic_spelling(
    text: str, entity: str, mention: str
) -> None:
    matches = LATIN_NAMES.match(Article(id="a", title="", text=text))
    assert [(m.entity, m.text) for m in matches] == [(entity, mention)]


def test_soft_sign_ends_the_mention() -> None:
    matches = LATIN_NAMES.match(Article(id="a", title="", text="«Роснефть» купила завод."))
    assert [m.text for m in matches] == ["Роснефть"]


def test_lower_case_first_word_is_not_a_declined_name() -> None:
    assert LATIN_NAMES.match(Article(id="a", title="", text="на норильского никеля")) == []


def test_common_word_name_after_a_dateline_needs_a_company_cue(index: MatchIndex) -> None:
    assert entities(index, "ЧЕЛЯБИНСК, 3 марта — Магнит из нового сплава выдержал тест.") == []
    assert entities(index, "ЧЕЛЯБИНСК, 3 марта — Магнит купил сеть аптек.") == ["Magnit"]
