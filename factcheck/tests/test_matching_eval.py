"""The claim-matching evaluation runs in CI on the seed corpus (small: 111 folds)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from factcheck.bench.matching_eval import TARGETS, evaluate
from factcheck.matching.index import match_index_rebuild
from factcheck.models import Appearance, ClaimMatchDocument

# pytest-django creates only the databases that marked tests ask for: without the mark,
# this file run on its own would load the seed corpus into no test database at all.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker):
    # The corpus is loaded in a transaction rolled back at the end, so the tests after
    # these find the test database as migrations left it (the roles' groups included).
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "seed_corpus", verbosity=0)
        match_index_rebuild()
        appearances = Appearance.objects.count()
        documents = dict(ClaimMatchDocument.objects.values_list("claim_id", "terms"))
        result = {name: f.summary() for name, f in evaluate().items()}
        # Every fold is rolled back: the corpus and its documents are as they were.
        assert Appearance.objects.count() == appearances
        assert dict(ClaimMatchDocument.objects.values_list("claim_id", "terms")) == documents
        transaction.set_rollback(True)
    return result


def test_every_appearance_is_left_out_once(figures):
    assert figures["matcher"]["loo_appearances"] == 111
    assert figures["matcher"]["cross_language_appearances"] == 25


def test_the_matcher_beats_the_bm25_baseline(figures):
    matcher, baseline = figures["matcher"], figures["bm25 baseline"]

    assert matcher["loo_recall_at_1"] > baseline["loo_recall_at_1"]
    assert matcher["loo_unfiltered_recall_at_1"] > baseline["loo_unfiltered_recall_at_1"]
    assert matcher["false_per_passage"] < baseline["false_per_passage"]
    assert matcher["cross_language_recall_at_1"] > baseline["cross_language_recall_at_1"]


def test_the_figures_do_not_fall_below_those_in_the_readme(figures):
    matcher = figures["matcher"]

    assert matcher["loo_recall_at_1"] >= 0.71
    assert matcher["loo_recall_at_3"] >= 0.83
    assert matcher["loo_unfiltered_recall_at_1"] >= 0.73
    assert matcher["loo_without_links_recall_at_1"] >= 0.22
    assert matcher["cross_language_recall_at_1"] >= 0.84
    assert matcher["story_recall_at_1"] >= 0.87
    assert matcher["story_recall_at_3"] >= 0.9
    assert matcher["story_false_suggestions"] == 0


def test_the_embedding_backend_keeps_its_figures_and_beats_term_overlap_on_recall(figures):
    lexical, blended = figures["matcher"], figures["matcher + USE"]

    assert blended["loo_recall_at_1"] >= 0.748
    assert blended["loo_recall_at_3"] >= 0.856
    assert blended["loo_without_links_recall_at_1"] >= 0.297
    assert blended["cross_language_recall_at_1"] >= 0.88
    assert blended["story_recall_at_1"] >= 0.93
    assert blended["story_recall_at_3"] == 1.0
    assert blended["story_false_suggestions"] == 0
    assert blended["loo_recall_at_3"] > lexical["loo_recall_at_3"]
    assert blended["loo_recall_at_1"] >= lexical["loo_recall_at_1"]


@pytest.mark.parametrize("method", ["matcher", "matcher + USE"])
def test_at_most_one_false_suggestion_per_ten_unrelated_passages(figures, method):
    assert figures[method]["false_per_passage"] <= TARGETS["false_per_passage"]


@pytest.mark.xfail(
    strict=True, reason="README, Claim matching: the issue's recall targets are not met yet"
)
@pytest.mark.parametrize("method", ["matcher", "matcher + USE"])
def test_the_issue_targets(figures, method):
    matcher = figures[method]

    assert matcher["loo_recall_at_1"] >= TARGETS["recall_at_1"]
    assert matcher["loo_recall_at_3"] >= TARGETS["recall_at_3"]
