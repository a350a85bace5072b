"""What deal analysis returns: the deal type, its stage, money, stakes, parties and summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DealType = Literal[
    "acquisition",
    "merger",
    "joint_venture",
    "investment",
    "funding_round",
    "ipo",
    "divestment",
    "partnership",
    "none",
]
Stage = Literal["rumoured", "in_talks", "announced", "completed", "terminated", ""]

DEAL_TYPES: tuple[str, ...] = (
    "acquisition",
    "merger",
    "joint_venture",
    "investment",
    "funding_round",
    "ipo",
    "divestment",
    "partnership",
)
STAGES: tuple[str, ...] = ("rumoured", "in_talks", "announced", "completed", "terminated")
# Stages in rising order of precedence; "" (no stage found) ranks below them all.
STAGE_ORDER: dict[str, int] = {stage: rank for rank, stage in enumerate(("", *STAGES))}


@dataclass(frozen=True)
class Amount:
    """A sum of money as written in the article, with its ISO 4217 currency and value."""

    currency: str
    value: float
    text: str

    def to_json(self) -> dict[str, object]:
        """The amount as it appears in ``Deal.to_json``."""
        return {"currency": self.currency, "value": self.value, "text": self.text}


@dataclass(frozen=True)
class Stake:
    """A percentage of a company changing hands."""

    percent: float
    text: str

    def to_json(self) -> dict[str, object]:
        """The stake as it appears in ``Deal.to_json``."""
        return {"percent": self.percent, "text": self.text}


@dataclass(frozen=True)
class Deal:
    """What an article says happened: type, stage, money, parties and a short summary."""

    type: DealType = "none"
    stage: Stage = ""
    confidence: float = 0.0
    trigger: str = ""
    amounts: tuple[Amount, ...] = ()
    stakes: tuple[Stake, ...] = ()
    undisclosed: bool = False
    parties: tuple[str, ...] = ()
    summary: str = ""

    @property
    def is_deal(self) -> bool:
        """True unless the type is ``none``."""
        return self.type != "none"

    def to_json(self) -> dict[str, object]:
        """The stable JSON form used by the CLI, the store and the evaluation."""
        return {
            "type": self.type,
            "stage": self.stage,
            "confidence": self.confidence,
            "trigger": self.trigger,
            "amounts": [amount.to_json() for amount in self.amounts],
            "stakes": [stake.to_json() for stake in self.stakes],
            "undisclosed": self.undisclosed,
            "parties": list(self.parties),
            "summary": self.summary,
        }
