"""When evidence calls a published verdict into question, and what held changes would do."""

import pytest

from factcheck import services
from factcheck.agreement import Agreement
from factcheck.models import AgreementLabel, Appearance, Claim, Verdict
from factcheck.services.pending import claim_agreement_if_accepted, verdict_conflicts
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.test_evidence_review import an_editor, published_true_claim

pytestmark = pytest.mark.django_db


def agreement(*, supporting=0, refuting=0) -> Agreement:
    origins = supporting + refuting
    return Agreement(supporting, refuting, 0, 0, origins, origins, origins)


def claim_rated(verdict: str, *, reviewed: str = "") -> Claim:
    return Claim(statement="A claim", verdict=verdict, reviewed_agreement_label=reviewed)


@pytest.mark.parametrize("verdict", [Verdict.TRUE, Verdict.MOSTLY_TRUE])
def test_a_new_refuting_origin_conflicts_with_a_true_verdict(verdict):
    reasons = verdict_conflicts(
        claim=claim_rated(verdict),
        before=agreement(supporting=2, refuting=1),
        after=agreement(supporting=2, refuting=2),
    )
    assert reasons == [f"a new independent origin refutes a claim rated “{verdict.label}”"]


@pytest.mark.parametrize("verdict", [Verdict.FALSE, Verdict.MOSTLY_FALSE])
def test_a_new_supporting_origin_conflicts_with_a_false_verdict(verdict):
    reasons = verdict_conflicts(
        claim=claim_rated(verdict),
        before=agreement(refuting=2, supporting=1),
        after=agreement(refuting=2, supporting=2),
    )
    assert reasons == [f"a new independent origin supports a claim rated “{verdict.label}”"]


@pytest.mark.parametrize(
    ("verdict", "before", "after"),
    [
        # The same count of refuting origins is no new refutation.
        (Verdict.TRUE, agreement(supporting=1, refuting=1), agreement(supporting=2, refuting=1)),
        # Refutation was never a conflict for a claim rated false or mixed.
        (Verdict.FALSE, agreement(refuting=1), agreement(refuting=2)),
        (Verdict.MIXED, agreement(supporting=1), agreement(supporting=1, refuting=1)),
        (Verdict.MIXED, agreement(refuting=1), agreement(supporting=1, refuting=1)),
        # Support is no conflict for a true claim.
        (Verdict.TRUE, agreement(supporting=1), agreement(supporting=2)),
    ],
)
def test_evidence_that_agrees_with_the_verdict_raises_nothing(verdict, before, after):
    assert verdict_conflicts(claim=claim_rated(verdict), before=before, after=after) == []


def test_a_label_other_than_the_one_reviewed_is_a_conflict_on_its_own():
    claim = claim_rated(Verdict.MIXED, reviewed=AgreementLabel.SINGLE_ORIGIN)
    reasons = verdict_conflicts(
        claim=claim, before=agreement(supporting=1), after=agreement(supporting=2)
    )
    assert reasons == ["agreement would be “Corroborated”, reviewed as “Single origin”"]
    # Back to the label reviewed, or unchanged by this write: nothing to say.
    assert (
        verdict_conflicts(
            claim=claim, before=agreement(supporting=2), after=agreement(supporting=1)
        )
        == []
    )
    assert (
        verdict_conflicts(
            claim=claim, before=agreement(supporting=2), after=agreement(supporting=3)
        )
        == []
    )


def test_held_removals_and_moves_count_in_the_forecast():
    claim = published_true_claim()
    second = AppearanceFactory(claim=claim, article=ArticleFactory())
    other = ClaimFactory()
    editor = an_editor()
    assert claim_agreement_if_accepted(claim=claim).supporting == 2

    services.appearance_delete(appearance=claim.appearances.order_by("pk").first(), user=editor)
    assert claim_agreement_if_accepted(claim=claim).supporting == 1

    moved = Appearance.objects.get(pk=second.pk)
    moved.claim = other
    services.appearance_save(appearance=moved, user=editor)
    forecast = claim_agreement_if_accepted(claim=claim)
    assert (forecast.supporting, forecast.appearances) == (0, 0)
    assert claim.appearances.count() == 2  # readers still see both
    # The claim it moves to counts it, once accepted.
    assert claim_agreement_if_accepted(claim=other).supporting == 1
    assert other.appearances.count() == 0
