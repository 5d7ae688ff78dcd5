"""Reader search across published claims and public article texts (Article.objects.public()).

On PostgreSQL it is full-text search: each article is parsed with the text-search
configuration of its language (Italian stems "addestrando" and "addestra" alike), claims
with English, results ranked with ts_rank and shown with ts_headline snippets. The parsed
documents are stored: `search_document`, a generated column of the article and claim
tables with a GIN index each (migration 0015, PostgreSQL only, so the models do not
declare it and no write names it), so matching is answered from the index and ranking
reads the stored vectors instead of parsing every candidate's text again. Candidates are
capped per kind before ranking; the page says when a cap was reached.

Elsewhere (the embedded SQLite database) it falls back to case-insensitive matching of
every word, with a plain snippet around the first match.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from factcheck.models import Article, Claim
from factcheck.selectors.fields import ARTICLE_LIST_FIELDS

# Article language (BCP 47 primary tag) to PostgreSQL text-search configuration.
ARTICLE_CONFIGS = {"it": "italian", "en": "english"}
OTHER_LANGUAGES_CONFIG = "simple"
CLAIM_CONFIG = "english"

RESULT_LIMIT = 20
# A common word matches most of the corpus: each kind is ranked among the first this
# many matches the index yields, and the page says so when the cap is reached.
ARTICLE_CANDIDATES = 100
CLAIM_CANDIDATES = 100
SNIPPET_RADIUS = 90
# How far a snippet may grow to take in the rest of a word it would otherwise cut.
WORD_REACH = 40

# ts_headline marks matches with these; they are swapped for <mark> after escaping, so
# nothing else in the text can become markup. Private-use code points never occur in
# the corpus, and a stray one is dropped rather than opening a tag.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
FRAGMENT_DELIMITER = " … "


# --- Stored documents ----------------------------------------------------------------

DOCUMENT_COLUMN = "search_document"


def article_config_sql() -> str:
    """The configuration an article is parsed with, from its language, as SQL."""
    arms = " ".join(
        f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in ARTICLE_CONFIGS.items()
    )
    return f"CASE language {arms} ELSE '{OTHER_LANGUAGES_CONFIG}'::regconfig END"


def document_sql() -> dict[str, str]:
    """Each table's generated search column, as migration 0015 froze it (test_migrations
    says when these drift from it and a new migration is due)."""
    return {
        "factcheck_article": (
            f"to_tsvector({article_config_sql()}, COALESCE(title, '') || ' ' || COALESCE(text, ''))"
        ),
        "factcheck_claim": (
            f"to_tsvector('{CLAIM_CONFIG}'::regconfig, COALESCE(statement, '') || ' ' "
            "|| COALESCE(context, '') || ' ' || COALESCE(verdict_summary, ''))"
        ),
    }


def stored_document(model) -> RawSQL:
    """The model's stored search vector, for queries whose base table is the model's."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(DOCUMENT_COLUMN)
    return RawSQL(f"{table}.{column}", [], output_field=SearchVectorField())


def article_language_condition(config: str) -> Q:
    """Which articles a configuration parses: its language, or every other one for simple."""
    if config == OTHER_LANGUAGES_CONFIG:
        return ~Q(language__in=list(ARTICLE_CONFIGS))
    languages = [code for code, name in ARTICLE_CONFIGS.items() if name == config]
    return Q(language__in=languages)


def article_configs() -> list[str]:
    return [*dict.fromkeys(ARTICLE_CONFIGS.values()), OTHER_LANGUAGES_CONFIG]


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
    claims_capped: bool = False

    def __bool__(self) -> bool:
        return bool(self.claims or self.articles)


def search(terms: str, *, limit: int = RESULT_LIMIT) -> SearchResults:
    terms = " ".join(terms.split())
    if not terms:
        return SearchResults(terms="", claims=[], articles=[], engine="")
    if connection.vendor == "postgresql":
        articles, articles_capped = _articles_full_text(terms, limit)
        claims, claims_capped = _claims_full_text(terms, limit)
        return SearchResults(
            terms=terms,
            claims=claims,
            articles=articles,
            engine="full-text",
            articles_capped=articles_capped,
            claims_capped=claims_capped,
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
    matches = Q()
    for config in configs:
        # An article's vector was parsed with its language's configuration: it is asked
        # with the query of that configuration only.
        matches |= article_language_condition(config) & Q(document=queries[config])
    # Matching alone is answered from the GIN index; only the candidates are ranked.
    candidate_ids = list(
        Article.objects.public()
        .alias(document=stored_document(Article))
        .filter(matches)
        .order_by()  # in the order found, so the scan stops at the limit
        .values_list("pk", flat=True)[:ARTICLE_CANDIDATES]
    )
    rank = Case(
        *[
            When(
                article_language_condition(config),
                then=SearchRank(F("document"), queries[config]),
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
                    fragment_delimiter=FRAGMENT_DELIMITER,
                ),
            )
            for config in configs
        ],
        output_field=TextField(),
    )
    # The candidates are public already: ranking them needs no second check. The text
    # comes along for the snippets' word boundaries.
    articles = (
        Article.objects.alias(document=stored_document(Article))
        .filter(pk__in=candidate_ids)
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS, "text")
        .annotate(rank=rank, snippet=snippet)
        .order_by("-rank", "-published_on", "pk")[:limit]
    )
    hits = [
        ArticleHit(article=article, snippet=highlighted(whole_words(article.snippet, article.text)))
        for article in articles
    ]
    return hits, len(candidate_ids) == ARTICLE_CANDIDATES


# The columns a claim result shows, whichever way it was found.
CLAIM_HIT_FIELDS = (
    "pk",
    "slug",
    "statement",
    "statement_it",
    "verdict",
    "agreement_label",
    "verdict_summary",
)


def _claims_full_text(terms: str, limit: int) -> tuple[list[ClaimHit], bool]:
    query = SearchQuery(terms, config=CLAIM_CONFIG, search_type="websearch")
    candidate_ids = list(
        Claim.objects.published()
        .alias(document=stored_document(Claim))
        .filter(document=query)
        .order_by()
        .values_list("pk", flat=True)[:CLAIM_CANDIDATES]
    )
    claims = (
        Claim.objects.alias(document=stored_document(Claim))
        .filter(pk__in=candidate_ids)
        .only(*CLAIM_HIT_FIELDS)
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
    hits = [
        ClaimHit(
            claim=claim,
            snippet=highlighted(whole_words(claim.snippet, claim.verdict_summary)),
        )
        for claim in claims
    ]
    return hits, len(candidate_ids) == CLAIM_CANDIDATES


def whole_words(headline: str, text: str) -> str:
    """The headline with each fragment widened to the whole words of `text` it starts or
    ends inside.

    ts_headline cuts at its parser's tokens, and a hyphenated or elided word is several
    ("sud-est" can begin a fragment as "est", "l'intelligenza" as "intelligenza"). Each
    fragment is found in the text and grown to the nearest blanks, at most WORD_REACH
    characters each way. A fragment the text does not hold verbatim (the parser drops
    what looks like a tag) is left as ts_headline cut it.
    """
    if not headline or not text:
        return headline or ""
    fragments = []
    for fragment in headline.split(FRAGMENT_DELIMITER):
        plain = fragment.replace(START_SEL, "").replace(STOP_SEL, "")
        found = text.find(plain) if plain else -1
        if found < 0:
            fragments.append(fragment)
            continue
        start, end = found, found + len(plain)
        lead = _reach(text, start, step=-1)
        tail = _reach(text, end, step=1)
        fragments.append(text[lead:start] + fragment + text[end:tail])
    return FRAGMENT_DELIMITER.join(fragments)


def _reach(text: str, position: int, *, step: int) -> int:
    """The nearest word boundary from `position` going `step`-wards, within WORD_REACH."""
    limit = max(0, position - WORD_REACH) if step < 0 else min(len(text), position + WORD_REACH)
    cursor = position
    while cursor != limit and _inside_word(text, cursor):
        cursor += step
    return cursor if not _inside_word(text, cursor) else position


def _inside_word(text: str, position: int) -> bool:
    """Whether `position` falls between two characters of one word (no blank between)."""
    return 0 < position < len(text) and not (
        text[position - 1].isspace() or text[position].isspace()
    )


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
    center, center_end = (first.start(), first.end()) if first else (0, 0)
    # Whole words only; the matched word itself is kept, however long.
    start = min(_word_start(text, max(0, center - radius)), _word_start_before(text, center))
    end = max(_word_end(text, center + radius), _word_end_after(text, center_end))
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


def _word_start(text: str, position: int) -> int:
    """`position`, or the start of the next word when it falls inside one."""
    while _inside_word(text, position):
        position += 1
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _word_start_before(text: str, position: int) -> int:
    while _inside_word(text, position):
        position -= 1
    return position


def _word_end_after(text: str, position: int) -> int:
    while _inside_word(text, position):
        position += 1
    return position


def _word_end(text: str, position: int) -> int:
    """`position`, or the end of the previous word when it falls inside one."""
    position = min(len(text), position)
    while _inside_word(text, position):
        position -= 1
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position


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
        .only(*CLAIM_HIT_FIELDS)
        .order_by("statement", "pk")[:limit]
    )
    return [
        ClaimHit(claim=claim, snippet=plain_snippet(claim.verdict_summary, terms))
        for claim in claims
    ]
