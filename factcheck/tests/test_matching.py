"""Suggested claims: cross-language ranking, the stored documents and the command."""

import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from factcheck import services
from factcheck.matching import (
    THRESHOLD,
    _document_total,
    _prepared,
    _prepared_text,
    _Query,
    _rarest_words,
    article_suggestions,
    passage_candidates,
    passages_rank,
)
from factcheck.matching.index import match_index_rebuild, scored_units
from factcheck.models import AnchorStatus, Article, Claim, ClaimMatchDocument, MatchTerm
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)
    match_index_rebuild()


def first_slug(text: str, language: str) -> str | None:
    candidates = passage_candidates(text, language=language)
    return candidates[0].claim.slug if candidates else None


@pytest.mark.parametrize(
    ("italian", "english", "slug"),
    [
        (
            "Singapore e la Malesia sono diventate le mete preferite delle aziende cinesi "
            "che addestrano i loro modelli all'estero.",
            "Singapore and Malaysia have become the favourite destinations of Chinese "
            "companies training their models abroad.",
            "singapore-and-malaysia-main-destinations",
        ),
        (
            "Huawei manda i suoi ingegneri a lavorare nella sede di DeepSeek a Hangzhou.",
            "Huawei sends its engineers to work at the DeepSeek offices in Hangzhou.",
            "huawei-sends-engineers-to-deepseek",
        ),
    ],
)
def test_italian_and_english_passages_rank_the_same_english_claim_first(
    seed, italian, english, slug
):
    assert first_slug(italian, "it") == slug
    assert first_slug(english, "en") == slug


def test_an_unrelated_passage_sharing_words_gets_no_suggestion(seed):
    text = "A snack maker has opened a new factory in Malaysia to make potato chips."

    assert passage_candidates(text, language="en") == []


def test_candidates_are_ranked_and_above_the_threshold(seed):
    article = Article.objects.get(pk=5)

    passages = article_suggestions(article=article)

    assert [p.text for p in passages] == [article.text[p.start : p.end] for p in passages]
    scored = [c.score for p in passages for c in p.candidates]
    assert scored and all(THRESHOLD <= score <= 1 for score in scored)
    for passage in passages:
        scores = [c.score for c in passage.candidates]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 5


def test_a_claim_already_linked_to_a_passage_is_not_suggested_for_it(seed):
    article = Article.objects.get(pk=5)
    for passage in article_suggestions(article=article):
        linked = set(
            article.appearances.filter(start__lt=passage.end, end__gt=passage.start).values_list(
                "claim_id", flat=True
            )
        )
        assert not linked & {c.claim.pk for c in passage.candidates}


def test_the_document_follows_every_write_of_claim_and_evidence(db):
    article = ArticleFactory()
    claim = ClaimFactory(
        statement="Huawei works with DeepSeek on new semiconductors",
        status="draft",
        verdict="unrated",
    )
    appearance = AppearanceFactory(
        claim=claim,
        article=article,
        quote="Huawei collabora con DeepSeek sui nuovi semiconduttori",
        translation="Huawei works with DeepSeek on the new semiconductors",
    )

    def unit_kinds():
        units = ClaimMatchDocument.objects.get(claim=claim).units
        return sorted((unit[1], unit[2]) for unit in units)

    assert unit_kinds() == [
        ("quote", appearance.pk),
        ("statement", None),
        ("translation", appearance.pk),
    ]
    claim.statement = "Huawei and DeepSeek build chips together"
    services.claim_save(claim=claim)
    assert "togeth" in ClaimMatchDocument.objects.get(claim=claim).terms.split()

    services.appearance_delete(appearance=appearance)
    assert unit_kinds() == [("statement", None)]

    incremental = dict(MatchTerm.objects.values_list("term", "documents"))
    match_index_rebuild()
    assert incremental == dict(MatchTerm.objects.values_list("term", "documents"))


def test_overlapping_quotes_of_two_claims_share_their_common_words(db):
    article = ArticleFactory()
    trains = AppearanceFactory(
        article=article,
        quote="DeepSeek addestra i suoi modelli in Cina",
        translation="DeepSeek trains its models in China",
    )
    stock = AppearanceFactory(
        article=article,
        quote="in Cina grazie alle scorte di chip Nvidia",
        translation="in China thanks to its stock of Nvidia chips",
    )

    def shared(claim):
        units = ClaimMatchDocument.objects.get(claim=claim).units
        return {unit[1]: (unit[4], unit[5]) for unit in units if unit[2] is not None}

    assert shared(trains.claim) == {
        "quote": (["cina"], [stock.claim_id]),
        "translation": (["china"], [stock.claim_id]),
    }
    assert shared(stock.claim)["quote"] == (["cina"], [trains.claim_id])

    # Deleting one quote refreshes the document of the claim it overlapped as well.
    services.appearance_delete(appearance=stock)

    assert shared(trains.claim) == {"quote": ([], []), "translation": ([], [])}


def test_an_italian_passage_meets_an_english_statement_through_cognates(db):
    """No quote is translated, so no word pair is learned: only the spellings meet."""
    claim = ClaimFactory(
        statement="Analysts expect a million processors to be shipped",
        status="draft",
        verdict="unrated",
    )
    ClaimFactory(statement="Unrelated things happen in Oslo every winter")

    found = passage_candidates(
        "Gli analisti prevedono la spedizione di un milione di processori.", language="it"
    )

    assert [c.claim for c in found] == [claim]


def test_deleting_a_claim_forgets_its_terms(db):
    claim = ClaimFactory(statement="Zanzibar exports cloves", status="draft", verdict="unrated")
    assert MatchTerm.objects.filter(term="zanzibar").exists()

    services.claim_delete(claim=claim)

    assert not ClaimMatchDocument.objects.filter(claim_id=claim.pk).exists()
    assert not MatchTerm.objects.filter(term="zanzibar").exists()


def test_claims_in_every_status_are_candidates(db):
    draft = ClaimFactory(
        statement="Zanzibar exports most of the world's cloves",
        status="draft",
        verdict="unrated",
    )
    ClaimFactory(statement="Unrelated things happen in Oslo every winter")

    found = passage_candidates("Zanzibar exports most of the world's cloves.", language="en")

    assert [c.claim for c in found] == [draft]


def test_suggestions_for_an_article_take_a_fixed_number_of_queries(seed, django_assert_num_queries):
    article = Article.objects.get(pk=5)
    # appearances, word pairs, cognates, document count, term counts, documents, the
    # quotes of its linked claims elsewhere with their text around, those articles' links, claims
    with django_assert_num_queries(9):
        passages = article_suggestions(article=article)
    assert any(p.candidates for p in passages)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_a_large_corpus_finds_candidates_from_the_index_in_one_query(
    seed, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("factcheck.matching.SCORE_EVERY_DOCUMENT_UP_TO", 0)
    italian = "Huawei manda i suoi ingegneri a lavorare nella sede di DeepSeek a Hangzhou."

    # word pairs, cognates, document count, term counts, candidates with their units, claims
    with django_assert_num_queries(6):
        slug = first_slug(italian, "it")
    assert slug == "huawei-sends-engineers-to-deepseek"


def test_scored_units_hold_each_distinct_unit_once_without_ids():
    units = [
        ["en", "statement", None, ["huawei", "engin"], [], []],
        ["it", "quote", 7, ["huawei", "ingegner", "huawei"], ["huawei"], [3]],
        # A syndicated copy, its terms in another order: the same unit.
        ["it", "quote", 8, ["ingegner", "huawei"], ["huawei"], [3]],
        # Built before shared terms were kept.
        ["en", "translation", 7, ["huawei", "engin"]],
    ]

    assert scored_units(units) == (
        "en\tstatement\thuawei engin\t\nit\tquote\thuawei ingegner\thuawei\n"
        "en\ttranslation\thuawei engin\t"
    )
    assert _prepared_text(scored_units(units)) == _prepared(units)


def test_every_stored_document_scores_its_scored_units_as_its_units(seed):
    documents = ClaimMatchDocument.objects.all()

    assert documents
    for document in documents:
        assert document.scored_units
        assert set(_prepared_text(document.scored_units)) == set(_prepared(document.units))


@pytest.mark.parametrize("indexed", [False, True])
def test_documents_built_before_scored_units_are_scored_from_their_units(
    seed, monkeypatch, indexed
):
    if indexed:
        if connection.vendor != "postgresql":
            pytest.skip("the GIN index is PostgreSQL's")
        monkeypatch.setattr("factcheck.matching.SCORE_EVERY_DOCUMENT_UP_TO", 0)
    texts = [
        "Huawei manda i suoi ingegneri a lavorare nella sede di DeepSeek a Hangzhou.",
        "Singapore e la Malesia sono diventate le mete preferite delle aziende cinesi "
        "che addestrano i loro modelli all'estero.",
    ]

    def ranked():
        return [
            [(c.claim.slug, c.score) for c in candidates]
            for candidates in passages_rank(texts, language="it")
        ]

    scored = ranked()
    ClaimMatchDocument.objects.update(scored_units="")

    assert scored[0]
    assert ranked() == scored


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
def test_a_large_corpus_takes_its_document_total_from_the_last_analyse(seed, monkeypatch):
    analysed = ClaimMatchDocument.objects.count()
    gone = list(ClaimMatchDocument.objects.values_list("pk", flat=True)[:3])
    ClaimMatchDocument.objects.filter(pk__in=gone).delete()

    # A small corpus is counted; a large one is not counted again on every article.
    assert _document_total() == analysed - 3
    monkeypatch.setattr("factcheck.matching.SCORE_EVERY_DOCUMENT_UP_TO", 0)
    assert _document_total() == analysed


def test_the_index_is_asked_for_pairs_of_different_words_each_as_its_rarest_term():
    # "economia" stands for itself and, as a cognate, for "economy"; "dat" for "data".
    query = _Query(
        native={"economia", "dat", "govern"},
        english={"economia": 0.9, "economy": 0.72, "dat": 0.9, "data": 0.8, "govern": 0.9},
        source={"economy": "economia", "data": "dat"},
    )
    counts = {"economia": 500, "economy": 10, "dat": 50, "data": 20, "govern": 30}

    # A word and its own cognate are one piece of evidence: pairing them finds no candidate.
    assert _rarest_words(query, counts) == ["economy", "data", "govern"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_passages_asking_the_index_the_same_terms_each_get_their_candidates(seed, monkeypatch):
    monkeypatch.setattr("factcheck.matching.SCORE_EVERY_DOCUMENT_UP_TO", 0)
    english = "Huawei sends its engineers to work at the DeepSeek offices in Hangzhou."
    other = "Singapore and Malaysia have become the favourite destinations of Chinese companies."

    ranked = passages_rank([english, other, english], language="en")

    firsts = [candidates[0].claim.slug if candidates else None for candidates in ranked]
    assert firsts[0] == firsts[2] == "huawei-sends-engineers-to-deepseek"
    assert firsts[1] not in (None, "huawei-sends-engineers-to-deepseek")


def test_suggest_claims_prints_the_interface_json(seed, capsys):
    call_command("suggest_claims", "5", "--json")

    output = json.loads(capsys.readouterr().out)
    assert set(output) == {"article", "passages"} and output["article"] == 5
    text = Article.objects.get(pk=5).text
    statuses = dict(Claim.objects.values_list("slug", "status"))
    seen = Counter()
    for passage in output["passages"]:
        assert set(passage) == {"start", "end", "text", "candidates"}
        assert text[passage["start"] : passage["end"]] == passage["text"]
        assert len(passage["candidates"]) <= 5
        for candidate in passage["candidates"]:
            assert set(candidate) == {"claim", "score", "status"}
            assert statuses[candidate["claim"]] == candidate["status"]
            assert isinstance(candidate["score"], float)
            seen[candidate["claim"]] += 1
    assert seen


def test_suggest_claims_lists_readably(seed, capsys):
    call_command("suggest_claims", "5")

    output = capsys.readouterr().out
    assert output.startswith("Article 5:") and "(Published)" in output


@pytest.mark.parametrize(
    ("argument", "message"),
    [("999999", "There is no article with id 999999."), ("abc", "is not an article id")],
)
def test_suggest_claims_refuses_an_unknown_article(db, argument, message):
    with pytest.raises(CommandError, match=message):
        call_command("suggest_claims", argument)


def test_an_orphaned_quote_without_offsets_does_not_break_the_suggestions(seed):
    article = Article.objects.get(pk=5)
    orphaned = article.appearances.order_by("pk").first()
    # What re-anchoring leaves when a correction deletes the quoted passage.
    type(orphaned).objects.filter(pk=orphaned.pk).update(
        start=None, end=None, anchor_status=AnchorStatus.ORPHANED
    )

    passages = article_suggestions(article=article)

    assert [p.text for p in passages] == [article.text[p.start : p.end] for p in passages]


def test_claims_other_articles_link_in_one_sentence_with_a_linked_claim_gain(db):
    """Claims stated together: linking one claim to a passage lifts the claims that
    other articles link in the same sentence with it, and only those."""
    exports = ClaimFactory(statement="Zanzibar exports its cloves to Oman")
    dhows = ClaimFactory(statement="Zanzibar cloves travel to Oman by dhow")
    harvest = ClaimFactory(statement="Zanzibar cloves are harvested for Oman in August")
    ferries = ClaimFactory(statement="Ferries leave Stone Town at dawn")
    other = ArticleFactory(
        language="en",
        text=(
            "Zanzibar sends its cloves to Oman, and they go by dhow; ferries leave at dawn. "
            "The harvest for Oman comes in August."
        ),
    )
    for claim, quote in [
        (exports, "Zanzibar sends its cloves to Oman"),
        (dhows, "they go by dhow"),
        (ferries, "ferries leave at dawn"),
        (harvest, "The harvest for Oman comes in August"),
    ]:
        AppearanceFactory(article=other, claim=claim, quote=quote, translation="")
    article = ArticleFactory(language="en", text="Zanzibar cloves reach Oman by dhow.")
    passage = article.text

    def scores(linked):
        [ranked] = passages_rank(
            [passage], language="en", excluded=[linked], threshold=1e-9, article_id=article.pk
        )
        return {c.claim: c.score for c in ranked}

    alone, linked = scores(set()), scores({exports.pk})

    # Another article states "dhows" with "exports": half of its gap to 1 is closed.
    assert linked[dhows] == pytest.approx(alone[dhows] + 0.5 * (1 - alone[dhows]), abs=1e-3)
    # Linked in that article too, but in another sentence: no gain.
    assert linked[harvest] == alone[harvest]
    # Stated together with "exports", but sharing no word with the passage: no candidate.
    assert ferries not in linked
    assert exports not in linked


def test_the_passage_own_article_does_not_count_as_stating_claims_together(db):
    exports = ClaimFactory(statement="Zanzibar exports its cloves to Oman")
    dhows = ClaimFactory(statement="Zanzibar cloves travel to Oman by dhow")
    article = ArticleFactory(
        language="en",
        text="Zanzibar cloves reach Oman by dhow. Zanzibar sends its cloves to Oman by dhow.",
    )
    AppearanceFactory(
        article=article, claim=exports, quote="Zanzibar sends its cloves to Oman", translation=""
    )
    AppearanceFactory(article=article, claim=dhows, quote="cloves to Oman by dhow", translation="")
    passage = "Zanzibar cloves reach Oman by dhow."

    def score(article_id):
        [ranked] = passages_rank(
            [passage], language="en", excluded=[{exports.pk}], threshold=1e-9, article_id=article_id
        )
        return {c.claim: c.score for c in ranked}[dhows]

    # Read as a passage of that very article, its own links are no outside evidence.
    assert score(article.pk) < score(None)


def test_claims_stated_together_deep_in_a_long_article_are_found_from_the_text_around(db):
    """Only a window of text around each quote is read: far into a long article, its
    sentence must still be the one the quote is in, not the one next to it."""
    exports = ClaimFactory(statement="Zanzibar exports its cloves to Oman")
    dhows = ClaimFactory(statement="Zanzibar cloves travel to Oman by dhow")
    harvest = ClaimFactory(statement="Zanzibar cloves are harvested for Oman in August")
    filler = "Nothing about spices happens in this sentence at all. " * 3000
    other = ArticleFactory(
        language="en",
        text=filler
        + "Zanzibar sends its cloves to Oman, and they go by dhow. "
        + "The harvest for Oman comes in August.",
    )
    for claim, quote in [
        (exports, "Zanzibar sends its cloves to Oman"),
        (dhows, "they go by dhow"),
        (harvest, "The harvest for Oman comes in August"),
    ]:
        AppearanceFactory(article=other, claim=claim, quote=quote, translation="")
    article = ArticleFactory(language="en", text="Zanzibar cloves reach Oman by dhow in August.")

    [ranked] = passages_rank(
        [article.text],
        language="en",
        excluded=[{exports.pk}],
        threshold=1e-9,
        article_id=article.pk,
    )

    assert {c.claim for c in ranked if c.stated_together} == {dhows}
