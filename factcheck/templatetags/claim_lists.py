"""Short lists of claims (the home page's), written from Python.

Each row of the included template cost an include of the agreement badge, a reverse()
and a blocktranslate: about half of the home page's rendering for ten rows. The tag
writes the same markup, with each address built from a pattern reversed once per page
(ReaderUrls) and each verdict label translated once per list.
"""

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from factcheck.models import Claim
from factcheck.templatetags.reader import agreement_badge, escaped, page_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def claim_list_items(context, claims, empty_text) -> SafeString:
    """A <ul> of claims: each linked statement, its verdict, its agreement badge and its
    open contradictions; `empty_text` as the one item when there are none."""
    urls = page_urls(context)
    verdicts = {
        value: escaped(label) for value, label in Claim._meta.get_field("verdict").flatchoices
    }
    items = []
    for claim in claims:
        contradictions = ""
        if claim.open_contradictions:
            counter = formats.localize(claim.open_contradictions, use_l10n=context.use_l10n)
            # The phrase the template's {% blocktranslate count %} looked up: trusted as
            # the template's text is, its number escaped.
            phrase = ngettext(
                "%(counter)s open contradiction",
                "%(counter)s open contradictions",
                claim.open_contradictions,
            )
            contradictions = " · " + phrase % {"counter": escaped(counter)}
        verdict = escaped(claim.verdict)
        items.append(
            f'<li>\n<a href="{escaped(urls.claim(claim))}">{escaped(claim.reader_statement)}</a>\n'
            f'<span class="meta"><span class="verdict verdict-{verdict}">'
            f"{verdicts.get(claim.verdict, verdict)}</span> · {agreement_badge(claim)}"
            f"{contradictions}</span>\n</li>\n"
        )
    if not items:
        items.append(f"<li>{escaped(empty_text)}</li>\n")
    return mark_safe(f'<ul class="claim-list">\n{"".join(items)}</ul>')  # escaped above
