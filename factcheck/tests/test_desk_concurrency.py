"""A link made at the desk while another editor corrects the article: real concurrent
transactions on PostgreSQL. Whichever goes first, no quote ends up on the wrong words."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from factcheck import services
from factcheck.models import Appearance, Article, ReviewStatus, Stance, Verdict
from factcheck.services.desk import span_link
from factcheck.tests.factories import ArticleFactory, ClaimFactory
from factcheck.tests.test_concurrency import TEXT, at_once

RUNS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL; SQLite runs one writer at a time anyway",
    ),
]


@pytest.mark.parametrize("run", range(RUNS))
def test_a_link_racing_a_correction_lands_on_its_words_or_is_refused(run):
    claim = ClaimFactory(
        statement=f"Desk claim in run {run}", status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED
    )
    article = ArticleFactory(text=TEXT)
    opened = article.version
    start = TEXT.index("il piano")

    def link():
        return span_link(
            article=article,
            claim=claim,
            start=start,
            end=start + len("il piano"),
            stance=Stance.SUPPORTS,
            expected_version=opened,
        )

    def correct():
        fresh = Article.objects.get(pk=article.pk)
        fresh.text = "Aggiornamento: il ministero corregge i dati. " + TEXT
        return services.article_save(article=fresh, expected_version=opened)

    linked, corrected = at_once(link, correct)

    assert isinstance(corrected, Article), corrected
    stored = Article.objects.get(pk=article.pk)
    appearances = list(Appearance.objects.filter(article=article))
    if isinstance(linked, ValidationError):
        assert linked.code == "concurrent_edit" and appearances == []
    else:
        assert [a.quote for a in appearances] == ["il piano"]
    for appearance in appearances:
        assert stored.text[appearance.start : appearance.end] == appearance.quote
