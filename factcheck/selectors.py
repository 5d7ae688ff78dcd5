"""Reads that pages share, already shaped so that rendering them adds no queries."""

from django.db.models import QuerySet

from factcheck.models import Appearance, Claim


def claim_appearances(*, claim: Claim) -> QuerySet[Appearance]:
    return (
        Appearance.objects.filter(claim=claim)
        .select_related("article__outlet", "article__origin__outlet")
        .order_by("article__published_on", "article_id", "start")
    )
