"""Deal cues in German, French, Spanish, Portuguese and Italian deal news.

Kept apart from ``rules`` (which appends them to its type triggers, after the English and
Russian ones) the way the Russian cues began: verbs and nouns that name a deal in wire and
press copy ("übernimmt", "rachète", "adquiere", "aquisição", "acquisisce"), weighed like
their English counterparts. Words that English shares with another meaning ("fusion" is
also physics, "participation" also taking part) count only in a deal phrase ("Fusion mit",
"prend une participation"). Amounts in these languages ("1,2 Mrd. Euro", "1.200 millones
de euros", "R$ 2 bilhões") are read by ``money`` with the scales of ``currencies``.
"""

from __future__ import annotations

# Verbs right before a stake's percentage ("adquiere el 40% de", "vende el 25% de",
# "übernimmt 75% an"), and the articles that may stand between; ``stakes`` reads them.
STAKE_BUY_VERBS = (
    r"adquiere|adquirió|adquire|adquiriu|compra|compró|comprou|acquiert|rachète|übernimmt|"
    r"erwirbt|kauft|acquisisce|acquista"
)
STAKE_SELL_VERBS = r"vende|vendió|vendeu|vend|cède|verkauft|cede"
STAKE_ARTICLES = r"el|la|le|o|das|die|den|il"
# The prepositions after such a percentage: "40% de Plumtree", "75% an Plumtree".
STAKE_OF = r"de|du|des|del|da|do|di|della|von|an|der"

TYPE_TRIGGERS: tuple[tuple[str, float, str], ...] = (
    # German.
    (
        "acquisition",
        3.0,
        r"\b(?:übernimmt|übernehmen|übernommen|übernahme\w*|erwirbt|erwerben|erworben|"
        r"zukauf\w*)\b",
    ),
    ("acquisition", 2.0, r"\b(?:kauft|kaufen|gekauft)\b"),
    ("merger", 3.0, r"\bfusion(?:ieren|iert|ierten)\b|\bfusion\s+(?:mit|von|zwischen)\b"),
    ("stake", 2.0, r"\bbeteiligung\w*\b|\bbeteiligt\s+sich\b|\banteil\w*\s+an\b"),
    ("divestment", 2.5, r"\bverkauft\b|\bverkaufen\b|\bverkauf\s+(?:von|des|der)\b|\bveräußer\w*"),
    ("joint_venture", 4.0, r"\bgemeinschaftsunternehmen\b"),
    ("ipo", 4.0, r"\bbörsengang\w*\b"),
    ("funding_round", 4.0, r"\bfinanzierungsrunde\w*\b"),
    # French.
    (
        "acquisition",
        3.0,
        r"\b(?:rachète|rachètent|racheté|rachetée|rachat(?!\s+d'actions)|acquiert|acquièrent|s'empare|"
        r"prend\s+le\s+contrôle|prendre\s+le\s+contrôle)\b",
    ),
    ("merger", 3.0, r"\bfusionn(?:e|ent|er|era|eront)\b|\bfusion\s+(?:avec|entre)\b"),
    ("stake", 2.0, r"\b(?:prend|prendre|prise|monte)\s+(?:une\s+)?participation\b"),
    (
        "divestment",
        2.5,
        r"\bcède\b|\bcèdent\b|\bcession\s+(?:de|du|des)\b|\bvend\s+(?:sa|son|ses)\b",
    ),
    ("joint_venture", 4.0, r"\bcoentreprise\b|\bentreprise\s+commune\b"),
    ("ipo", 4.0, r"\bintroduction\s+en\s+bourse\b"),
    ("funding_round", 4.0, r"\blevée\s+de\s+fonds\b|\btour\s+de\s+table\b"),
    # Spanish and Portuguese.
    (
        "acquisition",
        3.0,
        r"\b(?:adquiere|adquieren|adquirió|adquirirá|adquisición|adquire|adquiriu|aquisição|"
        r"compra\s+(?:de\s+|da\s+|do\s+)?(?-i:[A-Z])|compró|comprou|toma\s+el\s+control)",
    ),
    ("merger", 3.0, r"\bfusión\b|\bfusão\b|\bfusionan\b|\bfusionarán\b"),
    ("stake", 2.0, r"\bparticipación\b|\bparticipação\b"),
    ("divestment", 2.5, r"\bvende\s+(?:su|sua|seu)\b|\bventa\s+de\b|\bvenda\s+d[aeo]\b"),
    ("joint_venture", 4.0, r"\bempresa\s+conjunta\b"),
    ("ipo", 4.0, r"\bsalida\s+a\s+bolsa\b|\babertura\s+de\s+capital\b"),
    (
        "funding_round",
        4.0,
        r"\bronda\s+de\s+(?:financiación|inversión)\b|\brodada\s+de\s+(?:investimento|"
        r"financiamento)\b",
    ),
    # Italian.
    ("acquisition", 3.0, r"\b(?:acquisisce|acquisiscono|acquisizione|acquista)\b"),
    ("merger", 3.0, r"\bfusione\b"),
    ("stake", 2.0, r"\bpartecipazione\b"),
    ("divestment", 2.5, r"\bcede\b|\bcessione\b"),
    ("ipo", 4.0, r"\bquotazione\b"),
)
