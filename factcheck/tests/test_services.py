"""The set-based rebuilds must store exactly what the per-claim and per-article services do."""

import pytest

from factcheck import services
from factcheck.agreement import agreement_for_claims
from factcheck.models import DERIVED_AGREEMENT_FIELDS, AgreementLabel, Article, Claim, Stance
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def stored_agreement() -> dict[int, dict]:
    return {
        pk: dict(zip(DERIVED_AGREEMENT_FIELDS, values, strict=True))
        for pk, *values in Claim.objects.values_list("pk", *DERIVED_AGREEMENT_FIELDS)
    }


def recomputed_agreement() -> dict[int, dict]:
    claim_ids = Claim.objects.values_list("pk", flat=True)
    return {
        pk: agreement.as_claim_fields() for pk, agreement in agreement_for_claims(claim_ids).items()
    }


@pytest.fixture
def varied_evidence(retellings, upstream_report):
    """Claims covering every label: retold origins, mixed stances, and no evidence at all."""
    deep = ArticleFactory(retells=retellings[0])
    originals = [ArticleFactory() for _ in range(3)]
    plans = [
        [
            (retellings[0], Stance.SUPPORTS),
            (retellings[1], Stance.SUPPORTS),
            (deep, Stance.REFUTES),
        ],
        [(originals[0], Stance.SUPPORTS), (originals[1], Stance.SUPPORTS)],
        [(originals[0], Stance.REFUTES), (deep, Stance.QUALIFIES)],
        [(originals[2], Stance.QUALIFIES), (originals[1], Stance.MENTIONS)],
        [
            (originals[0], Stance.SUPPORTS),
            (originals[1], Stance.REFUTES),
            (originals[2], Stance.QUALIFIES),
        ],
        [(retellings[0], Stance.SUPPORTS), (retellings[2], Stance.SUPPORTS)],
        [],
    ]
    claims = []
    for plan in plans:
        claim = ClaimFactory()
        for article, stance in plan:
            AppearanceFactory(claim=claim, article=article, stance=stance)
        claims.append(claim)
    return claims


def test_rebuild_stores_what_the_per_claim_computation_gives(varied_evidence):
    expected = recomputed_agreement()
    assert stored_agreement() == expected
    Claim.objects.update(
        agreement_label=AgreementLabel.REFUTED,
        agreement_score=0.25,
        supporting_origins=9,
        appearance_count=0,
        origin_count=0,
    )

    changed = services.claims_rebuild_agreement()

    assert changed == len(varied_evidence)
    assert stored_agreement() == expected
    assert {values["agreement_label"] for values in expected.values()} == set(AgreementLabel)


def test_rebuild_writes_nothing_when_everything_is_current(varied_evidence):
    assert services.claims_rebuild_agreement() == 0


def test_rebuild_scores_a_rounding_tie_like_python():
    # (16 - 15) / (31 + 1) = 0.03125 exactly: Python rounds the tie to even, SQL would not.
    claim = ClaimFactory()
    for stance, count in [(Stance.SUPPORTS, 16), (Stance.REFUTES, 15)]:
        for _ in range(count):
            AppearanceFactory(claim=claim, article=ArticleFactory(), stance=stance)
    Claim.objects.update(agreement_score=None)

    services.claims_rebuild_agreement()

    assert Claim.objects.get(pk=claim.pk).agreement_score == 0.0312


def test_origins_rebuild_follows_chains_of_any_depth(retellings, upstream_report):
    second = ArticleFactory(retells=retellings[0])
    third = ArticleFactory(retells=second)
    original = ArticleFactory()
    Article.objects.update(origin=None)

    changed = services.articles_rebuild_origins()

    assert changed == Article.objects.count()
    origins = dict(Article.objects.values_list("pk", "origin"))
    for article in [*retellings, second, third]:
        assert origins[article.pk] == upstream_report.pk
    assert origins[original.pk] == original.pk
    assert origins[upstream_report.pk] == upstream_report.pk
    assert services.articles_rebuild_origins() == 0
