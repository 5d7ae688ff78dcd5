"""Held evidence at the edges: retelling chains more than one link deep, what a held link
records, and who the verdict alert mail reaches."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from factcheck import services
from factcheck.models import Article, ChangeKind, EvidenceChange, VerdictAlert
from factcheck.services import pending
from factcheck.tests.factories import ArticleFactory
from factcheck.tests.test_evidence_review import an_editor, published_true_claim


def test_retellings_are_found_at_every_depth():
    original = ArticleFactory()
    first = ArticleFactory(retells=original)
    second = ArticleFactory(retells=first)
    ArticleFactory()  # unrelated
    assert pending.articles_retelling(original) == {original.pk, first.pk, second.pk}
    assert pending.articles_retelling(second) == {second.pk}


def test_new_link_on_an_unquoted_article_whose_retellings_are_quoted_is_held(upstream_report):
    # Only the retelling of a retelling is quoted; linking the first report elsewhere
    # still moves the claim's origin, so an Editor's change waits for a Reviewer.
    claim = published_true_claim()
    quoted = Article.objects.get(pk=claim.appearances.get().article_id)
    original = ArticleFactory()
    middle = ArticleFactory(retells=original)
    quoted.retells = middle
    services.article_save(article=quoted)
    assert pending.claims_public_affected_by_retelling(article=original) == {claim.pk}

    editor = an_editor()
    original.retells = upstream_report
    services.article_save(article=original, user=editor, expected_version=original.version)

    assert Article.objects.get(pk=original.pk).retells_id is None
    change = EvidenceChange.objects.get()
    assert change.kind == ChangeKind.RETELLS
    assert change.article_id == original.pk
    assert change.previous == {"retells_id": None}
    assert change.proposed == {"retells_id": upstream_report.pk}
    assert change.proposed_by == editor
    assert list(change.claims.all()) == [claim]


def test_held_link_remembers_the_link_it_would_replace(upstream_report):
    claim = published_true_claim()
    article = Article.objects.get(pk=claim.appearances.get().article_id)
    first_source = ArticleFactory()
    article.retells = first_source
    services.article_save(article=article)  # the system applies it at once
    article.refresh_from_db()

    article.retells = upstream_report
    services.article_save(article=article, user=an_editor(), expected_version=article.version)
    change = EvidenceChange.objects.get()
    assert change.previous == {"retells_id": first_source.pk}
    assert change.proposed == {"retells_id": upstream_report.pk}


def reviewer(name: str, *, email: str | None = None, active: bool = True) -> User:
    user = User.objects.create_user(
        name, f"{name}@example.org" if email is None else email, "pw", is_staff=True
    )
    user.is_active = active
    user.save()
    user.groups.add(Group.objects.get(name=pending.REVIEWER_GROUP))
    return user


def test_alert_mail_reaches_each_active_reviewer_with_an_address_once():
    claim = published_true_claim()
    reviewer("rita")
    reviewer("remo")
    reviewer("gone", active=False)
    reviewer("nomail", email="")
    editor = an_editor()  # not a Reviewer: never mailed
    alert = VerdictAlert.objects.create(claim=claim, reasons="A new origin refutes it")

    assert pending.notify_reviewers(alert=alert) == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "remo@example.org",
        "rita@example.org",
    ]
    assert editor.email not in [message.to[0] for message in mail.outbox]
    message = mail.outbox[0]
    assert message.subject == f"New reporting conflicts with the verdict on “{claim}”"
    address = reverse("admin:factcheck_claim_evidence_review", args=[claim.pk])
    assert message.body == (
        f"A new origin refutes it.\n\nClaim: {claim}\n"
        f"Verdict: {claim.get_verdict_display()}\n"
        f"Review the evidence: {settings.SITE_URL}{address}\n"
    )


def test_alert_mail_subject_shortens_a_long_claim_at_a_word():
    claim = published_true_claim()
    claim.statement = "Lunga " * 80
    claim.save(update_fields=["statement"])
    reviewer("rita")
    alert = VerdictAlert.objects.create(claim=claim, reasons="Why")
    assert pending.notify_reviewers(alert=alert) == 1
    subject = mail.outbox[0].subject
    assert subject.startswith("New reporting conflicts with the verdict on “Lunga Lunga")
    assert subject.endswith("…”") and len(subject) < 140


def test_no_reviewer_means_no_mail_and_zero_sent():
    claim = published_true_claim()
    alert = VerdictAlert.objects.create(claim=claim, reasons="Why")
    assert pending.notify_reviewers(alert=alert) == 0
    assert mail.outbox == []
