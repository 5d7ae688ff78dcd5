"""Near-duplicates: reprints of stored articles are found by their signatures, through the
band index, with the passages they share; articles on the same topic are not."""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import services
from factcheck.bench.management.commands.build_seed_fixture import SEEDS
from factcheck.intake import duplicates
from factcheck.intake.duplicates import (
    FLAG_SIMILARITY,
    articles_rebuild_signatures,
    near_duplicates,
    signature_save,
)
from factcheck.models import Article, ArticleBand, ArticleSignature
from factcheck.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEED_ARTICLE = {"000": 3, "001": 4, "002": 5, "003": 6, "004": 7}  # pks in the fixture


@pytest.fixture
def corpus():
    call_command("loaddata", "seed_corpus", verbosity=0)


def reprint_of_000(text: str) -> str:
    """What a syndicating site makes of it: a new headline, a few words changed, and the
    closing paragraph (where the original ends with its own footer line) dropped."""
    paragraphs = text.split("\n\n")
    body = "\n\n".join(paragraphs[1:-1])
    for before, after in [
        ("i colossi Alibaba e ByteDance", "i giganti Alibaba e ByteDance"),
        ("riducendo velocemente", "riducendo rapidamente"),
        ("Singapore e Malesia", "Malesia e Singapore"),
        ("spagliato le carte in tavola", "rimescolato le carte"),
    ]:
        assert before in body
        body = body.replace(before, after)
    return "Pechino manda l’intelligenza artificiale a studiare all’estero\n\n" + body


def test_a_reprint_of_a_seed_article_is_flagged_with_the_passages_it_shares(corpus):
    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    reprint = reprint_of_000(original.text)

    found = near_duplicates(reprint, language="it")

    assert [item.article_id for item in found] == [original.pk]
    (match,) = found
    assert match.similarity >= 0.8
    assert match.shared, "the passages both texts share are shown"
    for passage in match.shared:
        shown = reprint[passage.start : passage.end]
        assert shown == original.text[passage.other_start : passage.other_end]
        assert len(shown.split()) >= duplicates.SHINGLE_WORDS + 1
    # The shared passages cover most of the reprint: it is the original, lightly edited.
    covered = sum(passage.end - passage.start for passage in match.shared)
    assert covered > 0.8 * len(reprint)


def test_a_reprint_that_drops_the_original_footer_is_flagged(corpus):
    """004 as captured keeps its footer (follow us, advertising, photo credit); the reprint
    has a new headline, a few words changed and no footer."""
    seed = SEEDS / "004_51cb4625f0d6bf1f.txt"
    if not seed.exists():
        pytest.skip(f"No seed texts at {SEEDS}.")
    full_capture = seed.read_text(encoding="utf-8")
    original = ArticleFactory(text=full_capture, title="", outlet=None)
    lines = full_capture.split("\n")[:15]
    reprint = "Nvidia, i cinesi trovano la via dei chip all’estero\n" + "\n".join(lines)
    for before, after in [("sofisticati", "avanzati"), ("intermediari", "terze parti")]:
        reprint = reprint.replace(before, after)

    found = {item.article_id: item.similarity for item in near_duplicates(reprint)}

    assert found[original.pk] >= 0.8
    # The seed article 004 (its text without the footer) is as much a copy.
    assert found[SEED_ARTICLE["004"]] >= 0.8
    assert set(found) == {original.pk, SEED_ARTICLE["004"]}


def test_articles_on_the_same_topic_are_not_flagged(corpus):
    """000, 001 and 003 all retell one Financial Times report in their own words."""
    for key, pk in SEED_ARTICLE.items():
        text = Article.objects.get(pk=pk).text
        found = [item.article_id for item in near_duplicates(text, exclude=pk)]
        assert found == [], key


def test_an_article_finds_itself_unless_excluded(corpus):
    text = Article.objects.get(pk=SEED_ARTICLE["001"]).text
    (itself,) = near_duplicates(text)
    assert (itself.article_id, itself.similarity) == (SEED_ARTICLE["001"], 1.0)
    assert near_duplicates(text, exclude=SEED_ARTICLE["001"]) == []


def test_a_lookup_is_three_queries_however_many_articles(corpus):
    rng = random.Random(1)
    words = Article.objects.get(pk=SEED_ARTICLE["002"]).text.split()
    for _ in range(30):
        ArticleFactory(text=" ".join(rng.choices(words, k=120)))
    reprint = reprint_of_000(Article.objects.get(pk=SEED_ARTICLE["000"]).text)
    with CaptureQueriesContext(connection) as ran:
        found = near_duplicates(reprint)
    assert [item.article_id for item in found] == [SEED_ARTICLE["000"]]
    assert len(ran.captured_queries) == 3
    # The first asks the band index, the others read only the candidates found there.
    assert "factcheck_articleband" in ran.captured_queries[0]["sql"]
    assert all("IN (" in query["sql"] for query in ran.captured_queries[1:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_band_lookup_uses_the_band_index(corpus):
    reprint = reprint_of_000(Article.objects.get(pk=SEED_ARTICLE["000"]).text)
    with CaptureQueriesContext(connection) as ran:
        near_duplicates(reprint)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + ran.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_band_lookup_idx" in plan
    assert "Seq Scan" not in plan


def test_signatures_follow_the_article_text_through_the_services(db):
    article = ArticleFactory(text="Prima versione del testo, con abbastanza parole per le tegole.")
    first = bytes(ArticleSignature.objects.get(article=article).minhash)
    assert ArticleBand.objects.filter(article=article).count() == duplicates.BANDS

    article.text = "Una versione corretta del testo, tutta diversa dalla prima davvero."
    services.article_save(article=article, expected_version=article.version)
    assert bytes(ArticleSignature.objects.get(article=article).minhash) != first
    assert near_duplicates(article.text)[0].article_id == article.pk

    article.is_archived, article.text = False, ""
    services.article_save(article=article, expected_version=article.version)
    assert not ArticleSignature.objects.filter(article=article).exists()
    assert not ArticleBand.objects.filter(article=article).exists()


def test_an_upstream_report_without_text_has_no_signature(upstream_report):
    assert not ArticleSignature.objects.filter(article=upstream_report).exists()
    signature_save(article=upstream_report)
    assert not ArticleSignature.objects.exists()


def test_a_text_without_words_matches_nothing(corpus):
    assert near_duplicates("— … !!! ***") == []
    assert near_duplicates("") == []


def test_the_bulk_rebuild_writes_what_saving_one_by_one_writes(corpus):
    saved = {
        row.article_id: (bytes(row.minhash), row.shingles) for row in ArticleSignature.objects.all()
    }
    bands = set(ArticleBand.objects.values_list("article_id", "band", "hash"))
    assert set(saved) == set(SEED_ARTICLE.values())

    ArticleBand.objects.all().delete()
    ArticleSignature.objects.all().delete()
    assert articles_rebuild_signatures() == 5

    rebuilt = {
        row.article_id: (bytes(row.minhash), row.shingles) for row in ArticleSignature.objects.all()
    }
    assert rebuilt == saved
    assert set(ArticleBand.objects.values_list("article_id", "band", "hash")) == bands

    assert articles_rebuild_signatures(article_ids=[SEED_ARTICLE["002"]]) == 1
    assert ArticleBand.objects.count() == len(bands)


def test_similarity_is_containment_for_a_cut_down_copy():
    # Half of a long text, copied: Jaccard 0.5, but all of the copy is the original's.
    assert duplicates.similarity_estimate(0.5, 100, 200) == 1.0
    # Two texts sharing half their shingles each: alike, and neither contains the other.
    assert duplicates.similarity_estimate(0.45, 200, 200) == pytest.approx(0.6207, abs=1e-3)
    # A short text sharing set phrases with a long one is not "contained" in it.
    assert duplicates.similarity_estimate(0.2, 100, 400) == 0.2
    # Too short for containment to mean anything: Jaccard alone.
    assert duplicates.similarity_estimate(0.45, 10, 400) == 0.45
    assert FLAG_SIMILARITY > 0.45
