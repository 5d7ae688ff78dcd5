"""Evidence held for review, what it would do to agreement, and alerts on verdicts.

A change to a public claim's evidence by someone who may not publish is stored as a
pending EvidenceChange; the rows readers see stay as reviewed. Whenever evidence moves,
pending or applied, the published verdicts it touches are checked, and a conflict opens
one alert per claim, mailed to every Reviewer once.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from factcheck.agreement import Agreement, agreement_from_evidence, origin_of
from factcheck.models import (
    Appearance,
    Article,
    ChangeKind,
    Claim,
    EvidenceChange,
    ReviewStatus,
    Verdict,
    VerdictAlert,
)

REVIEWER_GROUP = "Reviewer"
# What an editor sets on an appearance; the rest (end, context, version) derives from it.
APPEARANCE_CHANGE_FIELDS = [
    field.attname
    for field in Appearance._meta.concrete_fields
    if field.editable and not field.primary_key and not field.auto_created
]
RATED_TRUE = {Verdict.TRUE, Verdict.MOSTLY_TRUE}
RATED_FALSE = {Verdict.FALSE, Verdict.MOSTLY_FALSE}


# --- Holding changes -------------------------------------------------------------------


def appearance_values(appearance: Appearance) -> dict:
    return {name: getattr(appearance, name) for name in APPEARANCE_CHANGE_FIELDS}


def appearance_hold(*, appearance: Appearance | None, stored: Appearance | None, user):
    """Keep an addition, change (both given) or removal (`appearance` None) for review."""
    if stored is None:
        kind = ChangeKind.ADD
    elif appearance is None:
        kind = ChangeKind.REMOVE
    else:
        kind = ChangeKind.CHANGE
    change = EvidenceChange.objects.create(
        kind=kind,
        appearance=stored,
        article_id=(appearance or stored).article_id,
        previous=appearance_values(stored) if stored else {},
        proposed=appearance_values(appearance) if appearance else {},
        based_on_version=stored.version if stored else None,
        proposed_by=user,
    )
    claim_ids = {c for c in [stored and stored.claim_id, appearance and appearance.claim_id] if c}
    change.claims.set(Claim.objects.filter(pk__in=claim_ids).public())
    return change


def articles_retelling(article: Article) -> set[int]:
    """The article and every article that retells it, at any depth."""
    found, level = {article.pk}, [article.pk]
    while level:
        level = [
            pk
            for pk in Article.objects.filter(retells_id__in=level).values_list("pk", flat=True)
            if pk not in found
        ]
        found.update(level)
    return found


def claims_public_affected_by_retelling(*, article: Article) -> set[int]:
    """Public claims whose agreement a new retelling link of `article` could move."""
    affected = articles_retelling(article)
    return set(
        Claim.objects.public()
        .filter(
            Q(appearances__article_id__in=affected)
            | Q(appearances__credited_source_id__in=affected)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def retelling_hold(
    *, article: Article, retells_id: int | None, claim_ids: set[int], user, based_on_version: int
):
    change = EvidenceChange.objects.create(
        kind=ChangeKind.RETELLS,
        article=article,
        previous={"retells_id": article.retells_id},
        proposed={"retells_id": retells_id},
        based_on_version=based_on_version,
        proposed_by=user,
    )
    change.claims.set(claim_ids)
    return change


# --- What pending changes would do -----------------------------------------------------


def _origins(article_ids: set[int], retells: dict[int, int | None]) -> dict[int, int]:
    """The origin of each article, with some retelling links replaced by `retells`."""
    if not retells:
        rows = Article.objects.filter(pk__in=article_ids).annotate(found=origin_of())
        return dict(rows.values_list("pk", "found"))
    links: dict[int, int | None] = {}
    frontier = set(article_ids)
    while frontier:
        rows = Article.objects.filter(pk__in=frontier).values_list("pk", "retells_id")
        links.update(rows)
        links.update({pk: up for pk, up in retells.items() if pk in frontier})
        frontier = {up for up in links.values() if up is not None and up not in links}
    origins = {}
    for pk in article_ids:
        current, seen = pk, set()
        while links.get(current) is not None and current not in seen:
            seen.add(current)
            current = links[current]
        origins[pk] = current
    return origins


def claim_agreement_if_accepted(
    *, claim: Claim, changes: Iterable[EvidenceChange] | None = None
) -> Agreement:
    """The agreement the claim would have with these pending changes (default: all) applied."""
    if changes is None:
        changes = claim.evidence_changes.pending()
    # (stance, article, credited source or None) per appearance: a quote crediting its
    # own source counts under that source's origin, as agreement.appearance_origin says.
    rows = {
        pk: (stance, article_id, credited_id)
        for pk, stance, article_id, credited_id in claim.appearances.counted().values_list(
            "pk", "stance", "article_id", "credited_source_id"
        )
    }
    added, retells = [], {}
    for change in changes:
        proposed = change.proposed
        if change.kind == ChangeKind.RETELLS:
            retells[change.article_id] = proposed["retells_id"]
        elif change.kind == ChangeKind.REMOVE:
            rows.pop(change.appearance_id, None)
        elif proposed["claim_id"] != claim.pk:
            rows.pop(change.appearance_id, None)  # moved to another claim
        else:
            # Changes held before appearances had a credited source carry none.
            item = (
                proposed["stance"],
                proposed["article_id"],
                proposed.get("credited_source_id"),
            )
            if change.kind == ChangeKind.ADD:
                added.append(item)
            else:
                rows[change.appearance_id] = item
    evidence = [*rows.values(), *added]
    origins = _origins({credited or article_id for _, article_id, credited in evidence}, retells)
    return agreement_from_evidence(
        (stance, article_id, origins[credited or article_id])
        for stance, article_id, credited in evidence
    )


# --- Conflicts with the verdict --------------------------------------------------------


def verdict_conflicts(*, claim: Claim, before: Agreement, after: Agreement) -> list[str]:
    """Why evidence moving from `before` to `after` calls the published verdict into question."""
    reasons = []
    verdict = claim.get_verdict_display()
    if claim.verdict in RATED_TRUE and after.refuting > before.refuting:
        reasons.append(f"a new independent origin refutes a claim rated “{verdict}”")
    if claim.verdict in RATED_FALSE and after.supporting > before.supporting:
        reasons.append(f"a new independent origin supports a claim rated “{verdict}”")
    reviewed = claim.reviewed_agreement_label
    if reviewed and after.label != reviewed and after.label != before.label:
        reasons.append(
            f"agreement would be “{after.label.label}”, reviewed as "
            f"“{type(after.label)(reviewed).label}”"
        )
    return reasons


def claims_check_verdicts(*, before: dict[int, tuple[Claim, Agreement]]) -> list[VerdictAlert]:
    """Open an alert on each published claim whose evidence now conflicts with its verdict.

    `before` holds each public claim's stored agreement as it was before the write; the
    comparison is with the evidence as it would be once everything pending is accepted.
    """
    opened = []
    for pk, (claim, agreement) in before.items():
        if claim.status != ReviewStatus.PUBLISHED:
            continue
        claim.refresh_from_db()
        reasons = verdict_conflicts(
            claim=claim, before=agreement, after=claim_agreement_if_accepted(claim=claim)
        )
        if not reasons or VerdictAlert.objects.open().filter(claim_id=pk).exists():
            continue
        summary = "; ".join(reasons)
        alert = VerdictAlert.objects.create(claim=claim, reasons=summary[0].upper() + summary[1:])
        transaction.on_commit(lambda alert=alert: notify_reviewers(alert=alert))
        opened.append(alert)
    return opened


def notify_reviewers(*, alert: VerdictAlert) -> int:
    """One email to each Reviewer; returns how many were sent."""
    reviewers = (
        get_user_model()
        .objects.filter(groups__name=REVIEWER_GROUP, is_active=True)
        .exclude(email="")
    )
    address = reverse("admin:factcheck_claim_evidence_review", args=[alert.claim_id])
    sent = 0
    for reviewer in reviewers.distinct():
        sent += send_mail(
            subject=f"New reporting conflicts with the verdict on “{Truncator(alert.claim).chars(80)}”",
            message=(
                f"{alert.reasons}.\n\nClaim: {alert.claim}\n"
                f"Verdict: {alert.claim.get_verdict_display()}\n"
                f"Review the evidence: {settings.SITE_URL}{address}\n"
            ),
            from_email=None,
            recipient_list=[reviewer.email],
        )
    return sent
