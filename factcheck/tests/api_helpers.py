"""What the API tests share: the address of every endpoint."""

from django.urls import reverse


def endpoint_urls(corpus) -> dict[str, str]:
    """One address per endpoint, reading records of `corpus` (a ReaderCorpus)."""
    return {
        "claim_list": reverse("api:claim-list"),
        "claim_list_sorted": reverse("api:claim-list") + "?sort=-agreement",
        "claim_detail": reverse("api:claim-detail", kwargs={"slug": corpus.claim.slug}),
        "article_list": reverse("api:article-list"),
        "article_detail": reverse("api:article-detail", kwargs={"pk": corpus.article.pk}),
        "upstream_article": reverse("api:article-detail", kwargs={"pk": corpus.upstream.pk}),
        "outlet_list": reverse("api:outlet-list"),
        "outlet_detail": reverse("api:outlet-detail", kwargs={"slug": corpus.outlet.slug}),
        "contradiction_list": reverse("api:contradiction-list"),
        "correction_list": reverse("api:correction-list"),
    }
