"""The reading desk in the admin: the page, linking by offsets, who may do what, bad input."""

import html.parser
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from factcheck import matching
from factcheck.admin.desk import desk_text_html
from factcheck.models import Appearance, Claim, EvidenceChange, ReviewStatus, Stance, Verdict
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import EDITORS, ROLES, client_for
from factcheck.tests.test_evidence_review import published_true_claim

pytestmark = pytest.mark.django_db

TEXT = (
    "Penang 🇲🇾 esporta più chip che mai.\r\n"
    "La fabbrica di Penang produce 4 milioni di chip al giorno.\n\n"
    "Il sindaco <b>smentisce</b> & tace."
)
FACTORY_SENTENCE = "La fabbrica di Penang produce 4 milioni di chip al giorno."


def desk_url(article) -> str:
    return reverse("admin:factcheck_article_desk", args=[article.pk])


def draft_claim(**kwargs) -> Claim:
    return ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED, **kwargs)


@pytest.fixture
def suggest(monkeypatch):
    """Make the matcher suggest `claims` (with scores) for the passages containing a phrase."""
    table = {}

    def suggestions(*, article, limit=5):
        return [
            matching.Passage(
                start,
                end,
                article.text[start:end],
                [
                    matching.Candidate(claim, score)
                    for phrase, found in table.items()
                    if phrase in article.text[start:end]
                    for claim, score in found
                ],
            )
            for start, end in matching.passages_split(article.text)
        ]

    monkeypatch.setattr(matching, "article_suggestions", suggestions)
    return table


def link_data(article, claim, start, end, **extra) -> dict:
    return {
        "_action": "link",
        "start": start,
        "end": end,
        "version": article.version,
        "claim": claim.pk,
        "stance": Stance.SUPPORTS,
        **extra,
    }


class DeskText(html.parser.HTMLParser):
    """The text content of the desk's text element, as a browser's DOM holds it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.text, self.passages = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "desk-text" or self.depth:
            self.depth += 1
        if self.depth and "desk-passage" in attrs.get("class", ""):
            self.passages.append(attrs)

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def rendered_text(content: str) -> DeskText:
    parser = DeskText()
    parser.feed(content)
    return parser


# --- The page ------------------------------------------------------------------------------


def test_the_desk_shows_the_text_exactly_with_matched_passages_and_their_claims(
    admin_client, suggest
):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim(statement="A Penang factory makes four million chips a day")
    suggest["fabbrica"] = [(claim, 0.83)]

    response = admin_client.get(desk_url(article))

    assert response.status_code == 200
    content = response.content.decode()
    parsed = rendered_text(content)
    # Every character once, CR included, markup escaped: offsets counted in the page are the text's.
    assert "".join(parsed.text) == TEXT
    assert "&lt;b&gt;smentisce&lt;/b&gt; &amp; tace" in content
    matched = [p for p in parsed.passages if "desk-passage--matched" in p["class"]]
    start = TEXT.index(FACTORY_SENTENCE)
    assert [(int(p["data-start"]), int(p["data-end"])) for p in matched] == [
        (start, start + len(FACTORY_SENTENCE))
    ]
    assert reverse("admin:factcheck_claim_change", args=[claim.pk]) in content
    assert "score 0.83 · Draft" in content
    assert 'src="/static/factcheck/admin/desk.js"' in content


def test_a_carriage_return_survives_as_a_character_reference():
    passage = matching.Passage(0, 3, "a\rb", [])
    from factcheck.admin.desk import DeskPassage

    rendered = desk_text_html("a\rb<", [DeskPassage(1, passage, {}, False)])

    assert "\r" not in rendered and "a&#13;b</span>&lt;" in rendered


def test_the_article_page_and_its_list_link_to_the_desk(admin_client):
    article = ArticleFactory(text=TEXT)
    change = admin_client.get(reverse("admin:factcheck_article_change", args=[article.pk]))
    listing = admin_client.get(reverse("admin:factcheck_article_changelist"))
    assert f'href="{desk_url(article)}"' in change.content.decode()
    assert f'href="{desk_url(article)}"' in listing.content.decode()


def test_the_candidate_list_points_out_known_contradictions(admin_client, suggest):
    article = ArticleFactory(text=TEXT)
    claim, other = draft_claim(), draft_claim(statement="Penang's factory has closed")
    ContradictionFactory(claim_a=claim, claim_b=other)
    suggest["fabbrica"] = [(claim, 0.7)]

    content = admin_client.get(desk_url(article)).content.decode()

    assert "Known contradiction:" in content and "Penang&#x27;s factory has closed" in content


def test_the_desk_costs_the_same_queries_whatever_the_suggestions(
    admin_client, suggest, django_assert_num_queries
):
    article = ArticleFactory(text=TEXT)
    claims = [draft_claim() for _ in range(6)]
    ContradictionFactory(claim_a=claims[0], claim_b=claims[1])
    AppearanceFactory(claim=claims[2], article=article, quote="Penang produce")
    admin_client.get(desk_url(article))  # session and permission caches warm

    suggest["fabbrica"] = [(claim, 0.9) for claim in claims[:1]]
    with django_assert_num_queries(7):
        admin_client.get(desk_url(article))
    suggest["fabbrica"] = [(claim, 0.9) for claim in claims[:5]]
    suggest["Penang 🇲🇾"] = [(claim, 0.5) for claim in claims]
    with django_assert_num_queries(7):
        admin_client.get(desk_url(article))


# --- Linking ---------------------------------------------------------------------------------


def test_linking_offsets_creates_the_appearance_with_the_text_as_its_quote(admin_client):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    # The offsets a browser sends for "fabbrica … 4 milioni", after an astral flag.
    start = TEXT.index("fabbrica")
    end = TEXT.index(" di chip")

    response = admin_client.post(
        desk_url(article),
        link_data(article, claim, start, end, attribution="secondo Reuters", translation=""),
    )

    assert response.status_code == 302
    assert response.url == f"{desk_url(article)}?linked={claim.pk}&stance=supports#desk-linked"
    appearance = Appearance.objects.get(claim=claim)
    assert (appearance.start, appearance.end) == (start, end)
    assert appearance.quote.encode() == TEXT[start:end].encode()
    assert appearance.attribution == "secondo Reuters"
    page = admin_client.get(response.url).content.decode()
    assert "Just linked:" in page and "No contradiction known" in page


def test_a_quote_sent_along_is_ignored_in_favour_of_the_text(admin_client):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    start = TEXT.index("Il sindaco")
    admin_client.post(
        desk_url(article), link_data(article, claim, start, start + 10, quote="Retyped words")
    )
    assert Appearance.objects.get(claim=claim).quote == "Il sindaco"


def test_after_linking_the_desk_points_out_a_conflict_in_the_same_article(admin_client):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    AppearanceFactory(claim=claim, article=article, quote="Il sindaco", stance=Stance.REFUTES)
    start = TEXT.index(FACTORY_SENTENCE)

    response = admin_client.post(
        desk_url(article),
        link_data(article, claim, start, start + len(FACTORY_SENTENCE)),
        follow=True,
    )

    content = response.content.decode()
    assert "Stated the other way:" in content and "this article already" in content
    assert "refutes it in" in content


def test_an_editor_linking_a_public_claim_is_told_it_waits_for_review():
    article = ArticleFactory(text=TEXT)
    claim = published_true_claim()
    start = TEXT.index("Il sindaco")

    response = client_for("editor").post(
        desk_url(article), link_data(article, claim, start, start + 10), follow=True
    )

    assert "waits for a Reviewer" in response.content.decode()
    assert EvidenceChange.objects.filter(claims=claim).count() == 1
    assert not Appearance.objects.filter(article=article).exists()


def test_a_new_claim_from_the_selection_is_created_with_its_appearance(admin_client):
    article = ArticleFactory(text=TEXT)
    start = TEXT.index(FACTORY_SENTENCE)
    data = {
        "_action": "new_claim",
        "start": start,
        "end": start + len(FACTORY_SENTENCE),
        "version": article.version,
        "statement": "A Penang factory makes four million chips a day",
        "stance": Stance.SUPPORTS,
    }

    response = admin_client.post(desk_url(article), data, follow=True)

    claim = Claim.objects.get(statement=data["statement"])
    assert claim.status == ReviewStatus.DRAFT
    assert claim.appearances.get().quote == FACTORY_SENTENCE
    assert "Created the draft claim" in response.content.decode()


# --- Permissions --------------------------------------------------------------------------------


def staff_with(*codenames) -> Client:
    user = User.objects.create_user("limited", "limited@example.org", "pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_desk_and_link(role):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    client = client_for(role)

    opened = client.get(desk_url(article)).status_code == 200
    client.post(desk_url(article), link_data(article, claim, 0, 6))

    assert opened == EDITORS[role]
    assert Appearance.objects.filter(claim=claim).exists() == EDITORS[role]


def test_viewing_articles_is_not_enough_to_link_or_create_claims():
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    client = staff_with("view_article", "view_claim")

    page = client.get(desk_url(article))
    linked = client.post(desk_url(article), link_data(article, claim, 0, 6))
    created = client.post(
        desk_url(article),
        {**link_data(article, claim, 0, 6), "_action": "new_claim", "statement": "X"},
    )

    assert page.status_code == 200 and 'id="desk-link-form"' not in page.content.decode()
    assert (linked.status_code, created.status_code) == (403, 403)
    assert not Appearance.objects.exists() and not Claim.objects.filter(statement="X").exists()


def test_linking_without_the_right_to_add_claims_keeps_new_claims_out_of_reach():
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    client = staff_with("view_article", "view_claim", "add_appearance")

    page = client.get(desk_url(article)).content.decode()
    created = client.post(
        desk_url(article),
        {**link_data(article, claim, 0, 6), "_action": "new_claim", "statement": "X"},
    )
    linked = client.post(desk_url(article), link_data(article, claim, 0, 6))

    assert 'id="desk-link-form"' in page and 'id="desk-new-claim-form"' not in page
    assert created.status_code == 403 and linked.status_code == 302
    assert Appearance.objects.filter(claim=claim).exists()


def test_an_unknown_article_is_not_found(admin_client):
    assert admin_client.get(reverse("admin:factcheck_article_desk", args=[987654])).status_code in (
        302,
        404,
    )


# --- Bad input ---------------------------------------------------------------------------------

BAD_LINKS = {
    "empty span": {"start": 5, "end": 5},
    "only blanks": {"start": TEXT.index("\n\n"), "end": TEXT.index("\n\n") + 2},
    "reversed": {"start": 20, "end": 10},
    "past the end": {"start": 0, "end": len(TEXT) + 1},
    "negative": {"start": -3, "end": 4},
    "huge": {"start": 0, "end": 10**30},
    "not a number": {"start": "abc", "end": "4"},
    "NUL in offset": {"start": "1\x00", "end": "4"},
    "missing offsets": {"start": "", "end": ""},
    "unknown claim": {"claim": 99999999},
    "claim beyond bigint": {"claim": "9" * 40},
    "claim not a number": {"claim": "'; drop table"},
    "no claim": {"claim": ""},
    "bad stance": {"stance": "loves"},
    "stale version": {"version": 0},
    "older version": {"version": -1},
    "control character": {"attribution": "secondo\x07Reuters"},
    "NUL attribution": {"attribution": "secondo\x00Reuters"},
    "long attribution": {"attribution": "x" * 301},
    "no action": {"_action": ""},
}


@pytest.mark.parametrize("case", BAD_LINKS)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(admin_client, case):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()

    response = admin_client.post(
        desk_url(article), {**link_data(article, claim, 0, 6), **BAD_LINKS[case]}
    )

    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert 'class="errornote" role="alert"' in response.content.decode()
    assert not Appearance.objects.exists()


def test_a_version_saved_since_the_desk_opened_is_refused_by_name(admin_client):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    data = link_data(article, claim, 0, 6)
    from factcheck import services

    article.title = "Corrected title"
    services.article_save(article=article)

    response = admin_client.post(desk_url(article), data)

    assert response.status_code == 400
    assert "after you opened the desk" in response.content.decode()
    assert not Appearance.objects.exists()


def test_linking_the_same_span_to_the_same_claim_twice_is_refused(admin_client):
    article = ArticleFactory(text=TEXT)
    claim = draft_claim()
    admin_client.post(desk_url(article), link_data(article, claim, 0, 6))
    again = admin_client.post(desk_url(article), link_data(article, claim, 0, 6))
    assert again.status_code == 400
    assert Appearance.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize(
    "query",
    ["?linked=abc&stance=supports", "?linked=99999999999999999999999", "?linked=1&stance=x"],
)
def test_a_made_up_linked_claim_in_the_address_shows_nothing(admin_client, query):
    article = ArticleFactory(text=TEXT)
    response = admin_client.get(desk_url(article) + query)
    assert response.status_code == 200 and "Just linked" not in response.content.decode()


# --- Suggestions for a selected span ------------------------------------------------------------


def suggestions_url(article) -> str:
    return reverse("admin:factcheck_article_desk_suggestions", args=[article.pk])


def test_a_selected_span_gets_the_claims_for_exactly_its_words(admin_client, monkeypatch):
    article = ArticleFactory(text=TEXT)
    claim, linked = draft_claim(statement="Penang's mayor says nothing"), draft_claim()
    start = TEXT.index("Il sindaco")
    AppearanceFactory(claim=linked, article=article, quote="sindaco")
    asked = []

    def candidates(text, *, language="", limit=5, exclude_claims=(), article_id=None):
        asked.append((text, language, set(exclude_claims), article_id))
        return [matching.Candidate(claim, 0.456)]

    monkeypatch.setattr(matching, "passage_candidates", candidates)

    response = admin_client.get(suggestions_url(article), {"start": start - 1, "end": start + 10})

    assert response.status_code == 200
    assert asked == [("Il sindaco", "it", {linked.pk}, article.pk)]
    assert response.json() == {
        "start": start,
        "end": start + 10,
        "candidates": [
            {
                "claim": claim.pk,
                "statement": claim.statement,
                "status": "Draft",
                "score": 0.46,
                "stated_together": False,
            }
        ],
    }


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"start": 4, "end": 2},
        {"start": 0, "end": 10**9},
        {"start": "x", "end": 3},
        {"start": 3, "end": 3},
    ],
)
def test_a_bad_span_gets_no_suggestions_but_a_reason(admin_client, query):
    article = ArticleFactory(text=TEXT)
    response = admin_client.get(suggestions_url(article), query)
    assert response.status_code == 400 and response.json()["errors"]


def test_suggestions_for_a_span_need_the_right_to_view_articles():
    article = ArticleFactory(text=TEXT)
    response = client_for("staff_without_group").get(
        suggestions_url(article), {"start": 0, "end": 6}
    )
    assert response.status_code == 403


BAD_NEW_CLAIMS = {
    "no statement": {"statement": "   "},
    "statement too long": {"statement": "x" * 501},
    "statement taken": {"statement": "Already a claim"},
    "NUL in statement": {"statement": "A claim\x00"},
    "control character": {"statement": "A claim\x1b[31m"},
    "empty span": {"start": 4, "end": 4},
    "bad stance": {"stance": ""},
    "stale version": {"version": 99},
}


@pytest.mark.parametrize("case", BAD_NEW_CLAIMS)
def test_a_bad_new_claim_is_refused_and_neither_row_is_created(admin_client, case):
    article = ArticleFactory(text=TEXT)
    draft_claim(statement="Already a claim")
    data = {
        "_action": "new_claim",
        "start": 0,
        "end": 6,
        "version": article.version,
        "statement": "A fresh claim",
        "stance": Stance.SUPPORTS,
        "attribution": "secondo Reuters",
        **BAD_NEW_CLAIMS[case],
    }

    response = admin_client.post(desk_url(article), data)

    assert response.status_code == 400
    assert 'class="errornote" role="alert"' in response.content.decode()
    assert Claim.objects.count() == 1 and not Appearance.objects.exists()
    # What was typed is kept for another try.
    assert 'value="secondo Reuters"' in response.content.decode()


def test_a_claim_quoted_elsewhere_with_a_linked_one_says_so(admin_client):
    exports = draft_claim(statement="Zanzibar exports its cloves to Oman")
    dhows = draft_claim(statement="Zanzibar cloves travel to Oman by dhow")
    elsewhere = ArticleFactory(
        language="en", text="Zanzibar sends its cloves to Oman, and they go by dhow."
    )
    AppearanceFactory(
        article=elsewhere, claim=exports, quote="Zanzibar sends its cloves to Oman", translation=""
    )
    AppearanceFactory(article=elsewhere, claim=dhows, quote="they go by dhow", translation="")
    article = ArticleFactory(language="en", text="Zanzibar exports its cloves to Oman by dhow.")
    AppearanceFactory(
        article=article, claim=exports, quote="Zanzibar exports its cloves", translation=""
    )

    content = admin_client.get(desk_url(article)).content.decode()

    [item] = re.findall(r'<li class="desk-candidate"[^>]*>.*?</li>', content, re.S)
    assert f'data-claim="{dhows.pk}"' in item and 'data-together="true"' in item
    assert "Quoted in another article with a claim linked here." in item
