"""Quotes that survive corrections: what a new article text does to each stored quote."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck import quotes, services
from factcheck.models import AnchorStatus, Appearance, Article, Claim, ReviewStatus, Stance
from factcheck.reanchoring import SIMILARITY_THRESHOLD, quote_reanchor
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.reader_data import publish
from factcheck.tests.roles import make_user

TEXT = (
    "Il governo ha confermato il piano per i semiconduttori. "
    "Secondo Reuters, Huawei colabora con DeepSeek sui nuovi chip. "
    "Gli analisti prevedono nuove regole entro l'anno."
)
QUOTE = "Huawei colabora con DeepSeek"


def found_in(text: str, old_text: str = TEXT, quote: str = QUOTE):
    start = old_text.index(quote)
    span = quotes.span_at(old_text, start, start + len(quote))
    return quote_reanchor(text, quote=quote, start=start, prefix=span.prefix, suffix=span.suffix)


# --- Finding a quote in a new text ------------------------------------------------------


def test_quote_still_at_its_offsets_stays_anchored():
    found = found_in(TEXT + " Aggiornato alle 18.")
    assert found.status == AnchorStatus.ANCHORED
    assert found.span.start == TEXT.index(QUOTE)


def test_paragraph_added_before_moves_the_quote_and_keeps_it_anchored():
    new = "Aggiornamento: il ministero ha risposto.\n\n" + TEXT
    found = found_in(new)
    assert found.status == AnchorStatus.ANCHORED
    assert (found.span.start, found.quote) == (new.index(QUOTE), QUOTE)


def test_corrected_typo_inside_the_quote_takes_the_new_words_and_needs_a_check():
    new = TEXT.replace("colabora", "collabora")
    found = found_in(new)
    assert found.status == AnchorStatus.NEEDS_CHECK
    assert found.quote == "Huawei collabora con DeepSeek"
    assert new[found.span.start : found.span.end] == found.quote
    assert found.similarity >= SIMILARITY_THRESHOLD


def test_corrected_typo_and_a_paragraph_added_before_are_both_followed():
    new = "Aggiornamento.\n\n" + TEXT.replace("colabora", "collabora")
    found = found_in(new)
    assert found.status == AnchorStatus.NEEDS_CHECK
    assert found.quote == "Huawei collabora con DeepSeek"


def test_deleted_passage_orphans_the_quote():
    new = TEXT.replace("Secondo Reuters, Huawei colabora con DeepSeek sui nuovi chip. ", "")
    found = found_in(new)
    assert found.status == AnchorStatus.ORPHANED
    assert found.span is None
    assert found.quote == QUOTE


def test_rewritten_passage_is_not_taken_for_the_quote():
    found = found_in(TEXT.replace("Huawei colabora con DeepSeek", "Baidu lavora con Tencent"))
    assert found.status == AnchorStatus.ORPHANED


def test_same_words_among_other_surroundings_are_found_but_flagged():
    new = "Tutt'altro articolo. Huawei colabora con DeepSeek! Fine."
    found = found_in(new)
    assert found.status == AnchorStatus.NEEDS_CHECK
    assert found.quote == QUOTE and new[found.span.start : found.span.end] == QUOTE


def test_of_several_occurrences_the_one_in_the_remembered_surroundings_wins():
    new = "Huawei colabora con DeepSeek, dicono. Premessa. " + TEXT
    found = found_in(new)
    assert found.status == AnchorStatus.ANCHORED
    assert found.span.start == new.index("Reuters, ") + len("Reuters, ")


def test_the_corrected_passage_in_place_beats_the_old_words_elsewhere():
    # The old (misspelt) words survive in a quoted headline at the top; the passage where
    # the quote stood was corrected. The quote follows its own passage.
    new = "«Huawei colabora con DeepSeek», titolava ieri. " + TEXT.replace("colabora", "collabora")
    found = found_in(new)
    assert found.quote == "Huawei collabora con DeepSeek"
    assert found.status == AnchorStatus.NEEDS_CHECK


WORDS = ["il", "piano", "chip", "Huawei", "DeepSeek", "governo", "regole", "nuovi", "è", "’"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, database=None)
@given(
    old=texts,
    data=st.data(),
    cut=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    inserted=st.text(st.sampled_from("ab Huawei."), max_size=20),
)
def test_whatever_the_edit_a_found_quote_is_the_text_at_its_span(old, data, cut, inserted):
    begin = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(begin + 1, len(old)))
    quote = old[begin:end]
    low, high = sorted(int(point * len(old)) for point in cut)
    new = old[:low] + inserted + old[high:]
    span = quotes.span_at(old, begin, end)
    found = quote_reanchor(new, quote=quote, start=begin, prefix=span.prefix, suffix=span.suffix)
    if found.status == AnchorStatus.ORPHANED:
        assert found.span is None and found.quote == quote
    else:
        assert found.quote and new[found.span.start : found.span.end] == found.quote
        assert found.span.end - found.span.start == len(found.quote)
    if found.status == AnchorStatus.ANCHORED:
        assert found.quote == quote


# --- Saving a corrected article ---------------------------------------------------------


@pytest.fixture
def quoted(db):
    article = ArticleFactory(text=TEXT)
    return AppearanceFactory(article=article, quote=QUOTE, stance=Stance.SUPPORTS)


def corrected(appearance: Appearance, text: str, user=None) -> Appearance:
    article = Article.objects.get(pk=appearance.article_id)
    article.text = text
    services.article_save(article=article, user=user)
    return Appearance.objects.get(pk=appearance.pk)


def test_saved_paragraph_added_before_moves_the_offsets(quoted):
    new = "Aggiornamento delle 18.\n\n" + TEXT
    appearance = corrected(quoted, new)
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert appearance.quote == QUOTE
    assert appearance.start == new.index(QUOTE) != quoted.start
    assert new[appearance.start : appearance.end] == QUOTE
    assert appearance.prefix == new[appearance.start - quotes.CONTEXT_LENGTH : appearance.start]
    assert appearance.history.first().history_change_reason == "Article text corrected: quote moved"


def test_saved_typo_fix_updates_the_quote_flags_it_and_history_keeps_the_old_one(quoted):
    new = TEXT.replace("colabora", "collabora")
    appearance = corrected(quoted, new)
    assert appearance.anchor_status == AnchorStatus.NEEDS_CHECK
    assert appearance.quote == "Huawei collabora con DeepSeek"
    assert new[appearance.start : appearance.end] == appearance.quote
    latest, before = appearance.history.all()[:2]
    assert before.quote == QUOTE and latest.quote == appearance.quote
    assert latest.history_change_reason.startswith(
        "Article text corrected: quote updated (similarity 98), to be checked; was “Huawei"
    )
    # Flagged, it is still the article stating the claim: agreement counts it.
    assert Appearance.objects.in_text().filter(pk=appearance.pk).exists()
    assert Claim.objects.get(pk=appearance.claim_id).appearance_count == 1


def test_saved_deleted_passage_orphans_the_quote_and_agreement_drops_it(quoted):
    assert Claim.objects.get(pk=quoted.claim_id).appearance_count == 1
    new = TEXT.replace("Secondo Reuters, Huawei colabora con DeepSeek sui nuovi chip. ", "")
    appearance = corrected(quoted, new)
    assert appearance.anchor_status == AnchorStatus.ORPHANED
    assert (appearance.start, appearance.end, appearance.quote) == (None, None, QUOTE)
    assert appearance.prefix == quoted.prefix  # where it was, for the editor
    claim = Claim.objects.get(pk=quoted.claim_id)
    assert (claim.appearance_count, claim.agreement_label) == (0, "unconfirmed")
    assert not Appearance.objects.in_text().filter(pk=appearance.pk).exists()


def test_passage_restored_later_anchors_the_orphan_again(quoted):
    without = TEXT.replace("Secondo Reuters, Huawei colabora con DeepSeek sui nuovi chip. ", "")
    assert corrected(quoted, without).anchor_status == AnchorStatus.ORPHANED
    appearance = corrected(quoted, TEXT)
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert TEXT[appearance.start : appearance.end] == QUOTE
    assert Claim.objects.get(pk=quoted.claim_id).appearance_count == 1


def test_a_flagged_quote_stays_flagged_through_later_edits_until_checked(quoted):
    flagged = corrected(quoted, TEXT.replace("colabora", "collabora"))
    again = corrected(flagged, "Premessa.\n\n" + TEXT.replace("colabora", "collabora"))
    assert again.anchor_status == AnchorStatus.NEEDS_CHECK
    services.appearance_check(appearance=again)
    assert Appearance.objects.get(pk=quoted.pk).anchor_status == AnchorStatus.ANCHORED


def test_editing_an_orphans_quote_to_words_of_the_text_anchors_it_again(quoted):
    orphan = corrected(quoted, TEXT.replace("Huawei colabora con DeepSeek", "Huawei e altri"))
    orphan.quote = "Huawei e altri"
    services.appearance_save(appearance=orphan)
    appearance = Appearance.objects.get(pk=quoted.pk)
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert appearance.article.text[appearance.start : appearance.end] == "Huawei e altri"
    assert Claim.objects.get(pk=quoted.claim_id).appearance_count == 1


def test_two_quotes_of_one_claim_landing_on_one_span_leave_one_and_orphan_the_other(db):
    article = ArticleFactory(
        text="Premessa. Huawei collabora con DeepSeek. Huawei colabora con DS."
    )
    claim = ClaimFactory()
    first = AppearanceFactory(claim=claim, article=article, quote="Huawei collabora con DeepSeek")
    second = AppearanceFactory(claim=claim, article=article, quote="Huawei colabora con DS")
    # The second sentence goes; its misspelt quote is most like the first one's words.
    corrected(first, "Premessa. Huawei collabora con DeepSeek.")
    statuses = dict(Appearance.objects.filter(claim=claim).values_list("pk", "anchor_status"))
    assert statuses == {first.pk: AnchorStatus.ANCHORED, second.pk: AnchorStatus.ORPHANED}


def test_quotes_swapping_places_move_without_breaking_the_one_span_rule(db):
    text = "Primo: il piano è pronto. Secondo: il piano è pronto."
    article = ArticleFactory(text=text)
    claim = ClaimFactory()
    early = AppearanceFactory(claim=claim, article=article, quote="il piano", start=7)
    late = AppearanceFactory(claim=claim, article=article, quote="il piano", start=35)
    new = "Secondo: il piano è pronto. Intanto. Primo: il piano è pronto."
    corrected(early, new)
    rows = {a.pk: a for a in Appearance.objects.filter(claim=claim)}
    assert new[rows[early.pk].start - 7 : rows[early.pk].start] == "Primo: "
    assert new[rows[late.pk].start - 9 : rows[late.pk].start] == "Secondo: "
    assert all(row.anchor_status == AnchorStatus.ANCHORED for row in rows.values())


def test_checked_refuses_a_quote_that_is_not_flagged(quoted):
    with pytest.raises(ValidationError, match="Only a quote flagged for a check"):
        services.appearance_check(appearance=quoted)


def test_checked_needs_the_permission_to_change_appearances(quoted):
    flagged = corrected(quoted, TEXT.replace("colabora", "collabora"))
    with pytest.raises(PermissionDenied):
        services.appearance_check(appearance=flagged, user=make_user("staff_without_group"))
    assert Appearance.objects.get(pk=quoted.pk).anchor_status == AnchorStatus.NEEDS_CHECK


# --- Any sequence of corrections --------------------------------------------------------

EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "typo"]),
    st.floats(0, 1),
    st.integers(1, 60),
    st.sampled_from(["", "Aggiornamento. ", "Huawei ", "collabora ", "x", "\n\n", "DeepSeek"]),
)


def edited(text: str, edit) -> str:
    kind, where, length, words = edit
    at = int(where * len(text))
    if kind == "insert":
        return text[:at] + words + text[at:]
    if kind == "delete":
        return text[:at] + text[at + length :] or words or "."
    if kind == "replace":
        return text[:at] + words + text[at + length :] or "."
    return text[:at] + "z" + text[at + 1 :]


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(EDIT, min_size=1, max_size=5),
    spans=st.lists(st.tuples(st.floats(0, 1), st.integers(3, 40)), min_size=1, max_size=4),
)
def test_after_any_corrections_every_quote_readers_can_see_is_the_text_at_its_offsets(
    db, edits, spans
):
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    starts = set()
    for where, length in spans:
        start = int(where * (len(TEXT) - 1))
        if start in starts or not TEXT[start : start + length].strip():
            continue
        starts.add(start)
        AppearanceFactory(
            claim=claim, article=article, quote=TEXT[start : start + length], start=start
        )
    publish(claim)
    for edit in edits:
        article = Article.objects.get(pk=article.pk)
        article.text = edited(article.text, edit)
        services.article_save(article=article)
        text = article.text
        for appearance in Appearance.objects.public().filter(article=article):
            assert text[appearance.start : appearance.end] == appearance.quote
        for appearance in Appearance.objects.filter(article=article, start__isnull=True):
            assert appearance.anchor_status == AnchorStatus.ORPHANED
        stored = Claim.objects.get(pk=claim.pk)
        assert stored.appearance_count == Appearance.objects.in_text().filter(claim=claim).count()
