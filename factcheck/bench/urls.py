from django.urls import path
from django.views.generic import TemplateView

from factcheck.urls import urlpatterns as product_patterns

urlpatterns = [
    path(
        "bench/baseline/",
        TemplateView.as_view(template_name="bench/baseline.html"),
        name="bench_baseline",
    ),
    *product_patterns,
]
