"""Reads of claims for reader pages: lists, the claim page, its public record."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value

from factcheck.models import (
    AgreementLabel,
    AlertDecision,
    Appearance,
    Claim,
    ClaimTransition,
    Contradiction,
    Correction,
    EvidenceChange,
    EvidenceReview,
    ReviewStatus,
    VerdictAlert,
)
from factcheck.models.claims import disagreement, nulls_last
from factcheck.models.contradictions import open_first
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
            note += f"; agreement {AgreementLabel(before).label.lower()} → "
            note += AgreementLabel(after).label.lower()
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
        .only(
            "pk",
            "kind",
            "status",
            "explanation",
            "updated_at",
            "claim_a__id",
            "claim_a__slug",
            "claim_a__statement",
            "claim_a__verdict",
            "claim_b__id",
            "claim_b__slug",
            "claim_b__statement",
            "claim_b__verdict",
            "superseded_claim__id",
            "superseded_claim__slug",
            "superseded_claim__statement",
        )
        .order_by(*open_first())
    )


def claim_detail_appearances(*, claim: Claim, preview: bool = False) -> list[Appearance]:
    # Staff preview shows unpublished evidence, never a quote lost to a correction: it has
    # no offsets in the text to show.
    appearances = Appearance.objects.in_text() if preview else Appearance.objects.public()
    return list(
        claim_appearances(claim=claim, appearances=appearances).only(
            *APPEARANCE_READER_FIELDS,
            "article__id",
            "article__title",
            "article__url",
            "article__published_on",
            "article__date_precision",
            "article__language",
            "article__is_archived",
            "article__retells_id",
            "article__origin_id",
            "article__outlet__id",
            "article__outlet__name",
            "article__outlet__slug",
            "article__origin__id",
            "article__origin__title",
            "article__origin__url",
            "article__origin__published_on",
            "article__origin__date_precision",
            "article__origin__is_archived",
            "article__origin__outlet__id",
            "article__origin__outlet__name",
            "article__origin__outlet__slug",
            "credited_source__id",
            "credited_source__title",
            "credited_source__url",
            "credited_source__published_on",
            "credited_source__date_precision",
            "credited_source__is_archived",
            "credited_source__origin_id",
            "credited_source__outlet__id",
            "credited_source__outlet__name",
            "credited_source__outlet__slug",
            "credited_source__origin__id",
            "credited_source__origin__title",
            "credited_source__origin__url",
            "credited_source__origin__published_on",
            "credited_source__origin__date_precision",
            "credited_source__origin__is_archived",
            "credited_source__origin__outlet__id",
            "credited_source__origin__outlet__name",
            "credited_source__origin__outlet__slug",
        )
    )


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
