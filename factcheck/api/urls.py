"""The API's addresses, versioned: a change that breaks clients gets /api/v2/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from factcheck.api import views
from factcheck.api.docs import ApiDocumentation

app_name = "api"

urlpatterns = [
    path("v1/claims/", views.ClaimList.as_view(), name="claim-list"),
    path("v1/claims/<slug:slug>/", views.ClaimDetail.as_view(), name="claim-detail"),
    path("v1/articles/", views.ArticleList.as_view(), name="article-list"),
    path("v1/articles/<int:pk>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("v1/outlets/", views.OutletList.as_view(), name="outlet-list"),
    path("v1/outlets/<slug:slug>/", views.OutletDetail.as_view(), name="outlet-detail"),
    path("v1/contradictions/", views.ContradictionList.as_view(), name="contradiction-list"),
    path("v1/corrections/", views.CorrectionList.as_view(), name="correction-list"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "v1/docs/",
        ApiDocumentation.as_view(url_name="api:schema"),
        name="docs",
    ),
    re_path(r"^.*$", views.not_found),
]
