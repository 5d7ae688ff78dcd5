"""Reader pages. Every queryset starts from what is published."""

from django.shortcuts import render
from django.views.generic import DetailView

from factcheck.models import Article, Claim, Contradiction, Outlet


def home(request):
    claims = Claim.objects.published().for_list().order_by("-updated_at")[:20]
    return render(request, "factcheck/home.html", {"claims": claims})


class ClaimDetailView(DetailView):
    template_name = "factcheck/claim_detail.html"

    def get_queryset(self):
        return Claim.objects.published()


class ArticleDetailView(DetailView):
    template_name = "factcheck/article_detail.html"
    queryset = Article.objects.archived().for_list()


class OutletDetailView(DetailView):
    template_name = "factcheck/outlet_detail.html"
    queryset = Outlet.objects.all()


def contradiction_list(request):
    contradictions = Contradiction.objects.published().for_list()
    return render(request, "factcheck/contradiction_list.html", {"contradictions": contradictions})
