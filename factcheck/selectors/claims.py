"""Reads of claims for reader pages: lists, the claim page, its public record."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext

from factcheck.models import (
    AgreementLabel,
    AlertDecision,
    Appearance,
    Article,
    Claim,
    ClaimTransition,
    Contradiction,
    Correction,
    EvidenceChange,
    EvidenceReview,
    Outlet,
    ReviewStatus,
    VerdictAlert,
)
from factcheck.models.claims import disagreement, nulls_last
from factcheck.models.contradictions import open_first
from factcheck.selectors.contradictions import CONTRADICTION_LIST_FIELDS
from factcheck.selectors.fields import APPEARANCE_READER_FIELDS


def claim_appearances(
    *, claim: Claim, appearances: QuerySet[Appearance] | None = None
) -> QuerySet[Appearance]:
    """Every appearance of `claim` among `appearances` (all, for the editors' admin)."""
    if appearances is None:
        appearances = Appearance.objects.all()
    # The articles' full texts are not shown beside a claim's evidence: leave them behind.
    return (
        appearances.filter(claim=claim)
        .select_related(
            "article__outlet",
            "article__origin__outlet",
            "credited_source__outlet",
            "credited_source__origin__outlet",
        )
        .defer(
            "article__text",
            "article__origin__text",
            "credited_source__text",
            "credited_source__origin__text",
        )
        .order_by("article__published_on", "article_id", "start")
    )


# --- Claims --------------------------------------------------------------------------


def claim_table_rows() -> QuerySet[Claim]:
    """Published claims for the index and its export, with their open contradictions."""
    return Claim.objects.published().for_list().with_open_contradictions()


def claims_most_contested(*, limit: int = 5) -> QuerySet[Claim]:
    """Claims that independent origins disagree on, or that an open contradiction names."""
    return (
        claim_table_rows()
        .annotate(disagreement=disagreement())
        .filter(Q(disagreement__gt=0) | Q(open_contradictions__gt=0))
        .order_by("-disagreement", "-open_contradictions", "statement", "pk")[:limit]
    )


def claims_latest_reviewed(*, limit: int = 5) -> QuerySet[Claim]:
    # The index's order (claim_pub_reviewed_idx), so the first rows are the answer.
    return (
        claim_table_rows()
        .filter(reviewed_at__isnull=False)
        .order_by(*nulls_last("reviewed_at", descending=True))[:limit]
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One public event in a claim's record: published, corrected or retracted."""

    at: object
    kind: str
    verdict: str = ""
    note: str = ""
    correction: Correction | None = None


def claim_public_history(*, claim: Claim, corrections: list[Correction]) -> list[HistoryEntry]:
    """Publications, retractions, corrections, accepted new reporting and verdicts kept.

    Only what readers were told goes in: transitions carry staff names and, except for a
    retraction, internal notes, so those stay out.
    """
    entries = [
        HistoryEntry(at=item.created_at, kind="corrected", correction=item) for item in corrections
    ]
    for at, kind, note, before, after in claim_evidence_decisions(claim=claim):
        if before != after:
            note += gettext("; agreement %(before)s → %(after)s") % {
                "before": AgreementLabel(before).label.lower(),
                "after": AgreementLabel(after).label.lower(),
            }
        entries.append(HistoryEntry(at=at, kind=kind, note=note))
    transitions = (
        ClaimTransition.objects.filter(
            claim=claim, to_status__in=[ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED]
        )
        .exclude(from_status=F("to_status"))
        .only("pk", "created_at", "to_status", "verdict", "note")
    )
    for transition in transitions:
        if transition.to_status == ReviewStatus.PUBLISHED:
            entries.append(
                HistoryEntry(
                    at=transition.created_at,
                    kind="published",
                    verdict=transition.get_verdict_display(),
                )
            )
        else:
            entries.append(
                HistoryEntry(
                    at=transition.created_at,
                    kind="retracted",
                    verdict=transition.get_verdict_display(),
                    note=transition.note,
                )
            )
    return sorted(entries, key=lambda entry: entry.at)


def claim_contradictions(*, claim: Claim) -> QuerySet[Contradiction]:
    return (
        Contradiction.objects.published()
        .involving(claim)
        .for_list()
        .only(*CONTRADICTION_LIST_FIELDS)
        .order_by(*open_first())
    )


# Columns of an article beside a claim's evidence (its full text is not shown there).
DETAIL_ARTICLE_FIELDS = [
    "id",
    "title",
    "opening",
    "url",
    "published_on",
    "date_precision",
    "language",
    "is_archived",
    "retells_id",
    "origin_id",
    "outlet__id",
    "outlet__name",
    "outlet__slug",
]


def claim_detail_appearances(*, claim: Claim, preview: bool = False) -> list[Appearance]:
    """A claim's evidence with its articles, credited sources, their outlets and origins.

    Most articles are their own origin: joining the origin again would build a second
    copy of nearly every article (and of its outlet) for a much-quoted claim. So origins
    are taken from the rows already read, and only the others are read, in one query.
    """
    # Staff preview shows unpublished evidence, never a quote lost to a correction: it has
    # no offsets in the text to show.
    appearances = Appearance.objects.in_text() if preview else Appearance.objects.public()
    related = [f"article__{name}" for name in DETAIL_ARTICLE_FIELDS]
    related += [f"credited_source__{name}" for name in DETAIL_ARTICLE_FIELDS]
    rows = list(
        appearances.filter(claim=claim)
        .select_related("article__outlet", "credited_source__outlet")
        .only(*APPEARANCE_READER_FIELDS, *related)
        .order_by("article__published_on", "article_id", "start")
    )
    articles = [row.article for row in rows]
    articles += [row.credited_source for row in rows if row.credited_source_id is not None]
    by_pk = {article.pk: article for article in articles}
    upstream = {article.origin_id for article in articles} - set(by_pk) - {None}
    if upstream:
        for origin in (
            Article.objects.filter(pk__in=upstream)
            .select_related("outlet")
            .only(*DETAIL_ARTICLE_FIELDS)
        ):
            by_pk[origin.pk] = origin
    for article in [*articles, *by_pk.values()]:
        if article.origin_id is not None:
            article.origin = by_pk[article.origin_id]
    return rows


# --- The claim page's evidence, as plain rows ----------------------------------------
#
# A much-quoted claim's page lists 500 appearances with their articles, outlets and
# origins: about 1,600 model instances, whose construction (field by field, with two
# signals each) cost the page four times its query. The page only reads these rows, so
# it gets them as slotted rows carrying the same attributes and the models' own
# display properties (the same functions, so the same text).


@dataclass(slots=True, eq=False)
class OutletRow:
    id: int
    name: str
    slug: str

    @property
    def pk(self) -> int:
        return self.id

    get_absolute_url = Outlet.get_absolute_url


@dataclass(slots=True, eq=False)
class ArticleRow:
    id: int
    title: str
    opening: str
    url: str
    published_on: object
    date_precision: str
    language: str
    is_archived: bool
    retells_id: int | None
    origin_id: int | None
    outlet_id: int | None
    outlet: OutletRow | None
    origin: "ArticleRow | None" = None

    @property
    def pk(self) -> int:
        return self.id

    display_title = Article.display_title
    display_date = Article.display_date
    iso_date = Article.iso_date
    origin_or_self = Article.origin_or_self
    get_absolute_url = Article.get_absolute_url


@dataclass(slots=True, eq=False)
class AppearanceRow:
    id: int
    claim_id: int
    article_id: int
    quote: str
    start: int
    end: int
    stance: str
    attribution: str
    credited_source_id: int | None
    translation: str
    article: ArticleRow
    credited_source: ArticleRow | None

    @property
    def pk(self) -> int:
        return self.id

    anchor_id = Appearance.anchor_id
    get_absolute_url = Appearance.get_absolute_url


# The article columns in ArticleRow's order, then its outlet's; an appearance's own
# columns are the reader fields, in AppearanceRow's order.
ROW_ARTICLE_COLUMNS = [
    "id",
    "title",
    "opening",
    "url",
    "published_on",
    "date_precision",
    "language",
    "is_archived",
    "retells_id",
    "origin_id",
    "outlet_id",
]
ROW_OUTLET_COLUMNS = ["outlet__name", "outlet__slug"]
ROW_APPEARANCE_COLUMNS = APPEARANCE_READER_FIELDS
ARTICLE_WIDTH = len(ROW_ARTICLE_COLUMNS) + len(ROW_OUTLET_COLUMNS)


class _Rows:
    """Builds one row per article and per outlet, however many appearances share them."""

    def __init__(self):
        self.articles: dict[int, ArticleRow] = {}
        self.outlets: dict[int, OutletRow] = {}

    def article(self, values) -> ArticleRow | None:
        if values[0] is None:  # no credited source
            return None
        row = self.articles.get(values[0])
        if row is None:
            *columns, outlet_name, outlet_slug = values
            outlet_id = columns[-1]
            outlet = None
            if outlet_id is not None:
                outlet = self.outlets.get(outlet_id)
                if outlet is None:
                    outlet = self.outlets[outlet_id] = OutletRow(
                        outlet_id, outlet_name, outlet_slug
                    )
            row = self.articles[values[0]] = ArticleRow(*columns, outlet)
        return row


def claim_page_evidence(*, claim: Claim, preview: bool = False) -> list[AppearanceRow]:
    """claim_detail_appearances() for the claim page, as plain rows (see above), with the
    same evidence in the same order and the same two queries."""
    appearances = Appearance.objects.in_text() if preview else Appearance.objects.public()
    columns = [
        *ROW_APPEARANCE_COLUMNS,
        *(f"article__{name}" for name in ROW_ARTICLE_COLUMNS + ROW_OUTLET_COLUMNS),
        *(f"credited_source__{name}" for name in ROW_ARTICLE_COLUMNS + ROW_OUTLET_COLUMNS),
    ]
    own = len(ROW_APPEARANCE_COLUMNS)
    built = _Rows()
    rows = [
        AppearanceRow(
            *values[:own],
            built.article(values[own : own + ARTICLE_WIDTH]),
            built.article(values[own + ARTICLE_WIDTH :]),
        )
        for values in appearances.filter(claim=claim)
        .order_by("article__published_on", "article_id", "start")
        .values_list(*columns)
    ]
    upstream = {row.origin_id for row in built.articles.values()} - set(built.articles) - {None}
    if upstream:
        for values in Article.objects.filter(pk__in=upstream).values_list(
            *ROW_ARTICLE_COLUMNS, *ROW_OUTLET_COLUMNS
        ):
            built.article(values)
    for article in built.articles.values():
        if article.origin_id is not None:
            article.origin = built.articles[article.origin_id]
    return rows


def claim_corrections(*, claim: Claim) -> list[Correction]:
    return list(
        Correction.objects.filter(claim=claim).only(
            "pk",
            "claim_id",
            "note",
            "previous_statement",
            "new_statement",
            "previous_verdict",
            "new_verdict",
            "created_at",
        )
    )


def claims_quoting_articles(article_ids) -> set[int]:
    """Ids of every claim (in any state) with an appearance in these articles, or one
    crediting them as its source."""
    article_ids = list(article_ids)
    return set(
        Appearance.objects.filter(
            Q(article_id__in=article_ids) | Q(credited_source_id__in=article_ids)
        )
        .values_list("claim_id", flat=True)
        .distinct()
    )


def reporting_under_review() -> Q:
    """For annotating claims: new evidence waits for a Reviewer, or an alert is undecided."""
    return Q(Exists(EvidenceChange.objects.pending().filter(claims=OuterRef("pk")))) | Q(
        Exists(VerdictAlert.objects.open().filter(claim=OuterRef("pk")))
    )


def claim_evidence_decisions(*, claim: Claim) -> list[tuple]:
    """(when, kind, public note, label before, label after) of each accepted batch of new
    reporting and each verdict kept after one, in one query."""
    accepted = EvidenceReview.objects.filter(claim=claim).values_list(
        "created_at", Value("new_reporting"), "summary", "agreement_before", "agreement_after"
    )
    kept = VerdictAlert.objects.filter(claim=claim, decision=AlertDecision.KEPT).values_list(
        "closed_at", Value("verdict_kept"), "note", Value(""), Value("")
    )
    return list(accepted.order_by().union(kept.order_by(), all=True))


def claim_for_old_slug(*, slug: str, claims: QuerySet[Claim]) -> Claim | None:
    """The claim among `claims` that answered at `slug` before a rename (services.records keeps them)."""
    return (
        claims.filter(slug_redirects__old_slug=slug).select_related(None).only("pk", "slug").first()
    )
