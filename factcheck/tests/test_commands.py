import pytest
from django.core.management import call_command

from factcheck.models import AgreementLabel, Article, Claim
from factcheck.tests.factories import AppearanceFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def test_refresh_agreement_repairs_rows_written_raw(retellings, upstream_report):
    appearance = AppearanceFactory(article=retellings[0])
    # Two retellings of one report: counted as two origins unless origins are repaired first.
    AppearanceFactory(claim=appearance.claim, article=retellings[1])
    AppearanceFactory(claim=appearance.claim, article=ArticleFactory())
    # Simulate a raw load that left derived state stale.
    Article.objects.filter(pk__in=[a.pk for a in retellings]).update(origin=None)
    Claim.objects.update(agreement_label=AgreementLabel.REFUTED, origin_count=0)

    call_command("refresh_agreement")

    assert set(
        Article.objects.filter(retells=upstream_report).values_list("origin", flat=True)
    ) == {upstream_report.pk}
    claim = Claim.objects.get(pk=appearance.claim_id)
    assert claim.agreement_label == AgreementLabel.CORROBORATED
    assert (claim.article_count, claim.origin_count) == (3, 2)
