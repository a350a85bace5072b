"""The realistic benchmark corpus: finance-news vocabulary, SEC names, common-word names.

100,000 aliases: every SEC registrant name (../shared/data/companies when present, else
benchmarks/data/companies.json), names made of common corporate words ("Global Energy
Partners", "Capital Media Group") and generated names. 2,000 articles of about 520
lower-case words drawn from common English and finance words, with no punctuation, and
three watched names inserted in each, written as the watchlist writes them.

Three scanners run over it in the same process: the engine, flashtext (exact whole-word
extraction, case-insensitive) and a raw pyahocorasick scan of the lower-cased text.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from watchlists.model import Article, Entity

SHARED_COMPANIES = (
    Path(__file__).parents[1] / ".." / "shared" / "data" / "companies" / "sec_company_tickers.json"
)
BUNDLED_COMPANIES = Path(__file__).parent / "data" / "companies.json"
STATE_OF_INCORPORATION = re.compile(
    r"\s*(?:/\s*[A-Z]{2,3}\s*/?|\(\s*[A-Z]{2}\s*\)|(?<=\.)[A-Z]{2})\s*$"
)
ALIASES = 100_000
ARTICLES = 2_000
WORDS_PER_ARTICLE = 520
NAMES_PER_ARTICLE = 3
# Share of the generated names made only of common corporate words.
COMMON_WORD_NAME_SHARE = 0.3


def word_list(words: str) -> list[str]:
    """The words of a text block, in order."""
    return words.split()


# Common English words and the words finance news and company names share.
FINANCE_WORDS = word_list(
    """
    capital fund bank global holding holdings partners media energy group financial
    investment investments asset management trust securities equity credit insurance
    international industries resources services solutions systems technologies technology
    health care pharmaceuticals therapeutics bio medical real estate property properties
    income growth value opportunities acquisition corp company companies market markets
    share shares stock stocks bond bonds rate rates price prices revenue profit loss
    quarter year deal deals merger buyout stake investor investors board chief executive
    officer director shareholders dividend debt loan loans billion million percent national
    american first united general new power oil gas mining gold silver metals first street
    street capital venture ventures private public offering listing exchange
    """
)
ENGLISH_WORDS = word_list(
    """
    the of and to in a is that for it as was with be by on not he this are or his from at
    which but have an they you were her she there been one all we their has would when if
    so no out up into more will other then them these some her could time than about only
    over also after new most two may any such what well its even because through much where
    those both before under between last long during while since each against said says
    told people week month today later still likely could plans expected would
    """
)
VOCABULARY = FINANCE_WORDS + ENGLISH_WORDS
SYLLABLES = word_list(
    """
    ka ro vin ta lex mor qua zen tri sol ver dan bel nor fax ix pol ur gen cor mar tel vio
    syn rad lum nex bra kor vel tan ost ril mun dor cal fen gor hal jin kav lor nim pra sev
    """
)
SUFFIXES = ["", "", "", " Inc.", " Ltd", " Corp", " Group", " Holdings", " plc", " AG", " LLC"]


def sec_names() -> list[str]:
    """SEC registrant names as a user would watch them: no state of incorporation."""
    if SHARED_COMPANIES.exists():
        rows = json.loads(SHARED_COMPANIES.read_text()).values()
        titles = [row["title"] for row in rows]
    else:
        titles = [row["name"] for row in json.loads(BUNDLED_COMPANIES.read_text())]
    names: list[str] = []
    for title in titles:
        name = STATE_OF_INCORPORATION.sub("", title).strip()
        names.append(name.title() if name.isupper() else name)
    return names


def load_watchlist(rng: random.Random, aliases: int = ALIASES) -> list[Entity]:
    """SEC names first, then common-word names and generated names up to `aliases`."""
    seen: set[str] = set()
    names: list[str] = []
    for name in sec_names():
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    capitalised = [word.capitalize() for word in FINANCE_WORDS]
    while len(names) < aliases:
        if rng.random() < COMMON_WORD_NAME_SHARE:
            core = " ".join(rng.sample(capitalised, rng.randint(2, 3)))
        else:
            core = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            if rng.random() < 0.5:
                core += " " + rng.choice(capitalised)
        name = core + rng.choice(SUFFIXES)
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return [Entity(name=name, id=number) for number, name in enumerate(names[:aliases], 1)]


def make_articles(
    rng: random.Random, entities: list[Entity], count: int = ARTICLES
) -> list[Article]:
    """Lower-case articles without punctuation, each with three watched names inserted."""
    articles: list[Article] = []
    for number in range(count):
        words = rng.choices(VOCABULARY, k=WORDS_PER_ARTICLE)
        for _ in range(NAMES_PER_ARTICLE):
            words.insert(rng.randrange(len(words)), rng.choice(entities).name)
        articles.append(Article(id=f"r{number}", title="", text=" ".join(words)))
    return articles


class FlashtextScan:
    """flashtext's exact whole-word extraction of every alias, case-insensitive."""

    def __init__(self, entities: list[Entity]) -> None:
        from flashtext import KeywordProcessor

        self.processor = KeywordProcessor(case_sensitive=False)
        for entity in entities:
            for alias in entity.names:
                self.processor.add_keyword(alias, entity.id)

    def match(self, article: Article) -> list[int]:
        """Entity ids found in the text."""
        found: list[int] = self.processor.extract_keywords(article.text)
        return found


class RawAhoCorasick:
    """A raw pyahocorasick scan of the lower-cased text: no word boundaries, no rules."""

    def __init__(self, entities: list[Entity]) -> None:
        self.automaton = ahocorasick.Automaton()
        for entity in entities:
            for alias in entity.names:
                self.automaton.add_word(alias.lower(), entity.id)
        self.automaton.make_automaton()

    def match(self, article: Article) -> list[int]:
        """Entity ids of every alias occurring anywhere in the text."""
        return [entity_id for _end, entity_id in self.automaton.iter(article.text.lower())]


@dataclass
class Rate:
    """Articles per second of one scanner over the corpus, by wall clock and CPU time."""

    wall: float
    cpu: float


def warm_rate(work: Callable[[Article], object], articles: list[Article]) -> Rate:
    """The second pass over the articles (the first warms caches), timed both ways."""
    for article in articles:
        work(article)
    started, cpu_started = time.perf_counter(), time.process_time()
    for article in articles:
        work(article)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return Rate(len(articles) / wall, len(articles) / cpu)


def seconds_for(work: Callable[[Article], object], text: str) -> float:
    """CPU seconds to match one text."""
    started = time.process_time()
    work(Article(id="long", title="", text=text))
    return time.process_time() - started


def report(
    engine_match: Callable[[Article], object],
    entities: list[Entity],
    seed: int,
    count: int = ARTICLES,
    make: Callable[[random.Random, list[Entity], int], list[Article]] = make_articles,
    label: str = "realistic corpus",
    baselines: tuple[FlashtextScan, RawAhoCorasick] | None = None,
) -> tuple[FlashtextScan, RawAhoCorasick]:
    """Print a corpus's figures: three scanners, ratios, long texts; returns the baseline
    scanners so that the next corpus reuses them."""
    rng = random.Random(seed)
    articles = make(rng, entities, count)
    flashtext, raw = baselines or (FlashtextScan(entities), RawAhoCorasick(entities))
    rates = {
        "engine": warm_rate(engine_match, articles),
        "flashtext": warm_rate(flashtext.match, articles),
        "pyahocorasick": warm_rate(raw.match, articles),
    }
    size = sum(len(article.text) for article in articles) / len(articles)
    print(
        f"\n{label}: {sum(len(e.names) for e in entities):,} aliases, "
        f"{len(articles):,} articles of {WORDS_PER_ARTICLE} words ({size / 1000:.1f} KB), "
        f"{NAMES_PER_ARTICLE} names each; 1 process, warm pass"
    )
    print(f"{'':30}{'articles/s':>14}{'by CPU time':>14}")
    for name, rate in rates.items():
        print(f"{name:30}{rate.wall:>14,.0f}{rate.cpu:>14,.0f}")
    versus_flashtext = rates["engine"].cpu / rates["flashtext"].cpu
    versus_raw = rates["engine"].cpu / rates["pyahocorasick"].cpu
    print("targets (by CPU time, same run)")
    print(
        f"  {'PASS' if versus_flashtext >= 1.5 else 'MISS'} >= 1.5x flashtext: {versus_flashtext:.2f}x"
    )
    print(f"  {'PASS' if versus_raw >= 0.3 else 'MISS'} >= 0.3x pyahocorasick: {versus_raw:.2f}x")
    one = " ".join(article.text for article in articles[:1])
    print("long texts (CPU s to match one text)")
    for label, text in (
        ("1x (one article)", one),
        ("10x", " ".join(article.text for article in articles[:10])),
        ("100x", " ".join(article.text for article in articles[:100])),
        ("1 MB", megabyte_text(articles)),
    ):
        seconds = seconds_for(engine_match, text)
        print(f"  {label:20}{len(text) / 1000:>9,.0f} KB {seconds:>8.3f} s")
    print(f"  {'PASS' if seconds < 1.0 else 'MISS'} 1 MB text in under 1 s: {seconds:.2f} s")
    return flashtext, raw


def megabyte_text(articles: list[Article]) -> str:
    """One text of 1,000,000 characters: the articles joined, repeated if too few."""
    joined = " ".join(article.text for article in articles) + " "
    return (joined * (1_000_000 // len(joined) + 1))[:1_000_000]
