"""What readers are told about a claim's record, and what they are never shown.

Corrections and retractions are public; editor notes, staff names and internal review
notes are not, on any page, in the CSV export or in the JSON-LD. Text from editors and
articles is shown inert wherever it appears.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import (
    Appearance,
    Claim,
    ClaimTransition,
    Contradiction,
    ReviewStatus,
    Verdict,
)
from factcheck.tests.factories import (
    ARTICLE_TEXT,
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import build_reader_corpus, publish

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {IMG}"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def retract(claim: Claim, note: str, user=None) -> Claim:
    workflow.claim_transition(claim=claim, name="retract", user=user, note=note)
    claim.refresh_from_db()
    return claim


def correct(claim: Claim, *, note: str, user=None, **changes) -> Claim:
    for name, value in changes.items():
        setattr(claim, name, value)
    return services.claim_save(claim=claim, user=user, correction_note=note)


def reader_urls(*, claims, articles, outlets, search_terms) -> list[str]:
    urls = [
        reverse("factcheck:home"),
        reverse("factcheck:claim_list"),
        reverse("factcheck:claim_list") + "?sort=-agreement",
        reverse("factcheck:contradiction_list"),
        reverse("factcheck:claim_list") + "?_export=csv",
    ]
    urls += [claim.get_absolute_url() for claim in claims]
    urls += [article.get_absolute_url() for article in articles]
    urls += [outlet.get_absolute_url() for outlet in outlets]
    urls += [reverse("factcheck:search") + "?" + urlencode({"q": terms}) for terms in search_terms]
    return urls


# --- Corrections and retractions -----------------------------------------------------


def test_correction_of_a_published_verdict_is_shown_dated(client):
    claim = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.MOSTLY_TRUE))
    correct(claim, verdict=Verdict.FALSE, note="Newer figures from the ministry contradict it.")
    correction = claim.corrections.get()

    content = client.get(claim.get_absolute_url()).content.decode()

    day = correction.created_at
    assert f'Corrected on <time datetime="{day:%Y-%m-%d}">{day.day} {day:%B %Y}</time>:' in content
    assert "Newer figures from the ministry contradict it." in content
    assert "Verdict: Mostly true → False" in content
    # The history tells the same story in order: published, then corrected.
    history = content[content.index("History of this fact-check") :]
    assert history.index("published with the verdict Mostly true") < history.index("corrected")


def test_correction_of_a_statement_shows_old_and_new_wording(client):
    claim = publish(ClaimFactory(status=ReviewStatus.DRAFT, statement="Old wording of the claim"))
    correct(claim, statement="New wording of the claim", note="Reworded to match the source.")
    content = client.get(claim.get_absolute_url()).content.decode()
    assert "<del>Old wording of the claim</del> → <ins>New wording of the claim</ins>" in content


def test_retracted_claim_keeps_its_page_with_the_notice_and_no_markup(client):
    corpus = build_reader_corpus(claims=2, articles=1, hidden=False)
    claim = retract(corpus.claim, "The source turned out to be a parody account.")
    appearance = claim.appearances.get()

    response = client.get(claim.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "This fact-check has been retracted" in content
    assert "The source turned out to be a parody account." in content
    assert "application/ld+json" not in content

    elsewhere = reader_urls(
        claims=[],
        articles=corpus.articles,
        outlets=[corpus.outlet],
        search_terms=["checkable"],
    )
    for url in elsewhere:
        page = client.get(url).content.decode()
        assert claim.statement not in page, url
        assert appearance.anchor_id not in page, url


def test_published_claim_page_has_markup_and_no_retraction_notice(client):
    claim = publish(ClaimFactory(status=ReviewStatus.DRAFT))
    content = client.get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" in content
    assert "has been retracted" not in content


# --- Editor notes and staff ----------------------------------------------------------

MARKER = "INTERNAL-7Q3X-MARKER"


def test_editor_notes_and_staff_never_reach_readers(client):
    staff = User.objects.create_user(f"{MARKER}-user", is_staff=True)
    staff.first_name = f"{MARKER}-first"
    staff.save()
    staff.groups.add(Group.objects.get(name="Reviewer"))
    corpus = build_reader_corpus(claims=3, articles=2)
    retracted = publish(ClaimFactory(status=ReviewStatus.DRAFT, statement="Retracted claim here"))
    AppearanceFactory(claim=retracted, article=corpus.article, quote="Huawei collabora")
    retract(retracted, "Withdrawn for readers.", user=staff)
    correct(corpus.claim, verdict=Verdict.FALSE, note="A public correction.", user=staff)
    transition = ClaimTransition.objects.filter(claim=corpus.claims[1]).last()
    transition.note = f"{MARKER} publish note"
    transition.user = staff
    transition.save()

    Claim.objects.update(editor_note=f"{MARKER} claim")
    Appearance.objects.update(editor_note=f"{MARKER} appearance")
    Contradiction.objects.update(editor_note=f"{MARKER} contradiction")

    urls = reader_urls(
        claims=[*corpus.claims, retracted],
        articles=[*corpus.articles, corpus.upstream],
        outlets=[corpus.outlet, corpus.upstream.outlet],
        search_terms=["modelli", "claim", "appearance", "contradiction"],
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url

    searched = client.get(reverse("factcheck:search"), {"q": MARKER})
    assert not searched.context["results"]

    payloads = JSON_LD.findall(client.get(corpus.claims[1].get_absolute_url()).content.decode())
    assert payloads and MARKER not in json.dumps(json.loads(payloads[0]))


# --- Hostile text --------------------------------------------------------------------


@pytest.fixture
def hostile(db):
    """Every text a reader sees, carrying markup that would run if it were not escaped."""
    outlet = OutletFactory(name=f"Outlet {PAYLOAD}", slug="hostile", description=PAYLOAD)
    article = ArticleFactory(
        outlet=outlet,
        title=f"Title {PAYLOAD}",
        author=f"Author {PAYLOAD}",
        text=f"{ARTICLE_TEXT} {PAYLOAD} fine.",
    )
    claim = publish(
        ClaimFactory(
            status=ReviewStatus.DRAFT,
            statement=f"Statement {PAYLOAD}",
            context=f"Context {PAYLOAD}",
            verdict_summary=f"Summary {PAYLOAD}",
        )
    )
    AppearanceFactory(
        claim=claim,
        article=article,
        quote=PAYLOAD,
        translation=f"Translation {PAYLOAD}",
        attribution=f"Attribution {PAYLOAD}",
    )
    # A second quote overlapping the hostile one, so highlights split around it.
    AppearanceFactory(claim=claim, article=article, quote=f"{IMG} fine")
    other = publish(ClaimFactory(status=ReviewStatus.DRAFT, statement=f"Other {PAYLOAD}"))
    ContradictionFactory(claim_a=claim, claim_b=other, explanation=f"Explanation {PAYLOAD}")
    correct(claim, verdict=Verdict.FALSE, note=f"Correction {PAYLOAD}")
    withdrawn = publish(ClaimFactory(status=ReviewStatus.DRAFT, statement=f"Withdrawn {PAYLOAD}"))
    retract(withdrawn, f"Retraction {PAYLOAD}")
    return {"claims": [claim, other, withdrawn], "article": article, "outlet": outlet}


def test_hostile_text_is_shown_inert_on_every_page(client, hostile):
    urls = reader_urls(
        claims=hostile["claims"],
        articles=[hostile["article"]],
        outlets=[hostile["outlet"]],
        search_terms=["alert", "statement", "fine", PAYLOAD],
    )
    for url in urls:
        if "_export" in url:
            continue  # CSV is data, not markup; see the export tests
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "<img src=x" not in content, url
        assert "onerror=alert(1)>" not in content.replace("onerror=alert(1)&gt;", ""), url

    claim_page = client.get(hostile["claims"][0].get_absolute_url()).content.decode()
    for shown in ("Statement", "Context", "Summary", "Translation", "Attribution", "Correction"):
        assert f"{shown} &lt;script&gt;alert(1)&lt;/script&gt;" in claim_page
    article_page = client.get(hostile["article"].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article_page


def test_json_ld_cannot_be_broken_out_of_and_keeps_the_text(client, hostile):
    claim = hostile["claims"][0]
    content = client.get(claim.get_absolute_url()).content.decode()
    [payload] = JSON_LD.findall(content)
    assert "<" not in payload and ">" not in payload
    review = json.loads(payload)
    assert review["claimReviewed"] == claim.statement
    assert review["itemReviewed"]["appearance"][0]["headline"] == hostile["article"].title
