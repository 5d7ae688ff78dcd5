from django.contrib import admin
from django.urls import include, path

from factcheck import views

app_name = "factcheck"

reader_patterns = [
    path("", views.home, name="home"),
    path("claims/", views.ClaimListView.as_view(), name="claim_list"),
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("outlets/<slug:slug>/", views.OutletDetailView.as_view(), name="outlet_detail"),
    path("contradictions/", views.contradiction_list, name="contradiction_list"),
    path("search/", views.search, name="search"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((reader_patterns, app_name))),
]
