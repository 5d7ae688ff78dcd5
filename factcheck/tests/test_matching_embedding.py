"""The embedding backend: statement vectors stored on the write path, and ranking by meaning."""

import numpy as np
import pytest
from django.urls import reverse

from factcheck import services
from factcheck.matching import EMBEDDING_THRESHOLD, THRESHOLD, current_threshold, passages_rank
from factcheck.matching.embedding import MODEL_NAME, texts_encode
from factcheck.models import ClaimEmbedding, ReviewStatus
from factcheck.tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

STOCKPILE = "DeepSeek stockpiled Nvidia chips before the ban"
# Shorter, so term overlap alone, which finds only the same two names in both, prefers it.
SELLS = "Nvidia sells DeepSeek servers"
ITALIAN = "DeepSeek aveva accumulato scorte di processori Nvidia prima del divieto."


@pytest.fixture
def use_backend(settings):
    settings.CLAIM_MATCHING_BACKEND = "lexical+use"


@pytest.fixture
def claims(db):
    for statement in [
        "Malaysia hosts new data centres",
        "Singapore tightened its export controls",
        "Alibaba trains models in Southeast Asia",
        "ByteDance rents computing power abroad",
        "Huawei sends engineers to Hangzhou",
        "The ban came in April 2025",
    ]:
        ClaimFactory(statement=statement)
    return ClaimFactory(statement=STOCKPILE), ClaimFactory(statement=SELLS)


def ranked_slugs(text, language, *, use_embeddings):
    ranked = passages_rank([text], language=language, use_embeddings=use_embeddings, threshold=1e-9)
    return [candidate.claim.slug for candidate in ranked[0]]


def test_an_italian_passage_ranks_the_claim_it_states_first_only_with_the_backend(claims):
    stockpile, sells = claims

    assert ranked_slugs(ITALIAN, "it", use_embeddings=False)[0] == sells.slug
    assert ranked_slugs(ITALIAN, "it", use_embeddings=True)[0] == stockpile.slug


def test_the_backend_setting_chooses_the_threshold(settings):
    settings.CLAIM_MATCHING_BACKEND = "lexical"
    assert current_threshold() == THRESHOLD
    settings.CLAIM_MATCHING_BACKEND = "lexical+use"
    assert current_threshold() == EMBEDDING_THRESHOLD
    settings.CLAIM_MATCHING_BACKEND = "words"
    with pytest.raises(ValueError):
        current_threshold()


def test_saving_a_claim_stores_its_statement_vector_and_a_new_statement_replaces_it(use_backend):
    claim = ClaimFactory(statement=STOCKPILE, status=ReviewStatus.DRAFT)
    stored = ClaimEmbedding.objects.get(claim=claim)
    vector = np.frombuffer(bytes(stored.vector), dtype=np.float16).astype(np.float32)

    assert stored.model == MODEL_NAME
    assert np.dot(vector, texts_encode([STOCKPILE])[0]) > 0.99

    claim.statement = SELLS
    services.claim_save(claim=claim)
    changed = ClaimEmbedding.objects.get(claim=claim)
    vector = np.frombuffer(bytes(changed.vector), dtype=np.float16).astype(np.float32)

    assert changed.digest != stored.digest
    assert np.dot(vector, texts_encode([SELLS])[0]) > 0.99


def test_the_lexical_backend_stores_no_vectors(settings, db):
    settings.CLAIM_MATCHING_BACKEND = "lexical"
    ClaimFactory(statement=STOCKPILE)

    assert not ClaimEmbedding.objects.exists()


def test_a_claim_without_a_stored_vector_is_still_ranked_by_meaning(claims):
    # Saved with the lexical backend: no vectors stored, the ranking computes them.
    assert not ClaimEmbedding.objects.exists()
    stockpile, _ = claims

    assert ranked_slugs(ITALIAN, "it", use_embeddings=True)[0] == stockpile.slug
    assert not ClaimEmbedding.objects.exists()


def test_scores_with_the_backend_stay_in_the_unit_interval_and_above_its_threshold(
    use_backend, claims
):
    english = "Before the ban, DeepSeek had stockpiled Nvidia chips."
    ranked = passages_rank([english], language="en")[0]

    assert ranked and ranked[0].claim == claims[0]
    assert all(EMBEDDING_THRESHOLD <= c.score <= 1 for c in ranked)


@pytest.mark.parametrize("backend", ["lexical", "lexical+use"])
def test_the_desk_states_the_threshold_of_the_backend_in_use(backend, settings, admin_client):
    settings.CLAIM_MATCHING_BACKEND = backend
    article = ArticleFactory(text="Nothing here states a claim.")

    page = admin_client.get(reverse("admin:factcheck_article_desk", args=[article.pk]))

    assert f"score above {current_threshold():.2f}" in page.content.decode()
