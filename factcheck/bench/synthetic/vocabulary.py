"""Word lists for synthetic news in English and Italian, and the sentences built from them.

Claims are built from parallel English and Italian phrases, so a quote in an Italian article
has a faithful English translation and the claim reads as the canonical English statement.
Filler sentences only need to read like news; they are drawn from a pool built once per run.
"""

import random

LANGUAGES = ["it", "en"]

# (English, Italian) pairs: who makes the claim's assertion true or false.
ACTORS = [
    ("the Ministry of Health", "il Ministero della Salute"),
    ("the Ministry of Economy", "il Ministero dell'Economia"),
    ("the Ministry of Education", "il Ministero dell'Istruzione"),
    ("the Ministry of Defence", "il Ministero della Difesa"),
    ("the regional government of Lombardy", "la Regione Lombardia"),
    ("the regional government of Sicily", "la Regione Siciliana"),
    ("the regional government of Tuscany", "la Regione Toscana"),
    ("the city of Milan", "il Comune di Milano"),
    ("the city of Rome", "il Comune di Roma"),
    ("the city of Naples", "il Comune di Napoli"),
    ("the city of Turin", "il Comune di Torino"),
    ("the European Commission", "la Commissione europea"),
    ("the Bank of Italy", "la Banca d'Italia"),
    ("the national statistics office", "l'Istituto nazionale di statistica"),
    ("the national railway company", "la società ferroviaria nazionale"),
    ("the largest energy company", "la principale azienda energetica"),
    ("the main opposition party", "il principale partito di opposizione"),
    ("the governing coalition", "la coalizione di governo"),
    ("the national health service", "il servizio sanitario nazionale"),
    ("the port authority of Genoa", "l'autorità portuale di Genova"),
    ("the civil protection agency", "la protezione civile"),
    ("the competition authority", "l'autorità garante della concorrenza"),
    ("the tax agency", "l'agenzia delle entrate"),
    ("the national pension institute", "l'istituto nazionale di previdenza"),
    ("the university of Bologna", "l'università di Bologna"),
    ("the largest steel producer", "il maggiore produttore di acciaio"),
    ("the national airline", "la compagnia aerea nazionale"),
    ("the labour unions", "i sindacati"),
    ("the employers' federation", "la confederazione degli industriali"),
    ("the motorway operator", "il gestore autostradale"),
    ("the water utility of Apulia", "l'acquedotto pugliese"),
    ("the prime minister's office", "la presidenza del Consiglio"),
    ("the parliament's budget office", "l'ufficio parlamentare di bilancio"),
    ("the central procurement agency", "la centrale acquisti della pubblica amministrazione"),
    ("the national research council", "il consiglio nazionale delle ricerche"),
    ("the environment agency", "l'agenzia per la protezione dell'ambiente"),
    ("the football federation", "la federazione calcistica"),
    ("the state broadcaster", "l'emittente pubblica"),
    ("the chamber of commerce of Venice", "la camera di commercio di Venezia"),
    ("the association of municipalities", "l'associazione dei comuni"),
]

# Each predicate takes a topic, a number and a year; the Italian mirrors the English.
PREDICATES = [
    (
        "increased spending on {topic} by {number} percent in {year}",
        "ha aumentato la spesa per {topic} del {number} per cento nel {year}",
    ),
    (
        "cut the budget for {topic} by {number} percent in {year}",
        "ha tagliato il bilancio per {topic} del {number} per cento nel {year}",
    ),
    (
        "spent {number} million euros on {topic} in {year}",
        "ha speso {number} milioni di euro per {topic} nel {year}",
    ),
    (
        "hired {number} thousand new workers for {topic} in {year}",
        "ha assunto {number} mila nuovi lavoratori per {topic} nel {year}",
    ),
    (
        "received {number} million euros of European funds for {topic} in {year}",
        "ha ricevuto {number} milioni di euro di fondi europei per {topic} nel {year}",
    ),
    (
        "missed its {year} target for {topic} by {number} percent",
        "ha mancato l'obiettivo {year} per {topic} del {number} per cento",
    ),
    (
        "doubled the waiting list for {topic} within {number} months of {year}",
        "ha raddoppiato le liste d'attesa per {topic} in {number} mesi del {year}",
    ),
    (
        "closed {number} offices dedicated to {topic} in {year}",
        "ha chiuso {number} uffici per {topic} nel {year}",
    ),
    (
        "signed {number} contracts for {topic} without a tender in {year}",
        "ha firmato {number} contratti per {topic} senza gara nel {year}",
    ),
    (
        "reduced emissions linked to {topic} by {number} percent in {year}",
        "ha ridotto le emissioni per {topic} del {number} per cento nel {year}",
    ),
    (
        "paid {number} million euros in penalties over {topic} in {year}",
        "ha pagato {number} milioni di euro di sanzioni per {topic} nel {year}",
    ),
    (
        "opened {number} new sites for {topic} in {year}",
        "ha aperto {number} nuove sedi per {topic} nel {year}",
    ),
    (
        "left {number} percent of the funds for {topic} unspent in {year}",
        "ha lasciato inutilizzato il {number} per cento dei fondi per {topic} nel {year}",
    ),
    (
        "raised fees for {topic} by {number} percent in {year}",
        "ha aumentato le tariffe per {topic} del {number} per cento nel {year}",
    ),
    (
        "delayed {number} projects on {topic} beyond {year}",
        "ha rinviato {number} progetti per {topic} oltre il {year}",
    ),
]

TOPICS = [
    ("public hospitals", "gli ospedali pubblici"),
    ("primary schools", "le scuole primarie"),
    ("regional trains", "i treni regionali"),
    ("renewable energy", "le energie rinnovabili"),
    ("social housing", "l'edilizia popolare"),
    ("broadband internet", "la banda larga"),
    ("flood defences", "la difesa dalle alluvioni"),
    ("youth employment", "l'occupazione giovanile"),
    ("child care", "gli asili nido"),
    ("road maintenance", "la manutenzione stradale"),
    ("research grants", "le borse di ricerca"),
    ("elderly care", "l'assistenza agli anziani"),
    ("public transport", "il trasporto pubblico"),
    ("water networks", "le reti idriche"),
    ("waste collection", "la raccolta dei rifiuti"),
    ("cultural heritage", "il patrimonio culturale"),
    ("cyber security", "la sicurezza informatica"),
    ("mental health services", "i servizi di salute mentale"),
    ("emergency rooms", "i pronto soccorso"),
    ("electric vehicles", "i veicoli elettrici"),
    ("tourism promotion", "la promozione turistica"),
    ("farm subsidies", "i sussidi agricoli"),
    ("prison overcrowding", "il sovraffollamento delle carceri"),
    ("court backlogs", "l'arretrato dei tribunali"),
    ("digital identity", "l'identità digitale"),
    ("seismic retrofitting", "l'adeguamento sismico"),
    ("port logistics", "la logistica portuale"),
    ("air quality monitoring", "il monitoraggio dell'aria"),
    ("teacher training", "la formazione degli insegnanti"),
    ("vaccination campaigns", "le campagne vaccinali"),
    ("steel production", "la produzione di acciaio"),
    ("semiconductor plants", "gli impianti di semiconduttori"),
]

YEARS = list(range(2018, 2027))

# How an article frames a claim, by stance. The quote is the framed clause, verbatim.
FRAMES = {
    "supports": [
        ("{clause}", "{clause}"),
        ("it is confirmed that {clause}", "è confermato che {clause}"),
    ],
    "refutes": [
        ("it is false that {clause}", "è falso che {clause}"),
        ("there is no evidence that {clause}", "non ci sono prove che {clause}"),
    ],
    "qualifies": [
        ("{clause}, but only in part", "{clause}, ma solo in parte"),
        (
            "{clause}, although the figures are disputed",
            "{clause}, anche se i dati sono contestati",
        ),
    ],
    "mentions": [
        ("some claim that {clause}", "c'è chi sostiene che {clause}"),
        ("it has been reported that {clause}", "è stato riferito che {clause}"),
    ],
}

SOURCES = [
    ("a government spokesperson", "un portavoce del governo"),
    ("official documents", "documenti ufficiali"),
    ("the court of auditors", "la Corte dei conti"),
    ("a union representative", "un rappresentante sindacale"),
    ("an internal report", "un rapporto interno"),
    ("local officials", "funzionari locali"),
    ("the opposition", "l'opposizione"),
    ("independent analysts", "analisti indipendenti"),
]
LEADS = {"en": "According to {source}, ", "it": "Secondo {source}, "}

# Filler sentences: subject, verb phrase, complement, optional time or place.
FILLER = {
    "en": {
        "subjects": [
            "The mayor",
            "A spokesperson for the ministry",
            "Local residents",
            "The committee",
            "Several economists",
            "The regional council",
            "Opposition leaders",
            "The auditors",
            "Union officials",
            "Hospital managers",
            "The investigators",
            "A senior official",
            "Business owners",
            "The prosecutor's office",
            "Researchers at the university",
        ],
        "verbs": [
            "said they would review",
            "questioned",
            "published new figures on",
            "called for an inquiry into",
            "defended",
            "raised concerns about",
            "announced a plan for",
            "declined to comment on",
            "presented a report on",
            "criticised the handling of",
            "promised more transparency on",
            "asked for clarification about",
        ],
        "complements": [
            "the annual budget",
            "the tender procedure",
            "the new regulation",
            "the delays in payments",
            "the latest statistics",
            "the reform approved last month",
            "the agreement with the contractors",
            "the figures released on Monday",
            "the recovery plan",
            "the staffing shortages",
            "the audit results",
            "the impact on households",
        ],
        "tails": [
            "",
            " on Tuesday",
            " last week",
            " earlier this year",
            " during a press conference",
            " in a written statement",
            " before the council meeting",
            " in an interview",
        ],
    },
    "it": {
        "subjects": [
            "I consiglieri comunali",
            "I portavoce del ministero",
            "I residenti",
            "I membri della commissione",
            "Diversi economisti",
            "I consiglieri regionali",
            "I leader dell'opposizione",
            "I revisori",
            "I sindacalisti",
            "I direttori sanitari",
            "Gli investigatori",
            "Alcuni alti funzionari",
            "Gli imprenditori",
            "I magistrati della procura",
            "I ricercatori dell'università",
        ],
        "verbs": [
            "hanno annunciato di voler verificare",
            "hanno messo in dubbio",
            "hanno analizzato",
            "hanno contestato",
            "hanno difeso",
            "hanno discusso",
            "hanno esaminato",
            "non hanno commentato",
            "hanno illustrato",
            "hanno criticato",
            "hanno approvato",
            "hanno chiesto di rivedere",
        ],
        "complements": [
            "il bilancio annuale",
            "la procedura di gara",
            "il nuovo regolamento",
            "i ritardi nei pagamenti",
            "le ultime statistiche",
            "la riforma approvata il mese scorso",
            "l'accordo con le imprese",
            "i dati diffusi lunedì",
            "il piano di ripresa",
            "la carenza di personale",
            "i risultati della revisione",
            "l'impatto sulle famiglie",
        ],
        "tails": [
            "",
            " martedì",
            " la settimana scorsa",
            " all'inizio dell'anno",
            " durante una conferenza stampa",
            " in una nota scritta",
            " prima della seduta del consiglio",
            " in un'intervista",
        ],
    },
}

HEADLINES = {
    "en": [
        "{Actor} under scrutiny over {topic}",
        "New figures on {topic}",
        "What we know about {topic}",
    ],
    "it": ["{Actor} sotto esame per {topic}", "{Topic}, i nuovi dati", "{Topic}: cosa sappiamo"],
}

FIRST_NAMES = ["Giulia", "Marco", "Sara", "Luca", "Anna", "Paolo", "Emma", "James", "Laura", "Tom"]
LAST_NAMES = ["Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Smith", "Jones", "Ricci"]

OUTLET_WORDS = {
    "it": (
        ["Corriere", "Gazzetta", "Eco", "Voce", "Giornale", "Cronaca", "Notizie", "Tribuna"],
        ["di", "del"],
    ),
    "en": (
        ["Herald", "Post", "Tribune", "Chronicle", "Observer", "Courier", "Ledger", "Dispatch"],
        ["of", "of the"],
    ),
}
PLACES = [
    "Milano", "Roma", "Napoli", "Torino", "Palermo", "Genova", "Bologna", "Firenze", "Bari",
    "Catania", "Venezia", "Verona", "Messina", "Padova", "Trieste", "Brescia", "Parma",
    "Taranto", "Prato", "Modena", "Reggio", "Perugia", "Livorno", "Ravenna", "Cagliari",
    "Foggia", "Rimini", "Salerno", "Ferrara", "Sassari", "Latina", "Monza", "Siracusa",
    "Pescara", "Bergamo", "Vicenza", "Trento", "Forlì", "Novara", "Piacenza", "Ancona",
    "Andria", "Udine", "Arezzo", "Cesena", "Lecce", "Pesaro", "Alessandria", "La Spezia",
    "Pisa", "Catanzaro", "Pistoia", "Lucca", "Brindisi", "Como", "Treviso", "Varese",
]  # fmt: skip


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def filler_pool(rng: random.Random, language: str, size: int) -> list[str]:
    words = FILLER[language]
    return [
        f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} "
        f"{rng.choice(words['complements'])}{rng.choice(words['tails'])}."
        for _ in range(size)
    ]
