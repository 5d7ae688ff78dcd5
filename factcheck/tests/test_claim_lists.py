"""The home page's claim lists are written from Python; the markup must be what the
included template wrote."""

import re

import pytest
from django.db.models import Q
from django.template import Context, Template
from django.utils import translation

from factcheck import selectors
from factcheck.models import Claim, Verdict
from factcheck.templatetags.claim_lists import claim_list_items
from factcheck.tests.factories import ClaimFactory, ContradictionFactory

pytestmark = pytest.mark.django_db

# templates/factcheck/includes/claim_list_items.html and agreement.html, as the home page
# included them before the tag wrote its lists.
INCLUDED_TEMPLATE = """{% load i18n reader %}<ul class="claim-list">
  {% for claim in claims %}
  <li>
    <a href="{{ claim.get_absolute_url }}">{{ claim.reader_statement }}</a>
    <span class="meta"><span class="verdict verdict-{{ claim.verdict }}">{{ claim.get_verdict_display }}</span> · {% agreement_badge claim %}{% if claim.open_contradictions %} · {% blocktranslate count counter=claim.open_contradictions %}{{ counter }} open contradiction{% plural %}{{ counter }} open contradictions{% endblocktranslate %}{% endif %}</span>
  </li>
  {% empty %}
  <li>{{ empty_text }}</li>
  {% endfor %}
</ul>"""


def markup(html: str) -> str:
    """Line breaks and indentation between tags ignored: the template writes a line per
    tag, Python does not. A space between tags on one line is text a reader sees."""
    return re.sub(r">\s*\n\s*<", "><", html).strip()


@pytest.fixture
def listed_claims():
    """Claims whose items take every path: markup in the text, an Italian statement, no
    score, several verdicts, one and many open contradictions."""
    ClaimFactory(
        statement='Nvidia <sells> chips & "more"',
        statement_it="Nvidia <vende> chip",
        verdict=Verdict.FALSE,
    )
    unscored = ClaimFactory(statement="Nobody takes a position on this", verdict=Verdict.MIXED)
    Claim.objects.filter(pk=unscored.pk).update(agreement_score=None)
    once = ClaimFactory(statement="Exports fell by a third")
    ContradictionFactory(claim_a=once)
    twice = ClaimFactory(statement="Exports rose by a third", verdict=Verdict.TRUE)
    ContradictionFactory(claim_a=twice)
    ContradictionFactory(claim_b=twice)
    return list(selectors.claim_table_rows().order_by("pk"))


@pytest.mark.parametrize("language", ["en", "it"])
def test_claim_list_items_are_the_items_the_template_wrote(listed_claims, language):
    assert {claim.open_contradictions for claim in listed_claims} >= {0, 1, 2}
    with translation.override(language):
        ours = claim_list_items(Context({}), listed_claims, "none")
        theirs = Template(INCLUDED_TEMPLATE).render(
            Context({"claims": listed_claims, "empty_text": "none"})
        )
    assert markup(ours) == markup(theirs)
    assert "&lt;sells&gt;" in ours or "&lt;vende&gt;" in ours
    assert ("open contradictions" in ours) == (language == "en")


def test_an_empty_list_says_so_escaped():
    empty = Claim.objects.filter(Q(pk__in=[]))
    ours = claim_list_items(Context({}), empty, "Nothing <here>")
    theirs = Template(INCLUDED_TEMPLATE).render(
        Context({"claims": empty, "empty_text": "Nothing <here>"})
    )
    assert markup(ours) == markup(theirs)
    assert "<li>Nothing &lt;here&gt;</li>" in ours


def test_home_lists_link_each_claim_once(client, listed_claims, settings):
    settings.READER_PAGE_CACHE_SECONDS = 0
    content = client.get("/").content.decode()
    contested = Claim.objects.get(statement="Exports rose by a third")
    assert content.count(f'href="{contested.get_absolute_url()}"') == 1
    assert "2 open contradictions" in content
