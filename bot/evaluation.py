"""`dealwatch eval`: score matching, deal analysis and story clustering on a labelled set.

The set is a directory with ``watchlist.toml`` (the entities) and ``articles.jsonl`` (one
labelled article a line); tests/data/eval/README.md describes the format. Rules:

Matching
    The unit is an (article, entity) pair. Gold pairs are the article's ``gold.entities``;
    predicted pairs are the distinct entities ``MatchIndex.match`` reports for the article,
    in the title or the text. Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their
    harmonic mean; an empty denominator scores 1.0. Recall is also given per case type
    (the case of the entity's hardest mention), and false positives per trap type: the
    articles labelled with a trap (``gold.negatives``), the false positives in them and the
    precision of the predictions made in them.

Deals
    Over the articles with a gold ``deal``: type accuracy and a confusion matrix (gold rows,
    predicted columns). Over those whose gold type is not ``none``: stage accuracy, amount
    exact match (the predicted set of (currency, value rounded to a whole unit) equals the
    gold set; an article without gold amounts matches when nothing is predicted either) and
    stake exact match (the same test on the percentages).

Languages
    Matching and deal figures again per language, told by script: an article whose letters
    are at least half Cyrillic is ``ru``, any other ``other`` (English in these sets).

Stories
    Every article goes through one ``StoryIndex`` in published order. Pairwise precision is
    the share of predicted same-story pairs that share a gold ``story`` key; pairwise recall
    is the share of gold same-story pairs that were predicted.

Loading reads files; every ``score_*`` function is pure and returns a frozen dataclass.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any, get_args

from watchlists.deals import Deal, DealType, analyse_deal
from watchlists.matching import MatchIndex
from watchlists.model import Article, Entity, Match
from watchlists.stories import StoryIndex

CASE_TYPES = ("exact", "possessive", "typo", "diacritic", "cyrillic", "acronym", "suffix")
TRAP_TYPES = ("acronym-inside-word", "ambiguous-word", "no-mention")
DEAL_TYPES: tuple[str, ...] = get_args(DealType)
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"
# An article is Russian when at least this share of its letters is Cyrillic.
CYRILLIC_SHARE = 0.5
LANGUAGES = ("other", "ru")


class EvalSetError(Exception):
    """The evaluation set is missing or malformed."""


# ---------------------------------------------------------------------------
# The labelled set


@dataclass(frozen=True)
class GoldMention:
    """A watched entity an article really mentions, with the case of its hardest mention."""

    entity: str
    case: str
    mention: str = ""


@dataclass(frozen=True)
class GoldDeal:
    """What a human says the article reports: type, stage, money and stakes."""

    type: str
    stage: str = ""
    amounts: frozenset[tuple[str, int]] = frozenset()
    stakes: frozenset[float] = frozenset()
    undisclosed: bool = False


@dataclass(frozen=True)
class LabelledArticle:
    """An article with its gold labels."""

    article: Article
    mentions: tuple[GoldMention, ...] = ()
    negatives: tuple[str, ...] = ()
    deal: GoldDeal | None = None
    story: str = ""

    @property
    def id(self) -> str:
        """The article id."""
        return self.article.id


@dataclass(frozen=True)
class PredictedDeal:
    """The parts of a deal analysis the evaluation compares."""

    type: str
    stage: str = ""
    amounts: frozenset[tuple[str, int]] = frozenset()
    stakes: frozenset[float] = frozenset()
    undisclosed: bool = False


def amount_key(currency: str, value: float) -> tuple[str, int]:
    """How amounts compare: upper-case currency and the value rounded to a whole unit."""
    return (currency.upper(), round(value))


def stake_key(percent: float) -> float:
    """How stakes compare: the percentage rounded to two decimals."""
    return round(percent, 2)


def load_eval_set(directory: Path) -> tuple[list[Entity], list[LabelledArticle]]:
    """The entities and labelled articles of an evaluation set directory."""
    watchlist_path = directory / "watchlist.toml"
    articles_path = directory / "articles.jsonl"
    for path in (watchlist_path, articles_path):
        if not path.is_file():
            raise EvalSetError(f"{path}: not found")
    entities = parse_entities(watchlist_path.read_text(encoding="utf-8"))
    known = {entity.name for entity in entities}
    labelled: list[LabelledArticle] = []
    for number, line in enumerate(articles_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = parse_labelled_article(json.loads(line))
        except (ValueError, KeyError, TypeError) as error:
            raise EvalSetError(f"{articles_path}:{number}: {error}") from None
        unknown = [m.entity for m in item.mentions if m.entity not in known]
        if unknown:
            raise EvalSetError(f"{articles_path}:{number}: not in the watchlist: {unknown}")
        labelled.append(item)
    return entities, labelled


def parse_entities(text: str) -> list[Entity]:
    """Entities from watchlist TOML, numbered 1..n in file order."""
    tables = tomllib.loads(text).get("entity", [])
    return [
        Entity(
            name=table["name"],
            aliases=tuple(table.get("aliases", ())),
            exclude=tuple(table.get("exclude", ())),
            id=number,
        )
        for number, table in enumerate(tables, 1)
    ]


def parse_labelled_article(item: Mapping[str, Any]) -> LabelledArticle:
    """One line of articles.jsonl as a LabelledArticle."""
    published = item.get("published")
    article = Article(
        id=str(item["id"]),
        title=str(item["title"]),
        text=str(item["text"]),
        url=str(item.get("url", "")),
        published=datetime.fromisoformat(published) if published else None,
        source=str(item.get("source", "")),
    )
    gold = item.get("gold", {})
    mentions = tuple(
        GoldMention(entity=m["entity"], case=m["case"], mention=m.get("mention", ""))
        for m in gold.get("entities", [])
    )
    deal_item = item.get("deal")
    deal = None
    if deal_item is not None:
        deal = GoldDeal(
            type=deal_item["type"],
            stage=deal_item.get("stage", ""),
            amounts=frozenset(
                amount_key(a["currency"], float(a["value"])) for a in deal_item.get("amounts", [])
            ),
            stakes=frozenset(stake_key(float(s["percent"])) for s in deal_item.get("stakes", [])),
            undisclosed=bool(deal_item.get("undisclosed", False)),
        )
    return LabelledArticle(
        article=article,
        mentions=mentions,
        negatives=tuple(gold.get("negatives", [])),
        deal=deal,
        story=str(item.get("story", "")),
    )


# ---------------------------------------------------------------------------
# Scores


def ratio(numerator: int, denominator: int) -> float:
    """numerator / denominator, 1.0 when there is nothing to count."""
    return numerator / denominator if denominator else 1.0


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class Tally:
    """How many of something there were and how many were right."""

    total: int = 0
    correct: int = 0

    @property
    def rate(self) -> float:
        """correct / total, 1.0 when total is 0."""
        return ratio(self.correct, self.total)


@dataclass(frozen=True)
class TrapScore:
    """Predictions made in the articles that carry one trap type."""

    articles: int = 0
    true_positives: int = 0
    false_positives: int = 0

    @property
    def precision(self) -> float:
        """Share of the predictions in these articles that were right."""
        return ratio(self.true_positives, self.true_positives + self.false_positives)


@dataclass(frozen=True)
class Miss:
    """A gold mention the matcher did not find."""

    article_id: str
    entity: str
    case: str
    mention: str


@dataclass(frozen=True)
class FalsePositive:
    """An entity the matcher reported that the article does not mention."""

    article_id: str
    entity: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class MatchingScore:
    """Precision and recall of entity matching, overall, per case and per trap."""

    true_positives: int
    false_positives: int
    false_negatives: int
    by_case: Mapping[str, Tally] = field(default_factory=dict)
    by_trap: Mapping[str, TrapScore] = field(default_factory=dict)
    misses: tuple[Miss, ...] = ()
    false_positive_list: tuple[FalsePositive, ...] = ()

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return f1_score(self.precision, self.recall)

    def case_recall(self, case: str) -> float:
        """Recall on gold mentions of one case type (1.0 when there are none)."""
        return self.by_case.get(case, Tally()).rate


def score_matching(
    labelled: Sequence[LabelledArticle], predicted: Mapping[str, Sequence[Match]]
) -> MatchingScore:
    """Score predicted matches (by article id) against the gold mentions."""
    true_positives = false_positives = false_negatives = 0
    case_totals: Counter[str] = Counter()
    case_found: Counter[str] = Counter()
    trap_articles: Counter[str] = Counter()
    trap_true: Counter[str] = Counter()
    trap_false: Counter[str] = Counter()
    misses: list[Miss] = []
    wrong: list[FalsePositive] = []
    for item in labelled:
        texts_by_entity: dict[str, list[str]] = defaultdict(list)
        for match in predicted.get(item.id, ()):
            if match.text not in texts_by_entity[match.entity]:
                texts_by_entity[match.entity].append(match.text)
        found = set(texts_by_entity)
        gold = {mention.entity: mention for mention in item.mentions}
        hits = found & gold.keys()
        extra = sorted(found - gold.keys())
        true_positives += len(hits)
        false_positives += len(extra)
        for entity, mention in gold.items():
            case_totals[mention.case] += 1
            if entity in found:
                case_found[mention.case] += 1
            else:
                false_negatives += 1
                misses.append(Miss(item.id, entity, mention.case, mention.mention))
        wrong.extend(FalsePositive(item.id, e, tuple(texts_by_entity[e])) for e in extra)
        for trap in set(item.negatives):
            trap_articles[trap] += 1
            trap_true[trap] += len(hits)
            trap_false[trap] += len(extra)
    return MatchingScore(
        true_positives=true_positives,
        false_positives=false_positives,
        false_negatives=false_negatives,
        by_case={case: Tally(case_totals[case], case_found[case]) for case in sorted(case_totals)},
        by_trap={
            trap: TrapScore(trap_articles[trap], trap_true[trap], trap_false[trap])
            for trap in sorted(trap_articles)
        },
        misses=tuple(misses),
        false_positive_list=tuple(wrong),
    )


@dataclass(frozen=True)
class DealMismatch:
    """An article where some part of the predicted deal differs from the gold one."""

    article_id: str
    part: str
    gold: str
    predicted: str


@dataclass(frozen=True)
class DealScore:
    """Deal type, stage, amount and stake agreement with the gold labels."""

    types: Tally
    stages: Tally
    amounts: Tally
    stakes: Tally
    confusion: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    mismatches: tuple[DealMismatch, ...] = ()


def _format_amounts(amounts: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{currency} {value:,}" for currency, value in sorted(amounts)) or "-"


def score_deals(
    labelled: Sequence[LabelledArticle], predicted: Mapping[str, PredictedDeal]
) -> DealScore:
    """Score predicted deals (by article id) against the gold deals."""
    types = stages = amounts = stakes = Tally()
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mismatches: list[DealMismatch] = []
    for item in labelled:
        gold = item.deal
        if gold is None:
            continue
        guess = predicted.get(item.id, PredictedDeal(type="none"))
        confusion[gold.type][guess.type] += 1
        same_type = guess.type == gold.type
        types = Tally(types.total + 1, types.correct + same_type)
        if not same_type:
            mismatches.append(DealMismatch(item.id, "type", gold.type, guess.type))
        if gold.type == "none":
            continue
        same_stage = guess.stage == gold.stage
        stages = Tally(stages.total + 1, stages.correct + same_stage)
        if not same_stage:
            mismatches.append(DealMismatch(item.id, "stage", gold.stage, guess.stage))
        same_amounts = guess.amounts == gold.amounts
        amounts = Tally(amounts.total + 1, amounts.correct + same_amounts)
        if not same_amounts:
            mismatches.append(
                DealMismatch(
                    item.id,
                    "amounts",
                    _format_amounts(gold.amounts),
                    _format_amounts(guess.amounts),
                )
            )
        same_stakes = guess.stakes == gold.stakes
        stakes = Tally(stakes.total + 1, stakes.correct + same_stakes)
        if not same_stakes:
            mismatches.append(
                DealMismatch(
                    item.id,
                    "stakes",
                    ", ".join(f"{p:g}%" for p in sorted(gold.stakes)) or "-",
                    ", ".join(f"{p:g}%" for p in sorted(guess.stakes)) or "-",
                )
            )
    return DealScore(
        types=types,
        stages=stages,
        amounts=amounts,
        stakes=stakes,
        confusion={row: dict(columns) for row, columns in confusion.items()},
        mismatches=tuple(mismatches),
    )


@dataclass(frozen=True)
class ClusterScore:
    """Pairwise agreement of predicted stories with the gold story keys."""

    predicted_pairs: int
    gold_pairs: int
    common_pairs: int
    wrong_pairs: tuple[tuple[str, str], ...] = ()
    missed_pairs: tuple[tuple[str, str], ...] = ()

    @property
    def precision(self) -> float:
        """Share of predicted same-story pairs that are gold same-story pairs."""
        return ratio(self.common_pairs, self.predicted_pairs)

    @property
    def recall(self) -> float:
        """Share of gold same-story pairs that were predicted."""
        return ratio(self.common_pairs, self.gold_pairs)


def same_cluster_pairs(assignment: Mapping[str, str]) -> set[tuple[str, str]]:
    """Every unordered pair of ids (sorted) that share a cluster key."""
    members: dict[str, list[str]] = defaultdict(list)
    for item_id, key in assignment.items():
        members[key].append(item_id)
    return {
        (first, second)
        for ids in members.values()
        for first, second in combinations(sorted(ids), 2)
    }


def score_clusters(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScore:
    """Pairwise precision and recall of predicted story keys against gold keys (by id)."""
    gold_pairs = same_cluster_pairs(gold)
    predicted_pairs = same_cluster_pairs({k: v for k, v in predicted.items() if k in gold})
    common = gold_pairs & predicted_pairs
    return ClusterScore(
        predicted_pairs=len(predicted_pairs),
        gold_pairs=len(gold_pairs),
        common_pairs=len(common),
        wrong_pairs=tuple(sorted(predicted_pairs - gold_pairs)),
        missed_pairs=tuple(sorted(gold_pairs - predicted_pairs)),
    )


def language_of(article: Article) -> str:
    """``ru`` when at least CYRILLIC_SHARE of the title's and text's letters are Cyrillic."""
    letters = [char for char in f"{article.title} {article.text}" if char.isalpha()]
    cyrillic = sum("\u0400" <= char <= "\u04ff" for char in letters)
    return "ru" if letters and cyrillic >= CYRILLIC_SHARE * len(letters) else "other"


@dataclass(frozen=True)
class LanguageScore:
    """Matching and deal figures over the articles of one language."""

    articles: int
    matching: MatchingScore
    deals: DealScore


# ---------------------------------------------------------------------------
# Running the engine over the set


@dataclass(frozen=True)
class EvaluationResult:
    """Everything `dealwatch eval` measured."""

    articles: int
    matching: MatchingScore
    deals: DealScore
    stories: ClusterScore
    by_language: Mapping[str, LanguageScore] = field(default_factory=dict)


def predicted_deal(deal: Deal) -> PredictedDeal:
    """The comparable parts of a watchlists.deals.Deal."""
    return PredictedDeal(
        type=deal.type,
        stage=deal.stage,
        amounts=frozenset(amount_key(a.currency, a.value) for a in deal.amounts),
        stakes=frozenset(stake_key(s.percent) for s in deal.stakes),
        undisclosed=deal.undisclosed,
    )


def _published_order(item: LabelledArticle) -> tuple[str, str]:
    published = item.article.published
    return (published.isoformat() if published else "", item.id)


def evaluate(entities: Sequence[Entity], labelled: Sequence[LabelledArticle]) -> EvaluationResult:
    """Run matching, deal analysis and story clustering over the set and score them."""
    index = MatchIndex(entities)
    matches = {item.id: index.match(item.article) for item in labelled}
    matching = score_matching(labelled, matches)
    deals = {item.id: analyse_deal(item.article, matches[item.id]) for item in labelled}
    predicted = {key: predicted_deal(d) for key, d in deals.items()}
    deal_score = score_deals(labelled, predicted)
    stories = StoryIndex()
    assigned: dict[str, str] = {}
    for item in sorted(labelled, key=_published_order):
        assignment = stories.assign(item.article, deals[item.id], matches[item.id])
        assigned[item.id] = assignment.key
    gold_stories = {item.id: item.story or item.id for item in labelled}
    return EvaluationResult(
        len(labelled),
        matching,
        deal_score,
        score_clusters(gold_stories, assigned),
        score_by_language(labelled, matches, predicted),
    )


def score_by_language(
    labelled: Sequence[LabelledArticle],
    matches: Mapping[str, Sequence[Match]],
    predicted: Mapping[str, PredictedDeal],
) -> dict[str, LanguageScore]:
    """Matching and deal scores over each language's articles (see language_of)."""
    groups: dict[str, list[LabelledArticle]] = defaultdict(list)
    for item in labelled:
        groups[language_of(item.article)].append(item)
    return {
        language: LanguageScore(
            len(items), score_matching(items, matches), score_deals(items, predicted)
        )
        for language, items in sorted(groups.items())
    }


# ---------------------------------------------------------------------------
# Report


def _percent(value: float) -> str:
    return f"{100 * value:5.1f}%"


def render_report(result: EvaluationResult) -> str:
    """The evaluation as readable text: figures first, then every miss and false positive."""
    m = result.matching
    lines = [
        f"dealwatch evaluation: {result.articles} articles",
        "",
        "Matching (article x entity pairs)",
        f"  precision {_percent(m.precision)}   recall {_percent(m.recall)}   F1 {_percent(m.f1)}"
        f"   (TP {m.true_positives}, FP {m.false_positives}, FN {m.false_negatives})",
        "  recall by case:",
    ]
    for case in [*CASE_TYPES, *sorted(set(m.by_case) - set(CASE_TYPES))]:
        if case in m.by_case:
            tally = m.by_case[case]
            lines.append(f"    {case:<12} {_percent(tally.rate)}  ({tally.correct}/{tally.total})")
    lines.append("  false positives by trap:")
    for trap in [*TRAP_TYPES, *sorted(set(m.by_trap) - set(TRAP_TYPES))]:
        if trap in m.by_trap:
            score = m.by_trap[trap]
            lines.append(
                f"    {trap:<20} {score.false_positives:3d} in {score.articles:3d} articles"
                f"   precision {_percent(score.precision)}"
            )
    lines.append("")
    lines.extend(_deal_lines(result.deals))
    lines.append("")
    lines.extend(_language_lines(result.by_language))
    s = result.stories
    lines.append(
        f"Stories (pairwise)  precision {_percent(s.precision)}   recall {_percent(s.recall)}"
        f"   (predicted pairs {s.predicted_pairs}, gold pairs {s.gold_pairs},"
        f" common {s.common_pairs})"
    )
    lines.append("")
    lines.append(f"Missed mentions ({len(m.misses)}):")
    lines.extend(
        f"  {miss.article_id}  {miss.entity:<28} {miss.case:<11} {miss.mention!r}"
        for miss in m.misses
    )
    lines.append(f"False positives ({len(m.false_positive_list)}):")
    lines.extend(
        f"  {fp.article_id}  {fp.entity:<28} {', '.join(repr(t) for t in fp.texts)}"
        for fp in m.false_positive_list
    )
    if result.deals.mismatches:
        lines.append(f"Deal mismatches ({len(result.deals.mismatches)}):")
        lines.extend(
            f"  {d.article_id}  {d.part:<8} gold {d.gold!r}  predicted {d.predicted!r}"
            for d in result.deals.mismatches
        )
    if s.wrong_pairs:
        lines.append(f"Wrongly merged pairs ({len(s.wrong_pairs)}):")
        lines.extend(f"  {a} + {b}" for a, b in s.wrong_pairs)
    if s.missed_pairs:
        lines.append(f"Missed same-story pairs ({len(s.missed_pairs)}):")
        lines.extend(f"  {a} + {b}" for a, b in s.missed_pairs)
    return "\n".join(lines) + "\n"


def _deal_lines(deals: DealScore) -> list[str]:
    lines = [
        "Deals",
        f"  type accuracy   {_percent(deals.types.rate)}  ({deals.types.correct}/{deals.types.total})",
        f"  stage accuracy  {_percent(deals.stages.rate)}  ({deals.stages.correct}/{deals.stages.total})"
        "  (gold type not none)",
        f"  amounts exact   {_percent(deals.amounts.rate)}  ({deals.amounts.correct}/{deals.amounts.total})",
        f"  stakes exact    {_percent(deals.stakes.rate)}  ({deals.stakes.correct}/{deals.stakes.total})",
        "  confusion (rows gold, columns predicted):",
    ]
    columns = [t for t in DEAL_TYPES if any(t in row for row in deals.confusion.values())]
    columns += sorted({t for row in deals.confusion.values() for t in row} - set(columns))
    short = {name: name[:8] for name in columns}
    lines.append("    " + " " * 14 + " ".join(f"{short[c]:>8}" for c in columns))
    for row in [t for t in DEAL_TYPES if t in deals.confusion]:
        cells = " ".join(f"{deals.confusion[row].get(c, 0):>8}" for c in columns)
        lines.append(f"    {row:<14}{cells}")
    return lines


def _language_lines(by_language: Mapping[str, LanguageScore]) -> list[str]:
    if not by_language:
        return []
    lines = [f"By language (ru: at least {CYRILLIC_SHARE:.0%} of letters Cyrillic)"]
    for language, score in by_language.items():
        m, d = score.matching, score.deals
        lines.append(
            f"  {language:<6} {score.articles:3d} articles   matching precision"
            f" {_percent(m.precision)}   recall {_percent(m.recall)}"
        )
        lines.append(
            "  "
            + " " * 6
            + "   ".join(
                f" {name} {_percent(tally.rate)} ({tally.correct}/{tally.total})"
                for name, tally in (
                    ("type", d.types),
                    ("stage", d.stages),
                    ("amounts", d.amounts),
                    ("stakes", d.stakes),
                )
            )
        )
    lines.append("")
    return lines


def run(data_dir: Path = DEFAULT_DATA_DIR) -> int:
    """`dealwatch eval [--data DIR]`: print the report; 2 when the set cannot be read."""
    try:
        entities, labelled = load_eval_set(data_dir)
    except (EvalSetError, tomllib.TOMLDecodeError) as error:
        print(f"dealwatch eval: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(render_report(evaluate(entities, labelled)))
    return 0
