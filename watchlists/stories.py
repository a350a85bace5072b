"""One story across sources: canonical URLs, near-duplicate tests and the story index.

Rules:

Canonical URL
    See ``watchlists.story_urls``.

Same story
    An article joins a story when it has the same canonical URL as one of the story's
    articles. Otherwise it is compared with the story's first and latest two articles,
    and never joins when, against that article:

    * they are more than ``window`` apart (72 hours by default), unless they are the
      same deal later in its life (below);
    * both have deal types (not ``none``) and the types differ, except that a purchase,
      a sale and an investment may be one deal seen from two sides when both articles
      name the same two or more watched entities or there is same-deal evidence;
    * both name watched entities and share none of them;
    * beyond the watched entities they share, both name other parties (counterparties,
      or other watched entities) and none of those names have a word in common;
    * both give amounts in the same currency and none agree within 5 %.

    The type and counterparty rules are waived for the same money: both deals typed, a
    shared watched entity and an amount agreeing within 0.5 % (``SAME_MONEY_TOLERANCE``)
    are one deal however each side labels it or names the other party.

    It then joins when the titles are near-duplicates (rapidfuzz ``token_set_ratio`` of
    the normalised titles >= ``TITLE_THRESHOLD``) or title + lead are (``token_sort_ratio``
    >= ``TEXT_THRESHOLD``); or, sharing a watched entity, when title or title + lead reach
    ``SAME_DEAL_THRESHOLD`` (both deals typed) or ``ONE_SIDED_THRESHOLD`` (one ``none``,
    or both give money but never in the same currency, so nothing ties the two deals);
    or, without watched entities on one side, when both deals have the same type and an
    agreeing amount and reach ``SAME_DEAL_THRESHOLD``. Same-deal evidence joins however
    different the words: both deals typed, a shared watched entity, and an amount agreeing
    within 5 %, a counterparty name word in common or the same stake percentage; it scores
    ``EVIDENCE_SCORE`` when the words score lower. The story with the best score wins.

Same deal, later in its life
    Talks, signing and completion are often weeks or months apart. Beyond the window and
    within ``deal_life`` (180 days by default) an article joins only the same deal: both
    typed alike (not ``none``), the same non-empty set of watched entities, no
    conflicting amounts, no counterparties that share no word, and evidence: two or more
    watched entities, a counterparty word in common or an agreeing amount. It then scores
    ``EVIDENCE_SCORE``, so a story within the window that scores higher still wins.

Material update
    An article that joins a story is material when it moves the deal forward
    (rumoured < in_talks < announced < completed < terminated) or gives the story its
    first amount. Re-publications, edits and new dates are not material. The first article
    of a story is new, never an update.

Story keys are "st-" + the first 12 hex digits of the SHA-1 of the first article's
canonical URL (its id when it has no URL), so the same first article always gives the
same key.

Speed (the rules above decide; this only skips work that cannot change the outcome)
    Candidates are the ``ENTITY_CANDIDATES`` most recently touched stories of each of
    the article's watched entities, up to ``SAME_TITLE_CANDIDATES`` stories with the same
    processed title (tried first), and the stories that share a word of the title or lead
    with it, through an inverted index whose postings longer than ``COMMON_WORD_POSTING``
    are skipped. A story that shares no word and no watched entity could only join on
    rapidfuzz scores of unrelated words, which the thresholds rule out in practice, so the
    cost per article does not grow with the number of stories held. Each comparison asks
    rapidfuzz only for scores that can still matter: below the lowest score that can join
    and below the best story so far a score may come back as 0 (``score_cutoff``), and a
    cheap upper bound of ``token_set_ratio`` from the word sets (``token_set_bound``)
    spares the call when even the bound is too low. Once a story scores 100, stories with
    later keys are not compared and earlier ones only when they could score 100 too;
    ties still go to the first key in sorted order. A story is skipped without comparing
    its members when its own summary (URLs, word set, anchor words, watched entities and
    deal types of the members compared) shows that no member could score 100 once a
    story has, or that every member fails the first test of the same-story rules, or that
    every member is beyond the window and none can be the same deal later (another deal
    type, or an article with no watched entity or no deal). Word sets, name words and
    anchor words are worked out once per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import islice
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from watchlists.deals import STAGE_ORDER, Amount, Deal, iter_sentences
from watchlists.matching_russian import name_stem
from watchlists.model import Article, Match
from watchlists.story_tokens import Tokens, token_set_ratio
from watchlists.story_urls import canonical_url, story_key

DEFAULT_WINDOW = timedelta(hours=72)
# Talks, signing and completion of one deal can be months apart.
DEFAULT_DEAL_LIFE = timedelta(days=180)
TITLE_THRESHOLD = 88.0
TEXT_THRESHOLD = 80.0
SAME_DEAL_THRESHOLD = 45.0
ONE_SIDED_THRESHOLD = 60.0
AMOUNT_TOLERANCE = 0.05
SAME_MONEY_TOLERANCE = 0.005
# What same-deal evidence scores when the words alone are too far apart to join.
EVIDENCE_SCORE = SAME_DEAL_THRESHOLD
MEMBERS_KEPT = 8
LEAD_CHARS = 300
# Candidates per watched entity: its most recently touched stories. A busy entity then
# costs the same per article whether the index holds a thousand stories or a million.
ENTITY_CANDIDATES = 64
# A word shared with more stories than this tells them apart from nothing; its stories
# are not candidates through it (rarer shared words, the title or the entity bring them).
COMMON_WORD_POSTING = 64
# Stories with the same processed title compared at most, the most recent first.
SAME_TITLE_CANDIDATES = 16


# lead_of reads no further into a text: a store may hand stored stories' texts this long.
LEAD_READ_CHARS = LEAD_CHARS * 2


def lead_of(article: Article) -> str:
    """The first sentence of the text, at most LEAD_CHARS characters."""
    first = next(iter_sentences(article.text[:LEAD_READ_CHARS]), None)
    if first is None:
        return ""
    start, end = first
    return article.text[start:end][:LEAD_CHARS]


@dataclass(frozen=True)
class Fingerprint:
    """What the near-duplicate test compares: one article reduced to its evidence."""

    url: str
    title: str
    text: str
    published: datetime | None
    entity_ids: frozenset[int]
    counterparties: frozenset[str]
    entity_names: tuple[tuple[int, str], ...]
    deal_type: str
    stage: str
    amounts: tuple[tuple[str, float], ...]
    stakes: frozenset[float] = frozenset()

    # Derived on first use and kept, so that comparing with many stories costs set
    # operations, not parsing; many comparisons end before they need them.
    @cached_property
    def title_tokens(self) -> Tokens:
        """The word set of the processed title."""
        return Tokens.of(self.title)

    @cached_property
    def text_tokens(self) -> Tokens:
        """The word set of the processed title and lead."""
        return Tokens.of(self.text)

    @cached_property
    def anchor(self) -> str:
        """The longest word of the title (of the text when untitled), "" when none."""
        words = self.title_tokens.words or self.text_tokens.words
        return max(words, key=_longest_first) if words else ""

    @cached_property
    def currencies(self) -> frozenset[str]:
        """The currencies of the amounts."""
        return frozenset(currency for currency, _ in self.amounts)

    @cached_property
    def counterparty_words(self) -> frozenset[str]:
        """The distinctive words of the counterparties' names."""
        return _name_words(self.counterparties)

    @cached_property
    def entity_words(self) -> tuple[tuple[int, frozenset[str]], ...]:
        """The distinctive words of each watched entity's name."""
        return tuple(
            (entity_id, _name_words(frozenset([name]))) for entity_id, name in self.entity_names
        )

    @classmethod
    def of(cls, article: Article, deal: Deal | None, matches: Sequence[Match]) -> Fingerprint:
        """The fingerprint of an analysed article."""
        watched = {match.entity.lower() for match in matches}
        watched |= {match.alias.lower() for match in matches}
        counterparties = frozenset(
            name.lower() for name in (deal.parties if deal else ()) if name.lower() not in watched
        )
        title = default_process(article.title)
        return cls(
            url=canonical_url(article.url),
            title=title,
            text=f"{title} {default_process(lead_of(article))}".strip(),
            published=_aware(article.published),
            entity_ids=frozenset(match.entity_id for match in matches),
            counterparties=counterparties,
            entity_names=tuple(
                {match.entity_id: match.entity.lower() for match in matches}.items()
            ),
            deal_type=deal.type if deal else "none",
            stage=deal.stage if deal else "",
            amounts=tuple((a.currency, a.value) for a in (deal.amounts if deal else ())),
            stakes=frozenset(stake.percent for stake in (deal.stakes if deal else ())),
        )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


_GENERIC_NAME_WORDS = frozenset(
    [
        "inc",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "llc",
        "plc",
        "ag",
        "sa",
        "nv",
        "se",
        "gmbh",
        "group",
        "holdings",
        "holding",
        "co",
        "company",
        "capital",
        "partners",
        "technologies",
        "bank",
        "ventures",
        "fund",
        "the",
        "of",
        "and",
        "&",
    ]
)
# Buying and selling are one deal seen from two sides: only when both sides are watched
# (two shared entities) may a purchase and a sale be the same story.
_TWO_SIDED = frozenset({"acquisition", "divestment", "investment"})


def _name_words(names: frozenset[str]) -> frozenset[str]:
    # A Russian name is compared by its stems: «Метан-Сервис» and «Метан-Сервиса» agree.
    return frozenset(
        word if word.isascii() else name_stem(word)
        for name in names
        for word in name.split()
        if word not in _GENERIC_NAME_WORDS
    )


def _other_parties(fingerprint: Fingerprint, shared_entities: frozenset[int]) -> frozenset[str]:
    """Name words of the parties beyond the watched entities both articles share."""
    words = fingerprint.counterparty_words
    for entity_id, entity_words in fingerprint.entity_words:
        if entity_id not in shared_entities:
            words = words | entity_words
    return words


def _types_compatible(first: Fingerprint, second: Fingerprint, evidence: bool) -> bool:
    if first.deal_type == second.deal_type or "none" in (first.deal_type, second.deal_type):
        return True
    return (
        first.deal_type in _TWO_SIDED
        and second.deal_type in _TWO_SIDED
        and (evidence or len(first.entity_ids & second.entity_ids) >= 2)
    )


def _same_amount(
    first: Sequence[tuple[str, float]],
    second: Sequence[tuple[str, float]],
    tolerance: float = AMOUNT_TOLERANCE,
) -> bool:
    # Plain loops and max spelt out (as max picks it): a wire story can give a dozen
    # amounts, and this runs for every pair of them.
    for currency, value in first:
        for other_currency, other_value in second:
            if currency == other_currency and abs(value - other_value) <= tolerance * (
                other_value if other_value > value else value
            ):
                return True
    return False


def _same_deal_later(first: Fingerprint, second: Fingerprint) -> bool:
    """Beyond the window: the same typed deal of the same watched parties, with evidence."""
    if "none" in (first.deal_type, second.deal_type) or first.deal_type != second.deal_type:
        return False
    shared = first.entity_ids
    if not shared or shared != second.entity_ids:
        return False
    shares_currency = not first.currencies.isdisjoint(second.currencies)
    amounts_agree = shares_currency and _same_amount(first.amounts, second.amounts)
    if shares_currency and not amounts_agree:
        # Amounts in a shared currency, none of them agreeing.
        return False
    first_others = first.counterparty_words
    second_others = second.counterparty_words
    if first_others and second_others and not first_others & second_others:
        return False
    return len(shared) >= 2 or bool(first_others & second_others) or amounts_agree


def _any_may_score_100(first: Fingerprint, members: Sequence[Fingerprint]) -> bool:
    """False when similarity with every member is surely below 100 (a quick test)."""
    # Tokens.may_equal inlined: this runs for every remaining candidate once a story
    # scores 100, so function calls are most of its cost.
    url = first.url
    title = first.title_tokens.words
    text = first.text_tokens.words
    for member in members:
        if url and url == member.url:
            return True
        for words, other in ((title, member.title_tokens.words), (text, member.text_tokens.words)):
            if len(words) <= len(other):
                if words and words <= other:
                    return True
            elif other and other <= words:
                return True
    return False


def similarity(
    first: Fingerprint,
    second: Fingerprint,
    window: timedelta = DEFAULT_WINDOW,
    *,
    score_cutoff: float = 0.0,
    deal_life: timedelta = DEFAULT_DEAL_LIFE,
) -> float:
    """How surely two articles tell the same story: 0 (different) to 100 (same URL).

    A score below score_cutoff may come back as 0; at or above it, it is exact.
    """
    if first.url and first.url == second.url:
        return 100.0
    # Without a shared watched entity there is no same-deal evidence and no same deal
    # later, so watched entities on both sides, or typed deals of different types, can
    # never join: the commonest outcome, decided before anything else is worked out.
    if first.entity_ids.isdisjoint(second.entity_ids) and (
        (first.entity_ids and second.entity_ids)
        or (
            first.deal_type != second.deal_type
            and first.deal_type != "none"
            and second.deal_type != "none"
        )
    ):
        return 0.0
    if first.published and second.published:
        gap = abs(first.published - second.published)
        if gap > window:
            if gap <= deal_life and _same_deal_later(first, second):
                return EVIDENCE_SCORE
            return 0.0
    first_amounts, second_amounts = first.amounts, second.amounts
    # Whether any amounts share a currency, and whether any agree (within 5 %): several
    # rules ask, so the pairs are compared once.
    shares_currency = bool(first_amounts and second_amounts) and not (
        first.currencies.isdisjoint(second.currencies)
    )
    amounts_agree = shares_currency and _same_amount(first_amounts, second_amounts)
    both_deals = first.deal_type != "none" and second.deal_type != "none"
    shared_entities = first.entity_ids & second.entity_ids
    # Same-deal evidence: both typed deals of a shared watched entity agree on amount,
    # counterparty or stake.
    evidence = bool(
        both_deals
        and shared_entities
        and (
            amounts_agree
            or not first.counterparty_words.isdisjoint(second.counterparty_words)
            or not first.stakes.isdisjoint(second.stakes)
        )
    )
    # The same money from the same watched entity within the window is the strongest
    # sign of one deal: it outweighs how each side labels it (a joint venture is also an
    # investment; a sale is the buyer's purchase) and which counterparty each names.
    same_money = evidence and _same_amount(first_amounts, second_amounts, SAME_MONEY_TOLERANCE)
    if not same_money and not _types_compatible(first, second, evidence):
        return 0.0
    first_others = _other_parties(first, shared_entities)
    second_others = _other_parties(second, shared_entities)
    if not same_money and first_others and second_others and first_others.isdisjoint(second_others):
        return 0.0
    if shares_currency and not amounts_agree:
        # Amounts in a shared currency, none of them agreeing.
        return 0.0
    # Below a near-duplicate, sharing a watched entity or an amount of the same deal
    # lets a lower score join; needed is the lowest score that can join at all.
    if shared_entities:
        # Both give money but never in the same currency: nothing ties the two deals.
        unrelated_money = bool(first_amounts and second_amounts) and not shares_currency
        lower_bar: float | None = (
            SAME_DEAL_THRESHOLD if both_deals and not unrelated_money else ONE_SIDED_THRESHOLD
        )
    elif both_deals and amounts_agree:
        lower_bar = SAME_DEAL_THRESHOLD
    else:
        lower_bar = None
    needed = TEXT_THRESHOLD if lower_bar is None else min(lower_bar, TEXT_THRESHOLD)
    cutoff = max(score_cutoff, needed)
    # Scores under a cutoff come back as 0; each cutoff is low enough that every score
    # deciding a path, or returned at or above the caller's cutoff, stays exact.
    title_score = token_set_ratio(
        first.title,
        second.title,
        (first.title_tokens, second.title_tokens),
        min(cutoff, TITLE_THRESHOLD),
    )
    if title_score >= TITLE_THRESHOLD:
        return title_score
    # The text score only decides the path when the title alone could reach the cutoff
    # and nothing but a near-duplicate text lets the article join.
    text_cutoff = cutoff if lower_bar is not None or title_score < cutoff else TEXT_THRESHOLD
    text_score = token_set_ratio(
        first.text, second.text, (first.text_tokens, second.text_tokens), text_cutoff
    )
    best = max(title_score, text_score)
    # token_set_ratio is never below token_sort_ratio, so the sort score is rarely needed.
    if (
        text_score >= TEXT_THRESHOLD
        and fuzz.token_sort_ratio(first.text, second.text, score_cutoff=TEXT_THRESHOLD)
        >= TEXT_THRESHOLD
    ):
        return best
    if lower_bar is None:
        return 0.0
    if best >= lower_bar:
        return best
    # The same deal told in other words: the evidence stands in for the wording.
    return EVIDENCE_SCORE if evidence else 0.0


@dataclass(frozen=True)
class StoryAssignment:
    """Where an article went: its story key, whether it opened the story, whether it matters."""

    key: str
    is_new: bool
    is_material_update: bool
    score: float = 0.0


class StorySeed(Protocol):
    """A story a store already holds, as the index needs it (``ports.StoredStory`` fits).

    A seed may also have ``amounts`` (``Amount``s) and ``parties`` (names); they are used
    when present.
    """

    @property
    def key(self) -> str: ...
    @property
    def article(self) -> Article: ...
    @property
    def deal_type(self) -> str: ...
    @property
    def deal_stage(self) -> str: ...
    @property
    def entity_ids(self) -> tuple[int, ...]: ...


@dataclass
class _Story:
    key: str
    members: list[Fingerprint] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    # Every entity and title the story was ever indexed under, so pruning finds them all.
    entity_ids: set[int] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    words: frozenset[str] = frozenset()
    stage: str = ""
    deal_type: str = "none"
    has_amount: bool = False
    latest: datetime | None = None
    # The members an article is compared with: the first kept and the latest two.
    representatives: tuple[Fingerprint, ...] = ()
    # A word of each representative's title (its text when the title has none), so that
    # most stories show at a glance that they cannot score 100.
    anchors: frozenset[str] = frozenset()
    # Whether every representative names watched entities, and their deal types.
    all_watched: bool = False
    deal_types: frozenset[str] = frozenset()
    # When each representative was published; None when one has no date.
    published: tuple[datetime, ...] | None = None

    @property
    def is_deal(self) -> bool:
        """A typed deal of watched entities: joinable for the deal's whole life."""
        return self.deal_type != "none" and bool(self.entity_ids)

    def cannot_join(self, fingerprint: Fingerprint) -> bool:
        """True when similarity's first test rejects fingerprint against every representative."""
        if fingerprint.url and fingerprint.url in self.urls:
            return False
        if not fingerprint.entity_ids.isdisjoint(self.entity_ids):
            return False
        if fingerprint.entity_ids and self.all_watched:
            return True
        deal_type = fingerprint.deal_type
        return (
            deal_type != "none"
            and "none" not in self.deal_types
            and deal_type not in self.deal_types
        )

    def out_of_reach(self, fingerprint: Fingerprint, window: timedelta) -> bool:
        """True when every representative is beyond the window and none can be the same deal.

        similarity then scores 0 against each: too far apart, and nothing lets the article
        join the same deal later in its life.
        """
        moment = fingerprint.published
        if moment is None or self.published is None:
            return False
        if fingerprint.url and fingerprint.url in self.urls:
            return False
        deal_type = fingerprint.deal_type
        if deal_type != "none" and deal_type in self.deal_types and fingerprint.entity_ids:
            return False
        return all(abs(moment - published) > window for published in self.published)

    def may_score_100(self, fingerprint: Fingerprint) -> bool:
        """False when no representative can score 100 against fingerprint (exact test after)."""
        # Scoring 100 takes the same URL, or one side's title (or text) words all in the
        # other's. A title's words are among its text's, and ``words`` holds every text
        # word the story ever had, so: the article's words all in the story's, or a
        # representative's title (text when untitled) all in the article's text, which
        # then holds its anchor.
        if fingerprint.url and fingerprint.url in self.urls:
            return True
        own = fingerprint.title_tokens.words or fingerprint.text_tokens.words
        if own and own <= self.words:
            return True
        if self.anchors.isdisjoint(fingerprint.text_tokens.words):
            return False
        return _any_may_score_100(fingerprint, self.representatives)

    def add(self, fingerprint: Fingerprint) -> None:
        self.members.append(fingerprint)
        del self.members[:-MEMBERS_KEPT]
        members = self.members
        self.representatives = (
            tuple(members) if len(members) <= 3 else (members[0], members[-2], members[-1])
        )
        self.all_watched = all(member.entity_ids for member in self.representatives)
        self.deal_types = frozenset(member.deal_type for member in self.representatives)
        published = tuple(
            member.published for member in self.representatives if member.published is not None
        )
        self.published = published if len(published) == len(self.representatives) else None
        self.anchors = frozenset(member.anchor for member in self.representatives if member.anchor)
        if fingerprint.url:
            self.urls.add(fingerprint.url)
        self.entity_ids.update(fingerprint.entity_ids)
        if fingerprint.title:
            self.titles.add(fingerprint.title)
        if STAGE_ORDER.get(fingerprint.stage, 0) > STAGE_ORDER.get(self.stage, 0):
            self.stage = fingerprint.stage
        if self.deal_type == "none":
            self.deal_type = fingerprint.deal_type
        self.has_amount = self.has_amount or bool(fingerprint.amounts)
        if fingerprint.published and (self.latest is None or fingerprint.published > self.latest):
            self.latest = fingerprint.published


class StoryIndex:
    """Stories seen recently, in memory; seed it with stored stories after a restart."""

    def __init__(
        self,
        stories: Iterable[StorySeed] = (),
        window: timedelta = DEFAULT_WINDOW,
        deal_life: timedelta = DEFAULT_DEAL_LIFE,
    ) -> None:
        self.window = window
        self.deal_life = max(deal_life, window)
        self._stories: dict[str, _Story] = {}
        self._by_url: dict[str, str] = {}
        # Per entity and per title, keys in the order their stories were last touched.
        self._by_entity: dict[int, dict[str, None]] = {}
        self._by_title: dict[str, dict[str, None]] = {}
        self._by_word: dict[str, set[str]] = {}
        for story in stories:
            self.seed_story(story)

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, key: object) -> bool:
        return key in self._stories

    def seed_story(self, story: StorySeed) -> None:
        """Add a stored story under its key."""
        # Amounts and parties are optional on a seed: a store that keeps them lets the
        # next article with the same amount count as no news.
        amounts: Iterable[Amount] = getattr(story, "amounts", ())
        parties: Iterable[str] = getattr(story, "parties", ())
        self.seed(
            story.key,
            story.article,
            deal_type=story.deal_type,
            deal_stage=story.deal_stage,
            entity_ids=story.entity_ids,
            amounts=amounts,
            parties=parties,
        )

    def seed(
        self,
        key: str,
        article: Article,
        *,
        deal_type: str = "none",
        deal_stage: str = "",
        entity_ids: Iterable[int] = (),
        amounts: Iterable[Amount] = (),
        parties: Iterable[str] = (),
    ) -> None:
        """Add an article of an existing story under its known key."""
        title = default_process(article.title)
        fingerprint = Fingerprint(
            url=canonical_url(article.url),
            title=title,
            text=f"{title} {default_process(lead_of(article))}".strip(),
            published=_aware(article.published),
            entity_ids=frozenset(entity_ids),
            counterparties=frozenset(name.lower() for name in parties),
            entity_names=(),
            deal_type=deal_type,
            stage=deal_stage,
            amounts=tuple((amount.currency, amount.value) for amount in amounts),
        )
        self._add(key, fingerprint)

    def assign(
        self, article: Article, deal: Deal | None, matches: Sequence[Match]
    ) -> StoryAssignment:
        """Put the article in the story it belongs to, or open a new one."""
        fingerprint = Fingerprint.of(article, deal, matches)
        best_key, best_score = self._best_story(fingerprint)
        if best_key is None:
            key = story_key(article)
            if key in self._stories:
                # Same first URL seen again after its story was pruned or under a new id.
                key = f"{key}-{len(self._stories)}"
            self._add(key, fingerprint)
            return StoryAssignment(key=key, is_new=True, is_material_update=False, score=0.0)
        story = self._stories[best_key]
        material = STAGE_ORDER.get(fingerprint.stage, 0) > STAGE_ORDER.get(story.stage, 0) or (
            bool(fingerprint.amounts) and not story.has_amount
        )
        self._add(best_key, fingerprint)
        return StoryAssignment(
            key=best_key, is_new=False, is_material_update=material, score=best_score
        )

    def prune(self, now: datetime) -> int:
        """Forget stories that can no longer be joined at now; how many went.

        A story goes when nothing in it is newer than the window, except a typed deal of
        watched entities, which stays for the deal's life.
        """
        limit = _aware(now)
        assert limit is not None
        stale = [
            key
            for key, story in self._stories.items()
            if story.latest is not None
            and limit - story.latest > (self.deal_life if story.is_deal else self.window)
        ]
        for key in stale:
            story = self._stories.pop(key)
            for url in story.urls:
                if self._by_url.get(url) == key:
                    del self._by_url[url]
            for entity_id in story.entity_ids:
                self._by_entity.get(entity_id, {}).pop(key, None)
            for title in story.titles:
                self._by_title.get(title, {}).pop(key, None)
            for word in story.words:
                self._by_word.get(word, set()).discard(key)
        return len(stale)

    def _add(self, key: str, fingerprint: Fingerprint) -> None:
        story = self._stories.setdefault(key, _Story(key))
        story.add(fingerprint)
        if fingerprint.url:
            self._by_url.setdefault(fingerprint.url, key)
        if fingerprint.title:
            _touch(self._by_title.setdefault(fingerprint.title, {}), key)
        for entity_id in fingerprint.entity_ids:
            _touch(self._by_entity.setdefault(entity_id, {}), key)
        for word in fingerprint.text_tokens.words - story.words:
            self._by_word.setdefault(word, set()).add(key)
        story.words |= fingerprint.text_tokens.words

    def _candidates(self, fingerprint: Fingerprint) -> set[str]:
        keys: set[str] = set()
        for entity_id in fingerprint.entity_ids:
            keys.update(_most_recent(self._by_entity.get(entity_id, {}), ENTITY_CANDIDATES))
        for word in fingerprint.text_tokens.words:
            posting = self._by_word.get(word)
            if posting and len(posting) <= COMMON_WORD_POSTING:
                keys |= posting
        return keys

    def _best_story(self, fingerprint: Fingerprint) -> tuple[str | None, float]:
        if fingerprint.url in self._by_url:
            return self._by_url[fingerprint.url], 100.0
        # Stories with the same headline go first: a syndicated copy scores high at once,
        # and every later comparison then only has to show it cannot beat that score.
        same_title = sorted(
            _most_recent(self._by_title.get(fingerprint.title, {}), SAME_TITLE_CANDIDATES)
        )
        candidates = self._candidates(fingerprint) | set(same_title)
        best_key: str | None = None
        best_score = 0.0
        # Each run is sorted: once a story scores 100, the rest of a run can only tie it
        # with a later key, which loses the tie, so the run ends there.
        for run in (same_title, sorted(candidates.difference(same_title))):
            for key in run:
                story = self._stories[key]
                if best_key is not None and best_score >= 100.0:
                    if key > best_key:
                        break
                    if not story.may_score_100(fingerprint):
                        continue
                elif story.cannot_join(fingerprint) or story.out_of_reach(fingerprint, self.window):
                    continue
                score = 0.0
                # The first article and the latest two stand for the story; no score
                # beats 100, so the members after one that scores it are not compared.
                for member in story.representatives:
                    if score >= 100.0:
                        break
                    # Scores below the best so far cannot win, so they need not be exact.
                    cutoff = max(best_score, score)
                    score = max(
                        score,
                        similarity(
                            fingerprint,
                            member,
                            self.window,
                            score_cutoff=cutoff,
                            deal_life=self.deal_life,
                        ),
                    )
                # Ties go to the first key in sorted order, whatever order they were tried.
                if score > best_score or (
                    score == best_score and best_key is not None and score > 0 and key < best_key
                ):
                    best_key, best_score = key, score
        return best_key, best_score


def _touch(keys: dict[str, None], key: str) -> None:
    """Mark key as the most recently touched of keys."""
    keys.pop(key, None)
    keys[key] = None


def _most_recent(keys: dict[str, None], count: int) -> list[str]:
    """The last count keys touched."""
    if len(keys) <= count:
        return list(keys)
    return list(islice(reversed(keys), count))


def _longest_first(word: str) -> tuple[int, str]:
    return len(word), word
