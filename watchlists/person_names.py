"""People's names: data, not logic (`watchlists.matching_lexicon` reads them).

A one-word company name that is also a common given name or surname ("Campbell" of
"CAMPBELL'S Co", "Rogers" of "ROGERS CORP") is more often a person in the news, and a
capitalised first name or surname is no typo of a company ("Marvin" for "Marvion").

Source: the US Census Bureau's 1990 name frequency files (dist.male.first,
dist.female.first, dist.all.last; works of the US Government, in the public domain), as
shipped by the `names` package (MIT). Kept: every name held by at least 0.005% of the
people counted (2,384 given names, 2,753 surnames), lower case, ASCII.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Given names held by at least 0.005% of men or of women.
GIVEN_NAMES = _names(
    """
    aaron abbie abby abdul abe abel abigail abraham abram ada adalberto adam adan addie
    adela adelaide adele adelina adeline adell adolfo adolph adrian adriana adrianne
    adrienne agatha agnes agustin ahmad ahmed aida aileen aimee aisha al alaina alan
    alana alba albert alberta alberto alden aldo alec alecia alejandra alejandro alene
    aletha alex alexa alexander alexandra alexandria alexis alfonso alfonzo alfred
    alfreda alfredo ali alice alicia alina aline alisa alisha alison alissa allan allen
    allene allie allison allyson alma alonzo alpha alphonse alphonso alta althea alton
    alva alvaro alvin alvina alyce alyson alyssa amado amalia amanda amber amelia amie
    amos amparo amy ana anastasia anderson andra andre andrea andres andrew andria andy
    angel angela angelia angelica angelina angeline angelique angelita angelo angie
    anibal anissa anita ann anna annabelle annamarie anne annemarie annetta annette
    annie annmarie anthony antionette antoine antoinette anton antone antonette antonia
    antonio antony antwan april araceli archie aretha ariana ariel arleen arlene arline
    armand armando arnold arnulfo aron arron art arthur arturo ashlee ashleigh ashley
    asia athena aubrey audra audrey august augusta augustine augustus aura aurelia
    aurelio aurora austin autumn ava avery avis barb barbara barbra barney barrett barry
    bart barton basil beatrice beatriz beau becky belen belinda bella belle belva ben
    benita benito benjamin bennett bennie benny bernadette bernadine bernard bernardo
    bernice bernie berniece berry bert berta bertha bertie bertram beryl bess bessie
    beth bethany betsy bette bettie bettina betty bettye beulah beverley beverly bianca
    bill billie billy birdie blaine blair blake blanca blanche bo bob bobbi bobbie bobby
    bonita bonnie booker boris boyd brad bradford bradley bradly brady brain branden
    brandi brandie brandon brandy brant breanna brenda brendan brendon brenna brent
    brenton bret brett brian briana brianna brianne brice bridget bridgett bridgette
    brigitte britney brittany brittney brock brooke brooks bruce bruno bryan bryant
    bryce bryon bud buddy buford burl burt burton byron caitlin caleb callie calvin
    cameron camilla camille candace candi candice candida candy cara caren carey cari
    caridad carissa carl carla carlene carlo carlos carlton carly carmel carmela
    carmelita carmella carmelo carmen carmine carol carole carolina caroline carolyn
    carrie carrol carroll carson carter cary caryn casandra casey cassandra cassie
    catalina catharine catherine cathleen cathrine cathryn cathy catrina cecelia cecil
    cecile cecilia cedric celeste celestine celia celina cesar chad chadwick chance
    chandra chanel chang chantal chantel charity charla charleen charlene charles
    charley charlie charline charlotte charmaine chase chasity chastity chauncey chelsea
    chelsey cheri cherie cherry cheryl chester chet chi chiquita chloe chong chris
    christa christal christen christi christian christie christin christina christine
    christoper christopher christy chrystal chuck chung cindi cindy clair claire clara
    clare clarence clarice clarissa clark claude claudette claudia claudine claudio clay
    clayton clement clementine cleo cletus cleveland cliff clifford clifton clint
    clinton clyde cody colby cole coleen coleman colette colin colleen collette collin
    columbus concepcion concetta connie conrad constance consuelo cora cordelia corey
    cori corina corine corinne cornelia cornelius cornell corrie corrine cortney cory
    courtney coy craig cristal cristina cristy cruz crystal curt curtis cynthia cyril
    cyrus daisy dale dalia dallas dalton damaris damian damien damion damon dan dana
    dane danelle danette danial daniel daniela danielle danita danna dannie danny dante
    daphne dara darcy daren darin dario darius darla darleen darlene darnell darrel
    darrell darren darrick darrin darryl darwin daryl dave david davis dawn dayna dean
    deana deandre deann deanna deanne debbie debby debi debora deborah debra debrah dee
    deena deidra deidre deirdre delbert delfina delia delilah della delma delmar delmer
    delois delores deloris delphine demarcus demetria demetrius dena denice denis denise
    dennis denny denver deon derek derick derrick desiree desmond dessie destiny devin
    devon dewayne dewey dewitt dexter diana diane diann dianna dianne dick diego dillon
    dina dinah dino dion dionne dirk dixie dollie dolly dolores dominga domingo dominic
    dominick dominique don dona donald donn donna donnell donnie donny donovan donte
    dora dorcas doreen dorene doretha dorian doris dorothea dorothy dorris dortha dorthy
    dottie doug douglas dovie doyle drew duane dudley dulce duncan dustin dusty dwain
    dwayne dwight dylan earl earle earlene earline earnest earnestine easter ebony ed
    eddie eddy edgar edgardo edith edmond edmund edna eduardo edward edwardo edwin
    edwina edythe effie efrain efren eileen elaine elba elbert elda eldon eleanor
    eleanore elena eli elia elias elida elijah elinor elisa elisabeth elise eliseo
    elisha elissa eliza elizabeth ella ellen ellie elliot elliott ellis elma elmer elmo
    elnora eloisa eloise elouise eloy elsa elsie elton elva elvia elvin elvira elvis
    elwood elyse emanuel emerson emery emil emile emilia emilie emilio emily emma
    emmanuel emmett emory enid enoch enrique eric erica erich erick ericka erik erika
    erin erlinda erma erna ernest ernestina ernestine ernesto ernie errol ervin erwin
    esmeralda esperanza essie esteban estela estella estelle ester esther ethan ethel
    etta eugene eugenia eugenio eula eulalia eunice eva evan evangelina evangeline eve
    evelyn everett everette evette ezra fabian fabiola faith fannie fanny fatima
    faustino fay faye federico felecia felicia felicita felipe felix ferdinand fermin
    fern fernando fidel filomena fletcher flor flora florence florencio florine flossie
    floy floyd forest forrest foster fran frances francesca francine francis francisca
    francisco frank frankie franklin fred freda freddie freddy frederic frederick
    fredric fredrick freeman freida frieda fritz gabriel gabriela gabriella gabrielle
    gail gale galen garfield garland garrett garry garth gary gavin gay gaye gayla gayle
    gena genaro gene geneva genevieve genoveva geoffrey george georgette georgia
    georgiana georgianna georgina gerald geraldine geraldo gerard gerardo geri germaine
    german gerri gerry gertie gertrude gil gilbert gilberto gilda gillian gina ginger
    ginny gino giovanni gisela giuseppe gladys glen glenda glenn glenna gloria goldie
    gonzalo gordon grace gracie graciela grady graham grant greg gregg gregoria gregorio
    gregory greta gretchen griselda grover guadalupe guillermina guillermo gus gussie
    gustavo guy gwen gwendolyn hal haley hallie hank hanna hannah hans harlan harley
    harold harriet harriett harriette harris harrison harry harvey hassan hattie haydee
    hayley hazel heath heather hector heidi helen helena helene helga hellen henrietta
    henry herbert heriberto herlinda herman herminia herschel hershel hester hilario
    hilary hilda hildegard hillary hilton hipolito hiram hollie hollis holly homer hope
    horace horacio hortencia houston howard hubert huey hugh hugo humberto hung hunter
    ian ida idella ignacio ila ilene ima imelda imogene ina india ines inez ingrid iola
    iona ione ira irene iris irma irvin irving irwin isaac isabel isabell isabella
    isabelle isaiah isaias isiah isidro ismael israel issac iva ivan ivette ivonne ivory
    ivy jack jackie jacklyn jackson jaclyn jacob jacque jacquelin jacqueline jacquelyn
    jacques jacquline jade jaime jake jamaal jamal jamar jame jamel james jamey jami
    jamie jamison jan jana jane janel janell janelle janet janette janice janie janine
    janis janna jannette jannie jaqueline jared jarred jarrett jarrod jarvis jasmin
    jasmine jason jasper javier jay jayme jayne jayson jean jeana jeanette jeanie
    jeanine jeanna jeanne jeannette jeannie jeannine jed jeff jefferey jefferson jeffery
    jeffrey jeffry jena jenifer jenna jennie jennifer jenny jerald jeremiah jeremy jeri
    jermaine jerold jerome jerri jerrod jerrold jerry jesica jess jesse jessica jessie
    jesus jewel jewell jill jillian jim jimmie jimmy jo joan joann joanna joanne joaquin
    jocelyn jodi jodie jody joe joel joelle joesph joey johanna john johnathan johnathon
    johnie johnna johnnie johnny jolene jon jonah jonas jonathan jonathon joni jordan
    jorge jose josef josefa josefina joseph josephine josette josh joshua josiah josie
    josue jovita joy joyce juan juana juanita judi judith judson judy jules juli julia
    julian juliana julianna julianne julie juliet juliette julio julius june jung junior
    justin justina justine kaitlin kaitlyn kara kareem karen kari karin karina karl
    karla karol karon karrie karyn kasey kate katelyn katharine katherine katheryn kathi
    kathie kathleen kathrine kathryn kathy katie katina katrina katy kay kaye kayla
    keenan keisha keith kelley kelli kellie kelly kelsey kelvin ken kendall kendra
    kendrick kenneth kennith kenny kent kenton kenya keri kermit kerri kerrie kerry
    kesha keshia keven kevin kia kieth kim kimberlee kimberley kimberly kip kira kirby
    kirk kirsten kisha kitty kory kris krista kristal kristen kristi kristie kristin
    kristina kristine kristopher kristy krystal krystle kurt kurtis kyla kyle kylie
    lacey lacy ladonna lakeisha lakesha lakisha lamar lamont lan lana lance landon lane
    lanny laquita lara larissa larry lashawn lashonda latanya latasha latisha latonia
    latonya latoya latrice latricia laura laurel lauren laurence lauretta lauri laurie
    lavern laverne lavonne lawanda lawerence lawrence lazaro lea leah leann leanna
    leanne lee leeann leigh leila leilani lela leland lelia lemuel lena lenard lenny
    lenora lenore leo leola leon leona leonard leonardo leone leonel leonor leonora
    leopoldo leora leota leroy les lesa lesley leslie lessie lester leta letha leticia
    letitia lettie levi lewis lia libby lidia lila lilia lilian liliana lillian lillie
    lilly lily lina lincoln linda lindsay lindsey lindy linwood lionel lisa liz liza
    lizette lizzie lloyd logan lois lola lolita lon lona lonnie lora loraine loren
    lorena lorene lorenzo loretta lori lorie lorine lorna lorraine lorri lorrie lottie
    lou louann louella louie louis louisa louise lourdes lowell loyd luann luanne lucas
    lucia luciano lucien lucila lucile lucille lucinda lucio lucretia lucy luella luis
    luisa luke lula lupe lura luther luz lydia lyle lyman lyn lynda lyndon lynette lynn
    lynne lynnette ma mabel mable mac mack madeleine madeline madelyn madge madonna mae
    magda magdalena maggie mai major majorie malcolm malinda malissa mallory mamie mandi
    mandy manuel manuela mara marc marcel marcela marcelino marcella marcelle marcelo
    marci marcia marcie marco marcos marcus marcy margaret margarita margarito marge
    margery margie margo margot margret marguerite mari maria mariah mariam marian
    mariana marianna marianne mariano maribel maricela marie marietta marilyn marilynn
    marina mario marion marisa marisela marisol marissa maritza marjorie marjory mark
    markus marla marlena marlene marlin marlon marlyn marlys marquis marquita marsha
    marshall marta martha martin martina marty marva marvin mary maryann maryanne
    marybeth maryellen maryjane marylou mason mathew matilda matilde matt matthew mattie
    maud maude maudie maura maureen maurice mauricio maurine mauro mavis max maximo
    maxine maxwell may maya mayme maynard mayra mckinley meagan megan meghan mei mel
    melanie melba melinda melisa melissa mellisa mellissa melodie melody melva melvin
    melvina mercedes meredith merle merlin merrill merry mervin mi mia micaela micah
    michael michaela micheal michel michele michell michelle mickey migdalia miguel mike
    mikel milagros mildred miles milford millard millicent millie milo milton mimi mina
    mindy minerva minh minnie miranda miriam mirna missy misti misty mitch mitchel
    mitchell mitzi mohamed mohammad mohammed moises mollie molly mona monica monika
    monique monroe monte monty morgan morris morton moses moshe mozelle muriel murray
    myles myra myrna myron myrtis myrtle nadia nadine nakia nan nancy nanette nannie
    naomi napoleon natalia natalie natasha nathalie nathan nathaniel neal ned nedra neil
    nelda nell nellie nelly nelson nereida nestor nettie neva newton nicholas nichole
    nick nicki nickolas nicolas nicole nigel niki nikita nikki nilda nina nita noah
    noble noe noel noelle noemi nola nolan nona nora norbert norberto noreen norma
    norman normand norris numbers octavia octavio odell odessa odis ofelia ola olen
    oleta olga olin olive oliver olivia ollie oma omar omer ona opal ophelia ora oralia
    oren orlando orval orville oscar osvaldo otis otto owen pablo paige pam pamala
    pamela pansy parker pasquale pat patrica patrice patricia patrick patsy patti pattie
    patty paul paula paulette paulina pauline pearl pearlie pearline pedro peggy
    penelope penny percy perla perry pete peter petra phil philip phillip phillis
    philomena phoebe phyllis pierre pilar polly porfirio portia precious preston
    pricilla prince princess priscilla queen quentin quincy quinn quintin quinton
    rachael racheal rachel rachelle rae rafael rafaela raleigh ralph ramiro ramon ramona
    randal randall randell randi randolph randy raphael raquel raul raven ray raymond
    raymundo reba rebeca rebecca rebekah reed refugio reggie regina reginald reid reina
    reinaldo rena renae renata renate rene renee renita reta retha reuben reva rex reyes
    reyna reynaldo rhea rhoda rhonda ricardo rich richard richelle richie rick rickey
    rickie ricky rico rigoberto riley rita rob robbie robbin robby robert roberta
    roberto robin robt robyn rocco rochelle rocio rocky rod roderick rodger rodney
    rodolfo rodrick rodrigo rogelio roger roland rolando rolland roma roman romeo romona
    ron ronald ronda ronnie ronny roosevelt rory rosa rosalba rosalee rosalia rosalie
    rosalina rosalind rosalinda rosalyn rosanna rosanne rosario roscoe rose roseann
    roseanne rosella roselyn rosemarie rosemary rosendo rosetta rosie rosita roslyn ross
    rowena roxana roxann roxanna roxanne roxie roy royal royce ruben rubin ruby rudolph
    rudy rufus rupert russ russel russell rusty ruth ruthie ryan sabina sabrina sadie
    sal sallie sally salvador salvatore sam samantha samatha sammie sammy samuel sandi
    sandra sandy sanford sang santa santiago santos sara sarah sasha saul saundra
    savannah scot scott scottie scotty sean sebastian selena selina selma serena sergio
    seth seymour shana shanda shane shanna shannon shanon shantel shari sharlene sharon
    sharonda sharron sharyn shaun shauna shawn shawna shayla sheena sheila shelby
    sheldon shelia shelley shelli shellie shelly shelton sheree sheri sherman sherri
    sherrie sherry sheryl shiela shirley shonda sidney sierra silas silvia simon simone
    socorro sofia sol soledad solomon son sondra sonia sonja sonny sonya sophia sophie
    spencer stacey staci stacia stacie stacy stan stanford stanley stefan stefanie
    stella stephan stephanie stephany stephen stephenie sterling steve steven stevie
    stewart stuart sue summer sun sung sunny susan susana susanna susanne susie suzan
    suzanna suzanne suzette sybil sydney sylvester sylvia tabatha tabitha tad tamara
    tameka tamela tamera tami tamika tammi tammie tammy tamra tana tania tanisha tanner
    tanya tara taryn tasha tatiana tawana taylor ted teddy tena teodoro tera terence
    teresa teresita teri terra terrance terrell terrence terri terrie terry tessa tessie
    thad thaddeus thanh thea theda thelma theo theodora theodore theresa therese theron
    thomas thurman tia tiana tiara tiffani tiffany tillie tim timmy timothy tina tisha
    tobias toby tod todd tom tomas tomasa tommie tommy toni tonia tonja tony tonya tori
    tory tosha tracey traci tracie tracy travis trent trenton treva trevor trey tricia
    trina trinidad trisha trista tristan troy trudy truman twila twyla ty tyler tyra
    tyree tyrell tyron tyrone tyson ulysses una ursula vada valarie valencia valentin
    valentina valentine valeria valerie valorie van vance vanessa vaughn veda velda
    velma venessa venus vera verda verla vern verna vernell vernice vernon veronica
    vesta vicente vicki vickie vicky victor victoria vida vikki vilma vince vincent
    viola violet violeta virgie virgil virgina virginia vito vivian viviana vonda wade
    waldo walker wallace walter wanda ward warren wayne weldon wendell wendi wendy
    werner wesley weston whitney wilbert wilbur wilburn wilda wiley wilford wilfred
    wilfredo wilhelmina will willa willard william williams willie willis willy wilma
    wilmer wilson wilton winfred winifred winnie winona winston wm woodrow wyatt xavier
    yadira yesenia yolanda yong young yvette yvonne zachariah zachary zachery zane zelda
    zella zelma zenaida zoe zoila
    """
)

# Surnames held by at least 0.005% of people.
SURNAMES = _names(
    """
    aaron abbott abel abernathy abney abraham abrams acevedo acker ackerman acosta adair
    adam adams adamson adcock addison adkins adler agee aguilar aguilera aguirre aiken
    akers akins alaniz albert albrecht albright aldrich aldridge alexander alfaro alford
    ali allard allen alley allison allred alonso alonzo alston altman alvarado alvarez
    amaya ambrose ames amos anaya anders andersen anderson andrade andrew andrews angel
    anthony aponte aquino aragon arce archer arellano arias armstrong arnett arnold
    arredondo arrington arroyo arthur artis ash ashby ashcraft asher ashley ashton askew
    atkins atkinson atwood augustine austin avalos avery avila aviles ayala ayers babb
    babcock baca bacon baer baez baggett bagley bailey bain baird baker baldwin bales
    ball ballard banks barajas barbee barber barbour barclay barfield barger barker
    barkley barksdale barlow barnard barnes barnett barney barnhart baron barr barrera
    barrett barrios barron barrow barry barth bartholomew bartlett bartley barton bass
    bassett bateman bates battle batts bauer baugh baughman baum bauman bautista baxter
    beach beal beam bean beard bearden beasley beatty beaty beaulieu beaver beavers
    becerra beck becker beckman beebe begay belanger belcher bell bellamy beltran
    benavides bender benedict benitez benjamin benner bennett benoit benson bentley
    benton berg berger bergeron bergman berman bermudez bernal bernard bernier bernstein
    berry bess best betancourt betts beverly beyer biggs billings billingsley bingham
    bird bishop black blackburn blackman blackmon blackwell blair blake blakely blalock
    blanchard blanco bland blank blankenship blanton bledsoe blevins bliss block bloom
    blount blue blum boggs bolden boles bolin bollinger bolton bond bonds bone bonilla
    bonner booker boone booth borden bostic boston boswell bouchard boucher boudreau
    boudreaux bourgeois bourque bowden bowen bowens bower bowers bowie bowles bowling
    bowman bowser boyce boyd boyer boykin boyle boyles braden bradford bradley bradshaw
    brady bragg branch brand brandon brandt branham brannon brantley braswell braun
    bravo braxton bray breaux brennan brenner brewer brewster bridges briggs bright
    brinkley brinson briscoe britt britton brock bronson brooks brothers broussard
    brower brown browne browning brownlee bruce bruner brunner bruno brunson bryan
    bryant bryson buchanan buck buckley buckner buford bull bullard bullock bunch bundy
    bunn burch burden burdick burger burgess burgos burk burke burkett burkhart burks
    burnett burnette burnham burns burr burrell burris burroughs burrows burt burton
    busby busch bush bustamante butcher butler butterfield butts byers bynum byrd byrne
    caballero cabral cabrera cagle cahill cain calderon caldwell calhoun call callahan
    callaway calloway calvert camacho cameron camp campbell campos canales cannon cano
    cantrell cantu capps carbone cardenas cardona cardwell carey carlisle carlson
    carlton carmichael carmona carnes carney caron carpenter carr carranza carrasco
    carrier carrillo carrington carroll carson carter cartwright caruso carver cary case
    casey cash casillas cason cassidy castaneda castellanos castillo castle castro cates
    caudill causey cavanaugh cavazos cervantes chacon chadwick chamberlain chambers
    champagne champion chan chance chandler chaney chang chapa chapman chappell charles
    chase chastain chatman chavez chavis cheatham cheek chen cheney cheng cherry chester
    chestnut childers childress childs chin cho choate choi christensen christenson
    christian christiansen christie christopher christy chu chung church churchill
    cisneros clark clarke clary clay clayton cleary clement clements clemons cleveland
    clevenger clifford clifton cline clinton cloud cloutier coates coats cobb coburn
    cochran cody coe coffey coffman cohen coker colbert colby cole coleman coles coley
    collazo collier collins colon colvin combs comer compton conklin conley conn connell
    connelly conner connolly connor connors conrad conroy contreras conway cook cooke
    cooley coon cooper cope copeland corbett corbin corcoran cordero cordova corey
    corley cormier cornelius cornell cornett cornish cornwell corona coronado correa
    cortes cortez costa costello cote cotton cottrell couch coughlin coulter courtney
    couture covington cowan cox coy coyle crabtree craft craig crain cramer crandall
    crane craven crawford crawley creech crenshaw crespo crews crisp crocker crockett
    croft cronin crook crosby cross crouch crouse crow crowder crowe crowell crowley
    crum crump cruz cuellar cuevas cullen culp culpepper culver cummings cummins
    cunningham curley curran currie currier curry curtis cutler cyr dahl daigle dailey
    dale daley dalton daly daniel daniels darby darden darling darnell daugherty
    davenport david davidson davies davila davis davison dawkins dawson day deal dean
    deaton decker dejesus delacruz delaney delarosa delatorre deleon delgado deloach
    delong deluca dempsey dennis dennison denny denson dent denton devine devore dewitt
    diamond dias diaz dick dickens dickerson dickey dickinson dickson diehl dietrich
    dietz diggs dill dillard dillon dixon dobbins dobbs dobson dodd dodge dodson doe
    doherty dolan dominguez donahue donald donaldson donnelly donovan dooley doran
    dorman dorsey doss dotson doty dougherty douglas douglass dove dow dowd dowdy dowell
    dowling downey downing downs doyle dozier drake draper drew driscoll driver drummond
    duarte dube dubois dubose duckworth dudley duff duffy dugan duke dukes dumas dunbar
    duncan dunham dunlap dunn dupre dupree duran durant durbin durham dutton duvall
    dwyer dye dyer dykes dyson earl early easley eason east easter eastman eaton ebert
    echols eckert eddy edmonds edmondson edwards egan elam elder eldridge elias elkins
    eller ellington elliot elliott ellis ellison ellsworth elmore elrod ely emerson
    emery emmons engel england engle english ennis enriquez epperson epps erickson ernst
    ervin erwin escobar escobedo esparza espinosa espinoza esposito esquivel estep estes
    estrada etheridge eubanks evans everett ewing ezell fagan fair fairchild farley
    farmer farnsworth farr farrar farrell farris faulk faulkner faust fay felder feldman
    feliciano felix felton fennell fenton ferguson fernandez ferreira ferrell ferris
    field fields figueroa finch fink finley finn finney fischer fish fisher fitch
    fitzgerald fitzpatrick flaherty flanagan fleming fletcher flint flood flores flowers
    floyd flynn foley fontaine fontenot foote forbes ford foreman forman forrest fortier
    fortner fortune foss foster fountain fournier foust fowler fox fraley france francis
    francisco franco frank franklin franks fraser frazier frederick freeman french frey
    friedman friend fritz frost fry frye fuentes fugate fuller fulton fultz funk gabriel
    gage gagne gagnon gaines gaither gale galindo gallagher gallardo gallegos gallo
    galloway galvan gamble gamez gandy gann gannon gant garcia gardner garland garner
    garrett garrison garvin gary garza gaskins gaston gates gatlin gauthier gavin gay
    geary gee geiger gentry george gerber german gibbons gibbs gibson gifford gil
    gilbert gilchrist giles gill gillespie gillette gilliam gilliland gillis gilman
    gilmore gipson girard givens glass gleason glenn glover goddard godfrey godwin goetz
    goff goins gold goldberg golden goldman goldsmith goldstein gomes gomez gonzales
    gonzalez gooch good goode gooden goodman goodrich goodson goodwin gordon gore gorman
    goss gould grace grady graf graham granger grant grantham graves gray grayson greco
    green greenberg greene greenwood greer gregg gregory gresham grier griffin griffith
    griggs grigsby grimes grimm grissom gross grossman grove grover groves grubb grubbs
    guajardo guerra guerrero guevara guidry guillen guillory guinn gunn gunter gustafson
    guthrie gutierrez guy guzman haas hacker hackett hadley hagan hagen hager hahn
    haines hairston hale haley hall ham hamby hamilton hamlin hamm hammer hammond
    hammonds hammons hampton han hancock hand handy haney hankins hanks hanley hanna
    hannah hansen hanson harden harder hardin harding hardison hardy hare hargrove
    harkins harley harman harmon harms harp harper harrell harrington harris harrison
    hart hartley hartman harvey haskins hastings hatch hatcher hatfield hathaway hatton
    hauser havens hawk hawkins hawks hawley hawthorne hay hayden hayes haynes hays
    hayward haywood head healy heard hearn heath heaton hebert heck hedrick heller helm
    helms helton hemphill henderson hendricks hendrickson hendrix henley henry hensley
    henson herbert herman hernandez herndon herrera herring herrington herron herzog
    hess hester hewitt hickey hickman hicks hidalgo higginbotham higgins high hightower
    hill hilliard hillman hills hilton hinds hines hinkle hinojosa hinson hinton hirsch
    hitchcock hite ho hobbs hobson hodge hodges hoff hoffman hogan hogue holbrook
    holcomb holden holder holland holley holliday hollingsworth hollis holloway holm
    holman holmes holt holton honeycutt hong hood hook hooker hooks hooper hoover hope
    hopkins hopper hopson horn horne horner horton hoskins houck hough houle house
    houser houston howard howe howell howland hoyt huang hubbard huber huddleston
    hudgins hudson huerta huey huff huffman huggins hughes hull hummel humphrey
    humphreys humphries hunt hunter huntley hurd hurley hurst hurt hurtado huston
    hutchins hutchinson hutchison hutson hutton huynh hyatt hyde hyman ibarra ingram
    inman irby irizarry irvin irving irwin isaac isaacs isbell isom iverson ivey ivy
    jack jackson jacob jacobs jacobsen jacobson jacques james jameson jamison jansen
    jaramillo jarrell jarrett jarvis jean jeffers jefferson jeffries jenkins jennings
    jensen jernigan jeter jewell jimenez john johns johnson johnston joiner jolly jones
    jordan jordon jorgensen joseph joy joyce joyner juarez judd jung justice kahn kaiser
    kane kang kaplan katz kauffman kaufman kay kearney kearns keating keen keenan keene
    keith keller kelley kellogg kelly kelsey kemp kendall kendrick kennedy kenney kenny
    kent kenyon kern kerns kerr kessler key keyes keys khan kidd kilgore killian
    kilpatrick kim kimball kimble kimbrough kincaid kinder king kinney kinsey kirby kirk
    kirkland kirkpatrick kiser kitchen klein kline knapp knight knott knowles knox
    knutson koch koehler koenig kohler kowalski kraft kramer kraus krause krueger kruger
    kruse kuhn kurtz kyle lacey lackey lacy ladd ladner laird lake lam lamar lamb
    lambert lancaster lance land landers landis landrum landry lane lang lange langford
    langley langston lanier lankford lara larkin larsen larson lassiter latham lau
    laughlin law lawler lawrence laws lawson lawton lay layne layton le leach leal leary
    leavitt leblanc ledbetter ledford lee leggett lehman lemon lemons lentz leon leonard
    leone leslie lester levesque levin levine levy lewis leyva li libby light liles
    lilly lim lin lincoln lind linder lindsay lindsey link linn linton lipscomb little
    littlefield littlejohn liu livingston lloyd locke lockett lockhart lockwood lofton
    logan lombardo london long longoria loomis looney lopes lopez lord lorenz lott louis
    love lovelace lovell lovett lowe lowery lowry loyd lozano lucas lucero ludwig lugo
    lujan luke luna lund lundy lunsford lusk luther lutz ly lyle lyles lyman lynch lynn
    lyon lyons lytle mabry macdonald machado macias mack mackenzie mackey madden maddox
    madison madrid madrigal madsen magana magee maguire mahan maher mahon mahoney main
    major maldonado mallory malloy malone maloney manley mann manning mansfield manuel
    marcum marcus marin marino marion mark markham marks marlow marquez marrero marsh
    marshall martel martin martinez martino mason massey masters mata mathews mathis
    matlock matos matson matthews mattingly mattox mattson mauldin maurer maxwell may
    mayberry mayer mayes mayfield maynard mayo mays mcallister mcbride mccabe mccain
    mccall mccann mccarthy mccartney mccarty mccauley mcclain mcclellan mcclelland
    mcclendon mccloud mcclure mccollum mcconnell mccord mccormack mccormick mccoy
    mccracken mccrary mccray mccullough mccurdy mcdaniel mcdermott mcdonald mcdonough
    mcdowell mcduffie mcelroy mcfadden mcfarland mcgee mcghee mcgill mcginnis mcgowan
    mcgrath mcgraw mcgregor mcguire mchugh mcintosh mcintyre mckay mckee mckenna
    mckenzie mckinley mckinney mckinnon mcknight mclain mclaughlin mclean mcleod mcmahan
    mcmahon mcmanus mcmillan mcmillian mcmullen mcnair mcnally mcnamara mcneal mcneil
    mcneill mcpherson mcqueen mcrae mcwhorter mcwilliams mead meade meador meadows means
    medeiros medina medley medrano meehan meek meeks meier mejia melendez melton melvin
    menard mendez mendoza mercado mercer merchant meredith merrill merritt messer
    metcalf metz metzger meyer meyers meza michael michaels michaud michel middleton
    milam miles millard miller milligan mills milner milton mims miner minor minton
    miranda mitchell mixon mize mobley mock moeller moffett mohr molina monahan monk
    monroe montalvo montanez montano montes montgomery montoya moody moon mooney moore
    mora morales moran moreland moreno morgan morin morrell morris morrison morrissey
    morrow morse morton moseley moser moses mosher mosley moss motley mott moulton moya
    moyer mueller mullen muller mullins muniz munoz munson murdock murillo murphy murray
    murrell murry myers myles myrick nadeau nance napier naquin nash nava navarro naylor
    neal neely neff negron nelson nesbitt neumann newberry newby newcomb newell newman
    newsom newsome newton ng ngo nguyen nicholas nichols nicholson nickerson nielsen
    nielson nieto nieves nix nixon noble nobles noe noel nolan noland nolen norman
    norris north norton norwood novak nowak nugent numbers nunez nunn oakes oakley
    obrien ochoa oconnell oconnor odell odom odonnell ogden ogle ohara ojeda okeefe
    oldham oleary olivares oliver olsen olson oneal oneil oneill ornelas orourke orozco
    orr ortega ortiz osborn osborne otero ott otto ouellette outlaw overstreet overton
    owen owens pace pacheco pack padgett padilla pagan page paige paine painter palacios
    palmer paquette parham paris parish park parker parks parnell parr parra parris
    parrish parrott parson parsons pate patel patrick patten patterson patton paul
    paulson paxton payne payton peachey peacock pearce pearson pease peck pedersen
    pederson pelletier pemberton pena pendleton penn pennington peoples pepper peralta
    perdue pereira perez perkins perry perryman person peters petersen peterson pettit
    petty pham phelps phillips phipps pickens pickering pickett pierce pierre pierson
    pike pimentel pina pineda pinson piper pittman pitts platt plummer poe poindexter
    poirier polk pollard pollock ponce ponder pool poole pope porter portillo posey post
    potter potts poulin powell power powers prado prater prather pratt prescott presley
    pressley preston price priest prince pringle pritchard pritchett proctor pruett
    pruitt pryor puckett pugh pullen pulliam purcell purdy purvis putnam pyle qualls
    quarles queen quezada quick quigley quinn quinones quintana quintanilla quintero
    quiroz rader radford ragland ragsdale raines rainey ralston ramey ramirez ramos
    ramsey randall randle randolph rangel rankin ransom rapp rasmussen ratcliff ratliff
    ray raymond rea read reagan reardon reaves rector redd redding redman redmond reece
    reed reeder reese reeves regan reid reilly renner renteria reyes reyna reynolds
    rhoades rhoads rhodes rice rich richard richards richardson richey richmond richter
    ricketts ricks rico riddick riddle rider ridley riggs riley rinehart ring rios
    ritchie ritter rivas rivera rivers roach roark robb robbins roberson robert roberts
    robertson robinette robins robinson robison robles rocha roche rock rockwell rodgers
    rodrigues rodriguez rodriquez roe rogers rojas roland rollins roman romano romero
    romo rooney root roper rosa rosado rosales rosario rosas rose rosen rosenberg
    rosenthal ross rossi roth rouse rowan rowe rowell rowland rowley roy royal rubin
    rubio rucker rudd rudolph ruff ruffin ruiz runyon rush rushing russ russell russo
    ruth rutherford rutledge ryan ryder sadler saenz salas salazar saldana salgado
    salinas salisbury salmon salter sample sampson sams samuel samuels sanborn sanchez
    sanders sanderson sandoval sands sanford santana santiago santos sapp sargent
    satterfield saucedo sauer saunders savage sawyer saylor scales scarborough schaefer
    schaeffer schafer schaffer schell schilling schmidt schmitt schmitz schneider
    schofield schrader schreiber schroeder schuler schultz schulz schumacher schuster
    schwab schwartz schwarz scott scroggins scruggs seal seals seaman sears seay segura
    selby self sellers serna serrano seward sewell sexton seymour shafer shaffer shah
    shanks shannon shapiro sharp sharpe shaver shaw shea shearer sheehan sheets
    sheffield shelby sheldon shell shelley shelton shepard shepherd sheppard sheridan
    sherman sherrill sherrod sherwood shields shipley shipman shipp shirley shockley
    shoemaker shook short shuler shultz siegel sierra sikes silva silver silverman
    simmons simms simon simons simpkins simpson sims sinclair singer singh singletary
    singleton sisk sizemore skaggs skelton skidmore skinner slade slater slaughter
    sledge sloan small smalls smallwood smart smiley smith sneed snell snider snodgrass
    snow snowden snyder solis solomon sorensen sorenson sosa soto sousa south souza
    spain spangler spann sparks spaulding spear spears speer spence spencer spicer
    spivey sprague springer spurlock squires stacy stafford stahl staley stallings
    stamper stanford stanley stanton staples stapleton stark starkey starks starnes
    starr staton stearns steele steen stein steiner stephens stephenson stepp sterling
    stern stevens stevenson steward stewart stiles stinson stjohn stockton stoddard
    stokes stone stoner storey story stout stovall stover strange stratton street
    streeter strickland stringer strong stroud stuart stubbs suarez suggs sullivan
    summers sumner sutherland sutton swain swan swann swanson swartz sweeney sweet
    swenson swift switzer sykes sylvester tabor tackett talbert talbot talley tan tang
    tanner tapia tate tatum taylor teague temple templeton terrell terry thacker tharp
    thayer thomas thomason thompson thomson thorne thornton thorpe thrasher thurman
    thurston tidwell tilley tillman timmons tinsley tipton tirado titus tobias tobin
    todd tolbert tomlin tomlinson tompkins toney torres torrez toth tovar townsend tracy
    trahan tran travis traylor trejo trent trevino trimble triplett tripp trotter trout
    troutman trujillo truong tubbs tucker turner turpin tuttle tyler tyson ulrich
    underwood unger upton urban valdez valencia valentin valentine valenzuela valle
    vance vandyke vang vann varela vargas varner varney vasquez vaughan vaughn vazquez
    vega vela velasco velasquez velazquez velez ventura vera vernon vick vickers vigil
    villa villalobos villanueva villarreal villegas vincent vines vinson vogel vogt voss
    vu waddell wade waggoner wagner wagoner waite wakefield walden waldron walker wall
    wallace waller wallis walls walsh walter walters walton wang ward warden ware warner
    warren washburn washington waterman waters watkins watson watt watts waugh way
    weathers weaver webb webber weber webster weeks weiner weir weiss welch weldon
    weller wellman wells welsh werner wesley west westbrook westmoreland weston wetzel
    whalen whaley whatley wheat wheatley wheeler whipple whitaker white whitehead
    whitfield whiting whitley whitlock whitman whitmore whitney whitt whittaker whitten
    whittington wiggins wilburn wilcox wilder wiles wiley wilhelm wilkerson wilkes
    wilkins wilkinson willard willett willey william williams williamson willingham
    willis willoughby wills wilson windham wing winkler winn winslow winston winter
    winters wise wiseman witherspoon witt wolf wolfe wolff womack wong wood woodall
    woodard woodruff woods woodson woodward woody wooten workman worley worrell
    worthington wray wren wright wu wyatt wyman wynn xiong yancey yanez yang yarbrough
    yates yazzie ybarra yeager yee yoder york yost young youngblood yu zamora zapata
    zavala zeigler zepeda ziegler zimmer zimmerman zuniga
    """
)
