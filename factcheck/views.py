"""Reader pages. Every queryset starts from what is public (see ClaimQuerySet, and the
public() of articles, outlets and appearances).

Staff who may change a kind of record also see its unpublished ones at their reader
address, as a preview: marked with a banner, never cached, never marked up for search
engines. Everyone else gets the 404 a missing page gets.
"""

from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from factcheck import search as reader_search
from factcheck import selectors
from factcheck.agreement import claim_agreement_breakdown
from factcheck.filters import ClaimFilter
from factcheck.highlights import text_with_quotes
from factcheck.models import Article, Claim, Outlet, ReviewStatus, Stance
from factcheck.reader_urls import ReaderUrls
from factcheck.structured_data import claim_review, json_ld_script
from factcheck.tables import ClaimTable, IdsFirstQuerysetData, SafeTableExport


def can_preview(user, model) -> bool:
    """Staff holding the change permission on `model` see its unpublished records."""
    opts = model._meta
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def preview_response(response):
    # Belt and braces beside the page cache, which already skips logged-in users: no
    # browser or proxy may keep a page readers are not allowed to see.
    patch_cache_control(response, private=True, no_store=True)
    return response


CLAIM_PREVIEW_REASONS = {
    ReviewStatus.DRAFT: _("readers cannot see this claim; it is a draft."),
    ReviewStatus.IN_REVIEW: _("readers cannot see this claim; it is in review."),
}
ARTICLE_PREVIEW = _(
    "readers cannot see this article; no published claim quotes it, nor an article that retells it."
)
OUTLET_PREVIEW = _("readers cannot see this outlet; none of its articles is public.")


def home(request):
    return render(
        request,
        "factcheck/home.html",
        {
            "most_contested": selectors.claims_most_contested(),
            "latest_reviewed": selectors.claims_latest_reviewed(),
            "figures": selectors.corpus_figures(),
        },
    )


class ClaimListView(ExportMixin, SingleTableMixin, FilterView):
    table_class = ClaimTable
    filterset_class = ClaimFilter
    template_name = "factcheck/claim_list.html"
    export_class = SafeTableExport
    export_name = "claims"
    export_formats = ("csv",)

    def get_queryset(self):
        return selectors.claim_table_rows().order_by("statement", "pk")

    def get_table_data(self):
        return IdsFirstQuerysetData(super().get_table_data())


class ClaimDetailView(DetailView):
    template_name = "factcheck/claim_detail.html"

    def get_queryset(self):
        claims = Claim.objects.annotate(
            reporting_under_review=ExpressionWrapper(
                selectors.reporting_under_review(), output_field=BooleanField()
            )
        ).defer("editor_note")
        if can_preview(self.request.user, Claim):
            return claims
        return claims.public()

    def get_object(self, queryset=None):
        # The claimant line comes with the claim (the old-slug lookup reads only ids).
        if queryset is None:
            queryset = self.get_queryset().select_related("claimant")
        return super().get_object(queryset)

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # A renamed claim keeps its old addresses, however many renames ago.
            renamed = selectors.claim_for_old_slug(slug=kwargs["slug"], claims=self.get_queryset())
            if renamed is None:
                raise
            return HttpResponsePermanentRedirect(renamed.get_absolute_url())
        self.preview = CLAIM_PREVIEW_REASONS.get(self.object.status, "")
        response = self.render_to_response(self.get_context_data(object=self.object))
        return preview_response(response) if self.preview else response

    def get_context_data(self, **kwargs):
        claim = self.object
        appearances = selectors.claim_page_evidence(claim=claim, preview=bool(self.preview))
        corrections = selectors.claim_corrections(claim=claim)
        breakdown = claim_agreement_breakdown(claim=claim, appearances=appearances)
        context = {
            "appearances": appearances,
            "breakdown": breakdown,
            "stance_rows": [
                (stance, breakdown.origins_with_stance(stance.value)) for stance in Stance
            ],
            "contradictions": selectors.contradiction_pairs(
                contradictions=selectors.claim_contradictions(claim=claim)
            )
            if claim.is_published
            else [],
            "corrections": corrections,
            "history": selectors.claim_public_history(claim=claim, corrections=corrections),
            "reporting_under_review": claim.is_published and claim.reporting_under_review,
            "canonical_url": self.request.build_absolute_uri(claim.get_absolute_url()),
            "json_ld": json_ld_script(
                claim_review(claim=claim, appearances=appearances, request=self.request)
            )
            if claim.is_published
            else "",
            "preview": self.preview,
        }
        return super().get_context_data(**context, **kwargs)


def article_detail(request, pk):
    preview = False
    # The page names the article's outlet; its origin and the report it retells come
    # with the chain below, without their full texts.
    articles = Article.objects.select_related("outlet")
    try:
        article = get_object_or_404(articles.public(), pk=pk)
    except Http404:
        if not can_preview(request.user, Article):
            raise
        article = get_object_or_404(articles, pk=pk)
        preview = True
    appearances = list(selectors.article_quoted_appearances(article=article))
    chain, retellings = selectors.article_family(article=article, preview=preview)
    response = render(
        request,
        "factcheck/article_detail.html",
        {
            "article": article,
            "appearances": appearances,
            "marked_text": text_with_quotes(
                article.text, appearances, claim_url=ReaderUrls().claim
            ),
            "chain": chain,
            "retellings": retellings,
            "preview": ARTICLE_PREVIEW if preview else "",
        },
    )
    return preview_response(response) if preview else response


class OutletDetailView(DetailView):
    template_name = "factcheck/outlet_detail.html"
    preview = False

    def get_queryset(self):
        return Outlet.objects.public()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not can_preview(self.request.user, Outlet):
                raise
            self.preview = True
            return super().get_object(Outlet.objects.all())

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        return preview_response(response) if self.preview else response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            articles=selectors.outlet_articles(outlet=self.object, preview=self.preview),
            claims=selectors.outlet_claims(outlet=self.object),
            preview=OUTLET_PREVIEW if self.preview else "",
            **kwargs,
        )


CONTRADICTIONS_PER_PAGE = 50


def contradiction_list(request):
    paginator = selectors.CountedPaginator(
        selectors.contradictions_for_index(),
        CONTRADICTIONS_PER_PAGE,
        name="contradictions-published",
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/contradiction_list.html",
        {
            "contradictions": page.object_list,
            "pairs": selectors.contradiction_pairs(contradictions=page.object_list),
            "page": page,
        },
    )


def search(request):
    terms = request.GET.get("q", "")[:200]
    return render(
        request,
        "factcheck/search.html",
        {
            "results": reader_search.search(terms),
            "q": terms,
            "article_candidates": reader_search.ARTICLE_CANDIDATES,
            "claim_candidates": reader_search.CLAIM_CANDIDATES,
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: send them to the SVG icon."""
    response = redirect(static("factcheck/favicon.svg"))
    # The icon's address changes with each release's hashed static files.
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
