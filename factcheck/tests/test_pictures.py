"""The server-drawn pictures and the contradictions on a time line, read back from the pages."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree, html

from factcheck import services
from factcheck.models import (
    Article,
    Claim,
    ContradictionKind,
    Correction,
    DatePrecision,
    Stance,
    Verdict,
)
from factcheck.selectors import claims_evidence_spans
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
)

pytestmark = pytest.mark.django_db

SVG_NAMESPACE = {"svg": "http://www.w3.org/2000/svg"}
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def picture(response, name: str):
    """The named picture of a page, parsed as the XML it must be."""
    found = re.search(
        rf'<svg class="picture-{name}".*?</svg>', response.content.decode(), flags=re.DOTALL
    )
    assert found, f"no {name} on the page"
    return etree.fromstring(found.group())


def picture_of(element, name: str):
    """The named picture inside a parsed page element, as XML."""
    [found] = element.xpath(f".//svg[@class='picture-{name}']")
    return etree.fromstring(html.tostring(found))


def find(element, path: str) -> list:
    return element.xpath(path, namespaces=SVG_NAMESPACE)


def with_class(element, name: str) -> list:
    """The elements under `element` (in a parsed page) carrying the class `name`."""
    return element.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def dated(day: str, precision: str = DatePrecision.DAY, **fields) -> Article:
    return ArticleFactory(published_on=day, date_precision=precision, **fields)


def quote(claim, article, stance=Stance.SUPPORTS):
    return AppearanceFactory(claim=claim, article=article, stance=stance)


@pytest.fixture
def evidence():
    """A claim with one report retold three times, an independent refutation, and an
    origin whose own retellings disagree."""
    claim = ClaimFactory(statement="Three retellings and their origin")
    report = dated("2024-02-01", is_archived=False, title="The upstream report")
    retellings = [dated(f"2024-0{month}-10", retells=report) for month in (3, 4, 5)]
    for article in retellings:
        quote(claim, article)
    refutation = dated("2025-01-01", DatePrecision.YEAR, title="An independent denial")
    quote(claim, refutation, Stance.REFUTES)
    split = dated("2024-09-01", DatePrecision.MONTH, title="A split report")
    quote(claim, split, Stance.QUALIFIES)
    quote(claim, dated("2024-10-02", retells=split), Stance.SUPPORTS)
    return claim, report, retellings, refutation, split


# --- Origins by stance ---------------------------------------------------------------


def test_one_mark_per_independent_origin_with_its_retellings_under_it(client, evidence):
    claim, *_ = evidence
    origins = picture(client.get(claim.get_absolute_url()), "origins-picture")
    rows = {
        row.get("data-stance"): [
            int(mark.get("data-articles")) for mark in find(row, "svg:g[@class='origin']")
        ]
        for row in find(origins, "//svg:g[@class='stance-row']")
    }
    # Supports: the retold report (three articles) and the split report (one retelling).
    assert rows == {"supports": [3, 1], "qualifies": [1], "refutes": [1]}
    supports = find(origins, "//svg:g[@data-stance='supports']")[0]
    assert supports.get("data-origins") == "2"
    assert find(supports, "svg:text")[0].text == "Supports: 2 origins, 4 articles"
    first = find(supports, "svg:g[@class='origin']")[0]
    # Origins with as many articles share one drawing, placed by reference.
    [use] = find(first, "svg:use")
    [drawing] = find(origins, f"//svg:g[@id='{use.get(XLINK_HREF)[1:]}']")
    assert use.get("class") == "mark supports"
    marks = find(drawing, "svg:path")[-1].get("d")
    assert marks.count("M") == 1 + 3  # the origin's mark and three articles
    assert find(first, "svg:title")[0].text == "The upstream report, through 3 articles"


def test_origins_picture_is_named_and_described(client, evidence):
    claim, *_ = evidence
    origins = picture(client.get(claim.get_absolute_url()), "origins-picture")
    assert origins.get("role") == "img"
    assert origins.get("aria-labelledby") == "origins-picture-title origins-picture-desc"
    description = find(origins, "svg:desc")[0].text
    assert "Supports: 2 origins, 4 articles; Qualifies: 1 origin, 1 article" in description
    assert "style" not in etree.tostring(origins).decode()  # the policy forbids inline style


def test_a_claim_without_appearances_has_no_pictures(client):
    content = client.get(ClaimFactory().get_absolute_url()).content.decode()
    assert "<svg" not in content


# --- Agreement timeline --------------------------------------------------------------


def test_timeline_points_match_the_appearances_dates_and_stances(client, evidence):
    claim, *_ = evidence
    timeline = picture(client.get(claim.get_absolute_url()), "timeline-picture")
    points = [
        (point.get("data-stance"), point.get("data-date"), int(point.get("data-count")))
        for point in find(timeline, "//svg:g[@class='point']")
    ]
    # Each origin counts from the first article quoting it with that stance: the upstream
    # report from its first retelling, not from the later two.
    assert points == [
        ("supports", "2024-03-10", 1),
        ("supports", "2024-10-02", 2),
        ("qualifies", "2024-09", 1),
        ("refutes", "2025", 1),
    ]
    # A date known to its month or year is drawn across the period, a day is a mark alone.
    spans = [
        point.get("data-date")
        for point in find(timeline, "//svg:g[@class='point']")
        if find(point, "svg:path[starts-with(@class, 'span')]")
    ]
    assert spans == ["2024-09", "2025"]


def test_timeline_marks_the_verdict_and_each_correction(client, evidence):
    claim, *_ = evidence
    claim = Claim.objects.get(pk=claim.pk)
    claim.verdict = Verdict.MIXED
    services.claim_save(claim=claim, correction_note="The denial came later.")
    correction = Correction.objects.get(claim=claim)
    response = client.get(claim.get_absolute_url())
    timeline = picture(response, "timeline-picture")
    [verdict] = find(timeline, "//svg:g[@class='event verdict']")
    [corrected] = find(timeline, "//svg:g[@class='event correction']")
    assert verdict.get("data-date") == timezone.localdate(claim.reviewed_at).isoformat()
    assert corrected.get("data-date") == timezone.localdate(correction.created_at).isoformat()
    assert find(corrected, "svg:text")[0].text == "Correction 1"
    # The list says the same in words, in date order, and links to the correction.
    [timeline_list] = with_class(html.fromstring(response.content), "timeline")
    items = timeline_list.xpath("li")
    texts = [item.text_content() for item in items]
    assert texts[0].startswith("10 March 2024: The upstream report (supports, first in")
    assert texts[0].endswith("supporting origins so far: 1.")
    assert any(text.endswith(": verdict given") for text in texts)
    assert items[-1].xpath(".//a")[0].get("href") == f"#correction-{correction.pk}"


def test_timeline_lists_undated_evidence_in_words(client):
    claim = ClaimFactory()
    quote(claim, ArticleFactory(published_on=None, date_precision=DatePrecision.UNKNOWN))
    response = client.get(claim.get_absolute_url())
    assert 'class="point"' not in response.content.decode()  # nothing to place on a date
    [timeline_list] = with_class(html.fromstring(response.content), "timeline")
    items = timeline_list.xpath("li")
    assert items[-1].text_content().startswith("Date unknown: ")


# --- Retelling tree ------------------------------------------------------------------


def test_retelling_tree_runs_from_the_origin_to_the_article_and_its_retellings(client):
    origin = dated("2024-01-01", is_archived=False, title="Wire report")
    middle = dated("2024-01-02", retells=origin, title="National story")
    article = dated("2024-01-03", retells=middle, title="Local story")
    retold = [dated(f"2024-01-1{n}", retells=article, title=f"Blog post {n}") for n in (1, 2)]
    claim = ClaimFactory()
    for item in (article, *retold):
        quote(claim, item)
    tree = picture(client.get(article.get_absolute_url()), "chain-picture")
    nodes = [
        (int(node.get("data-article")), node.get("class"))
        for node in find(tree, "//svg:g[starts-with(@class, 'node')]")
    ]
    assert nodes == [
        (origin.pk, "node origin not-archived"),
        (middle.pk, "node upstream"),
        (article.pk, "node this"),
        (retold[0].pk, "node retelling"),
        (retold[1].pk, "node retelling"),
    ]
    labels = [text.text for text in find(tree, "//svg:text")]
    assert labels[0].startswith("Wire report (")
    assert labels[0].endswith("the origin, not archived")
    assert labels[2].startswith("This article: Local story")
    assert len(find(tree, "//svg:path[@class='edge']")) == 4


def test_an_original_report_nobody_retells_has_no_tree(client):
    article = dated("2024-01-03")
    quote(ClaimFactory(), article)
    assert "chain-picture" not in client.get(article.get_absolute_url()).content.decode()


# --- Contradictions on a time line ---------------------------------------------------


def sides(response, contradiction) -> list:
    page = html.fromstring(response.content)
    [element] = page.xpath(f"//*[@id='contradiction-{contradiction.pk}']")
    [pair] = with_class(element, "pair")
    return element, with_class(pair, "side")


def test_contradiction_shows_the_older_claim_left_and_what_superseded_it(client):
    older = ClaimFactory(statement="Shipments will pass a million")
    newer = ClaimFactory(statement="Sales now need a licence")
    quote(older, dated("2023-05-01", DatePrecision.MONTH))
    quote(newer, dated("2025-04-14"))
    quote(newer, dated("2025-07-01", DatePrecision.MONTH))
    contradiction = ContradictionFactory(
        claim_a=newer,
        claim_b=older,
        kind=ContradictionKind.EXPLAINED_BY_TIME,
        superseded_claim=older,
    )
    for url in (reverse("factcheck:contradiction_list"), newer.get_absolute_url()):
        element, (left, right) = sides(client.get(url), contradiction)
        assert older.statement in left.text_content()
        assert newer.statement in right.text_content()
        assert "Older, superseded · Evidence from May 2023" in left.text_content()
        assert "Newer · Evidence from 14 April 2025 to July 2025" in right.text_content()
        [sentence] = with_class(element, "superseded")
        assert sentence.text_content() == (
            f"Explained by time: “{newer.statement}”, reported from 14 April 2025, "
            f"supersedes “{older.statement}”."
        )
        [when] = sentence.xpath(".//time")
        assert when.get("datetime") == "2025-04-14"
        # The same on one time line: the older claim's evidence first, then the newer's,
        # each to the last day its imprecise date may mean, and when the newer began.
        timeline = picture_of(element, f"contradiction-{contradiction.pk}-picture")
        bars = [
            (int(bar.get("data-claim")), bar.get("data-from"), bar.get("data-to"))
            for bar in find(timeline, "//svg:g[starts-with(@class, 'evidence')]")
        ]
        assert bars == [
            (older.pk, "2023-05-01", "2023-05-31"),
            (newer.pk, "2025-04-14", "2025-07-31"),
        ]
        assert find(timeline, "//svg:path[@class='superseded-at']")


def test_contradiction_heading_holds_the_kind_and_the_status_apart(client):
    contradiction = ContradictionFactory(kind=ContradictionKind.TENSION)
    element, _ = sides(client.get(reverse("factcheck:contradiction_list")), contradiction)
    assert element.xpath(".//h2")[0].text_content() == "Tension"
    assert with_class(element, "contradiction-status")[0].text_content() == "Status: Open"


def test_without_a_superseded_claim_the_earlier_evidence_goes_left(client):
    later = ClaimFactory(statement="Reported later")
    earlier = ClaimFactory(statement="Reported earlier")
    quote(later, dated("2025-03-01"))
    quote(earlier, dated("2024-03-01"))
    undated = ClaimFactory(statement="Never dated")
    quote(undated, ArticleFactory(published_on=None, date_precision=DatePrecision.UNKNOWN))
    first = ContradictionFactory(claim_a=later, claim_b=earlier)
    second = ContradictionFactory(claim_a=undated, claim_b=earlier)
    response = client.get(reverse("factcheck:contradiction_list"))
    _, (left, right) = sides(response, first)
    assert "Reported earlier" in left.text_content()
    assert left.text_content().strip().startswith("Older · Evidence from 1 March 2024")
    _, (left, right) = sides(response, second)
    assert "Reported earlier" in left.text_content()
    assert "No dated evidence" in right.text_content()


def test_evidence_spans_end_where_an_imprecise_date_ends():
    claim = ClaimFactory()
    quote(claim, dated("2025-06-30"))
    quote(claim, dated("2025-01-01", DatePrecision.YEAR))
    quote(claim, dated("2024-11-20"))
    span = claims_evidence_spans([claim.pk])[claim.pk]
    assert (span.first.iso_date, span.last.iso_date) == ("2024-11-20", "2025")


def test_evidence_spans_leave_out_unpublished_claims_evidence():
    hidden = ClaimFactory(status="draft")
    quote(hidden, dated("2024-11-20"))
    assert claims_evidence_spans([hidden.pk]) == {}


# --- The seed corpus -----------------------------------------------------------------


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def test_seed_example_shows_three_retellings_under_one_origin(client, seed):
    claim = Claim.objects.get(slug="alibaba-bytedance-train-ai-in-southeast-asia")
    report = claim.appearances.first().article.origin
    assert report.outlet.slug == "financial-times"
    retellings = set(Article.objects.filter(retells=report))
    assert len(retellings) == 3  # the seed files 000, 001 and 003
    response = client.get(claim.get_absolute_url())
    origins = picture(response, "origins-picture")
    [row] = find(origins, "//svg:g[@class='stance-row']")
    assert row.get("data-stance") == "supports"
    [mark] = find(row, "svg:g[@class='origin']")
    assert mark.get("data-articles") == "3"
    assert find(mark, "svg:title")[0].text == f"{report.display_title}, through 3 articles"
    quoting = {appearance.article for appearance in claim.appearances.all()}
    assert quoting == retellings


def test_seed_tsmc_contradiction_shows_both_sides_with_their_dates(client, seed):
    tsmc = Claim.objects.get(slug="chinese-ai-chips-made-by-tsmc")
    [contradiction] = tsmc.contradictions_as_a.all()
    _, found = sides(client.get(reverse("factcheck:contradiction_list")), contradiction)
    # Both sides' evidence is from 2025, so neither is older: they stand in claim order.
    claims = sorted([contradiction.claim_a, contradiction.claim_b], key=lambda c: c.pk)
    for side, claim in zip(found, claims, strict=True):
        assert claim.statement in side.text_content()
        years = {a.article.published_on.year for a in claim.appearances.select_related("article")}
        assert years == {2025}
        [when] = with_class(side, "side-when")[0].xpath(".//time")
        assert when.get("datetime") == "2025"


def test_pictures_cost_no_query_per_origin_or_appearance(client):
    counts = []
    for origins in (1, 12):
        claim = ClaimFactory()
        for number in range(origins):
            report = dated(f"2024-01-{number + 1:02}", is_archived=False)
            for day in (10, 11):
                quote(claim, dated(f"2024-02-{day}", retells=report))
        response = client.get(claim.get_absolute_url())
        assert (
            len(find(picture(response, "origins-picture"), "//svg:g[@class='origin']")) == origins
        )
        with CaptureQueriesContext(connection) as queries:
            client.get(claim.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pictures_escape_what_editors_typed(client):
    claim = ClaimFactory()
    hostile = '<script>alert("x")</script> & Co'
    report = dated("2024-01-01", is_archived=False, title=hostile)
    article = dated("2024-02-01", retells=report, title=hostile + " retold")
    quote(claim, article)
    for url in (claim.get_absolute_url(), article.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in content


def test_contradictions_escape_what_editors_wrote(client):
    """The contradictions are written from Python: statements and explanations must come
    out as text, in the sides, the picture and the superseded sentence alike."""
    older = ClaimFactory(statement="Older <b>bold</b> & co")
    newer = ClaimFactory(statement='Newer <script>alert("x")</script>')
    quote(older, dated("2023-05-01"))
    quote(newer, dated("2025-04-14"))
    contradiction = ContradictionFactory(
        claim_a=newer,
        claim_b=older,
        kind=ContradictionKind.EXPLAINED_BY_TIME,
        superseded_claim=older,
        explanation="Figures <i>differ</i>\n\nSecond paragraph",
    )
    for url in (reverse("factcheck:contradiction_list"), older.get_absolute_url()):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text and "<b>bold</b>" not in text
        assert "Older &lt;b&gt;bold&lt;/b&gt; &amp; co" in text
        assert "<p>Figures &lt;i&gt;differ&lt;/i&gt;</p>\n\n<p>Second paragraph</p>" in text
        element, (left, right) = sides(client.get(url), contradiction)
        assert older.statement in left.text_content()
        assert newer.statement in right.text_content()
        [sentence] = with_class(element, "superseded")
        assert f"“{newer.statement}”" in sentence.text_content()
