"""Deal news in German, French, Spanish, Portuguese and Italian: types and amounts.

Every sentence here is invented for these tests; none is copied from any source.
"""

from __future__ import annotations

import pytest

from watchlists.deals import Amount, Deal, analyse_deal
from watchlists.model import Article


def analyse(title: str, text: str = "") -> Deal:
    return analyse_deal(Article(id="e", title=title, text=text), [])


@pytest.mark.parametrize(
    ("title", "text", "deal_type", "amount"),
    [
        (
            "Kestrel übernimmt Softwarefirma Orchard",
            "Der Konzern Kestrel übernimmt den Softwareanbieter Orchard für 1,2 Milliarden Euro.",
            "acquisition",
            Amount("EUR", 1.2e9, "1,2 Milliarden Euro"),
        ),
        (
            "Kestrel rachète Plumtree",
            "Le groupe Kestrel a annoncé le rachat de Plumtree pour 3,5 milliards d'euros.",
            "acquisition",
            Amount("EUR", 3.5e9, "3,5 milliards d'euros"),
        ),
        (
            "Orchard adquiere Plumtree",
            "La empresa Orchard adquiere Plumtree por 1.200 millones de euros.",
            "acquisition",
            Amount("EUR", 1.2e9, "1.200 millones de euros"),
        ),
        (
            "Kestrel compra Plumtree",
            "A Kestrel anunciou a compra da Plumtree por R$ 2 bilhões.",
            "acquisition",
            Amount("BRL", 2e9, "R$ 2 bilhões"),
        ),
        (
            "Kestrel acquisisce Plumtree",
            "Kestrel ha annunciato che acquisisce Plumtree per 300 milioni di euro.",
            "acquisition",
            Amount("EUR", 300e6, "300 milioni di euro"),
        ),
    ],
)
def test_acquisitions_and_their_amounts_in_continental_languages(
    title: str, text: str, deal_type: str, amount: Amount
) -> None:
    deal = analyse(title, text)
    assert deal.type == deal_type
    assert deal.amounts == (amount,)


@pytest.mark.parametrize(
    ("title", "deal_type"),
    [
        ("Orchard e Plumtree anunciam fusão", "merger"),
        ("Orchard plant Börsengang in Frankfurt", "ipo"),
        ("Kestrel et Plumtree créent une coentreprise", "joint_venture"),
        ("Orchard cierra una ronda de financiación", "funding_round"),
    ],
)
def test_other_deal_types_in_continental_languages(title: str, deal_type: str) -> None:
    assert analyse(title).type == deal_type


def test_words_english_shares_with_another_meaning_are_no_deal() -> None:
    """ "rachat d'actions" is a buyback; "fusion" alone is physics."""
    assert analyse("Kestrel lance un programme de rachat d'actions").type == "none"
    deal = analyse(
        "Fusion start-up raises $50 million",
        "Orchard Fusion, a nuclear fusion start-up, raised $50 million in a Series B round.",
    )
    assert deal.type == "funding_round"


@pytest.mark.parametrize(
    ("title", "text", "deal_type", "stake"),
    [
        (
            "Orchard adquiere el 40% de Plumtree",
            "La empresa Orchard adquiere el 40% de Plumtree por 1.200 millones de euros.",
            "investment",
            40.0,
        ),
        (
            "Kestrel vende el 25% de Plumtree",
            "Kestrel vende el 25% de Plumtree al fondo Orchard por 300 millones de euros.",
            "divestment",
            25.0,
        ),
        (
            "Kestrel übernimmt 75% an Plumtree",
            "Kestrel übernimmt 75% an Plumtree für 2 Milliarden Euro.",
            "acquisition",
            75.0,
        ),
        (
            "Kestrel rachète 30 % de Plumtree",
            "Le groupe Kestrel rachète 30 % de Plumtree pour 500 millions d'euros.",
            "investment",
            30.0,
        ),
    ],
)
def test_stakes_bought_and_sold_in_continental_languages(
    title: str, text: str, deal_type: str, stake: float
) -> None:
    deal = analyse(title, text)
    assert deal.type == deal_type
    assert [found.percent for found in deal.stakes] == [stake]
