from django import template
from django.utils.html import format_html

from factcheck.models import Stance

register = template.Library()


@register.filter
def stance_labels(codes) -> str:
    """Stance codes as readers read them: ["refutes", "supports"] → "refutes, supports"."""
    return ", ".join(Stance(code).label.lower() for code in codes)


@register.filter
def article_date(article) -> str:
    """The publication date as a <time> element, written only as precisely as it is known.

    A filter rather than an included template: the claim page writes it a thousand times.
    """
    if not article.iso_date:
        return article.display_date
    return format_html('<time datetime="{}">{}</time>', article.iso_date, article.display_date)
