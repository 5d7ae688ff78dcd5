"""The API's privacy matrix: no draft, in-review, pending or editor-note data, anywhere.

Every piece of unreviewed or internal text carries a marker; every endpoint is read in
full (every page, every detail of every listed record) and searched for the markers.
"""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from factcheck import services
from factcheck.models import Appearance, Claim, EvidenceChange, Stance
from factcheck.tests.api_helpers import endpoint_urls
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    """An anonymous client, unthrottled (throttling has a test of its own)."""
    settings.API_ANON_RATE = None
    return client


EDITOR_NOTE = "editornotemarker"
PENDING = "pendingmarker"
UNPUBLISHED = "zebraquux"  # in the hidden claims' statements (reader_data.hidden_claims)
UNPUBLISHED_TEXTS = ["Unpublished", "unpublished attribution", "unpublished translation"]
HIDDEN_ARTICLE = "hiddenarticlemarker"


@pytest.fixture
def secrets(reader_corpus):
    """The reader corpus, plus editor notes on public records and held evidence."""
    corpus = reader_corpus
    claim, article = corpus.claim, corpus.article
    Claim.objects.filter(pk=claim.pk).update(editor_note=f"claim {EDITOR_NOTE}")
    Appearance.objects.filter(claim=claim).update(editor_note=f"appearance {EDITOR_NOTE}")
    for contradiction in corpus.contradictions:
        contradiction.editor_note = f"contradiction {EDITOR_NOTE}"
        services.contradiction_save(contradiction=contradiction)
    # An article only a draft quotes: not public, whatever its outlet.
    draft_only = ArticleFactory(
        outlet=corpus.outlet, title=f"Draft-only {HIDDEN_ARTICLE}", url="https://example.org/h"
    )
    AppearanceFactory(claim=corpus.hidden[0], article=draft_only, quote="Alibaba e ByteDance")
    # An Editor's new evidence on a published claim waits for a Reviewer.
    editor = User.objects.create_user("editor", "e@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    services.appearance_save(
        appearance=Appearance(
            claim=claim,
            article=article,
            quote="Huawei collabora con DeepSeek",
            stance=Stance.REFUTES,
            attribution=f"attribution {PENDING}",
            translation=f"translation {PENDING}",
        ),
        user=editor,
    )
    assert EvidenceChange.objects.pending().exists()
    # A retracted claim answers, without reviving what it was hidden for.
    ClaimFactory(statement=f"Another draft {UNPUBLISHED}", status="draft")
    return corpus


def crawl(api, start_urls) -> dict[str, str]:
    """Every answer reachable from the endpoints: all pages, and every record they link."""
    seen, queue = {}, list(start_urls)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        seen[url] = response.content.decode()
        data = response.json()
        links = []
        if isinstance(data, dict) and data.get("next"):
            links.append(data["next"])
        links += [
            value
            for value in walk_values(data, key="api_url")
            if isinstance(value, str) and "/api/v1/" in value
        ]
        queue += [link.removeprefix("http://testserver") for link in links]
    return seen


def walk_values(data, *, key):
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            else:
                yield from walk_values(value, key=key)
    elif isinstance(data, list):
        for item in data:
            yield from walk_values(item, key=key)


def test_no_endpoint_reveals_unreviewed_or_internal_data(api, secrets, settings):
    settings.API_ARTICLE_TEXT = True  # the most the API can show
    answers = crawl(api, endpoint_urls(secrets).values())
    # Every endpoint was reached, and every public claim's record read.
    for claim in secrets.claims:
        assert f"/api/v1/claims/{claim.slug}/" in answers
    assert any(url.startswith("/api/v1/corrections/") for url in answers)
    everything = "\n".join(answers.values())
    assert secrets.claim.statement in everything  # the search below would find a leak
    for marker in [EDITOR_NOTE, PENDING, UNPUBLISHED, HIDDEN_ARTICLE, *UNPUBLISHED_TEXTS]:
        leaks = [url for url, body in answers.items() if marker in body]
        assert leaks == [], f"{marker} appears in {leaks}"
    for claim in secrets.hidden:
        assert claim.slug not in everything
    assert "editor_note" not in everything


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_an_unpublished_claim_has_no_record_at_its_address(api, secrets, status):
    hidden = next(claim for claim in secrets.hidden if claim.status == status)
    response = api.get(reverse("api:claim-detail", kwargs={"slug": hidden.slug}))
    assert response.status_code == 404
    assert UNPUBLISHED not in response.content.decode()


def test_an_article_only_drafts_quote_has_no_record(api, secrets):
    from factcheck.models import Article

    hidden = Article.objects.get(title__contains=HIDDEN_ARTICLE)
    response = api.get(reverse("api:article-detail", kwargs={"pk": hidden.pk}))
    assert response.status_code == 404


def test_signed_in_staff_read_what_everyone_reads(api, secrets):
    """No preview through the API: a superuser's session changes nothing."""
    api.force_login(User.objects.create_superuser("boss", "b@example.org", "pw"))
    hidden = secrets.hidden[0]
    assert api.get(reverse("api:claim-detail", kwargs={"slug": hidden.slug})).status_code == 404
    body = api.get(reverse("api:claim-detail", kwargs={"slug": secrets.claim.slug})).content
    assert EDITOR_NOTE not in body.decode()
    assert PENDING not in json.dumps(api.get(reverse("api:claim-list")).json())
