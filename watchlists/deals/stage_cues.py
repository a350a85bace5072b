"""Deal stages as data: the cues read for how far a deal has got.

Cues by precedence: ``terminated`` (called off, abandoned, scrapped, terminated,
walked away; also halted, suspended, shelved or paused sales or talks and deals "put
on hold": there is no "paused" stage) > ``completed`` (completed, closed, finalised,
has acquired, has raised) > ``announced`` (agreed to, will buy, announced, signed, is
buying, launches an IPO) > ``in_talks`` (talks, negotiations, discussing, nearing a
deal) > ``rumoured`` (reportedly, people familiar, sources said, considering,
exploring, a report that). Weak cues (a headline verb: "X acquires Y", "X raises" are
completed; "X to buy Y", "X agrees", "X launches" announced) decide only when no cue
fired.
"""

from __future__ import annotations

import re

from watchlists.deals.anchors import RuleSet, rule
from watchlists.deals.patterns import LazyPattern

# Stage cues are ranked by precedence (``STAGE_ORDER``), never summed: all weigh the same.
STAGE_CUE_WEIGHT = 1.0

_PROGRESSIVE_DEALS = (
    r"(?:buying|acquiring|selling|paying|investing|pooling|teaming\s+up|setting\s+up|accepting|"
    r"taking|forming|floating|listing|launching|merging|taking\s+over|offloading|spinning\s+off)\b"
)
STAGE_CUES: tuple[tuple[str, str], ...] = (
    ("terminated", r"\bcall(?:s|ed|ing)?\s+off\b"),
    ("terminated", r"\babandon(?:s|ed|ing)?\b"),
    ("terminated", r"\bscrap(?:s|ped|ping)?\b"),
    ("terminated", r"\bterminat(?:e|es|ed|ing)\b"),
    ("terminated", r"\bwalk(?:s|ed|ing)?\s+away\b"),
    ("terminated", r"\bpull(?:s|ed|ing)?\s+out\s+of\b"),
    ("terminated", r"\b(?:collapsed|fell\s+through|falls\s+through|fell\s+apart)\b"),
    (
        "terminated",
        r"\b(?:ended|ends|broke\s+off|breaks\s+off|break\s+off)\s+(?:the\s+)?(?:talks|negotiations|discussions)\b",
    ),
    (
        "terminated",
        r"\bwithdr(?:ew|aws|awn)\s+(?:its\s+|the\s+|a\s+)?(?:offer|bid|proposal)\b",
    ),
    (
        "terminated",
        r"\bdrop(?:s|ped)?\s+(?:its\s+|the\s+)?(?:\w+\s+)?(?:bid|offer|plan|pursuit)\b",
    ),
    # A halted or shelved deal is off for now: the stages have no "paused".
    (
        "terminated",
        r"\b(?:halt(?:s|ed|ing)?|suspend(?:s|ed|ing)?|shelv(?:e|es|ed|ing)|freez(?:e|es|ing)|"
        r"froze|paus(?:e|es|ed|ing))\s+(?:the\s+|its\s+|their\s+|a\s+|all\s+)?"
        r"(?:[\w-]+\s+){0,3}?(?:sale|talks|deal|plans?|process|bid|offer|merger|negotiations|"
        r"discussions|listing|ipo|takeover|acquisition|purchase|disposal|flotation|spin-?off|"
        r"tie-?up|partnership|venture)\b",
    ),
    (
        "terminated",
        r"\b(?:put|puts|putting|placed|places|placing)\s+(?:[\w-]+\s+){0,5}?on\s+(?:hold|ice)\b",
    ),
    # A review of options that ends without a deal: "ended its strategic review and will
    # remain independent".
    (
        "terminated",
        r"\b(?:ended|ends|concluded|concludes|closed|closes)\s+(?:its\s+|the\s+|a\s+)?"
        r"(?:strategic\s+)?(?:review|sale\s+process)\b|\bstrategic\s+review\s+(?:had\s+|has\s+)?"
        r"(?:ended|concluded)\b|\bremain\s+(?:an?\s+)?independent\b",
    ),
    # A deal blocked or vetoed by a regulator or a government is off ("blocked Kestrel's
    # planned purchase of Orchard"); a blocking stake is a holding, not a stage.
    (
        "terminated",
        r"\b(?<!\bto\s)(?:block(?:s|ed)?|veto(?:es|ed)?|prohibit(?:s|ed)?)\s+(?:the\s+|its\s+|"
        r"their\s+|a\s+)?"
        r"(?:[\w'’&.-]+\s+){0,4}?(?:sale|deal|bid|offer|merger|takeover|acquisition|purchase|"
        r"tie-?up|venture|combination)\b",
    ),
    ("completed", r"\bcomplet(?:e|es|ed|ing|ion)\b"),
    ("completed", r"\bclosed\b|\bclosing\s+of\b"),
    ("completed", r"\bfinali[sz](?:e|es|ed)\b"),
    (
        "completed",
        r"\b(?:has|have)\s+(?:now\s+)?(?:acquired|bought|merged|sold|divested|snapped\s+up|"
        r"taken\s+over|swallowed)\b",
    ),
    ("completed", r"\bnow\s+owns\b"),
    (
        "completed",
        r"\b(?:has|have)\s+(?:now\s+|already\s+)?(?:raised|secured|formed|invested|put\s+money|"
        r"spun\s+off|exited|offloaded)\b",
    ),
    ("announced", r"\bagree(?:s|d)?\b"),
    ("announced", r"\b(?:definitive|binding|merger|purchase)\s+agreement\b"),
    ("announced", r"\bsign(?:s|ed)\b"),
    ("announced", r"\bannounc(?:e|es|ed)\b"),
    (
        "announced",
        r"\bwill\s+(?:buy|acquire|merge|invest|sell|take|combine|form|list|float|go\s+public|pay|spin|"
        r"divest|put|fund|back|commit|inject|hold|own|set\s+up|create)\b",
    ),
    ("announced", r"\bunveil(?:s|ed)\b"),
    ("announced", r"\bconfirm(?:s|ed)\b"),
    ("announced", r"\baccept(?:s|ed)\b"),
    ("announced", r"\b(?:has|have)\s+(?:teamed\s+up|partnered|joined\s+forces|struck)\b"),
    (
        "announced",
        r"\b(?:strikes?|struck|seals?|sealed|inks?|inked)\s+(?:a\s+|an\s+)?(?:\$?[\w.-]+\s+)?(?:deal|agreement|pact)\b",
    ),
    ("announced", r"\bfile[sd]?\s+(?:confidentially\s+)?(?:for|to)\b"),
    (
        "announced",
        r"(?<=\bis\s)" + _PROGRESSIVE_DEALS + r"|(?<=\bare\s)" + _PROGRESSIVE_DEALS,
    ),
    (
        "announced",
        r"\b(?:made|makes|make|launch(?:es|ed)?)\s+(?:a\s+|an\s+|its\s+)?(?:[\w$.,-]+\s+){0,4}"
        r"(?:bid|offer|ipo|listing|offering)\b",
    ),
    ("in_talks", r"\btalks\b"),
    ("in_talks", r"\bdiscuss(?:es|ed|ing)?\b(?!\s+(?:its|the)\s+plans)"),
    ("in_talks", r"\bnegotiat(?:e|es|ed|ing|ions?)\b"),
    (
        "in_talks",
        r"\bdiscussions\b",
    ),
    (
        "in_talks",
        r"\b(?:nearing|nears|near|close\s+to)\s+(?:a\s+|an\s+)?(?:\$?[\w.-]+\s+)?(?:deal|agreement)\b",
    ),
    (
        "in_talks",
        r"\bnon-binding\b|\bletter\s+of\s+intent\b|\bdue\s+diligence\b",
    ),
    ("rumoured", r"\breportedly\b|\bwas\s+reported\b|\bmedia\s+reports?\b"),
    ("rumoured", r"\bpeople\s+(?:familiar|with\s+knowledge|close\s+to|briefed)\b"),
    (
        "rumoured",
        r"\bsources?\s+(?:said|say|says|familiar|close|told)\b|\bfamiliar\s+with\s+the\s+(?:matter|talks|plans|situation|deal)\b",
    ),
    (
        "rumoured",
        r"\baccording\s+to\s+(?:people|sources?|a\s+person|persons|reports?|media|a\s+report)\b",
    ),
    (
        "rumoured",
        r"\bconsider(?:s|ed|ing)\b|\bweigh(?:s|ing)\b|\bexplor(?:e|es|ing)\b|\bmull(?:s|ed|ing)?\b",
    ),
    ("rumoured", r"\bsaid\s+to\s+(?:be|have)\b"),
    ("rumoured", r"\brumou?r(?:s|ed)?\b|\bspeculation\b"),
    ("rumoured", r"\breports?\s+(?:that|of|by)\b"),
    ("rumoured", r"\bsound(?:s|ed)?\s+out\b|\bapproach(?:es|ed)?\b"),
    (
        "rumoured",
        r"\bpotential\s+(?:deal|bid|offer|sale|takeover|merger|acquisition)\b",
    ),
    ("rumoured", r"\b(?:could|may|might)\s+(?:buy|acquire|sell|merge|bid)\b"),
    # Russian.
    ("terminated", r"\bотказал\w*\s+от|\bрасторг\w*|\bотменил\w*\s+сделк\w*"),
    (
        "completed",
        r"\bзавершил\w*|\bзакрыл\w*\s+сделк\w*|\bприобр[её]л[аио]?\b|\bкупил[аио]?\b|"
        r"\bпродал[аио]?\b|\bпривл[её]к(?:ла|ли|ло)?\b|\bсделк[аи]\s+закрыт\w*|"
        r"\b(?:увеличил|нарастил|дов[её]л|довела|выкупил|стал)[аио]?\b|\bполучил[аио]?\s+контроль",
    ),
    (
        "announced",
        r"\bдоговорил\w*|\bподписал\w*|\bобъявил\w*|\bсогласовал\w*|\bпокупает\b|"
        r"\bприобретает\b|\bинвестирует\b|\bсоздаду?[тю]\w*|\bподписан[аоы]?\b|"
        # A board's or a regulator's approval: agreed, not closed.
        r"\bодобрил[аио]?\b",
    ),
    ("in_talks", r"\bпереговор\w*|\bобсужда\w*"),
    ("rumoured", r"\bисточник\w*|\bпо\s+данным\b|\bпо\s+информации\b"),
)
STAGE_RULES = tuple(rule(stage, STAGE_CUE_WEIGHT, pattern) for stage, pattern in STAGE_CUES)
STAGE_RULE_SET = RuleSet(STAGE_RULES)

# Weak stage cues decide only when no rule above fired, mostly in headlines.
WEAK_STAGE_CUES: tuple[tuple[str, str], ...] = (
    (
        "completed",
        # Not "to be acquired by": that is still to come.
        r"\b(?<!\bbe\s)(?:acquired|acquires|bought|buys|merged|divested|divests|completes|sells|"
        r"sold|offloads|offloaded|raises|raised|secures|secured|leads|backs|invests|invested|"
        r"closes|snapped\s+up|takes|took)\b",
    ),
    (
        "announced",
        r"(?<=\bto\s)(?:buy|acquire|merge|sell|invest|form|list|take|spin|divest|raise|exit)\b|"
        r"\b(?:agrees?|forms?|lists|launch(?:es|ed)?|teams?\s+up|partners?\s+with|signs?|seeks?|"
        r"plans?|snaps\s+up)\b|(?<=\bto\sbe\s)(?:acquired|bought|sold)\b",
    ),
    # Russian future tense and plans: "купит", "продадут", "станет акционером", "планирует".
    (
        "announced",
        r"\b(?:купит|купят|продаст|продадут|вложит|вложат|выкупит|получит|получат|станет|"
        r"станут|войд[её]т|перейд[её]т|проведёт|проведет|разместит|планиру\w*|намерен\w*|"
        r"объединит|объединят|учредит|учредят|создаст|сольются|внес[её]т|внесут)\b",
    ),
)
WEAK_STAGE_RULES = tuple(
    rule(stage, STAGE_CUE_WEIGHT, pattern) for stage, pattern in WEAK_STAGE_CUES
)
WEAK_STAGE_RULE_SET = RuleSet(WEAK_STAGE_RULES)

# Words just before a completed or announced cue that put it in the future or the
# conditional ("expected to complete", "could announce"): then it does not count.
FUTURE = LazyPattern(
    r"(?:\b(?:could|would|may|might|expect(?:s|ed)?\s+to|expected|plan(?:s|ned)?\s+to|set\s+to|"
    r"to\s+be|will|shall|subject\s+to|pending|until|once|before|after|if|aims?\s+to|"
    r"hopes?\s+to|intends?\s+to|soon|yet\s+to|not|to|targeted|scheduled)\s+(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
