import pytest

from factcheck import services
from factcheck.agreement import Agreement, agreement_from_evidence, claim_agreement_breakdown
from factcheck.models import AgreementLabel, Claim, Stance
from factcheck.selectors import claim_appearances
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def stored(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize(
    ("supporting", "refuting", "qualifying", "label", "score"),
    [
        (0, 0, 0, AgreementLabel.UNCONFIRMED, None),
        (0, 0, 2, AgreementLabel.UNCONFIRMED, 0.3333),
        (1, 0, 0, AgreementLabel.SINGLE_ORIGIN, 0.5),
        (2, 0, 0, AgreementLabel.CORROBORATED, 0.6667),
        (2, 0, 1, AgreementLabel.CORROBORATED, 0.625),
        (1, 1, 0, AgreementLabel.CONTESTED, 0.0),
        (0, 2, 0, AgreementLabel.REFUTED, -0.6667),
    ],
)
def test_label_and_score_follow_the_documented_scale(
    supporting, refuting, qualifying, label, score
):
    agreement = Agreement(supporting, refuting, qualifying, 0, 0, 0, 0)
    assert agreement.label == label
    assert agreement.score == score


def test_more_agreeing_origins_score_higher():
    scores = [Agreement(n, 0, 0, 0, 0, 0, 0).score for n in range(1, 6)]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert all(score < 1 for score in scores)


def test_evidence_counts_origins_not_articles():
    evidence = [("supports", 1, 9), ("supports", 2, 9), ("supports", 3, 9), ("refutes", 4, 4)]
    agreement = agreement_from_evidence(evidence)
    assert (agreement.supporting, agreement.refuting) == (1, 1)
    assert (agreement.appearances, agreement.articles, agreement.origins) == (4, 4, 2)


def test_three_retellings_of_one_report_are_one_origin(retellings):
    claim = ClaimFactory()
    for article in retellings:
        AppearanceFactory(claim=claim, article=article, stance=Stance.SUPPORTS)

    claim = stored(claim)
    assert claim.article_count == 3
    assert claim.origin_count == 1
    assert claim.supporting_origins == 1
    assert claim.agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_refutation_from_another_origin_makes_it_contested(retellings):
    claim = ClaimFactory()
    for article in retellings:
        AppearanceFactory(claim=claim, article=article)
    AppearanceFactory(claim=claim, article=ArticleFactory(), stance=Stance.REFUTES)

    claim = stored(claim)
    assert claim.origin_count == 2
    assert claim.agreement_label == AgreementLabel.CONTESTED
    assert claim.agreement_score == 0.0


def test_changing_a_stance_refreshes_the_stored_agreement():
    claim = ClaimFactory()
    appearance = AppearanceFactory(claim=claim, stance=Stance.SUPPORTS)
    AppearanceFactory(claim=claim, stance=Stance.SUPPORTS)
    assert stored(claim).agreement_label == AgreementLabel.CORROBORATED

    appearance.stance = Stance.REFUTES
    services.appearance_save(appearance=appearance)
    assert stored(claim).agreement_label == AgreementLabel.CONTESTED

    services.appearance_delete(appearance=appearance)
    assert stored(claim).agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_moving_an_appearance_to_another_claim_refreshes_both():
    first, second = ClaimFactory(), ClaimFactory()
    appearance = AppearanceFactory(claim=first)
    appearance.claim = second
    services.appearance_save(appearance=appearance)
    assert stored(first).appearance_count == 0
    assert stored(first).agreement_label == AgreementLabel.UNCONFIRMED
    assert stored(second).agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_changing_an_upstream_link_updates_every_affected_claim(upstream_report):
    first, second = ArticleFactory(), ArticleFactory()
    # `third` retells `second`: relinking `second` must reach it too.
    third = ArticleFactory(retells=second)
    claim_one, claim_two = ClaimFactory(), ClaimFactory()
    AppearanceFactory(claim=claim_one, article=first)
    AppearanceFactory(claim=claim_one, article=second)
    AppearanceFactory(claim=claim_two, article=first)
    AppearanceFactory(claim=claim_two, article=third)
    assert stored(claim_one).agreement_label == AgreementLabel.CORROBORATED
    assert stored(claim_two).agreement_label == AgreementLabel.CORROBORATED

    second.retells = first
    services.article_save(article=second)

    third.refresh_from_db()
    assert third.origin == first
    for claim in (claim_one, claim_two):
        assert stored(claim).origin_count == 1
        assert stored(claim).agreement_label == AgreementLabel.SINGLE_ORIGIN

    second.retells = None
    services.article_save(article=second)
    assert stored(claim_two).agreement_label == AgreementLabel.CORROBORATED


def test_breakdown_explains_which_articles_retell_which_origin(upstream_report, retellings):
    claim = ClaimFactory()
    for article in retellings:
        AppearanceFactory(claim=claim, article=article)
    independent = ArticleFactory()
    AppearanceFactory(claim=claim, article=independent, stance=Stance.QUALIFIES)

    claim = stored(claim)
    breakdown = claim_agreement_breakdown(claim=claim, appearances=claim_appearances(claim=claim))
    by_origin = {item.origin.pk: item for item in breakdown.origins}
    assert set(by_origin) == {upstream_report.pk, independent.pk}
    assert {a.pk for a in by_origin[upstream_report.pk].articles} == {a.pk for a in retellings}
    assert by_origin[independent.pk].stances == [Stance.QUALIFIES]
    assert breakdown.agreement.label == claim.agreement_label
    assert "Only one independent origin supports" in breakdown.agreement.reason


def test_breakdown_figures_are_the_stored_ones_even_when_stale(client):
    """The claim page once said "Refuted (+0.50): Only one independent origin supports":
    the label stored, the reason recomputed. Every figure now comes from the stored row."""
    claim = ClaimFactory()
    AppearanceFactory(claim=claim)
    Claim.objects.filter(pk=claim.pk).update(
        agreement_label=AgreementLabel.REFUTED, supporting_origins=0, refuting_origins=1
    )
    claim = stored(claim)
    breakdown = claim_agreement_breakdown(claim=claim, appearances=claim_appearances(claim=claim))
    assert breakdown.agreement.label == AgreementLabel.REFUTED
    assert (breakdown.agreement.supporting, breakdown.agreement.refuting) == (0, 1)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Only one independent origin supports" not in page
    assert "At least one independent origin refutes the claim" in page


def test_breakdown_sets_apart_origins_quoted_only_in_their_own_text(upstream_report, retellings):
    claim = ClaimFactory()
    for article in retellings[:2]:
        AppearanceFactory(claim=claim, article=article)
    alone = ArticleFactory()
    original = ArticleFactory()
    retold_original = ArticleFactory(retells=original)
    for article in (alone, original, retold_original):
        AppearanceFactory(claim=claim, article=article)

    claim = stored(claim)
    breakdown = claim_agreement_breakdown(claim=claim, appearances=claim_appearances(claim=claim))
    retold = {item.origin.pk: {a.pk for a in item.articles} for item in breakdown.retold_origins}
    assert retold == {
        upstream_report.pk: {retellings[0].pk, retellings[1].pk},
        # Quoted itself and retold: it keeps its group, itself among its articles.
        original.pk: {original.pk, retold_original.pk},
    }
    assert [item.origin.pk for item in breakdown.self_quoted_origins] == [alone.pk]
    assert len(breakdown.retold_origins) + len(breakdown.self_quoted_origins) == len(
        breakdown.origins
    )
