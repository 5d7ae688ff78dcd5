"""Reader search across published claims and public article texts (Article.objects.public()).

On PostgreSQL it is full-text search: each article is parsed with the text-search
configuration of its language (Italian stems "addestrando" and "addestra" alike), claims
with English, results ranked with ts_rank and shown with ts_headline snippets. The GIN
indexes of migration 0004 are built from the very expressions below, so the planner can
answer a search from the index; changing an expression needs a migration that rebuilds it.

Elsewhere (the embedded SQLite database) it falls back to case-insensitive matching of
every word, with a plain snippet around the first match.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, When
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from factcheck.models import Article, Claim
from factcheck.selectors.fields import ARTICLE_LIST_FIELDS

# Article language (BCP 47 primary tag) to PostgreSQL text-search configuration.
ARTICLE_CONFIGS = {"it": "italian", "en": "english"}
OTHER_LANGUAGES_CONFIG = "simple"
CLAIM_CONFIG = "english"

RESULT_LIMIT = 20
# Ranking parses each matching text again (the index holds no weights), about a
# millisecond per article; a common word matches most of the corpus. So articles are
# ranked among the first this many matches the index yields, and the page says so.
ARTICLE_CANDIDATES = 100
SNIPPET_RADIUS = 90

# ts_headline marks matches with these; they are swapped for <mark> after escaping, so
# nothing else in the text can become markup. Private-use code points never occur in
# the corpus, and a stray one is dropped rather than opening a tag.
START_SEL = "\ue000"
STOP_SEL = "\ue001"


# --- Documents and indexes -----------------------------------------------------------


def article_document(config: str) -> SearchVector:
    return SearchVector("title", "text", config=config)


def claim_document() -> SearchVector:
    return SearchVector("statement", "context", "verdict_summary", config=CLAIM_CONFIG)


def article_language_condition(config: str) -> Q:
    """Which articles a configuration parses: its language, or every other one for simple."""
    if config == OTHER_LANGUAGES_CONFIG:
        return ~Q(language__in=list(ARTICLE_CONFIGS))
    languages = [code for code, name in ARTICLE_CONFIGS.items() if name == config]
    return Q(language__in=languages)


def article_configs() -> list[str]:
    return [*dict.fromkeys(ARTICLE_CONFIGS.values()), OTHER_LANGUAGES_CONFIG]


def search_indexes() -> list[tuple[str, GinIndex]]:
    """(model name, index) pairs for migration 0004: one partial index per configuration."""
    indexes = [
        (
            "article",
            GinIndex(
                article_document(config),
                condition=article_language_condition(config),
                name=f"article_search_{config}_gin",
            ),
        )
        for config in article_configs()
    ]
    indexes.append(("claim", GinIndex(claim_document(), name="claim_search_gin")))
    return indexes


# --- Results -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimHit:
    claim: Claim
    snippet: SafeString


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    snippet: SafeString


@dataclass(frozen=True)
class SearchResults:
    terms: str
    claims: list[ClaimHit]
    articles: list[ArticleHit]
    engine: str
    articles_capped: bool = False

    def __bool__(self) -> bool:
        return bool(self.claims or self.articles)


def search(terms: str, *, limit: int = RESULT_LIMIT) -> SearchResults:
    terms = " ".join(terms.split())
    if not terms:
        return SearchResults(terms="", claims=[], articles=[], engine="")
    if connection.vendor == "postgresql":
        articles, capped = _articles_full_text(terms, limit)
        return SearchResults(
            terms=terms,
            claims=_claims_full_text(terms, limit),
            articles=articles,
            engine="full-text",
            articles_capped=capped,
        )
    return SearchResults(
        terms=terms,
        claims=_claims_matching(terms, limit),
        articles=_articles_matching(terms, limit),
        engine="matching",
    )


def highlighted(headline: str) -> SafeString:
    """Escape a ts_headline result, turning only its sentinels into balanced <mark> tags."""
    pieces, inside = [], False
    for part in re.split(f"([{START_SEL}{STOP_SEL}])", headline or ""):
        if part == START_SEL:
            if not inside:
                pieces.append("<mark>")
                inside = True
        elif part == STOP_SEL:
            if inside:
                pieces.append("</mark>")
                inside = False
        else:
            pieces.append(escape(part))
    if inside:
        pieces.append("</mark>")
    return mark_safe("".join(pieces))  # every piece is escaped text or a literal tag


# --- PostgreSQL ----------------------------------------------------------------------


def _articles_full_text(terms: str, limit: int) -> tuple[list[ArticleHit], bool]:
    configs = article_configs()
    queries = {
        config: SearchQuery(terms, config=config, search_type="websearch") for config in configs
    }
    documents = {f"document_{config}": article_document(config) for config in configs}
    matches = Q()
    for config in configs:
        # Each arm repeats its index's condition, so the planner may use the partial index.
        matches |= article_language_condition(config) & Q(**{f"document_{config}": queries[config]})
    # Matching alone is answered from the GIN indexes; only the candidates are ranked.
    candidate_ids = list(
        Article.objects.public()
        .alias(**documents)
        .filter(matches)
        .order_by()  # in the order found, so the scan stops at the limit
        .values_list("pk", flat=True)[:ARTICLE_CANDIDATES]
    )
    rank = Case(
        *[
            When(
                article_language_condition(config),
                then=SearchRank(F(f"document_{config}"), queries[config]),
            )
            for config in configs
        ],
        output_field=FloatField(),
    )
    snippet = Case(
        *[
            When(
                article_language_condition(config),
                then=SearchHeadline(
                    "text",
                    queries[config],
                    config=config,
                    start_sel=START_SEL,
                    stop_sel=STOP_SEL,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            for config in configs
        ],
        output_field=TextField(),
    )
    # The candidates are public already: ranking them needs no second check.
    articles = (
        Article.objects.alias(**documents)
        .filter(pk__in=candidate_ids)
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS)
        .annotate(rank=rank, snippet=snippet)
        .order_by("-rank", "-published_on", "pk")[:limit]
    )
    hits = [
        ArticleHit(article=article, snippet=highlighted(article.snippet)) for article in articles
    ]
    return hits, len(candidate_ids) == ARTICLE_CANDIDATES


def _claims_full_text(terms: str, limit: int) -> list[ClaimHit]:
    query = SearchQuery(terms, config=CLAIM_CONFIG, search_type="websearch")
    claims = (
        Claim.objects.published()
        .alias(document=claim_document())
        .filter(document=query)
        .only("pk", "slug", "statement", "statement_it", "verdict", "agreement_label")
        .annotate(
            rank=SearchRank(F("document"), query),
            snippet=SearchHeadline(
                "verdict_summary",
                query,
                config=CLAIM_CONFIG,
                start_sel=START_SEL,
                stop_sel=STOP_SEL,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-rank", "statement", "pk")[:limit]
    )
    return [ClaimHit(claim=claim, snippet=highlighted(claim.snippet)) for claim in claims]


# --- Fallback ------------------------------------------------------------------------


def _every_word(terms: str, fields: list[str]) -> Q:
    condition = Q()
    for word in terms.split():
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def plain_snippet(text: str, terms: str, *, radius: int = SNIPPET_RADIUS) -> SafeString:
    """The passage around the first matching word, escaped, with every match marked."""
    words = [re.escape(word) for word in terms.split() if word]
    if not text or not words:
        return SafeString("")
    pattern = re.compile("|".join(words), re.IGNORECASE)
    first = pattern.search(text)
    center = first.start() if first else 0
    start, end = max(0, center - radius), min(len(text), center + radius)
    passage = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(passage):
        pieces.append(escape(passage[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    pieces.append(escape(passage[position:]))
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(lead + "".join(pieces) + tail)  # pieces are escaped or format_html


def _articles_matching(terms: str, limit: int) -> list[ArticleHit]:
    articles = (
        Article.objects.public()
        .filter(_every_word(terms, ["title", "text"]))
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS, "text")
        .order_by("-published_on", "pk")[:limit]
    )
    return [
        ArticleHit(article=article, snippet=plain_snippet(article.text, terms))
        for article in articles
    ]


def _claims_matching(terms: str, limit: int) -> list[ClaimHit]:
    claims = (
        Claim.objects.published()
        .filter(_every_word(terms, ["statement", "context", "verdict_summary"]))
        .only(
            "pk",
            "slug",
            "statement",
            "statement_it",
            "verdict",
            "agreement_label",
            "verdict_summary",
        )
        .order_by("statement", "pk")[:limit]
    )
    return [
        ClaimHit(claim=claim, snippet=plain_snippet(claim.verdict_summary, terms))
        for claim in claims
    ]
