"""The set-based agreement rebuild on evidence the feature tests do not build: several
quotes of one claim in one article."""

from factcheck import services
from factcheck.agreement import agreement_for_claims
from factcheck.models import Claim, Stance
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory


def test_rebuild_counts_an_article_quoted_twice_once():
    claim = ClaimFactory()
    article = ArticleFactory()
    AppearanceFactory(claim=claim, article=article, quote="Huawei collabora con DeepSeek")
    AppearanceFactory(claim=claim, article=article, quote="DeepSeek addestra i suoi modelli")
    AppearanceFactory(claim=claim, article=ArticleFactory(), stance=Stance.QUALIFIES)
    Claim.objects.update(article_count=0, appearance_count=0, origin_count=0)

    assert services.claims_rebuild_agreement() == 1

    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.appearance_count, stored.article_count, stored.origin_count) == (3, 2, 2)
    expected = agreement_for_claims([claim.pk])[claim.pk]
    assert (expected.appearances, expected.articles, expected.origins) == (3, 2, 2)
