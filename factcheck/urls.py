from django.contrib import admin
from django.urls import include, path

from factcheck import views
from factcheck.page_cache import cache_reader_page, claim_page_generation

app_name = "factcheck"

reader_patterns = [
    path("", cache_reader_page(views.home), name="home"),
    path("claims/", cache_reader_page(views.ClaimListView.as_view()), name="claim_list"),
    path(
        "claims/<slug:slug>/",
        cache_reader_page(views.ClaimDetailView.as_view(), generation=claim_page_generation),
        name="claim_detail",
    ),
    path("articles/<int:pk>/", cache_reader_page(views.article_detail), name="article_detail"),
    path(
        "outlets/<slug:slug>/",
        cache_reader_page(views.OutletDetailView.as_view()),
        name="outlet_detail",
    ),
    path("contradictions/", cache_reader_page(views.contradiction_list), name="contradiction_list"),
    path("search/", cache_reader_page(views.search), name="search"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api.urls")),
    path("", include((reader_patterns, app_name))),
]
