"""Articles written for the evaluation, none of them in the seed corpus.

STORY articles retell the seed corpus's story in new words, in English and in Italian, each
passage with the claims an editor would link to it (by slug; a passage listed with no
claim states none). UNRELATED articles share words with the corpus (Malaysia, chips, data
centres, transfers, Huawei) but state none of its claims: every suggestion on them is a
false one.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EvalArticle:
    key: str
    language: str
    # (passage text, slugs of the claims it states); passages are joined with spaces.
    passages: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def text(self) -> str:
        return " ".join(passage for passage, _ in self.passages)


STORY = [
    EvalArticle(
        key="story-en",
        language="en",
        passages=(
            (
                "Chinese technology giants are moving the training of their artificial "
                "intelligence models to data centres in Southeast Asia.",
                ("alibaba-bytedance-train-ai-in-southeast-asia",),
            ),
            (
                "Alibaba and ByteDance have been training large language models in the region "
                "to reach Nvidia's chips, people familiar with the matter say.",
                ("alibaba-bytedance-train-ai-in-southeast-asia",),
            ),
            (
                "Singapore and Malaysia have become the favourite destinations for this work.",
                ("singapore-and-malaysia-main-destinations",),
            ),
            (
                "Demand for rented capacity there has grown steadily since Washington limited "
                "sales of the H20 chip.",
                ("demand-grew-after-us-limited-h20",),
            ),
            (
                "The companies usually sign lease agreements for data centres owned and "
                "operated by firms that are not Chinese.",
                (
                    "chinese-firms-lease-southeast-asian-data-centres",
                    "leased-data-centres-are-run-by-non-chinese-firms",
                ),
            ),
            (
                "Lawyers say the arrangement does not break American export rules.",
                ("leasing-abroad-complies-with-us-rules",),
            ),
            (
                "DeepSeek is an exception: it trains its models at home, having stockpiled "
                "Nvidia processors before the restrictions.",
                ("deepseek-trains-in-china-because-it-stockpiled-nvidia-chips",),
            ),
            ("The trend is unlikely to reverse soon, analysts said on Tuesday.", ()),
        ),
    ),
    EvalArticle(
        key="story-it",
        language="it",
        passages=(
            (
                "I giganti cinesi della tecnologia stanno spostando l'addestramento dei loro "
                "modelli di intelligenza artificiale nei data center del Sud-est asiatico.",
                ("alibaba-bytedance-train-ai-in-southeast-asia",),
            ),
            (
                "Secondo fonti informate, Alibaba e ByteDance addestrano i loro modelli nella "
                "regione per poter usare i chip di Nvidia.",
                ("alibaba-bytedance-train-ai-in-southeast-asia",),
            ),
            (
                "Singapore e la Malesia sono diventate le mete preferite per questo lavoro.",
                ("singapore-and-malaysia-main-destinations",),
            ),
            (
                "La domanda di capacità in affitto è cresciuta da quando Washington ha limitato "
                "la vendita del chip H20.",
                ("demand-grew-after-us-limited-h20",),
            ),
            (
                "Di solito le aziende firmano contratti di locazione per data center gestiti da "
                "società non cinesi.",
                (
                    "chinese-firms-lease-southeast-asian-data-centres",
                    "leased-data-centres-are-run-by-non-chinese-firms",
                ),
            ),
            (
                "DeepSeek fa eccezione: addestra i suoi modelli in Cina, perché ha accumulato "
                "chip Nvidia prima delle restrizioni.",
                ("deepseek-trains-in-china-because-it-stockpiled-nvidia-chips",),
            ),
            (
                "Intanto Pechino ha vietato alle aziende cinesi di comprare i chip di Nvidia, a "
                "favore dei marchi nazionali.",
                ("beijing-barred-nvidia-chip-purchases",),
            ),
            ("Gli analisti non si aspettano un'inversione di tendenza a breve.", ()),
        ),
    ),
]

UNRELATED = [
    EvalArticle(
        key="snack-factory-malaysia",
        language="en",
        passages=(
            ("A snack maker has opened a new factory in Malaysia to make potato chips.", ()),
            (
                "The plant outside Kuala Lumpur will fry about 40 tonnes of potatoes a day.",
                (),
            ),
            ("Most of the chips will be sold in Singapore, Thailand and Indonesia.", ()),
            ("The company said demand for salty snacks has grown since last year.", ()),
            ("It hired 300 workers and plans a second production line in 2026.", ()),
            ("Potatoes are imported from Australia because local farms grow too few.", ()),
            ("The factory runs on solar panels fitted on its roof.", ()),
            ("Shares of the company rose 4 percent on the news.", ()),
        ),
    ),
    EvalArticle(
        key="football-transfer",
        language="it",
        passages=(
            (
                "Il club ha ufficializzato il trasferimento dell'attaccante per 45 milioni di "
                "euro.",
                (),
            ),
            ("Il giocatore ha firmato un contratto di cinque anni.", ()),
            ("La trattativa è durata tutta l'estate, tra rilanci e smentite.", ()),
            ("I tifosi lo hanno accolto all'aeroporto con cori e bandiere.", ()),
            ("L'allenatore ha detto che potrà giocare già domenica.", ()),
            ("La società cinese che possiede il club ha approvato l'acquisto.", ()),
            ("In estate la squadra aveva venduto il suo capitano in Arabia Saudita.", ()),
            ("Il debutto è previsto nella partita contro il Torino.", ()),
        ),
    ),
    EvalArticle(
        key="bank-data-centre-milan",
        language="it",
        passages=(
            ("Una banca ha inaugurato un nuovo data center alle porte di Milano.", ()),
            ("L'edificio ospiterà i server che gestiscono i conti di due milioni di clienti.", ()),
            ("I lavori sono costati 80 milioni di euro e sono durati due anni.", ()),
            ("Il centro sarà raffreddato con l'acqua di falda, per consumare meno energia.", ()),
            ("La banca conta di chiudere così tre vecchie sale macchine in Lombardia.", ()),
            ("I sindacati chiedono garanzie per i tecnici che vi lavoravano.", ()),
        ),
    ),
    EvalArticle(
        key="phone-launch",
        language="en",
        passages=(
            ("A phone maker unveiled its new flagship smartphone in Shenzhen on Monday.", ()),
            ("The device has a larger battery and a brighter screen than last year's model.", ()),
            ("Its camera can record video at night with less noise.", ()),
            ("The phone goes on sale in China next week and in Europe in the spring.", ()),
            ("Prices start at the equivalent of 700 euros.", ()),
            ("Reviewers praised its design but found the software slow.", ()),
        ),
    ),
    EvalArticle(
        key="wine-exports",
        language="en",
        passages=(
            ("Italian wine exports to Asia rose by a tenth in the first half of the year.", ()),
            ("Producers in Tuscany and Piedmont sold more bottles in Japan and Singapore.", ()),
            ("Sales to China fell again as consumers there cut spending.", ()),
            ("Trade fairs in Hong Kong drew record numbers of buyers.", ()),
            ("Growers fear that a hot summer will reduce the next harvest.", ()),
        ),
    ),
    EvalArticle(
        key="port-expansion",
        language="it",
        passages=(
            ("Il porto di Genova ha approvato un piano per ampliare il terminal container.", ()),
            ("Le navi più grandi, lunghe 400 metri, potranno attraccare dal 2027.", ()),
            ("L'investimento è di 1,2 miliardi di euro, in parte fondi europei.", ()),
            ("Gli ambientalisti temono danni alla costa e chiedono uno studio d'impatto.", ()),
            ("Il sindaco ha parlato di una svolta per il lavoro in città.", ()),
        ),
    ),
]
