"""Reader search across published claims and public article texts (Article.objects.public()).

On PostgreSQL it is full-text search: each article is parsed with the text-search
configuration of its language (Italian stems "addestrando" and "addestra" alike), claims
with English, results ranked with ts_rank. The parsed
documents are stored: `search_document`, a generated column of the article and claim
tables with a GIN index each (migration 0015, PostgreSQL only, so the models do not
declare it and no write names it), so matching is answered from the index and ranking
reads the stored vectors instead of parsing every candidate's text again. Candidates are
capped per kind before ranking; the page says when a cap was reached.

Snippets are cut from the text in Python (`stemmed_snippet`): PostgreSQL gives the
query's lexemes (`querytree`), and a word of the text is marked when the Snowball
stemmer of its configuration (the one PostgreSQL's dictionaries use) reduces it to one
of them. ts_headline would parse all of every shown text again for the same marks.

Elsewhere (the embedded SQLite database) it falls back to case-insensitive matching of
every word, with a plain snippet around the first match.
"""

import functools
import operator
import re
import threading
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, TextField, When
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
# A full-text snippet shows the passages around this many separate matches.
SNIPPET_FRAGMENTS = 2
FRAGMENT_DELIMITER = " … "
# The Snowball stemmer behind each configuration's dictionary; "simple" only lowercases.
CONFIG_STEMMERS = {"italian": "italian", "english": "english"}


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


# --- PostgreSQL ----------------------------------------------------------------------


class Matches(Func):
    """`vector @@ query`, for a query that is itself an expression (a CASE)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()
    conditional = True


class QueryTree(Func):
    """The text of a tsquery as PostgreSQL normalised it: its lexemes, stopwords dropped."""

    function = "querytree"
    output_field = TextField()


def _articles_full_text(terms: str, limit: int) -> tuple[list[ArticleHit], bool]:
    configs = article_configs()
    queries = {
        config: SearchQuery(terms, config=config, search_type="websearch") for config in configs
    }

    def by_language(expression, output_field) -> Case:
        """`expression` of each article's own query."""
        return Case(
            *[
                When(article_language_condition(config), then=expression(queries[config]))
                for config in configs
            ],
            output_field=output_field,
        )

    # An article's vector was parsed with its language's configuration: it is asked with
    # the query of that configuration only. That condition no index answers; the GIN
    # index answers the queries of every configuration at once, in one read, and the
    # language check runs on the rows found. (Asked language by language, the planner
    # intersected each query's index read with every article of that language from the
    # language index.) Only the candidates are ranked.
    any_query = functools.reduce(operator.or_, queries.values())
    own_query = by_language(lambda query: query, SearchQueryField())
    candidate_ids = list(
        Article.objects.public()
        .alias(document=stored_document(Article))
        .filter(Q(document=any_query), Matches(F("document"), own_query))
        .order_by()  # in the order found, so the scan stops at the limit
        .values_list("pk", flat=True)[:ARTICLE_CANDIDATES]
    )

    # The candidates are public already: ranking them needs no second check. The text
    # comes along for the snippets.
    articles = (
        Article.objects.alias(document=stored_document(Article))
        .filter(pk__in=candidate_ids)
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS, "text")
        .annotate(
            rank=by_language(lambda query: SearchRank(F("document"), query), FloatField()),
            query_tree=by_language(QueryTree, TextField()),
        )
        .order_by("-rank", "-published_on", "pk")[:limit]
    )
    hits = [
        ArticleHit(
            article=article,
            snippet=stemmed_snippet(
                article.text,
                query_lexemes(article.query_tree),
                config=ARTICLE_CONFIGS.get(article.language, OTHER_LANGUAGES_CONFIG),
            ),
        )
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
        .annotate(rank=SearchRank(F("document"), query), query_tree=QueryTree(query))
        .order_by("-rank", "statement", "pk")[:limit]
    )
    hits = [
        ClaimHit(
            claim=claim,
            snippet=stemmed_snippet(
                claim.verdict_summary, query_lexemes(claim.query_tree), config=CLAIM_CONFIG
            ),
        )
        for claim in claims
    ]
    return hits, len(candidate_ids) == CLAIM_CANDIDATES


# --- Snippets ------------------------------------------------------------------------

# A lexeme in querytree's text: 'quoted', with '' for a quote; "!" before it negates it.
QUERY_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'")
# A word as PostgreSQL's parser splits text: letters and digits (an apostrophe, a hyphen
# or an underscore separates two).
TEXT_WORD = re.compile(r"[^\W_]+")


def query_lexemes(query_tree: str | None) -> frozenset[str]:
    """The lexemes a query looks for, from its querytree text; negated ones are left out."""
    return frozenset(
        lexeme.replace("''", "'")
        for negated, lexeme in QUERY_LEXEME.findall(query_tree or "")
        if not negated
    )


_stemmers = threading.local()  # a Snowball stemmer keeps state while it stems


@functools.lru_cache(maxsize=100_000)
def word_lexeme(word: str, config: str) -> str:
    """The lexeme `config` makes of one word of text (lowercased, then stemmed)."""
    word = word.lower()
    algorithm = CONFIG_STEMMERS.get(config)
    if algorithm is None:
        return word
    stemmers = getattr(_stemmers, "by_algorithm", None)
    if stemmers is None:
        stemmers = _stemmers.by_algorithm = {}
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm].stemWord(word)


def stemmed_snippet(
    text: str,
    lexemes: frozenset[str],
    *,
    config: str,
    radius: int = SNIPPET_RADIUS,
    fragments: int = SNIPPET_FRAGMENTS,
) -> SafeString:
    """The passages around the first matches of the query's lexemes, every match marked.

    A stem begins like the word it comes from, so only the words starting with a
    lexeme's first letter are stemmed: the scan for them runs in the regex engine.
    """
    if not text or not lexemes:
        return _snippet(text, [], radius=radius, fragments=fragments)
    initials = "".join(sorted({re.escape(lexeme[0]) for lexeme in lexemes if lexeme}))
    candidates = re.compile(rf"(?<![^\W_])[{initials}][^\W_]*", re.IGNORECASE)
    spans = [
        match.span()
        for match in candidates.finditer(text)
        if word_lexeme(match.group(), config) in lexemes
    ]
    return _snippet(text, spans, radius=radius, fragments=fragments)


def _snippet(text: str, spans: list[tuple[int, int]], *, radius: int, fragments: int) -> SafeString:
    """Passages of whole words around the first `fragments` separate matches (`spans`, in
    text order), escaped, with every match inside them marked; the opening of the text
    when nothing matched."""
    if not text:
        return SafeString("")
    passages = []
    for center, center_end in spans or [(0, 0)]:
        if passages and center < passages[-1][1]:
            continue  # already shown
        if len(passages) == fragments:
            break
        # Whole words only; the matched word itself is kept, however long.
        start = min(_word_start(text, max(0, center - radius)), _word_start_before(text, center))
        end = max(_word_end(text, center + radius), _word_end_after(text, center_end))
        if passages and start < passages[-1][1]:
            start = _word_start(text, passages[-1][1])
        passages.append((start, end))
    shown = []
    for start, end in passages:
        pieces, position = [], start
        for match_start, match_end in spans:
            if match_start >= start and match_end <= end:
                pieces.append(escape(text[position:match_start]))
                pieces.append(format_html("<mark>{}</mark>", text[match_start:match_end]))
                position = match_end
        pieces.append(escape(text[position:end]))
        shown.append("".join(pieces))
    lead = "… " if passages[0][0] > 0 else ""
    tail = " …" if passages[-1][1] < len(text) else ""
    # every piece is escaped text or format_html
    return mark_safe(lead + FRAGMENT_DELIMITER.join(shown) + tail)


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
    spans = [match.span() for match in pattern.finditer(text)]
    return _snippet(text, spans, radius=radius, fragments=1)


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
