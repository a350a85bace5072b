"""Currencies as data: scales, signs, codes and names, and how ambiguous ones resolve.

A number with a currency sign or code before it (``$``, ``US$``, ``HK$``, ``A$``, ``€``,
``£``, ``¥``, ``₽``, ``Rs``, ``RUB``, ``R``) or a currency word after it (``dollar(s)``,
``euro(s)``, ``rouble(s)``, ``yen``, ``yuan``, ``won``, ``dirhams``), with an optional scale
(``m``, ``bn``, ``million``, ``trillion``, ``crore``). ``$`` is USD, ``¥`` JPY unless the
article says yuan, RMB or CNY; dirhams are MAD when Morocco, Moroccan, Casablanca, Rabat ...
outnumber UAE, Emirati, Dubai, Abu Dhabi ... in the article, else AED; ``R`` written against
the number ("R850 million") is ZAR in an article that names South Africa, Johannesburg, the
JSE or the rand, else not money. About 60 ISO 4217 codes ("XAF 18 billion"), local signs
(``RM``, ``KSh``, ``₸``, ``Mex$``, ``zł`` ...) and names (tenge, zlotys, ringgit, forints,
kronor ...) are known; a bare "pesos", "kroner" or "CFA francs" takes the currency of the
country the article names most (Mexico, Chile, Norway, Cameroon ...), else is not money.

The tables are the written forms the money scanner accepts, chosen for news copy. CLDR (via
babel) was weighed and not used: its English symbols are already here ("A$", "CA$", "MX$",
"FCFA"), its names are singular or plural display names ("Central African CFA francs",
"Italian liras") rather than how news writes money, it knows nothing of which "pesos" or
"kroner" an article means, and loading it took 0.14 s, more than all of deal analysis's
start-up.
"""

from __future__ import annotations

import re

from watchlists.deals.anchors import words
from watchlists.deals.patterns import LazyPattern

# Scale words after a number, with what they multiply it by.
SCALES: dict[str, int] = {
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "bln": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mio": 10**6,
    "thousand": 10**3,
    "k": 10**3,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "lakh": 10**5,
    "lakhs": 10**5,
    # German, French, Spanish, Portuguese and Italian: "1,2 Mrd. Euro", "3 milliards d'euros",
    # "1.200 millones de euros", "5 mil millones", "R$ 2 bilhões", "300 milioni".
    "mrd": 10**9,
    "millionen": 10**6,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "millions": 10**6,
    "millones": 10**6,
    "mil millones": 10**9,
    "milhões": 10**6,
    "mil milhões": 10**9,
    "bilhões": 10**9,
    "bilhão": 10**9,
    "milioni": 10**6,
    "miliardi": 10**9,
    "miliardo": 10**9,
    # Russian: "3 млрд рублей", "$150 млн", "1,2 трлн руб."
    "тыс": 10**3,
    "млн": 10**6,
    "млрд": 10**9,
    "трлн": 10**12,
    # Spelled out, as TASS often does: "3 миллиарда рублей", "500 миллионов долларов".
    "тысяч": 10**3,
    "тысячи": 10**3,
    "миллион": 10**6,
    "миллиона": 10**6,
    "миллионов": 10**6,
    "миллиард": 10**9,
    "миллиарда": 10**9,
    "миллиардов": 10**9,
    "триллион": 10**12,
    "триллиона": 10**12,
    "триллионов": 10**12,
}
# ISO 4217 codes written before the number ("XAF 18 billion") beyond the common ones
# listed with their signs; codes that are also English words (ALL, TOP, CUP, MOP) are left
# out.
_ISO_CODES_BEFORE_NUMBERS = words(
    "ARS BDT BGN CLP COP CZK EGP GHS HUF ILS ISK JOD KES KWD KZT LKR MYR NGN OMR PEN "
    "PHP PKR QAR RON RSD THB TND UAH UGX UZS VND XAF XOF TZS BHD GEL AMD AZN MNT"
)

# Signs and codes written before a number; a code ending in "?" is ambiguous (AMBIGUOUS).
PREFIXES: dict[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "HK$": "HKD",
    "HKD": "HKD",
    "S$": "SGD",
    "SGD": "SGD",
    "NZ$": "NZD",
    "NZD": "NZD",
    "R$": "BRL",
    "BRL": "BRL",
    "NT$": "TWD",
    "TWD": "TWD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY?",
    "JP¥": "JPY",
    "JPY": "JPY",
    "CN¥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "₽": "RUB",
    "RUB": "RUB",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "INR": "INR",
    "₩": "KRW",
    "KRW": "KRW",
    "CHF": "CHF",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "ZAR": "ZAR",
    "AED": "AED",
    "MAD": "MAD",
    "R": "ZAR?",
    "SAR": "SAR",
    "₺": "TRY",
    "TRY": "TRY",
    "MXN": "MXN",
    "PLN": "PLN",
    "₦": "NGN",
    "NGN": "NGN",
    "IDR": "IDR",
    "Rp": "IDR",
    "Mex$": "MXN",
    "MX$": "MXN",
    "₸": "KZT",
    "RM": "MYR",
    "KSh": "KES",
    "Ksh": "KES",
    "₱": "PHP",
    "฿": "THB",
    "₫": "VND",
    "₴": "UAH",
    "₪": "ILS",
    "E£": "EGP",
    "zł": "PLN",
    "Kč": "CZK",
    "FCFA": "CFA?",
    "CFA": "CFA?",
    **{code: code for code in _ISO_CODES_BEFORE_NUMBERS},
}
# Currency names and codes written after a number (matched case-insensitively).
SUFFIXES: dict[str, str] = {
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "australian dollars": "AUD",
    "canadian dollars": "CAD",
    "hong kong dollars": "HKD",
    "singapore dollars": "SGD",
    "new zealand dollars": "NZD",
    "taiwan dollars": "TWD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "d'euros": "EUR",
    "d’euros": "EUR",
    "de euros": "EUR",
    "di euro": "EUR",
    "de dólares": "USD",
    "de dollars": "USD",
    "de reais": "BRL",
    "franken": "CHF",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    # The adjective after a scale: "a 420 million pound rights issue".
    "pound": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "roubles": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "ruble": "RUB",
    "won": "KRW",
    "rupees": "INR",
    "rupee": "INR",
    "swiss francs": "CHF",
    "french francs": "FRF",
    "belgian francs": "BEF",
    "luxembourg francs": "LUF",
    "francs": "FRANC?",
    "reais": "BRL",
    "rand": "ZAR",
    "dirhams": "AED?",
    "dirham": "AED?",
    "riyals": "SAR",
    "lira": "TRY",
    "naira": "NGN",
    "rupiah": "IDR",
    "tenge": "KZT",
    "zlotys": "PLN",
    "zloty": "PLN",
    "zlotych": "PLN",
    "ringgit": "MYR",
    "korunas": "CZK",
    "koruna": "CZK",
    "czech crowns": "CZK",
    "czech korunas": "CZK",
    "kenyan shillings": "KES",
    "ugandan shillings": "UGX",
    "tanzanian shillings": "TZS",
    "forints": "HUF",
    "forint": "HUF",
    "lei": "RON",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
    "shekels": "ILS",
    "baht": "THB",
    "pesos": "PESO?",
    "mexican pesos": "MXN",
    "chilean pesos": "CLP",
    "argentine pesos": "ARS",
    "colombian pesos": "COP",
    "philippine pesos": "PHP",
    "kronor": "SEK",
    "swedish kronor": "SEK",
    "swedish crowns": "SEK",
    "norwegian kroner": "NOK",
    "norwegian crowns": "NOK",
    "danish kroner": "DKK",
    "danish crowns": "DKK",
    "kroner": "KRONER?",
    "cfa francs": "CFA?",
    "egyptian pounds": "EGP",
    "cedis": "GHS",
    "soles": "PEN",
    "qatari riyals": "QAR",
    "saudi riyals": "SAR",
    "emirati dirhams": "AED",
    "uae dirhams": "AED",
    "moroccan dirhams": "MAD",
    "turkish lira": "TRY",
    # "lire" is the Italian plural; the Turkish lira stays "lira".
    "lire": "ITL",
    "italian lire": "ITL",
    "italian lira": "ITL",
    # Wire dialect: "12.5 mln dlrs", "a 1.1 billion dlr offer", "50 mln stg".
    "dlrs": "USD",
    "dlr": "USD",
    "u.s. dlrs": "USD",
    "us dlrs": "USD",
    "canadian dlrs": "CAD",
    "canadian dlr": "CAD",
    "australian dlrs": "AUD",
    "australian dlr": "AUD",
    "new zealand dlrs": "NZD",
    "n.z. dlrs": "NZD",
    "hong kong dlrs": "HKD",
    "h.k. dlrs": "HKD",
    "singapore dlrs": "SGD",
    "taiwan dlrs": "TWD",
    "stg": "GBP",
    "marks": "DEM",
    "german marks": "DEM",
    "west german marks": "DEM",
    "deutsche marks": "DEM",
    "guilders": "NLG",
    "dutch guilders": "NLG",
    "pesetas": "ESP",
    "austrian schillings": "ATS",
    "schillings": "ATS",
    **{code.lower(): code for code in set(PREFIXES.values()) if not code.endswith("?")},
    "rmb": "CNY",
    # Russian.
    "рублей": "RUB",
    "рубля": "RUB",
    "рубль": "RUB",
    "руб": "RUB",
    "долларов": "USD",
    "доллара": "USD",
    "евро": "EUR",
    "юаней": "CNY",
    "долл": "USD",
    "долл. сша": "USD",
    "долларов сша": "USD",
    "доллар": "USD",
    "юаня": "CNY",
    "юань": "CNY",
    # Pounds and dirhams alone may be other pounds (weight, Egypt's) or Morocco's dirham.
    "фунтов стерлингов": "GBP",
    "фунта стерлингов": "GBP",
    "иен": "JPY",
    "иены": "JPY",
    "тенге": "KZT",
    "рупий": "INR",
    "гривен": "UAH",
    "швейцарских франков": "CHF",
}


# An ambiguous sign or currency name ("¥", "R", dirhams, pesos, kroner, CFA francs) means
# the currency of the country the article names most; when it names none, the default
# (None: not money). Ties go to the first currency listed.
AMBIGUOUS: dict[str, tuple[dict[str, LazyPattern], str | None]] = {
    "JPY?": ({"CNY": LazyPattern(r"\b(?:yuan|RMB|CNY|renminbi)\b", re.I)}, "JPY"),
    # Bare "francs" stay Swiss unless the story is French or Belgian.
    "FRANC?": (
        {
            "CHF": LazyPattern(r"\b(?:Swiss|Switzerland|Zurich|Geneva|Basle|Basel|Berne?)\b", re.I),
            "FRF": LazyPattern(r"\b(?:France|French|Paris|Lyons?|Marseilles?)\b", re.I),
            "BEF": LazyPattern(r"\b(?:Belgi\w*|Brussels|Antwerp)\b", re.I),
        },
        "CHF",
    ),
    "AED?": (
        {
            "AED": LazyPattern(r"\b(?:UAE|U\.A\.E|Emirat\w*|Dubai|Abu\s+Dhabi|Sharjah)\b", re.I),
            "MAD": LazyPattern(
                r"\b(?:Morocc\w*|Casablanca|Rabat|Marrakesh|Marrakech|Tangier)\b", re.I
            ),
        },
        "AED",
    ),
    "ZAR?": (
        {
            "ZAR": LazyPattern(
                r"\b(?:South\s+Africa\w*|Johannesburg|JSE|Cape\s+Town|Durban|Pretoria|rand)\b",
                re.I,
            )
        },
        None,
    ),
    "PESO?": (
        {
            "MXN": LazyPattern(r"\b(?:Mexic\w*|Monterrey|Guadalajara|Sinaloa|Jalisco|BMV)\b", re.I),
            "CLP": LazyPattern(r"\b(?:Chile\w*|Santiago|Valpara[ií]so)\b", re.I),
            "ARS": LazyPattern(r"\b(?:Argentin\w*|Buenos\s+Aires|C[oó]rdoba)\b", re.I),
            "COP": LazyPattern(r"\b(?:Colombia\w*|Bogot[aá]|Medell[ií]n)\b", re.I),
            "PHP": LazyPattern(r"\b(?:Philippin\w*|Filipino|Manila|Makati|Cebu)\b", re.I),
        },
        None,
    ),
    "KRONER?": (
        {
            "NOK": LazyPattern(r"\b(?:Norw\w*|Oslo|Bergen|Stavanger)\b", re.I),
            "DKK": LazyPattern(r"\b(?:Denmark|Danish|Copenhagen|Aarhus)\b", re.I),
        },
        None,
    ),
    "CFA?": (
        {
            "XAF": LazyPattern(
                r"\b(?:Cameroon\w*|Gabon\w*|Chad\w*|Congo\w*|Central\s+Africa\w*|Equatorial\s+"
                r"Guinea|Douala|Yaound[eé]|Libreville|Brazzaville|N'Djamena|CEMAC|BEAC)\b",
                re.I,
            ),
            "XOF": LazyPattern(
                r"\b(?:Senegal\w*|Ivor\w*|C[oô]te\s+d.Ivoire|Mali\w*|Burkina|Niger\b|Benin\w*|"
                r"Togo\w*|Dakar|Abidjan|Bamako|Ouagadougou|Lom[eé]|UEMOA|BCEAO)\b",
                re.I,
            ),
        },
        None,
    ),
}


class Currencies:
    """What an ambiguous sign means in one article, worked out only when it occurs."""

    def __init__(self, title: str, text: str) -> None:
        self._sources = (title, text)
        self._resolved: dict[str, str | None] = {}

    def resolve(self, currency: str) -> str | None:
        """The ISO code of a currency that may be ambiguous (marked with "?")."""
        if not currency.endswith("?"):
            return currency
        if currency not in self._resolved:
            self._resolved[currency] = self._most_named(*AMBIGUOUS[currency])
        return self._resolved[currency]

    def _most_named(self, hints: dict[str, LazyPattern], default: str | None) -> str | None:
        counts = {
            code: sum(len(pattern.findall(source)) for source in self._sources)
            for code, pattern in hints.items()
        }
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else default
