"""What the demo data says and how often: the texts of meldingen, answers, decisions and notes, and the weights
of channels, outcomes and AVE levels. Fictitious throughout."""

import datetime
import re

from spil.cases.models import ClosingResult
from spil.intake.models import Channel
from spil.organisations.models import PartnerType
from spil.triage.models import Outcome

# --- Texts and weights ----------------------------------------------------------------------------------------------

# Theme families, recognised from a case type's code and name (the configuration decides which exist).
FAMILY_KEYWORDS = [
    ("radicalisering", ("radicalisering", "radicaal", "extremisme", "peor")),
    ("mensenhandel", ("mensenhandel", "zoco", "uitbuiting")),
    ("huiselijk_geweld", ("huisverbod", "wth", "mda", "mda++", "routeertafel", "huiselijk", "veilig thuis")),
    ("detentie", ("nazorg", "bij", "detentie", "gedetineerden", "justitiabelen", "re-integratie", "rio")),
    ("verward", ("via", "verward", "levensloop", "ketenveldnorm", "e33", "psychiatrische")),
    ("jeugd", ("jeugd", "jpp", "jongeren", "kernteam", "jeugdbeschermingstafel", "kinderbescherming", "ret", "gezag")),
    ("consult", ("consult",)),
]


def family_of(case_type) -> str:
    text = f"{case_type.code} {case_type.name}".lower()
    tokens = set(re.split(r"[^a-z0-9+]+", text))
    for family, keywords in FAMILY_KEYWORDS:
        if any(k in tokens or (len(k) > 5 and k in text) for k in keywords):
            return family
    return "pga"


REASONS = {
    "pga": [
        "Betrokkene veroorzaakt al maanden overlast in de wijk: geluidsoverlast, bedreiging van buren en vernielingen. De politie is het afgelopen half jaar {n} keer ter plaatse geweest.",
        "Meerdere aangiftes van winkeldiefstal en inbraak in schuurtjes; daarnaast oplopende schulden en een dreigende huisuitzetting.",
        "Verslaving aan harddrugs in combinatie met psychische klachten; betrokkene mijdt zorg en komt steeds vaker in beeld bij politie en OM.",
        "Veelpleger die na elke detentie terugvalt; reguliere trajecten bij reclassering en wijkteam zijn vastgelopen.",
        "Betrokkene intimideert hulpverleners en medewerkers van de woningcorporatie; partners durven niet meer alleen op huisbezoek.",
    ],
    "jeugd": [
        "Jongere van {age} is betrokken bij een groep die overlast geeft rond het winkelcentrum; er zijn signalen van drugsrunnen.",
        "Zorgen over de ontwikkeling van de kinderen: langdurig schoolverzuim, vechtpartijen thuis, ouders staan onder grote druk.",
        "Minderjarige is {n} keer aangehouden voor vernieling en diefstal; Halt-traject is niet afgerond en school meldt spijbelen.",
        "Signalen dat de jongere wordt geronseld door een netwerk uit de regio (geld, kleding, dreiging).",
    ],
    "huiselijk_geweld": [
        "Herhaald huiselijk geweld: de politie is {n} keer ter plaatse geweest na meldingen van buren. Kinderen zijn getuige.",
        "Tijdelijk huisverbod opgelegd na escalatie; zorgen over de veiligheid van partner en kinderen na afloop van het verbod.",
        "Veilig Thuis ziet ondanks hulpverlening geen verbetering; dreiging richting ex-partner neemt toe.",
    ],
    "detentie": [
        "Betrokkene komt over {n} weken vrij uit {pi} na een straf voor een geweldsdelict; geen woonadres, geen geldig ID-bewijs en schulden.",
        "Art. 18-melding van DJI: terugkeer van een ex-gedetineerde in de gemeente; de burgemeester moet worden geïnformeerd.",
        "In-detentiemelding: betrokkene zit in voorarrest in {pi}; na vrijlating dreigt dakloosheid en terugval.",
    ],
    "verward": [
        "Politie meldt herhaald onbegrepen gedrag (E33): betrokkene loopt 's nachts verward over straat en bedreigt voorbijgangers.",
        "Zorgmachtiging is afgelopen; betrokkene is uit beeld van de GGZ en de situatie thuis verslechtert snel.",
        "Na een suïcidepoging (E14) is er geen vervolgzorg gekomen; familie en buren maken zich grote zorgen.",
    ],
    "radicalisering": [
        "Signalen van radicalisering via school en online gedrag: betrokkene deelt extremistische content en zoekt contact met gelijkgestemden.",
        "Familie meldt een snelle verandering in gedrag en denkbeelden; betrokkene heeft uitspraken gedaan over geweld.",
    ],
    "mensenhandel": [
        "Signalen van arbeidsuitbuiting: betrokkene werkt lange dagen zonder contract en woont met {n} anderen in een woning van de werkgever.",
        "Vermoedens van seksuele uitbuiting van een jonge vrouw; de aandachtsfunctionaris van de gemeente vraagt om zorgcoördinatie.",
        "Signalen van criminele uitbuiting: betrokkene wordt gedwongen drugs te vervoeren om een schuld af te lossen.",
    ],
    "consult": [
        "Melder loopt vast in de samenwerking met de betrokken partners en vraagt advies over de te volgen route.",
        "Wijkteam twijfelt of dit een casus voor het Zorg- en Veiligheidshuis is en vraagt om afstemming.",
    ],
}

REQUESTS = {
    "pga": [
        "Procesregie op zorg en veiligheid; afstemming tussen politie, reclassering en GGZ.",
        "Een integrale persoonsgerichte aanpak met drang en dwang.",
        "Doorbraak in de vastgelopen samenwerking.",
    ],
    "jeugd": [
        "Bespreking aan de jeugdtafel en een gezamenlijk plan met school, jeugdhulp en politie.",
        "Procesregie op het gezinssysteem.",
    ],
    "huiselijk_geweld": [
        "Procesregie en een veiligheidsplan voor het hele systeem.",
        "Afstemming tussen strafrecht en hulpverlening na het huisverbod.",
    ],
    "detentie": [
        "Voorbereiding van de terugkeer: woonruimte, ID-bewijs, inkomen en zorg.",
        "Risico-inventarisatie en advies aan de burgemeester.",
    ],
    "verward": ["Integrale screening en toeleiding naar passende zorg.", "Bemoeizorg en afstemming met GGZ en gemeente."],
    "radicalisering": ["Weging aan de tafel radicalisering en een persoonsgerichte aanpak.", "Advies over de aanpak en informatiepositie."],
    "mensenhandel": [
        "Zorgcoördinatie voor het (vermoedelijke) slachtoffer: opvang, veiligheid en hulp.",
        "Bundeling van signalen en afstemming met politie en RIEC.",
    ],
    "consult": ["Advies over de juiste route en partner.", "Meedenken over de aanpak; de melder houdt de regie."],
}

AGES = {
    "jeugd": (12, 22),
    "detentie": (19, 55),
    "mensenhandel": (17, 45),
    "verward": (20, 72),
}

SOURCE_TYPES = {
    "pga": {
        PartnerType.POLICE: 40,
        PartnerType.PROSECUTION: 15,
        PartnerType.PROBATION: 15,
        PartnerType.MUNICIPALITY: 15,
        PartnerType.HOUSING: 10,
        PartnerType.MENTAL_HEALTH: 5,
    },
    "jeugd": {
        PartnerType.POLICE: 35,
        PartnerType.MUNICIPALITY: 25,
        PartnerType.CHILD_PROTECTION: 15,
        PartnerType.YOUTH_CARE: 15,
        PartnerType.OTHER: 10,
    },
    "huiselijk_geweld": {PartnerType.DOMESTIC_VIOLENCE: 50, PartnerType.POLICE: 35, PartnerType.MUNICIPALITY: 15},
    "detentie": {PartnerType.PRISON: 60, PartnerType.PROBATION: 30, PartnerType.MUNICIPALITY: 10},
    "verward": {PartnerType.POLICE: 55, PartnerType.MENTAL_HEALTH: 20, PartnerType.PUBLIC_HEALTH: 15, PartnerType.MUNICIPALITY: 10},
    "radicalisering": {PartnerType.MUNICIPALITY: 50, PartnerType.POLICE: 50},
    "mensenhandel": {PartnerType.MUNICIPALITY: 50, PartnerType.POLICE: 40, PartnerType.SHELTER: 10},
    "consult": {
        PartnerType.POLICE: 20,
        PartnerType.MUNICIPALITY: 30,
        PartnerType.MENTAL_HEALTH: 15,
        PartnerType.HOUSING: 15,
        PartnerType.YOUTH_CARE: 10,
        PartnerType.PROBATION: 10,
    },
}

REPORTER_ROLES = {
    PartnerType.POLICE: ["wijkagent", "jeugdagent", "medewerker Team Zorg en Veiligheid"],
    PartnerType.PROSECUTION: ["officier van justitie", "parketsecretaris"],
    PartnerType.PROBATION: ["reclasseringswerker", "adviseur reclassering"],
    PartnerType.CHILD_PROTECTION: ["raadsonderzoeker"],
    PartnerType.PRISON: ["casemanager", "medewerker MMD"],
    PartnerType.MENTAL_HEALTH: ["sociaal psychiatrisch verpleegkundige", "psychiater FACT-team"],
    PartnerType.DOMESTIC_VIOLENCE: ["medewerker Veilig Thuis"],
    PartnerType.YOUTH_CARE: ["jeugdbeschermer", "gezinsvoogd"],
    PartnerType.MUNICIPALITY: ["medewerker OOV", "consulent sociaal wijkteam", "aandachtsfunctionaris mensenhandel"],
    PartnerType.HOUSING: ["woonconsulent", "medewerker overlastzaken"],
    PartnerType.PUBLIC_HEALTH: ["medewerker bemoeizorg"],
    PartnerType.SHELTER: ["begeleider maatschappelijke opvang"],
    PartnerType.OTHER: ["Halt-medewerker"],
}

ENRICHMENT_TYPES = [
    PartnerType.POLICE,
    PartnerType.PROBATION,
    PartnerType.MENTAL_HEALTH,
    PartnerType.MUNICIPALITY,
    PartnerType.HOUSING,
    PartnerType.DOMESTIC_VIOLENCE,
    PartnerType.ADDICTION,
]
ENRICHMENT_TYPES_YOUTH = [
    PartnerType.POLICE,
    PartnerType.MUNICIPALITY,
    PartnerType.YOUTH_CARE,
    PartnerType.CHILD_PROTECTION,
    PartnerType.DOMESTIC_VIOLENCE,
]

QUESTIONS = {
    PartnerType.POLICE: "Politiële informatie: antecedenten, recente incidenten, wapens en contacten.",
    PartnerType.PROBATION: "Loopt er toezicht, zijn er bijzondere voorwaarden of is er een adviesrapportage?",
    PartnerType.MENTAL_HEALTH: "Is betrokkene bekend in behandeling? Zo ja, bij wie en hoe verloopt het contact?",
    PartnerType.MUNICIPALITY: "Bekend bij het sociaal wijkteam, Wmo, schuldhulpverlening of Participatiewet?",
    PartnerType.HOUSING: "Is er een huurachterstand, een overlastdossier of een ontruimingsprocedure?",
    PartnerType.DOMESTIC_VIOLENCE: "Zijn er meldingen of onderzoeken bij Veilig Thuis over dit gezin?",
    PartnerType.ADDICTION: "Is betrokkene bekend bij de verslavingszorg?",
    PartnerType.YOUTH_CARE: "Is er jeugdhulp of een jeugdbeschermingsmaatregel?",
    PartnerType.CHILD_PROTECTION: "Loopt er een raadsonderzoek, of waren er eerder beschermingsmaatregelen?",
}

ANSWERS = {
    PartnerType.POLICE: [
        "{n} incidenten in het afgelopen jaar (overlast, bedreiging, één mishandeling); geen wapens bekend.",
        "Twee aanhoudingen voor winkeldiefstal en één voor openlijke geweldpleging; de wijkagent kent betrokkene goed.",
        "Geen antecedenten; wel {n} zorgmeldingen (E33) in de afgelopen maanden.",
    ],
    PartnerType.PROBATION: [
        "Toezicht loopt tot {month}; meldplicht en contactverbod. Naleving wisselend.",
        "Niet bekend bij de reclassering.",
        "Vroeghulp gedaan bij inverzekeringstelling; advies: begeleid wonen en behandeling.",
    ],
    PartnerType.MENTAL_HEALTH: [
        "Tot vorig jaar in behandeling, sindsdien uit zorg. Geen zorgmachtiging.",
        "Bekend bij het FACT-team; contact verloopt moeizaam, afspraken worden vaak afgezegd.",
        "Niet bekend.",
    ],
    PartnerType.MUNICIPALITY: [
        "Uitkering op grond van de Participatiewet; schuldhulpverlening in {month} afgebroken.",
        "Wijkteam heeft contact met de moeder, niet met betrokkene zelf.",
        "Niet bekend bij het sociaal domein.",
    ],
    PartnerType.HOUSING: [
        "Huurachterstand van € {money}; overlastdossier met {n} klachten van buren.",
        "Ontruimingsvonnis is aangevraagd; woningcorporatie wil meewerken aan een laatste kans.",
    ],
    PartnerType.DOMESTIC_VIOLENCE: [
        "Twee meldingen in het afgelopen jaar; onderzoek afgesloten met overdracht aan het wijkteam.",
        "Niet bekend bij Veilig Thuis.",
    ],
    PartnerType.ADDICTION: [
        "Bekend via de verslavingsreclassering; gebruik van cocaïne en alcohol.",
        "Eerder opgenomen geweest, behandeling voortijdig gestopt.",
    ],
    PartnerType.YOUTH_CARE: [
        "Ondertoezichtstelling tot {month}; de jeugdbeschermer is bereikbaar.",
        "Ambulante gezinsbegeleiding sinds een half jaar.",
    ],
    PartnerType.CHILD_PROTECTION: [
        "Geen lopend onderzoek; eerder een OTS van een jaar.",
        "Raadsonderzoek loopt; rapport wordt over zes weken verwacht.",
    ],
}

DECISION_REASONS = {
    Outcome.PROCESS_DIRECTION: [
        "Multiproblematiek op meerdere leefgebieden (wonen, schulden, GGZ) en de reguliere aanpak is vastgelopen. Meerdere ketens nodig: procesregie door het ZVH.",
        "Zorg en veiligheid lopen door elkaar; grote impact op de buurt. De tafel neemt de casus op in de persoonsgerichte aanpak.",
        "Ernstig lokaal veiligheidsprobleem en stagnatie tussen partners; onafhankelijke procesregie nodig.",
    ],
    Outcome.CONSULT: [
        "De vraag kan met een kort advies worden beantwoord; de melder houdt de regie. Consult & Advies.",
        "Geen procesregie nodig; wel afstemming met politie en wijkteam. Consult & Advies voor vier weken.",
    ],
    Outcome.LOCAL: [
        "Problematiek past bij AVE 2; het sociaal wijkteam kan de regie voeren. Terug naar lokaal met advies.",
        "Lokale PGA is de juiste plek; de gemeente heeft het netwerk al rond de persoon.",
    ],
    Outcome.PARTNER: [
        "De zorgvraag staat voorop; de partner kan dit binnen het eigen kader oppakken.",
        "Lopend toezicht biedt voldoende kader; de partner houdt de regie en meldt opnieuw bij stagnatie.",
    ],
    Outcome.OTHER_REGION: [
        "Betrokkene woont inmiddels buiten de regio; overgedragen aan het Zorg- en Veiligheidshuis daar.",
        "Voor dit thema is de andere regio aan zet (afspraak over het werkgebied).",
    ],
    Outcome.NO_ACTION: [
        "De situatie is gestabiliseerd en betrokkene heeft inmiddels passende hulp. Geen rol voor het ZVH.",
        "Onvoldoende grond voor inzet van het ZVH; melder is geïnformeerd.",
    ],
}

CASE_NOTES = [
    "Casusoverleg gehouden met politie, reclassering en GGZ; afspraken vastgelegd in het plan van aanpak.",
    "Gesprek met betrokkene gevoerd; staat open voor begeleiding naar werk en dagbesteding.",
    "Woningcorporatie bevestigt dat de ontruiming is aangehouden zolang het plan loopt.",
    "Reclassering meldt dat de meldplicht goed wordt nageleefd.",
    "Geen reactie van betrokkene op drie uitnodigingen; de wijkagent gaat langs.",
    "Alle partners bevestigen dat zij hun acties in het plan tijdig kunnen leveren.",
    "Plan van aanpak aangeboden aan de cliënt en door cliënt en regisseur ondertekend.",
    "Schuldhulpverlening gestart; beschermingsbewind aangevraagd.",
    "ID-bewijs aangevraagd; afspraak bij de gemeente staat.",
    "Terugval in middelengebruik gemeld door de verslavingszorg; extra overleg ingepland.",
    "Burgemeester via de OOV-adviseur geïnformeerd over de voortgang.",
    "Evaluatie met partners: voortgang op huisvesting en inkomen, zorgen over het sociale netwerk.",
]

PHASE_NOTES = [
    "Besproken in het casusoverleg.",
    "Analyse afgerond; plan van aanpak opgesteld.",
    "Afspraken met alle partners bevestigd.",
    "",
]

AVE_UP = [
    "Nieuwe geweldsincidenten en dreiging richting buurtbewoners; burgemeester geïnformeerd.",
    "Betrokkene weigert alle hulp en de overlast neemt toe.",
    "Signalen van wapenbezit; veiligheid van hulpverleners in het geding.",
]
AVE_DOWN = [
    "Woonsituatie stabiel, dagbesteding gestart, geen nieuwe incidenten.",
    "Behandeling bij de GGZ loopt; casusregie kan lokaal.",
    "Afspraken worden nagekomen; risico's zijn beheersbaar.",
]

CLOSING_NOTES = {
    ClosingResult.GOAL_REACHED: "Doelen uit het plan van aanpak behaald; partners houden een vinger aan de pols.",
    ClosingResult.SCALED_DOWN_LOCAL: "Afgeschaald naar het sociaal wijkteam; warme overdracht gedaan.",
    ClosingResult.HANDED_TO_PARTNER: "Overgedragen aan de reclassering in het kader van het toezicht.",
    ClosingResult.CLIENT_REFUSES: "Cliënt weigert iedere medewerking; partners passen drang en dwang toe binnen hun eigen kader.",
    ClosingResult.MOVED: "Betrokkene is verhuisd naar een andere regio; informatie overgedragen aan het ZVH daar.",
    ClosingResult.DECEASED: "Betrokkene is overleden.",
    ClosingResult.OTHER: "Casus samengevoegd met de casus van een gezinslid.",
}

REOPEN_REASONS = [
    "Nieuwe politiemeldingen: betrokkene is teruggevallen in middelengebruik en de overlast is terug.",
    "Woningcorporatie meldt opnieuw ernstige overlast; afspraken uit het plan worden niet meer nagekomen.",
]

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]

OUTCOME_WEIGHTS = {
    Outcome.PROCESS_DIRECTION: 42,
    Outcome.CONSULT: 20,
    Outcome.LOCAL: 14,
    Outcome.PARTNER: 10,
    Outcome.OTHER_REGION: 4,
    Outcome.NO_ACTION: 10,
}
AVE_FOR_OUTCOME = {
    Outcome.PROCESS_DIRECTION: {3: 75, 4: 20, 2: 5},
    Outcome.CONSULT: {2: 60, 3: 40},
    Outcome.LOCAL: {2: 100},
    Outcome.PARTNER: {2: 60, 3: 40},
    Outcome.OTHER_REGION: {2: 50, 3: 50},
    Outcome.NO_ACTION: {1: 60, 2: 40},
}
CHANNEL_WEIGHTS = {Channel.FORM: 35, Channel.EMAIL: 30, Channel.PHONE: 20, Channel.MEETING: 10, Channel.SYSTEM: 5}
SESSION_TIMES = {
    "parkstad": datetime.time(10, 0),
    "westelijke-mijnstreek": datetime.time(13, 0),
    "maastricht-heuvelland": datetime.time(14, 30),
    "noord-limburg": datetime.time(10, 0),
    "midden-limburg": datetime.time(13, 30),
}
SESSION_LOCATIONS = {
    "parkstad": "Weegkamer ZVH Parkstad, Heerlen",
    "westelijke-mijnstreek": "ZVH Westelijke Mijnstreek, Geleenbeeklaan 2, Geleen",
    "maastricht-heuvelland": "ZVH Maastricht-Heuvelland, Maastricht",
    "noord-limburg": "ZVH Noord-Limburg, Venlo",
    "midden-limburg": "ZVH Midden-Limburg, Roermond",
}
