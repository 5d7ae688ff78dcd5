"""The claim page's list tags escape exactly as format_html does."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from factcheck.templatetags.reader import html_row


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<script>alert('x') & \"y\"</script>",
        mark_safe("<em>already safe</em>"),
        gettext_lazy("Supports"),
        42,
        None,
    ],
)
def test_html_row_escapes_like_format_html(value):
    template = '<a href="{}" title="{name}">{}</a>'
    assert html_row(template, value, value, name=value) == format_html(
        template, value, value, name=value
    )


# --- What the claim page writes in bulk: dates and its evidence rows ------------------


@pytest.mark.parametrize("language", ["en", "it"])
def test_written_dates_are_the_articles_own(language):
    """written_date() caches each date's text: it must be what Article writes, in the
    language active, for every precision and for no date."""
    import datetime

    from django.utils import translation

    from factcheck.models import Article, DatePrecision
    from factcheck.reader_urls import written_date

    dates = [
        Article(published_on=datetime.date(2025, 3, 1), date_precision=DatePrecision.DAY),
        Article(published_on=datetime.date(2025, 3, 1), date_precision=DatePrecision.MONTH),
        Article(published_on=datetime.date(2025, 1, 1), date_precision=DatePrecision.YEAR),
        Article(published_on=datetime.date(2024, 12, 31), date_precision=DatePrecision.DAY),
        Article(published_on=None, date_precision=DatePrecision.UNKNOWN),
    ]
    with translation.override(language):
        for article in dates:
            assert written_date(article) == (article.iso_date, article.display_date)
            assert written_date(article, language) == (article.iso_date, article.display_date)
    with translation.override("it"):
        assert written_date(dates[0])[1] == "1 marzo 2025"
    with translation.override("en"):
        assert written_date(dates[0])[1] == "1 March 2025"


@pytest.mark.django_db
def test_claim_page_evidence_rows_match_the_models(retellings, upstream_report):
    """The claim page's plain rows carry what the model instances would: the same
    appearances in the same order, their articles, outlets, credited sources and origins,
    and the same display text."""
    from factcheck.models import Stance
    from factcheck.selectors import claim_detail_appearances, claim_page_evidence
    from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
    from factcheck.tests.reader_data import publish

    claim = publish(ClaimFactory(status="draft"))
    untitled = ArticleFactory(title="", outlet=None, published_on=None, date_precision="unknown")
    for article in [*retellings, untitled]:
        AppearanceFactory(claim=claim, article=article, stance=Stance.SUPPORTS)
    AppearanceFactory(claim=claim, article=ArticleFactory(), credited_source=retellings[0])

    models = claim_detail_appearances(claim=claim)
    rows = claim_page_evidence(claim=claim)

    assert [row.pk for row in rows] == [model.pk for model in models]

    def described(article):
        if article is None:
            return None
        return (
            article.pk,
            article.display_title,
            article.display_date,
            article.iso_date,
            article.get_absolute_url(),
            article.outlet_id,
            article.outlet.name if article.outlet_id else None,
            article.outlet.get_absolute_url() if article.outlet_id else None,
            article.origin_or_self.pk,
            article.origin_or_self.display_title,
            article.origin_or_self.is_archived,
        )

    for row, model in zip(rows, models, strict=True):
        assert (row.stance, row.quote, row.anchor_id, row.get_absolute_url()) == (
            model.stance,
            model.quote,
            model.anchor_id,
            model.get_absolute_url(),
        )
        assert described(row.article) == described(model.article)
        assert described(row.credited_source) == described(model.credited_source)
    assert any(row.article.origin_or_self.pk == upstream_report.pk for row in rows)
