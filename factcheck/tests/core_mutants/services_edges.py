"""Edges of the write services that the feature tests leave open: refusals in full, bulk
removals, and the version a held retelling link is checked against."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from factcheck import services, workflow
from factcheck.models import Appearance, Article, EvidenceChange, Outlet
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, OutletFactory
from factcheck.tests.test_evidence_review import an_editor, published_true_claim


def a_reviewer() -> User:
    user = User.objects.create_user("rita", "rita@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


def outlet_with_articles(count: int) -> Outlet:
    outlet = OutletFactory(name="Il Sole", slug="il-sole")
    for number in range(count):
        ArticleFactory(outlet=outlet, title=f"Pezzo {number:02d}")
    return outlet


def test_refused_deletion_names_ten_blockers_and_counts_the_rest():
    outlet = outlet_with_articles(12)
    with pytest.raises(ValidationError) as error:
        services.record_delete(record=outlet)
    assert error.value.code == "protected"
    shown = "; ".join(f"article “Pezzo {number:02d}”" for number in range(10))
    assert error.value.messages == [
        f"“Il Sole” cannot be deleted while other records depend on it: {shown}; and 2 more."
    ]
    assert Outlet.objects.filter(pk=outlet.pk).exists()


def test_refused_deletion_with_exactly_ten_blockers_lists_them_all():
    outlet = outlet_with_articles(10)
    with pytest.raises(ValidationError) as error:
        services.record_delete(record=outlet)
    shown = "; ".join(f"article “Pezzo {number:02d}”" for number in range(10))
    assert error.value.messages == [
        f"“Il Sole” cannot be deleted while other records depend on it: {shown}."
    ]


def test_appearances_delete_removes_every_one_given():
    AppearanceFactory(), AppearanceFactory()
    kept = AppearanceFactory()
    outcome = services.appearances_delete(appearances=Appearance.objects.exclude(pk=kept.pk))
    assert len(outcome.deleted) == 2 and outcome.held == []
    assert list(Appearance.objects.values_list("pk", flat=True)) == [kept.pk]


def test_appearances_delete_checks_the_users_permission_and_holds_published_evidence():
    claim = published_true_claim()
    appearance = claim.appearances.get()
    outcome = services.appearances_delete(appearances=[appearance], user=an_editor())
    # An Editor may not remove published evidence at once: it waits for a Reviewer.
    assert outcome.deleted == [] and len(outcome.held) == 1
    assert Appearance.objects.filter(pk=appearance.pk).exists()
    reader = User.objects.create_user("reader", "reader@example.org", "pw")
    with pytest.raises(PermissionDenied):
        services.appearances_delete(appearances=[appearance], user=reader)


def test_held_retelling_link_is_checked_against_the_version_it_was_proposed_on(upstream_report):
    claim = published_true_claim()
    article = Article.objects.get(pk=claim.appearances.get().article_id)
    article.retells = upstream_report
    services.article_save(article=article, user=an_editor(), expected_version=article.version)
    change = EvidenceChange.objects.get()
    saved = Article.objects.get(pk=article.pk)
    assert change.based_on_version == saved.version

    # Someone edits the article after the link was proposed: accepting it must not
    # silently apply a decision taken on an older copy.
    saved.title = "Titolo corretto"
    services.article_save(article=saved, expected_version=saved.version)
    with pytest.raises(workflow.ConcurrentEdit):
        services.evidence_accept(claim=claim, user=a_reviewer())
    assert Article.objects.get(pk=article.pk).retells_id is None
