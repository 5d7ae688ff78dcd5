import dataclasses
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factcheck import services
from factcheck.agreement import agreement_for_claims
from factcheck.bench.synthetic import (
    BENCHMARK_CLAIM_APPEARANCES,
    BENCHMARK_CLAIM_SLUG,
    CORPUS_MODELS,
)
from factcheck.models import (
    DERIVED_AGREEMENT_FIELDS,
    Appearance,
    Article,
    Claim,
    Contradiction,
    Outlet,
)

pytestmark = pytest.mark.django_db

TINY = {"outlets": 6, "articles": 90, "claims": 40, "appearances": 700, "contradictions": 25}


def generate(**options):
    call_command("generate_corpus", scale="small", **{**TINY, **options})


def fingerprint() -> str:
    digest = hashlib.sha256()
    for model in CORPUS_MODELS:
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*names):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def empty_corpus_tables():
    with connection.cursor() as cursor:
        for model in reversed(CORPUS_MODELS):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def test_generates_the_requested_counts():
    generate()

    assert Outlet.objects.count() == TINY["outlets"]
    assert Article.objects.count() == TINY["articles"]
    assert Claim.objects.count() == TINY["claims"]
    assert Appearance.objects.count() == TINY["appearances"]
    assert Contradiction.objects.count() == TINY["contradictions"]


def test_every_quote_is_the_span_its_offsets_name():
    generate()

    appearances = Appearance.objects.select_related("article")
    for appearance in appearances:
        text = appearance.article.text
        assert text[appearance.start : appearance.end] == appearance.quote
        assert text[: appearance.start].endswith(appearance.prefix)
        assert text[appearance.end :].startswith(appearance.suffix)
        assert appearance.article.is_archived
    assert all(
        2000 <= len(text) <= 7000
        for text in Article.objects.archived().values_list("text", flat=True)
    )
    assert set(Article.objects.values_list("language", flat=True)) == {"it", "en"}


def test_origins_and_agreement_match_a_fresh_recomputation():
    generate()

    assert Article.objects.exclude(retells=None).exists()
    assert Article.objects.filter(is_archived=False).exists()
    assert services.articles_rebuild_origins() == 0
    for article in Article.objects.select_related("retells"):
        assert article.origin_id == article.find_origin().pk
    fresh = agreement_for_claims(Claim.objects.values_list("pk", flat=True))
    for claim in Claim.objects.all():
        stored = {name: getattr(claim, name) for name in DERIVED_AGREEMENT_FIELDS}
        assert stored == fresh[claim.pk].as_claim_fields()


def test_the_benchmark_claim_has_exactly_its_appearances():
    generate()

    claim = Claim.objects.get(slug=BENCHMARK_CLAIM_SLUG)
    assert claim.is_public
    assert claim.appearances.count() == BENCHMARK_CLAIM_APPEARANCES
    assert claim.appearance_count == BENCHMARK_CLAIM_APPEARANCES


def test_contradictions_are_unique_unordered_pairs():
    generate()

    pairs = [frozenset(pair) for pair in Contradiction.objects.values_list("claim_a", "claim_b")]
    assert all(len(pair) == 2 for pair in pairs)
    assert len(set(pairs)) == len(pairs)


def test_refuses_a_database_that_holds_data():
    generate()

    with pytest.raises(CommandError, match="--append"):
        generate()
    assert Claim.objects.count() == TINY["claims"]


def test_append_adds_a_second_corpus_beside_the_first():
    generate()
    generate(append=True, seed=2)

    assert Claim.objects.count() == 2 * TINY["claims"]
    assert Claim.objects.filter(slug=BENCHMARK_CLAIM_SLUG).count() == 1
    fresh = agreement_for_claims(Claim.objects.values_list("pk", flat=True))
    for claim in Claim.objects.all():
        assert claim.appearance_count == fresh[claim.pk].appearances


def test_the_same_seed_gives_the_same_corpus():
    generate(seed=7)
    first = fingerprint()
    empty_corpus_tables()
    generate(seed=7)
    assert fingerprint() == first
    empty_corpus_tables()
    generate(seed=8)
    assert fingerprint() != first


def test_scale_overrides_apply_to_the_named_count_only():
    from factcheck.bench.synthetic import SCALES

    assert dataclasses.replace(SCALES["small"], claims=3).articles == SCALES["small"].articles
