from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language_info

from factcheck.languages import language_alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context) -> list[tuple[str, str]]:
    """(language, absolute address) of this page in every language, for hreflang and the
    switcher; empty on a page that is no reader address (a 404)."""
    request = context.get("request")
    return language_alternates(request) if request is not None else []


@register.filter
def language_name(code) -> str:
    """A BCP 47 tag as the reader's language names it ("it" → "Italian", "italiano"); a tag
    Django does not know (und, a regional variant) is shown as it is stored."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.filter
def signed_score(value) -> str:
    """An agreement score with its sign and two decimals, in the reader's notation
    (+0.50, or +0,50 in Italian)."""
    return ("+" if value >= 0 else "-") + number_format(abs(value), 2)
