"""Reader pages. Every queryset starts from what is public (see ClaimQuerySet)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from factcheck import search as reader_search
from factcheck import selectors
from factcheck.agreement import claim_agreement_breakdown
from factcheck.filters import ClaimFilter
from factcheck.highlights import text_with_quotes
from factcheck.models import Article, Claim, Outlet, Stance
from factcheck.structured_data import claim_review, json_ld_script
from factcheck.tables import ClaimTable, IdsFirstQuerysetData, SafeTableExport


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
        return Claim.objects.public().defer("editor_note")

    def get_context_data(self, **kwargs):
        claim = self.object
        appearances = selectors.claim_detail_appearances(claim=claim)
        corrections = selectors.claim_corrections(claim=claim)
        breakdown = claim_agreement_breakdown(claim=claim, appearances=appearances)
        context = {
            "appearances": appearances,
            "breakdown": breakdown,
            "stance_rows": [
                (stance, breakdown.origins_with_stance(stance.value)) for stance in Stance
            ],
            "timeline": sorted(
                appearances,
                key=lambda a: (a.article.published_on is None, a.article.published_on, a.pk),
            ),
            "contradictions": [
                (contradiction, contradiction.other_claim(claim))
                for contradiction in selectors.claim_contradictions(claim=claim)
            ]
            if claim.is_published
            else [],
            "corrections": corrections,
            "history": selectors.claim_public_history(claim=claim, corrections=corrections),
            "reporting_under_review": claim.is_published
            and selectors.claim_has_reporting_under_review(claim=claim),
            "canonical_url": self.request.build_absolute_uri(claim.get_absolute_url()),
            "json_ld": json_ld_script(
                claim_review(claim=claim, appearances=appearances, request=self.request)
            )
            if claim.is_published
            else "",
        }
        return super().get_context_data(**context, **kwargs)


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    appearances = list(selectors.article_quoted_appearances(article=article))
    return render(
        request,
        "factcheck/article_detail.html",
        {
            "article": article,
            "appearances": appearances,
            "marked_text": text_with_quotes(article.text, appearances),
            "chain": selectors.article_retelling_chain(article=article),
            "retellings": selectors.article_retellings(article=article),
        },
    )


class OutletDetailView(DetailView):
    template_name = "factcheck/outlet_detail.html"
    queryset = Outlet.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            articles=selectors.outlet_articles(outlet=self.object),
            claims=selectors.outlet_claims(outlet=self.object),
            **kwargs,
        )


CONTRADICTIONS_PER_PAGE = 50


def contradiction_list(request):
    paginator = Paginator(selectors.contradictions_for_index(), CONTRADICTIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/contradiction_list.html",
        {"contradictions": page.object_list, "page": page},
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
        },
    )
