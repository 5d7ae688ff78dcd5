"""The public API: what each endpoint answers, its filters, sorts, pages and costs."""

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from factcheck import services
from factcheck.models import AgreementLabel, Claim, ReviewStatus, Verdict
from factcheck.tests.api_helpers import endpoint_urls
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory, OutletFactory
from factcheck.tests.reader_data import build_reader_corpus, mark_reviewed_now, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    """An anonymous client, unthrottled (throttling has a test of its own)."""
    settings.API_ANON_RATE = None
    return client


CLAIM_LIST_FIELDS = {
    "slug",
    "statement",
    "claimant",
    "verdict",
    "verdict_label",
    "agreement",
    "article_count",
    "origin_count",
    "open_contradictions",
    "reviewed_at",
    "updated_at",
    "page_url",
    "api_url",
}


def every_row(api, url: str) -> list[dict]:
    """Follow `next` from `url` to the end."""
    rows, seen = [], set()
    while url:
        assert url not in seen, f"{url} was reached twice: the cursor went back"
        seen.add(url)
        response = api.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        rows += page["results"]
        url = page["next"]
    return rows


def slugs(rows) -> list[str]:
    return [row["slug"] for row in rows]


# --- Every endpoint -------------------------------------------------------------------


def test_every_endpoint_answers_json_with_validators(api, reader_corpus):
    for name, url in endpoint_urls(reader_corpus).items():
        response = api.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/json"
        assert response["ETag"].startswith('"')
        assert json.loads(response.content)


def test_the_api_is_read_only(api, reader_corpus):
    for method in ("post", "put", "patch", "delete"):
        for url in endpoint_urls(reader_corpus).values():
            response = getattr(api, method)(url, data={}, content_type="application/json")
            assert response.status_code == 405, (method, url)
    assert Claim.objects.count() == len(reader_corpus.claims) + len(reader_corpus.hidden)


def test_head_and_options_answer(api, reader_corpus):
    url = endpoint_urls(reader_corpus)["claim_detail"]
    assert api.head(url).status_code == 200
    options = api.options(url)
    assert options.status_code == 200
    assert options.json()["name"]


def test_an_unknown_api_address_is_a_json_404(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert "docs" in response.json()["detail"]


# --- Claims list: fields, filters, sorts, pages -----------------------------------------


def test_claims_carry_their_claimant_in_the_list_and_the_detail(api, reader_corpus):
    from factcheck import services
    from factcheck.tests.factories import ClaimantFactory

    claim, other = reader_corpus.claims[:2]
    claim.claimant = ClaimantFactory(
        name="Ada Example", slug="ada-example", url="https://example.org/ada"
    )
    services.claim_save(claim=claim)
    expected = {
        "name": "Ada Example",
        "slug": "ada-example",
        "kind": "person",
        "description": "Minister of examples",
        "url": "https://example.org/ada",
    }
    listed = {row["slug"]: row for row in every_row(api, reverse("api:claim-list"))}
    assert listed[claim.slug]["claimant"] == expected
    assert listed[other.slug]["claimant"] is None
    detail = api.get(reverse("api:claim-detail", kwargs={"slug": claim.slug})).json()
    assert detail["claimant"] == expected


def test_claim_list_fields_and_only_published_claims(api, reader_corpus):
    rows = every_row(api, reverse("api:claim-list"))
    assert slugs(rows) == sorted(claim.slug for claim in reader_corpus.claims)
    first = rows[0]
    assert set(first) == CLAIM_LIST_FIELDS
    claim = Claim.objects.get(slug=first["slug"])
    assert first["agreement"] == {
        "label": claim.agreement_label,
        "score": claim.agreement_score,
        "supporting_origins": claim.supporting_origins,
        "refuting_origins": claim.refuting_origins,
    }
    assert first["page_url"] == "http://testserver" + claim.get_absolute_url()
    assert first["open_contradictions"] == 1


@pytest.fixture
def varied_claims(db):
    """Published claims that differ in verdict, agreement, outlets, languages and dates."""
    corpus = build_reader_corpus(claims=4, articles=2)
    english = ArticleFactory(
        outlet=OutletFactory(name="Daily Wire", slug="daily-wire"),
        language="en",
        text="Hospitals reported a shortage of nurses this winter.",
    )
    nurses = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.FALSE))
    AppearanceFactory(
        claim=nurses, article=english, quote="shortage of nurses", translation="", stance="refutes"
    )
    unquoted = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.NOT_ENOUGH_EVIDENCE))
    mark_reviewed_now(corpus.claims[:2])
    return {"corpus": corpus, "nurses": nurses, "unquoted": unquoted}


FILTER_CASES = [
    ({"verdict": "false"}, lambda c: {c["nurses"].slug}),
    (
        {"agreement_label": "refuted"},
        lambda c: (
            set(
                Claim.objects.published()
                .filter(agreement_label="refuted")
                .values_list("slug", flat=True)
            )
            | {c["nurses"].slug}
        ),
    ),
    ({"outlet": "daily-wire"}, lambda c: {c["nurses"].slug}),
    ({"language": "en"}, lambda c: {c["nurses"].slug}),
    ({"q": "nurses"}, lambda c: set()),
    ({"q": "Background 2"}, lambda c: {c["corpus"].claims[2].slug}),
    ({"has_contradictions": "false"}, lambda c: {c["nurses"].slug, c["unquoted"].slug}),
    (
        {"has_contradictions": "true", "language": "it"},
        lambda c: {claim.slug for claim in c["corpus"].claims},
    ),
]


def test_claim_list_filters_are_the_index_filters(api, varied_claims):
    published = set(Claim.objects.published().values_list("slug", flat=True))
    for query, expected in FILTER_CASES:
        rows = every_row(api, reverse("api:claim-list") + "?" + urlencode(query))
        found = set(slugs(rows))
        assert found == expected(varied_claims), query
        # Filters narrow: every published claim not expected is absent.
        assert found < published, query


SORTS = [
    "statement",
    "verdict",
    "agreement",
    "article_count",
    "origin_count",
    "open_contradictions",
    "reviewed_at",
]


def test_cursor_pages_walk_the_index_order_without_gaps_or_repeats(api, client, varied_claims):
    for sort in [*SORTS, *(f"-{sort}" for sort in SORTS)]:
        walk_in_order(api, client, sort)


def walk_in_order(api, client, sort: str) -> None:
    url = reverse("api:claim-list") + f"?sort={sort}"
    one_page = api.get(url + "&page_size=100").json()
    assert one_page["next"] is None
    walked = every_row(api, url + "&page_size=1")
    assert slugs(walked) == slugs(one_page["results"])
    assert len(walked) == Claim.objects.published().count()
    # The same order as the reader index sorted the same way (its table links claims).
    page = client.get(reverse("factcheck:claim_list") + f"?sort={sort}").content.decode()
    positions = [page.index(f'href="/claims/{slug}/"') for slug in slugs(walked)]
    assert positions == sorted(positions)


def test_claims_without_agreement_or_review_date_come_last_both_ways(api, varied_claims):
    unquoted = varied_claims["unquoted"]
    Claim.objects.filter(pk=unquoted.pk).update(reviewed_at=None)
    for sort in ("agreement", "-agreement", "reviewed_at", "-reviewed_at"):
        rows = every_row(api, reverse("api:claim-list") + f"?sort={sort}&page_size=2")
        assert slugs(rows)[-1] == unquoted.slug, sort
        assert len(rows) == Claim.objects.published().count()


# --- Claim detail -----------------------------------------------------------------------


def test_claim_detail_is_the_claim_page_record(api, reader_corpus):
    claim = reader_corpus.claim
    data = api.get(reverse("api:claim-detail", kwargs={"slug": claim.slug})).json()
    assert data["status"] == "published"
    assert data["context"] == claim.context
    assert data["agreement"]["label"] == claim.agreement_label
    assert data["agreement"]["appearances"] == claim.appearances.count() == 3
    assert {item["id"] for item in data["appearances"]} == set(
        claim.appearances.values_list("pk", flat=True)
    )
    appearance = data["appearances"][0]
    assert set(appearance) == {
        "id", "article", "quote", "start", "end", "stance", "attribution", "translation", "page_url"
    }  # fmt: skip
    # Retellings of the upstream report count once, as that origin.
    origins = {item["origin"]["id"]: item for item in data["origins"]}
    assert len(origins) == claim.origin_count
    assert len(origins[reader_corpus.upstream.pk]["articles"]) == 2
    [contradiction] = data["contradictions"]
    assert contradiction["other_claim"]["slug"] == reader_corpus.claims[1].slug
    assert [entry["kind"] for entry in data["history"]] == ["published"]
    # New reporting arrived after publication: the claim page says so, and so does the API.
    page = api.get(claim.get_absolute_url()).content.decode()
    assert data["reporting_under_review"] is ("New reporting is under review" in page)


def test_a_correction_shows_in_the_claim_and_in_the_corrections_list(api, reader_corpus):
    claim = reader_corpus.claim
    claim.verdict = Verdict.FALSE
    services.claim_save(claim=claim, correction_note="Newer figures contradict it.")
    data = api.get(reverse("api:claim-detail", kwargs={"slug": claim.slug})).json()
    [correction] = data["corrections"]
    assert correction["note"] == "Newer figures contradict it."
    assert (correction["previous_verdict"], correction["new_verdict"]) == ("mostly_true", "false")
    assert [entry["kind"] for entry in data["history"]] == ["published", "corrected"]
    [listed] = api.get(reverse("api:correction-list")).json()["results"]
    assert listed["claim"]["slug"] == claim.slug
    assert listed["id"] == correction["id"]


def test_a_retracted_claim_answers_as_its_page_does_and_is_listed_nowhere(api, reader_corpus):
    from factcheck import workflow

    claim = reader_corpus.claim
    workflow.claim_transition(claim=claim, name="retract", user=None, note="A parody account.")
    data = api.get(reverse("api:claim-detail", kwargs={"slug": claim.slug})).json()
    assert (data["status"], data["retraction_note"]) == ("retracted", "A parody account.")
    assert data["contradictions"] == []
    assert data["history"][-1]["kind"] == "retracted"
    listed = every_row(api, reverse("api:claim-list"))
    assert claim.slug not in slugs(listed)
    contradictions = api.get(reverse("api:contradiction-list")).json()["results"]
    assert claim.slug not in json.dumps(contradictions)


def test_a_renamed_claim_redirects_from_its_old_slug(api, reader_corpus):
    claim = reader_corpus.claim
    old = claim.slug
    claim.slug = "a-new-address"
    services.claim_save(claim=claim)
    response = api.get(reverse("api:claim-detail", kwargs={"slug": old}))
    assert response.status_code == 301
    assert response["Location"] == reverse("api:claim-detail", kwargs={"slug": "a-new-address"})


def test_a_missing_claim_is_a_json_404(api, reader_corpus):
    response = api.get(reverse("api:claim-detail", kwargs={"slug": "no-such-claim"}))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published claim has this slug."}


# --- Articles, outlets, contradictions -----------------------------------------------------


def test_article_detail_lists_the_quotes_of_published_claims(api, reader_corpus):
    article = reader_corpus.article
    data = api.get(reverse("api:article-detail", kwargs={"pk": article.pk})).json()
    assert data["retells"] == reader_corpus.upstream.pk
    assert data["origin"] == reader_corpus.upstream.pk
    quoted = {quote["claim"]["slug"] for quote in data["quotes"]}
    assert quoted == {claim.slug for claim in reader_corpus.claims}
    assert data["text"] is None


def test_article_text_is_given_only_where_the_licence_setting_allows(api, reader_corpus, settings):
    settings.API_ARTICLE_TEXT = True
    url = reverse("api:article-detail", kwargs={"pk": reader_corpus.article.pk})
    assert api.get(url).json()["text"] == reader_corpus.article.text
    upstream = reverse("api:article-detail", kwargs={"pk": reader_corpus.upstream.pk})
    assert api.get(upstream).json()["text"] is None


def test_articles_filter_by_outlet_and_refuse_an_unknown_one(api, reader_corpus):
    rows = every_row(api, reverse("api:article-list") + f"?outlet={reader_corpus.outlet.slug}")
    assert {row["id"] for row in rows} == {article.pk for article in reader_corpus.articles}
    response = api.get(reverse("api:article-list") + "?outlet=no-such-outlet")
    assert response.status_code == 400
    assert "no-such-outlet" in response.json()["outlet"][0]


def test_contradictions_open_first_and_filtered(api, reader_corpus):
    from factcheck.models import ContradictionStatus

    first, second = reader_corpus.contradictions
    first.status = ContradictionStatus.RESOLVED
    services.contradiction_save(contradiction=first)
    rows = every_row(api, reverse("api:contradiction-list") + "?page_size=1")
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    resolved = every_row(api, reverse("api:contradiction-list") + "?status=resolved")
    assert [row["id"] for row in resolved] == [first.pk]


def test_outlets_are_the_public_ones(api, reader_corpus):
    OutletFactory(name="Nobody quotes us", slug="nobody")
    rows = every_row(api, reverse("api:outlet-list"))
    assert [row["slug"] for row in rows] == ["financial-times", "il-quotidiano"]
    assert rows[1] == api.get(rows[1]["api_url"]).json()
    assert set(rows[1]) == {
        "slug", "name", "api_url", "page_url", "homepage", "country", "language", "kind",
        "description",
    }  # fmt: skip
    assert api.get(reverse("api:outlet-detail", kwargs={"slug": "nobody"})).status_code == 404


def test_agreement_labels_are_the_models_choices(api, reader_corpus):
    rows = every_row(api, reverse("api:claim-list"))
    assert {row["agreement"]["label"] for row in rows} <= set(AgreementLabel.values)
