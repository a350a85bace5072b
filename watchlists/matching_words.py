"""Word lists the matcher reads: data, not logic.

Every list is one string of words separated by white space, so a list reads (and diffs)
as prose. All words are in normalised form (`watchlists.normalize`: ASCII, lower case).
"""

from __future__ import annotations


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that may end a company name and are optional when matching it: "Barrick Gold
# Corp" is found as "Barrick Gold", and "Alibaba Group Holding Ltd" is one mention.
CORPORATE_SUFFIXES = _word_set(
    """
    inc incorporated ltd limited group pjsc plc ag sa holdings holding corp corporation
    co llc nv se gmbh company lp llp jsc ojsc oao pao bv spa ab asa kgaa sarl srl pte pty
    bhd kk oyj sas
    """
)


# Ordinary English words, plus brand names that are mostly used as ordinary words
# (amazon, jaguar). An alias made only of these needs the proper-noun form in the text.
COMMON_WORDS = _word_set(
    """
    a about above across act action add after again against age ago agree air all almost
    alone along already also although always am among amount an and another answer any
    apple are area arm around art as ask at away back bad bag ball bank base be bear beat
    became because become bed been before began begin behind being believe below best
    better between big bill bird black block blue board boat body book boots born both box
    boy bring brought build building business but buy by call came can capital car care
    carry case cat cause center central century certain chair chance change charge check
    child choose church city class clear close cloud coal cold college color come common
    community company computer condition consider contain continue control cook cool copy
    corn corner cost could count country course cover cross crown cup current cut dark day
    dead deal dear decide deep delta develop did die direct do does dog dollar done door
    down draw dream drive drop dry during each early earth east easy eat edge effect egg
    eight either electric element else end energy enough enter equal even evening event
    ever every example express eye face fact fair fall family far farm fast father fear
    feel feet few field fight figure fill final find fine fire first fish five floor
    follow food foot for force form forward found four free fresh friend from front fruit
    full fund future game gap garden gas gave general get give glass global go gold good
    got govern great green ground group grow guard guess had half hand happen happy hard
    has have he head health hear heart heat heavy held help her here high hill him his
    history hold home hope horse hot hour house how human hundred idea if in inch include
    industry interest into iron is island it its job join just keep key kind king know
    labs land language large last late lay lead learn least leave left less let letter
    level life light like line list listen little live long look lot love low machine made
    main make man many map mark market master matter may me mean meet member men metal
    method middle might mile mind minute miss modern moment money month moon more morning
    most mother mountain move much music must my name nation national natural nature near
    need network never new news next night nine no north not note nothing notice now number
    object occur of off offer office often oil old on once one only open or order other
    our out over own page paper park part party pass past pay people perhaps period person
    pick picture piece place plain plan plant play please point poor port position power
    premier present press pretty price prime print probable problem produce product
    progress property prove public pull puma put quarter question quick quite race radio
    rain raise range rather reach read ready real reason record red region remember report
    rest result return rich ride right ring rise river road rock room root round rule run
    safe said sail salt same sand sat save saw say school science sea season seat second
    section see seed seem select sell send sense sent serve service set settle seven several
    shall shape share sharp she shell ship shop short should show side sign signal silver
    simple since sing single sister sit six size sky sleep small smart snow so social soft
    soil solar some son song soon sound south space speak special speed spend spring
    square stand star start state station stay steel step still stone stood stop store
    story street strong student study subject subway such summer sun supply sure surface
    system table take talk target teach team tell ten term test than thank that the their
    them then there these they thing think third this those though thought thousand three
    through time to today together told too took top total touch toward town track trade
    train travel tree trip true trust try turn twenty two type under unit united until up
    us use usual valley value very view visa visit voice wait walk wall want war warm was
    wash watch water wave way we wear weather week weight well went were west what wheel
    when where which while white who whole why wide wife will win wind window winter wire
    wish with without woman women wonder wood word work world would write year yes yet you
    young your
    amazon jaguar oracle corona mercury sprint meta alphabet next apex summit pioneer
    frontier liberty heritage premier pinnacle legacy vanguard horizon atlas titan
    eagle falcon phoenix crown anchor beacon bridge compass harbor harvest keystone
    landmark meridian monument patriot sentinel sterling triumph union venture vista
    american british china chinese european french german japanese russian first
    international financial holdings partners resources solutions systems technologies
    technology therapeutics pharmaceuticals bancorp bio medical health energy
    orange lemon lime cherry berry peach plum mango olive pepper ginger honey sugar
    fox wolf lion tiger bull hawk raven swan dove bee ant
    mars jupiter saturn venus orion polaris nova comet galaxy
    total coach guess dollar shift snap square stripe uber zoom slack notion
    """
)

# Words of finance news that prose writes in lower case ("asset management", "real estate
# income"): a name made only of these and ordinary words counts only capitalised.
FINANCE_WORDS = _word_set(
    """
    investment investments investor investors asset assets management securities equity
    credit insurance industries services income growth opportunities acquisition
    acquisitions merger mergers mining shareholders dividend debt loan loans billion million
    percent revenue profit loss buyout stake offering listing exchange stock stocks bond
    bonds rate rates price prices properties real estate care pharmaceutical ventures
    private venture companies markets finance banking retail director chief executive
    officer shares street capital fund funds bank banks
    """
)

# Words before a name that are not part of it: "The Coca-Cola Company".
LEADING_ARTICLES = frozenset({"the"})

# Words that, right after a sentence-initial name, show it acts like a company.
COMPANY_VERBS = _word_set(
    """
    said says has had have is was will would could announced agreed plans planned reported
    posted confirmed acquired acquires bought buys sold sells raised raises invested invests
    signed signs launched launches shares stock declined rose fell expects expected added
    told denied owns owned won agrees merges invests unveils
    """
)

# Deal verbs that, after "to" ("Orange to acquire ..."), show a name acts like a company.
DEAL_VERBS = _word_set(
    """
    acquire buy sell merge invest raise sign launch list float divest spin buyback
    repurchase take combine partner join form bid offer pay cut issue
    """
)

# Verbs of speech: after a person's name they prove nothing ("Costa said").
SPEECH_VERBS = _word_set(
    """
    said says told added denied asked wrote noted explained argued claimed insisted
    stated replied recalled admitted warned
    """
)

# Titles before a person's name ("Mr Costa", "Dr. Campbell").
PERSONAL_TITLES = _word_set(
    """
    mr mrs ms miss dr prof sir lady lord mister madam coach captain judge senator
    president minister
    """
)

# Nouns that, in an appositive after a name ("Orange, the French telecom operator,"), say
# the name is a company.
COMPANY_NOUNS = _word_set(
    """
    company companies group firm operator maker manufacturer producer provider bank lender
    insurer retailer carrier airline giant conglomerate startup fund investor owner
    developer miner brand chain platform network supplier distributor utility exchange
    broker insurer holding subsidiary unit parent rival
    """
)

# After "Name, ": the name is a place ("Brookfield, Wisconsin"), not a company.
US_STATES = _word_set(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada new
    ohio oklahoma oregon pennsylvania rhode south tennessee texas utah vermont virginia
    washington west wisconsin wyoming
    """
)
