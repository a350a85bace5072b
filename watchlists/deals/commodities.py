"""Traded goods as data: the commodities, fuels and currencies that wire copy buys and sells.

A market's trade in these is no company changing hands ("India bought urea", "refiners
bought naphtha cargoes", "the Bundesbank sold marks against dollars"). The list is broad
on purpose: the deal rules must not learn commodities one news item at a time. Words that
are also verbs or common nouns ("scrap", "concentrates", "meal") are left out: "sold its
unit and concentrates on" is a sale.
"""

from __future__ import annotations

GRAINS = (
    "wheat", "durum", "corn", "maize", "barley", "oats", "rye", "sorghum", "millet", "rice",
    "grain", "grains", "feedgrains", "flour", "semolina", "malt",
)  # fmt: skip
OILSEEDS = (
    "soybeans", "soybean", "soya", "soymeal", "soyoil", "soybean oil", "soybean meal",
    "rapeseed", "rapeseed oil", "canola", "sunflowerseed", "sunflower oil", "sunseed",
    "cottonseed", "groundnuts", "peanuts", "linseed", "flaxseed", "copra", "palm oil",
    "palm kernel oil", "coconut oil", "olive oil", "vegetable oil", "vegetable oils",
    "veg oil", "oilseeds", "tallow", "lard", "fishmeal", "oilcake", "olein", "stearine",
)  # fmt: skip
SOFTS = (
    "sugar", "cocoa", "cocoa beans", "coffee", "tea", "cotton", "rubber", "jute", "wool",
    "orange juice", "tobacco", "potatoes", "raisins", "hops",
)  # fmt: skip
LIVESTOCK = (
    "cattle", "hogs", "pigs", "pork", "pork bellies", "beef", "veal", "lamb", "mutton",
    "poultry", "chickens", "broilers", "eggs", "butter", "cheese", "milk powder",
    "skimmed milk powder", "dairy products", "processed products", "meat", "livestock",
    "feeder cattle",
)  # fmt: skip
METALS = (
    "gold", "silver", "platinum", "palladium", "copper", "tin", "zinc", "nickel",
    "aluminium", "aluminum", "cobalt", "tungsten", "molybdenum", "uranium", "iron ore",
    "steel", "pig iron", "ferrochrome", "manganese", "bullion", "cathodes",
    "coins",
)  # fmt: skip
ENERGY = (
    "crude", "crude oil", "oil products", "gasoline", "naphtha", "diesel", "gasoil",
    "gas oil", "fuel oil", "heating oil", "jet fuel", "kerosene", "propane", "butane", "lpg",
    "lng", "gas", "natural gas", "coal", "coking coal", "steam coal", "thermal coal", "ethanol",
    "methanol",
)  # fmt: skip
FERTILIZERS = (
    "urea", "ammonia", "phosphate", "phosphates", "diammonium phosphate", "potash",
    "fertilizer", "fertilizers", "fertiliser", "fertilisers", "sulphur", "sulfur",
)  # fmt: skip
FOREST = ("wood", "lumber", "logs", "timber", "timberland", "pulp", "newsprint", "plywood")
CURRENCIES = (
    "dollars", "marks", "yen", "sterling", "francs", "guilders", "lire", "pesetas",
    "kronor", "crowns",
)  # fmt: skip

# Capital goods ordered by the piece: "agreed to buy six new jets", "to purchase 2,000 of
# its trucks".
CAPITAL_GOODS = (
    "jets", "jetliners", "airliners", "aircraft", "planes", "helicopters", "engines",
    "turbines", "locomotives", "railcars", "rail cars", "trucks", "tractors", "buses", "cars",
    "vehicles", "computers", "satellites", "rigs", "drilling rigs", "tankers", "ships",
    "vessels", "cranes", "reactors", "generators", "machines", "machine tools", "robots",
    "fighter planes", "fighters", "tanks", "missiles", "warships", "frigates", "submarines",
    "weapons", "arms",
)  # fmt: skip

COMMODITIES = GRAINS + OILSEEDS + SOFTS + LIVESTOCK + METALS + ENERGY + FERTILIZERS + FOREST
