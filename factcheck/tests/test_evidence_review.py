"""Evidence of a public claim changed by an Editor waits for a Reviewer; conflicts raise alerts."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import (
    AgreementLabel,
    AlertDecision,
    Appearance,
    Article,
    ChangeStatus,
    Claim,
    EvidenceChange,
    EvidenceReview,
    ReviewStatus,
    Stance,
    Verdict,
    VerdictAlert,
)
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

REFUTING_TEXT = "Secondo fonti vicine all'azienda, DeepSeek non addestra i suoi modelli in Cina."
REFUTING_QUOTE = "DeepSeek non addestra i suoi modelli in Cina"


def claim_url(view, *args):
    return reverse(f"admin:factcheck_claim_{view}", args=args)


def published_true_claim() -> Claim:
    """A claim a Reviewer published as true on one supporting origin."""
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, verdict=Verdict.TRUE)
    AppearanceFactory(claim=claim)
    workflow.claim_transition(claim=claim, name="publish", user=None)
    return Claim.objects.get(pk=claim.pk)


def with_new_inline_appearance(data: dict, *, article: Article, quote: str, stance: str) -> dict:
    index = int(data["appearances-TOTAL_FORMS"])
    prefix = f"appearances-{index}"
    data.update(
        {
            "appearances-TOTAL_FORMS": str(index + 1),
            f"{prefix}-article": article.pk,
            f"{prefix}-quote": quote,
            f"{prefix}-start": "",
            f"{prefix}-stance": stance,
            f"{prefix}-attribution": "",
            f"{prefix}-translation": "",
            f"{prefix}-editor_note": "",
            f"{prefix}-expected_version": "",
        }
    )
    return data


def add_refuting_appearance(client, claim) -> Article:
    article = ArticleFactory(text=REFUTING_TEXT)
    url = claim_url("change", claim.pk)
    data = with_new_inline_appearance(
        change_form_data(client, url), article=article, quote=REFUTING_QUOTE, stance=Stance.REFUTES
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return article


def an_editor() -> User:
    number = User.objects.count()
    user = User.objects.create_user(f"editor-{number}", f"editor-{number}@example.org", "pw")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def reviewers():
    group = Group.objects.get(name="Reviewer")
    people = [
        User.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
        for name in ("rita", "remo")
    ]
    for person in people:
        person.groups.add(group)
    return people


def test_editor_evidence_waits_for_review_and_alerts_reviewers(reviewers, committed):
    claim = published_true_claim()
    editor = Client()
    editor.force_login(an_editor())
    reader = Client()
    before = reader.get(claim.get_absolute_url()).content.decode()
    assert "New reporting is under review" not in before

    with committed():
        add_refuting_appearance(editor, claim)

    # Readers keep the reviewed evidence and agreement, and are told a review is under way.
    assert claim.appearances.count() == 1
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.agreement_label == AgreementLabel.SINGLE_ORIGIN
    page = reader.get(claim.get_absolute_url()).content.decode()
    assert REFUTING_QUOTE not in page
    assert "New reporting is under review" in page
    assert "Single origin" in page

    # The queue puts the claim first, marked as a conflict.
    other = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    reviewer = Client()
    reviewer.force_login(reviewers[0])
    queue = reviewer.get(claim_url("review_queue")).content.decode()
    first_item = queue.split("<li>", 1)[1].split("</li>", 1)[0]
    assert "Conflicts with the verdict" in first_item
    assert claim.statement in first_item
    assert queue.index(claim.statement) < queue.index(other.statement)

    # One email to each Reviewer, and to no one else.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in reviewers)
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert "refutes" in mail.outbox[0].body

    # The Reviewer sees before → after and what agreement would become, then accepts.
    screen = reviewer.get(claim_url("evidence_review", claim.pk))
    assert screen.context["agreement_after"].label == AgreementLabel.CONTESTED
    assert REFUTING_QUOTE in screen.content.decode()
    change = EvidenceChange.objects.get()
    with committed():  # raises the page-cache stamp
        response = reviewer.post(
            claim_url("evidence_review", claim.pk), {"change": [change.pk], "_accept": "1"}
        )
    assert response.status_code == 302

    change.refresh_from_db()
    assert change.status == ChangeStatus.ACCEPTED and change.decided_by == reviewers[0]
    assert Claim.objects.get(pk=claim.pk).agreement_label == AgreementLabel.CONTESTED
    page = reader.get(claim.get_absolute_url()).content.decode()
    assert REFUTING_QUOTE in page
    assert "new reporting added after review: 1 quote added" in page
    assert "single origin → contested" in page
    review = EvidenceReview.objects.get(claim=claim)
    assert review.user == reviewers[0]
    # The alert stays open until the verdict itself is decided.
    assert "New reporting is under review" in page
    assert len(mail.outbox) == 2


def refuted_after_review(*, reviewer) -> Claim:
    """A published true claim whose refutation, held from an Editor, a Reviewer accepted."""
    claim = published_true_claim()
    editor = Client()
    editor.force_login(an_editor())
    add_refuting_appearance(editor, claim)
    services.evidence_accept(claim=claim, user=reviewer)
    return claim


def test_keeping_the_verdict_closes_the_alert_in_public(reviewers):
    claim = refuted_after_review(reviewer=reviewers[0])
    assert VerdictAlert.objects.open().filter(claim=claim).exists()

    workflow.claim_mark_reviewed(claim=claim, user=reviewers[1], note="The denial is unsourced.")

    alert = VerdictAlert.objects.get(claim=claim)
    assert (alert.decision, alert.closed_by, alert.note) == (
        AlertDecision.KEPT,
        reviewers[1],
        "The denial is unsourced.",
    )
    page = Client().get(claim.get_absolute_url()).content.decode()
    assert "New reporting is under review" not in page
    assert "the verdict stands. The denial is unsourced." in page


def test_changing_the_verdict_with_a_correction_closes_the_alert(reviewers):
    claim = refuted_after_review(reviewer=reviewers[0])

    claim = Claim.objects.get(pk=claim.pk)
    claim.verdict = Verdict.MIXED
    services.claim_save(claim=claim, user=reviewers[0], correction_note="A denial came in.")

    alert = VerdictAlert.objects.get(claim=claim)
    assert alert.decision == AlertDecision.CHANGED and alert.closed_at is not None
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.reviewed_agreement_label == AgreementLabel.CONTESTED


def test_rejected_evidence_never_reaches_readers_and_closes_the_alert(reviewers):
    claim = published_true_claim()
    editor = Client()
    editor.force_login(an_editor())
    add_refuting_appearance(editor, claim)

    services.evidence_reject(claim=claim, user=reviewers[0], note="Not a real outlet.")

    assert EvidenceChange.objects.get().status == ChangeStatus.REJECTED
    assert claim.appearances.count() == 1
    assert not VerdictAlert.objects.open().exists()
    page = Client().get(claim.get_absolute_url()).content.decode()
    assert REFUTING_QUOTE not in page
    assert "New reporting is under review" not in page


def test_editor_changes_and_removals_of_published_evidence_are_held():
    claim = published_true_claim()
    appearance = claim.appearances.get()
    editor = an_editor()

    appearance.stance = Stance.QUALIFIES
    services.appearance_save(appearance=appearance, user=editor)
    services.appearance_delete(appearance=Appearance.objects.get(pk=appearance.pk), user=editor)

    stored = Appearance.objects.get(pk=appearance.pk)
    assert stored.stance == Stance.SUPPORTS
    kinds = list(EvidenceChange.objects.pending().values_list("kind", flat=True))
    assert kinds == ["change", "remove"]
    assert Claim.objects.get(pk=claim.pk).agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_editor_evidence_on_a_draft_applies_at_once():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED)
    AppearanceFactory(claim=claim)
    appearance = AppearanceFactory.build(claim=claim, article=ArticleFactory())
    services.appearance_save(appearance=appearance, user=an_editor())
    assert claim.appearances.count() == 2
    assert not EvidenceChange.objects.exists()


def test_reviewer_evidence_applies_at_once_and_is_recorded(reviewers):
    claim = published_true_claim()
    article = ArticleFactory(text=REFUTING_TEXT)
    appearance = Appearance(
        claim=claim, article=article, quote=REFUTING_QUOTE, stance=Stance.REFUTES
    )
    services.appearance_save(appearance=appearance, user=reviewers[0])
    assert appearance.pk is not None
    assert not EvidenceChange.objects.exists()
    review = EvidenceReview.objects.get(claim=claim)
    assert (review.agreement_before, review.agreement_after) == ("single_origin", "contested")
    # The Reviewer's own evidence still conflicts with the verdict: the alert opens.
    assert VerdictAlert.objects.open().filter(claim=claim).exists()


def test_an_editor_retelling_link_on_quoted_evidence_is_held(upstream_report, reviewers):
    claim = published_true_claim()
    article = claim.appearances.get().article
    editor = an_editor()

    article.retells = upstream_report
    services.article_save(article=article, user=editor)

    assert Article.objects.get(pk=article.pk).retells_id is None
    change = EvidenceChange.objects.get()
    assert change.kind == "retells" and list(change.claims.all()) == [claim]

    services.evidence_accept(claim=claim, user=reviewers[0])
    assert Article.objects.get(pk=article.pk).origin_id == upstream_report.pk


def test_accepting_a_change_made_on_an_older_version_is_refused(reviewers):
    claim = published_true_claim()
    appearance = claim.appearances.get()
    appearance.stance = Stance.QUALIFIES
    services.appearance_save(appearance=appearance, user=an_editor())
    # Meanwhile a Reviewer edits the same appearance directly.
    direct = Appearance.objects.get(pk=appearance.pk)
    direct.attribution = "according to the filing"
    services.appearance_save(appearance=direct, user=reviewers[0])

    with pytest.raises(workflow.ConcurrentEdit):
        services.evidence_accept(claim=claim, user=reviewers[0])
    assert EvidenceChange.objects.get().status == ChangeStatus.PENDING


def test_deciding_without_choosing_a_change_says_so(admin_client):
    claim = published_true_claim()
    services.appearance_delete(appearance=claim.appearances.get(), user=an_editor())
    response = admin_client.post(claim_url("evidence_review", claim.pk), {"_accept": "1"})
    assert response.status_code == 200
    assert "Select the changes to accept or reject" in response.content.decode()
    assert EvidenceChange.objects.pending().count() == 1


def test_services_refuse_decisions_by_editors():
    claim = published_true_claim()
    editor = an_editor()
    services.appearance_delete(appearance=claim.appearances.get(), user=editor)
    with pytest.raises(workflow.PermissionDenied):
        services.evidence_accept(claim=claim, user=editor)
    with pytest.raises(workflow.PermissionDenied):
        services.evidence_reject(claim=claim, user=editor)


def mail_settings(**environment) -> list[str]:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)"
    )
    environment = {
        **{name: value for name, value in os.environ.items() if name != "EMAIL_URL"},
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_mail_goes_out_by_smtp_when_an_email_url_is_set():
    assert mail_settings(EMAIL_URL="smtp://desk:secret@mail.example.org:587/?tls=True") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "desk",
        "True",
    ]
    assert mail_settings()[0] == "django.core.mail.backends.console.EmailBackend"


def test_the_article_admin_says_a_new_retelling_link_waits(upstream_report):
    claim = published_true_claim()
    article = claim.appearances.get().article
    editor = Client()
    editor.force_login(an_editor())
    url = reverse("admin:factcheck_article_change", args=[article.pk])
    data = change_form_data(editor, url, retells=upstream_report.pk, author="Nuova firma")

    response = editor.post(url, data, follow=True)

    assert "waits for a Reviewer" in response.content.decode()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.retells_id, stored.author) == (None, "Nuova firma")
