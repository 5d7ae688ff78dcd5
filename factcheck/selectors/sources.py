"""Reads of articles and outlets for reader pages, the languages lists offer, the corpus
figures and the contradictions index."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from factcheck.models import (
    AnchorStatus,
    Appearance,
    Article,
    Claim,
    Contradiction,
    Outlet,
    ReviewStatus,
)
from factcheck.models.contradictions import open_first
from factcheck.selectors.contradictions import CONTRADICTION_LIST_FIELDS
from factcheck.selectors.counts import counted
from factcheck.selectors.fields import APPEARANCE_READER_FIELDS, ARTICLE_LIST_FIELDS

# --- The corpus ----------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFigures:
    claims: int
    articles: int
    outlets: int
    origins: int
    open_contradictions: int


# The public archived articles, their origins and their outlets, counted in one pass.
# The set of public articles is built as ArticleQuerySet.public() defines it, but
# upwards from the evidence instead of probed article by article: the articles public
# claims quote or credit, then every report up their retelling chains. The recursive
# UNION drops the repeats (an article quoted many times is kept once, without a sort
# of all the evidence, and a cycle ends). test_home_figures.py holds the two
# definitions together.
PUBLIC_ARTICLE_FIGURES_SQL = """
WITH RECURSIVE evidence(article_id) AS (
    SELECT appearance.article_id FROM factcheck_appearance AS appearance
    JOIN factcheck_claim AS claim ON claim.id = appearance.claim_id
    WHERE claim.status IN (%(published)s, %(retracted)s) AND appearance.anchor_status <> %(orphaned)s
    UNION ALL
    SELECT appearance.credited_source_id FROM factcheck_appearance AS appearance
    JOIN factcheck_claim AS claim ON claim.id = appearance.claim_id
    WHERE appearance.credited_source_id IS NOT NULL
      AND claim.status IN (%(published)s, %(retracted)s) AND appearance.anchor_status <> %(orphaned)s
),
public_article(id) AS (
    SELECT article_id FROM evidence
    UNION
    SELECT article.retells_id FROM factcheck_article AS article
    JOIN public_article ON article.id = public_article.id
    WHERE article.retells_id IS NOT NULL
)
SELECT
    COUNT(CASE WHEN article.is_archived THEN 1 END),
    COUNT(DISTINCT CASE WHEN article.is_archived THEN article.origin_id END),
    COUNT(DISTINCT article.outlet_id)
FROM factcheck_article AS article
JOIN public_article ON public_article.id = article.id
"""


def count_corpus_figures(using: str = "default") -> CorpusFigures:
    # Deciding what is public is the cost: probing each article (public()) took seconds
    # at the bench's scale; one pass over the evidence decides it for all of them.
    with connections[using].cursor() as cursor:
        cursor.execute(
            PUBLIC_ARTICLE_FIGURES_SQL,
            {
                "published": ReviewStatus.PUBLISHED.value,
                "retracted": ReviewStatus.RETRACTED.value,
                "orphaned": AnchorStatus.ORPHANED.value,
            },
        )
        articles, origins, outlets = cursor.fetchone()
    return CorpusFigures(
        claims=Claim.objects.using(using).published().count(),
        articles=articles,
        outlets=outlets,
        origins=origins,
        open_contradictions=Contradiction.objects.using(using).published().open().count(),
    )


def corpus_figures() -> CorpusFigures:
    """The home page's figures, counted once per content generation (selectors.counts)."""
    return counted("corpus-figures", count_corpus_figures)


def contradictions_for_index() -> QuerySet[Contradiction]:
    """Every contradiction between two published claims, open ones first."""
    return (
        Contradiction.objects.published()
        .for_list()
        .only(*CONTRADICTION_LIST_FIELDS)
        .order_by(*open_first())
    )


# --- Articles and outlets ------------------------------------------------------------

# A loose index scan: each step jumps to the next language in article_language_idx, so
# listing the two or three languages reads three index entries, not every article.
NEXT_LANGUAGE_SQL = """
WITH RECURSIVE languages(language) AS (
    (SELECT language FROM factcheck_article WHERE language > '' ORDER BY language LIMIT 1)
    UNION ALL
    SELECT (
        SELECT article.language FROM factcheck_article AS article
        WHERE article.language > languages.language ORDER BY article.language LIMIT 1
    )
    FROM languages WHERE languages.language IS NOT NULL
)
SELECT language FROM languages WHERE language IS NOT NULL
"""


def article_languages(using: str = "default") -> list[str]:
    """The languages articles are written in, sorted; one cheap query at any size."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return list(
            Article.objects.using(using)
            .exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
    with connection.cursor() as cursor:
        cursor.execute(NEXT_LANGUAGE_SQL)
        return [language for (language,) in cursor.fetchall()]


def quoted_article_languages(using: str = "default") -> list[str]:
    """The languages of articles that published claims quote, sorted: the filter's choices.

    These are the languages the claims index's language filter can find claims by (it
    filters on published quotes), so a test paste in a new language offers nothing. The
    loose scan lists every language in a few index reads; one more query keeps those with
    a quoted article, each arm stopping at its first one.
    """
    languages = article_languages(using)
    if not languages:
        return []
    articles = Article.objects.using(using)
    quoted = Appearance.objects.published().filter(article=OuterRef("pk"))
    first, *rest = [
        articles.filter(Exists(quoted), language=code).order_by().values("language")[:1]
        for code in languages
    ]
    if rest and not connections[using].features.supports_slicing_ordering_in_compound:
        rows = articles.filter(Exists(quoted), language__in=languages)
        return sorted(set(rows.order_by().values_list("language", flat=True).distinct()))
    found = first.union(*rest, all=True) if rest else first
    return sorted({row["language"] for row in found})


def article_quoted_appearances(*, article: Article) -> QuerySet[Appearance]:
    """Quotes of published claims in this article, in reading order."""
    return (
        Appearance.objects.published()
        .filter(article=article)
        .select_related("claim")
        .only(
            *APPEARANCE_READER_FIELDS,
            "claim__id",
            "claim__slug",
            "claim__statement",
            "claim__statement_it",
            "claim__verdict",
        )
        .order_by("start", "-end", "pk")
    )


def article_family(
    *, article: Article, preview: bool = False
) -> tuple[list[Article], list[Article]]:
    """The reports this article retells, nearest first, up to its origin; and the
    articles that retell it, oldest first.

    At most two queries whatever the depth: the links of the whole family (only for a
    retelling), then the members on both sides at once. Upstream of a public article
    every report is public; the members are read through public() all the same, so a
    page can never link to one that is not, nor to a retelling no public claim quotes.
    """
    chain_ids = []
    if article.retells_id is not None:
        family = Article.objects.filter(Q(origin_id=article.origin_id) | Q(pk=article.origin_id))
        upstream_of = dict(family.values_list("pk", "retells_id"))
        seen = {article.pk}
        current = upstream_of.get(article.pk, article.retells_id)
        while current is not None and current not in seen:
            seen.add(current)
            chain_ids.append(current)
            current = upstream_of.get(current)
    articles = Article.objects.all() if preview else Article.objects.public()
    members = list(
        articles.filter(Q(pk__in=chain_ids) | Q(retells=article))
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS, "retells_id")
        .order_by("published_on", "pk")
    )
    by_pk = {member.pk: member for member in members}
    chain = [by_pk[pk] for pk in chain_ids if pk in by_pk]
    retellings = [member for member in members if member.retells_id == article.pk]
    return chain, retellings


def outlet_articles(*, outlet: Outlet, preview: bool = False) -> QuerySet[Article]:
    articles = Article.objects.all() if preview else Article.objects.public()
    return (
        articles.filter(outlet=outlet)
        .select_related("outlet")
        .only(*ARTICLE_LIST_FIELDS)
        .annotate(
            quote_count=Count(
                "appearances",
                filter=Q(appearances__claim__status=ReviewStatus.PUBLISHED)
                & ~Q(appearances__anchor_status=AnchorStatus.ORPHANED),
            )
        )
        .order_by("-published_on", "title", "pk")
    )


def outlet_claims(*, outlet: Outlet) -> QuerySet[Claim]:
    quoted = Appearance.objects.published().filter(article__outlet=outlet).values("claim_id")
    return Claim.objects.published().filter(pk__in=quoted).for_list().order_by("statement", "pk")
