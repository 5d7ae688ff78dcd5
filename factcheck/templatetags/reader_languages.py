from django import template

from factcheck.languages import language_alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context) -> list[tuple[str, str]]:
    """(language, absolute address) of this page in every language, for hreflang and the
    switcher; empty on a page that is no reader address (a 404)."""
    request = context.get("request")
    return language_alternates(request) if request is not None else []
