"""Russian deal copy: stakes, control, stages, counterparties and stories.

The sentences are written for these tests in the style of Russian business wires; none is
copied.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watchlists.deals import Deal, analyse_deal
from watchlists.deals.stakes import scan_stakes
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity
from watchlists.stories import StoryIndex

WATCHED = MatchIndex(
    [
        Entity("Sberbank", aliases=("Сбербанк",), id=1),
        Entity("Yandex", id=2),
        Entity("Gazprom", id=3),
        Entity("RDIF", aliases=("РФПИ",), id=4),
    ]
)
MONDAY = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)


def analyse(title: str, text: str = "") -> Deal:
    article = Article(id="ru", title=title, text=text)
    return analyse_deal(article, WATCHED.match(article))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Фонд получит 12,5% акций компании.", [12.5], id="decimal-comma"),
        pytest.param("Банк купил 25% плюс одну акцию оператора.", [25.0], id="plus-one-share"),
        pytest.param("Инвестор приобретёт 49% компании за 2 млрд рублей.", [49.0], id="of-company"),
        pytest.param("Партнёры получат по 50% в новом СП.", [50.0], id="each-half"),
        pytest.param(
            "Холдинг увеличил долю в заводе «Север» с 20% до 45%.", [45.0], id="raised-holding"
        ),
        pytest.param(
            "Сделка по продаже 15% проекта «Полюс-2» закрыта.", [15.0], id="sale-of-percent"
        ),
        pytest.param(
            "Фонд купит у банка 30% лизинговой компании.", [30.0], id="genitive-after-verb"
        ),
        pytest.param("Фонд получит 25-процентную долю в заводе.", [25.0], id="percent-adjective"),
        pytest.param("Банк продаст 51-процентный пакет акций.", [51.0], id="percent-package"),
        pytest.param("Холдинг купит половину акций оператора.", [50.0], id="half"),
        pytest.param("Фонд приобрёл у основателей треть компании.", [33.33], id="third"),
        pytest.param("Партнёры поделят СП 50 на 50.", [50.0], id="fifty-fifty"),
        pytest.param(
            "Речь идёт о покупке контрольного пакета сети «Вектор» — 60% за 5 млрд руб.",
            [60.0],
            id="dash-spells-out-package",
        ),
    ],
)
def test_russian_stakes_are_found(sentence: str, expected: list[float]) -> None:
    assert [stake.percent for stake in scan_stakes(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Продажи сети выросли на 10% за квартал.", id="sales-growth"),
        pytest.param("Выручка от продаж выросла на 12%, до 40 млрд рублей.", id="revenue"),
        pytest.param("Ключевая ставка сохранена на уровне 16% годовых.", id="rate"),
        pytest.param("Основатели сохранят за собой 30%.", id="kept-holding"),
        pytest.param("В третьем квартале выручка выросла вдвое.", id="third-quarter"),
        pytest.param("Половина сотрудников перейдёт на удалённую работу.", id="half-of-staff"),
    ],
)
def test_russian_percentages_that_are_not_stakes(sentence: str) -> None:
    assert scan_stakes(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "Сбербанк купил сервис за 2,4 млрд долл.", ("USD", 2.4e9), id="dollars-abbrev"
        ),
        pytest.param(
            "Сбербанк купил сервис за 70 млн фунтов стерлингов.", ("GBP", 7e7), id="sterling"
        ),
        pytest.param("Сбербанк купил сервис за 8 млрд тенге.", ("KZT", 8e9), id="tenge"),
        pytest.param("Сбербанк купил сервис за 4 миллиарда рублей.", ("RUB", 4e9), id="spelled"),
        pytest.param(
            "Сбербанк купил сервис за 1,75 миллиарда рублей.", ("RUB", 1.75e9), id="spelled-comma"
        ),
        pytest.param(
            "Сбербанк купил сервис за 600 миллионов долларов.", ("USD", 6e8), id="spelled-millions"
        ),
    ],
)
def test_russian_amounts_in_other_spellings(sentence: str, expected: tuple[str, float]) -> None:
    assert [(a.currency, a.value) for a in analyse("", sentence).amounts] == [expected]


def test_control_changing_hands_is_an_acquisition_announced() -> None:
    deal = analyse(
        "Сеть аптек «Здравица» перейдёт под контроль «Газпрома»",
        "Владельцы сети аптек «Здравица» продадут «Газпрому» 70% компании, рассказал "
        "совладелец сети.",
    )
    assert (deal.type, deal.stage) == ("acquisition", "announced")


def test_becoming_a_shareholder_is_an_investment() -> None:
    deal = analyse(
        "Яндекс станет акционером разработчика роботов",
        "Яндекс станет акционером разработчика складских роботов «Механика», получив 15% компании.",
    )
    assert (deal.type, deal.stage) == ("investment", "announced")


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        pytest.param(
            "Сбербанк увеличил долю в платёжном операторе «Касса» до 60%.", "completed", id="raised"
        ),
        pytest.param(
            "РФПИ планирует провести IPO своей портфельной компании весной.",
            "announced",
            id="plans",
        ),
        pytest.param(
            "Наблюдательный совет Сбербанка одобрил покупку 60% лизинговой компании.",
            "announced",
            id="board-approval",
        ),
        pytest.param(
            "Соглашение о продаже 20% завода подписано, сообщил источник в Сбербанке.",
            "announced",
            id="signed-passive",
        ),
    ],
)
def test_russian_stage_cues(text: str, stage: str) -> None:
    assert analyse("", text).stage == stage


def test_quoted_russian_names_are_counterparties() -> None:
    deal = analyse("", "Сбербанк купил 75% онлайн-кинотеатра «Экран Плюс» за 4 млрд рублей.")
    assert "Экран Плюс" in deal.parties


def test_two_deals_of_one_bank_with_different_counterparties_stay_apart() -> None:
    index = StoryIndex()
    first = Article(
        id="1",
        title="Сбербанк завершил покупку доли в производителе станков",
        text="Сбербанк завершил покупку 25% акций производителя станков «Токарь» за 9 млрд рублей.",
        published=MONDAY,
    )
    second = Article(
        id="2",
        title="Сбербанк приобрёл блокирующий пакет разработчика навигаторов",
        text="Сбербанк завершил сделку по покупке 25% плюс одной акции разработчика "
        "навигаторов «Курс». Сумма сделки составила $80 млн.",
        published=MONDAY + timedelta(days=1),
    )
    keys = [
        index.assign(item, analyse_deal(item, WATCHED.match(item)), WATCHED.match(item)).key
        for item in (first, second)
    ]
    assert keys[0] != keys[1]


def test_declined_counterparty_ties_a_completion_weeks_later() -> None:
    index = StoryIndex()
    talks = Article(
        id="1",
        title="РФПИ ведёт переговоры о покупке доли в сети лабораторий",
        text="РФПИ ведёт переговоры о покупке 20% сети лабораторий «Анализ-Центр», "
        "сообщили источники.",
        published=MONDAY,
    )
    closed = Article(
        id="2",
        title="Фонд закрыл сделку",
        text="РФПИ завершил приобретение 20% «Анализ-Центра». Фонд заплатил 3 млрд рублей.",
        published=MONDAY + timedelta(days=40),
    )
    keys = [
        index.assign(item, analyse_deal(item, WATCHED.match(item)), WATCHED.match(item)).key
        for item in (talks, closed)
    ]
    assert keys[0] == keys[1]


def test_buying_out_a_partner_to_sole_ownership_is_an_acquisition() -> None:
    deal = analyse(
        "",
        "Яндекс выкупил у партнёра 40% их общего сервиса каршеринга и стал его единственным "
        "владельцем.",
    )
    assert deal.type == "acquisition"


def test_second_share_after_a_dash_is_a_stake() -> None:
    stakes = scan_stakes("Российской стороне достанется 60% СП, китайской — 40%.")
    assert [stake.percent for stake in stakes] == [60.0, 40.0]


def test_money_each_partner_puts_in_is_the_amount() -> None:
    deal = analyse(
        "РФПИ и Jade Capital учредят совместное предприятие",
        "РФПИ и Jade Capital учредят совместное предприятие. Каждая сторона внесёт по $200 млн.",
    )
    assert (deal.type, [(a.currency, a.value) for a in deal.amounts]) == (
        "joint_venture",
        [("USD", 2e8)],
    )


def test_merging_two_units_is_announced() -> None:
    deal = analyse(
        "Сбербанк объединит две лизинговые «дочки»",
        "Сбербанк объединит две лизинговые «дочки» в одну компанию.",
    )
    assert (deal.type, deal.stage) == ("merger", "announced")
