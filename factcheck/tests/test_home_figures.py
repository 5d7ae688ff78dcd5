"""The home page's figures: counted in one pass over the evidence, and still exactly what
public() defines, whatever the retelling chains, credits and claim statuses."""

import pytest
from django.db.models import Count

from factcheck import selectors
from factcheck.models import AnchorStatus, Appearance, Article, Claim, Outlet, ReviewStatus
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def figures_by_probing() -> tuple[int, int, int]:
    """Archived articles, their origins and the outlets, by probing each row with public()."""
    archived = Article.objects.public().archived()
    texts = archived.aggregate(articles=Count("pk"), origins=Count("origin", distinct=True))
    return texts["articles"], texts["origins"], Outlet.objects.public().count()


def counted() -> tuple[int, int, int]:
    figures = selectors.count_corpus_figures()
    return figures.articles, figures.origins, figures.outlets


def quote(article, claim, **fields):
    word = article.text.split()[0]
    return AppearanceFactory(
        claim=claim, article=article, quote=word, start=article.text.index(word), **fields
    )


@pytest.fixture
def chains():
    """A newsroom's evidence in every shape that makes an article public or not."""
    published, draft = ClaimFactory(), ClaimFactory(status=ReviewStatus.DRAFT)
    upstream = ArticleFactory(
        title="", text="", is_archived=False, published_on=None, date_precision="unknown"
    )
    retelling = ArticleFactory(retells=upstream)
    retold_again = ArticleFactory(retells=retelling)
    quote(retold_again, published)  # makes the whole chain public
    credited = ArticleFactory()
    quote(ArticleFactory(outlet=None), published, credited_source=credited)
    only_draft = ArticleFactory()
    quote(only_draft, draft)
    never_quoted = ArticleFactory(retells=retold_again)  # downstream of a quoted article
    return {
        "published": published,
        "draft": draft,
        "upstream": upstream,
        "retelling": retelling,
        "only_draft": only_draft,
        "never_quoted": never_quoted,
        "credited": credited,
    }


def test_figures_are_those_public_defines(chains):
    assert counted() == figures_by_probing()
    # The quoted retelling, the report it retells and the credited source are archived;
    # the upstream report is not, but it is the chain's origin and its outlet counts.
    articles, origins, outlets = counted()
    assert articles == 4
    assert origins == 3
    assert outlets == 4


def test_figures_follow_every_change_of_what_is_public(chains):
    def same():
        assert counted() == figures_by_probing()

    before = counted()
    # A draft's quote counts once the claim is published, and again not when retracted
    # keeps the claim's page (public) or when it goes back to draft.
    Claim.objects.filter(pk=chains["draft"].pk).update(status=ReviewStatus.PUBLISHED)
    same()
    assert counted()[0] == before[0] + 1
    Claim.objects.filter(pk=chains["draft"].pk).update(status=ReviewStatus.RETRACTED)
    same()
    Claim.objects.filter(pk=chains["draft"].pk).update(status=ReviewStatus.IN_REVIEW)
    same()
    assert counted() == before
    # A quote lost to a correction makes nothing public.
    lost = quote(chains["never_quoted"], chains["published"])
    same()
    assert counted()[0] == before[0] + 1
    Appearance.objects.filter(pk=lost.pk).update(
        start=None, end=None, anchor_status=AnchorStatus.ORPHANED
    )
    same()
    assert counted() == before
    # Unpublishing the claim behind the chain hides all of it.
    Claim.objects.filter(pk=chains["published"].pk).update(status=ReviewStatus.DRAFT)
    same()
    assert counted() == (0, 0, 0)


def test_a_cycle_in_the_chains_ends_the_count(chains):
    # Validation refuses cycles; a row written around it must still not hang the page.
    Article.objects.filter(pk=chains["upstream"].pk).update(retells=chains["retelling"])
    assert counted() == figures_by_probing()


def test_an_empty_corpus_counts_nothing():
    ArticleFactory()
    assert counted() == figures_by_probing() == (0, 0, 0)
