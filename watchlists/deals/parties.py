"""Parties: the watched entities, then other organisations the deal sentences name clearly.

The watched entities in order of first mention (title first), then other organisations
from the deal sentences when the evidence is strong: a capitalised name ending in a
corporate suffix (``Inc``, ``Ltd``, ``Holdings`` ...) or a capitalised name right after a
deal verb ("agreed to buy Figma", "a stake in Northwind"), unless a lower-case noun follows
it ("Swiss voice firm": an adjective, not a name).
"""

from __future__ import annotations

from collections.abc import Sequence

from watchlists.deals.anchors import Rule, Text, anchors_of, words
from watchlists.deals.patterns import LazyPattern

# Name patterns start with a capital letter class (the word boundary checked just after it)
# so that ``re`` skips ahead to capitals instead of trying every position.
_SUFFIX_NAME = LazyPattern(
    r"([A-Z](?<!\w.)[\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}?,?\s+"
    r"(?:Inc|Corp|Corporation|Ltd|Limited|LLC|LLP|plc|PLC|AG|SA|S\.A|NV|N\.V|SE|SpA|GmbH|"
    r"Group|Holdings|Holding|Co|Company|Capital|Partners|Technologies|Bank|Ventures|Fund|"
    r"Industries|Motors|Systems|Pharmaceuticals|Therapeutics|Labs|Airlines|Energy)\b\.?)"
)
_OBJECT_VERBS = (
    r"\b(?:acquire[sd]?|acquiring|buy|buys|buying|bought|merge\s+with|merger\s+with|"
    r"merging\s+with|takeover\s+of|acquisition\s+of|stake\s+in|invest\s+in|invests\s+in|"
    r"invested\s+in|investment\s+in|joint\s+venture\s+with|partnership\s+with|"
    r"partner(?:s|ed)?\s+with|team(?:s|ed)?\s+up\s+with|deal\s+with|bid\s+for|offer\s+for|"
    r"sale\s+of\s+\w+\s+to|sell\s+\w+\s+to|sold\s+\w+\s+to|by)"
)
_VERB_OBJECT = LazyPattern(
    r"(?i:" + _OBJECT_VERBS + r")\s+"
    r"((?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&|of|de|and(?=\s+[A-Z])))*)"
)
# The verb starts every match: tried only where the anchor automaton found one.
VERB_OBJECT_RULE = Rule("party", 0.0, _VERB_OBJECT, anchors_of(_OBJECT_VERBS, short_words=True))
# Russian copy sets organisation names in guillemets: «Метан-Сервис», «Арктик СПГ-3».
_QUOTED_NAME = LazyPattern(r"«([^«»\n]{2,60}?)»")
_SUBJECT_VERB = LazyPattern(
    r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})\s+"
    r"(?i:(?:has\s+|have\s+)?agreed\s+to|agrees\s+to|is\s+to|will|to|has\s+acquired|acquired|"
    r"bought|is\s+buying)\s+(?i:buy|acquire|merge|sell|invest|take|pay|form|partner)?"
)
# Capitalised words that start sentences or name no organisation.
_NOT_NAMES = frozenset(
    words(
        "The A An It Its This That These Those He She They We Our Their His Her "
        "Shares Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
        "February March April May June July August September October November "
        "December US U.S. UK EU CEO Chief Chinese Russian American British German "
        "French Japanese Korean Indian European Asian In On At For With From By And "
        "But Under After Before Last Next New Both Series IPO Reuters Bloomberg "
        "According Analysts Investors Sources Officials Executive President"
    )
)


_MODIFIER_AFTER = LazyPattern(
    r"[\s-]+(?!(?:for|in|on|at|to|from|with|by|as|and|or|of|after|before|said|says|which|"
    r"that|who|is|was|will|would|has|had|have|in|over|under|earlier|last|this|next|amid|"
    r"including|plus|from|through|via|since|until|into)\b)[a-z]"
)


def _clean_name(candidate: str) -> str:
    words = candidate.replace(",", " ").split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    while words and words[-1] in {"of", "de", "and", "&"}:
        words.pop()
    name = " ".join(words).strip(" .,'’")
    for possessive in ("'s", "’s"):
        name = name.removesuffix(possessive)
    return name


def find_parties(
    text: Text, sentences: Sequence[int], watched: Sequence[str], aliases: set[str]
) -> list[str]:
    """The watched entities, then other organisations the deal sentences name clearly."""
    parties = list(watched)
    known = {name.lower() for name in watched} | aliases
    for number in sentences:
        value = text.value(number)
        candidates: list[tuple[int, str]] = []
        for pattern, hits in (
            (_SUFFIX_NAME, _SUFFIX_NAME.finditer(value)),
            (_VERB_OBJECT, text.sentence_matches(VERB_OBJECT_RULE, number)),
            (_SUBJECT_VERB, _SUBJECT_VERB.finditer(value)),
            (_QUOTED_NAME, _QUOTED_NAME.finditer(value) if "«" in value else ()),
        ):
            for hit in hits:
                if (pattern is _VERB_OBJECT or pattern is _SUBJECT_VERB) and _MODIFIER_AFTER.match(
                    value, hit.end(1)
                ):
                    # "Swiss voice AI firm", "Thai conglomerate": an adjective, not a name.
                    continue
                candidates.append((hit.start(1), hit.group(1)))
        for _, candidate in sorted(candidates, key=lambda item: (item[0], -len(item[1]))):
            name = _clean_name(candidate)
            lowered = name.lower()
            if len(name) < 2 or name in _NOT_NAMES or lowered in known:
                continue
            if any(lowered in other or other in lowered for other in known):
                continue
            known.add(lowered)
            parties.append(name)
    return parties
