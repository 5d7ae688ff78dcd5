from urllib.parse import urlsplit

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


LINKABLE_SCHEMES = {"http", "https"}


@register.filter
def http_url(value) -> str:
    """A stored address if it is safe to link to (http or https), else "".

    Models validate URLs on save, but rows can arrive by bulk writes, imports or old
    data; an address such as `javascript:…` must never become an href or a schema.org
    url, so templates link a stored URL only through this filter.
    """
    address = str(value or "").strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    if parts.scheme.lower() not in LINKABLE_SCHEMES or not parts.netloc:
        return ""
    return address
