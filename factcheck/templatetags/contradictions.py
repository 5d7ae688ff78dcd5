"""Contradictions written from Python: the contradictions page lists 50, each with two
sides, a picture and up to a dozen translated phrases. An included template per pair
looked each phrase up again for every pair and cost about 1 ms a pair; here every phrase
and choice label is translated once per page, and the markup is the template's."""

from dataclasses import dataclass
from functools import cached_property

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from factcheck import pictures
from factcheck.models import Claim, Contradiction
from factcheck.templatetags.reader import escaped, html_row, joined, page_urls, time_element

register = template.Library()


def choice_labels(model, field: str) -> dict[str, str]:
    """What get_<field>_display() writes, for every choice, translated once."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def translated(text: str, **values) -> SafeString:
    """What {% blocktranslate %} writes: the translated `text` as it is, the values
    escaped. (PageText writes each gettext("…") out, so makemessages finds the phrase.)"""
    return SafeString(text % {name: escaped(value) for name, value in values.items()})


def position(label: str) -> SafeString:
    return html_row("<strong>{}</strong> · ", label)


@dataclass(frozen=True)
class PageText:
    """The phrases and labels of a page's contradictions, translated once per page."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    verdicts: dict[str, str]
    status: str
    newer: SafeString  # the positions, as written before a side's dates
    older: SafeString
    older_superseded: SafeString
    no_dated_evidence: str
    this_claim: str
    evidence_on: str
    evidence_between: str
    verdict: str
    superseded_from: str
    superseded: str
    picture: pictures.ContradictionPictureText

    @classmethod
    def build(cls) -> "PageText":
        return cls(
            kinds=choice_labels(Contradiction, "kind"),
            statuses=choice_labels(Contradiction, "status"),
            verdicts=choice_labels(Claim, "verdict"),
            status=gettext("Status:"),
            newer=position(gettext("Newer")),
            older=position(gettext("Older")),
            older_superseded=position(gettext("Older, superseded")),
            no_dated_evidence=gettext("No dated evidence"),
            this_claim=gettext("this claim"),
            evidence_on=gettext("Evidence from %(when)s"),
            evidence_between=gettext("Evidence from %(first)s to %(last)s"),
            verdict=gettext("Verdict: %(verdict)s"),
            superseded_from=gettext(
                "Explained by time: “%(newer)s”, reported from %(when)s, supersedes “%(older)s”."
            ),
            superseded=gettext("Explained by time: “%(newer)s” supersedes “%(older)s”."),
            picture=pictures.ContradictionPictureText.build(),
        )

    @cached_property
    def verdict_lines(self) -> dict[str, SafeString]:
        """Each verdict's line, written once a page rather than once a side."""
        return {
            value: translated(self.verdict, verdict=label) for value, label in self.verdicts.items()
        }


def _evidence(span, text: PageText, language: str) -> SafeString:
    if span is None:
        return ""
    if span.single:
        return translated(text.evidence_on, when=time_element(span.first, language))
    return translated(
        text.evidence_between,
        first=time_element(span.first, language),
        last=time_element(span.last, language),
    )


def _side(
    pair, side, *, last: bool, in_time_order: bool, claim, urls, text: PageText, language: str
) -> SafeString:
    when = _evidence(side.evidence, text, language) or text.no_dated_evidence
    position = ""
    if in_time_order:
        if last:
            position = text.newer
        elif pair.superseded:
            position = text.older_superseded
        else:
            position = text.older
    statement = side.claim.statement_in(language)
    if claim is not None and side.claim.pk == claim.pk:
        named = html_row('<span class="tag">{}</span> {}', text.this_claim, statement)
    else:
        named = html_row('<a href="{}">{}</a>', urls.claim(side.claim), statement)
    verdict = side.claim.verdict
    return html_row(
        '<div class="side{order}">\n'
        '<p class="side-when">{position}{when}</p>\n'
        '<p class="side-claim">{named}</p>\n'
        '<p class="meta">{verdict}</p>\n'
        "</div>\n",
        order=(" newer" if last else " older") if in_time_order else "",
        position=position,
        when=when,
        named=named,
        verdict=text.verdict_lines.get(verdict) or translated(text.verdict, verdict=verdict),
    )


def _superseded(pair, text: PageText, language: str) -> SafeString:
    newer = pair.newer.claim.statement_in(language)
    older = pair.older.claim.statement_in(language)
    if pair.newer.evidence:
        sentence = translated(
            text.superseded_from,
            newer=newer,
            older=older,
            when=time_element(pair.newer.evidence.first, language),
        )
    else:
        sentence = translated(
            text.superseded,
            newer=newer,
            older=older,
        )
    return html_row('<p class="superseded">{}</p>\n', sentence)


@register.simple_tag(takes_context=True)
def contradiction_articles(context, pairs, heading: str, claim=None) -> SafeString:
    """Each contradiction (a selectors.ContradictionPair) as an <article>: its kind and
    status, both claims in time order, the picture, the editors' explanation and, for a
    claim superseded, the sentence saying which. `claim` is the page's own claim, named
    rather than linked."""
    urls = page_urls(context)
    text = PageText.build()
    language = get_language()
    articles = []
    for pair in pairs:
        contradiction = pair.contradiction
        in_time_order = pair.in_time_order
        sides = [
            _side(
                pair,
                side,
                last=index == 1,
                in_time_order=in_time_order,
                claim=claim,
                urls=urls,
                text=text,
                language=language,
            )
            for index, side in enumerate(pair.sides)
        ]
        articles.append(
            html_row(
                '<article class="contradiction" id="contradiction-{pk}">\n'
                '<header class="contradiction-header">\n'
                '<{heading} class="contradiction-kind">{kind}</{heading}>\n'
                '<p class="contradiction-status status-{status}">{status_label} '
                "<strong>{status_name}</strong></p>\n"
                "</header>\n"
                '<div class="pair">\n{sides}</div>\n'
                '<div class="picture contradiction-picture">{picture}</div>\n'
                "{explanation}\n"
                "{superseded}"
                "</article>\n",
                pk=contradiction.pk,
                heading=heading,
                kind=text.kinds.get(contradiction.kind, contradiction.kind),
                status=contradiction.status,
                status_label=text.status,
                status_name=text.statuses.get(contradiction.status, contradiction.status),
                sides=joined(sides),
                picture=pictures.contradiction_timeline(pair, text=text.picture, language=language),
                explanation=SafeString(linebreaks(contradiction.explanation, autoescape=True)),
                superseded=_superseded(pair, text, language) if pair.superseded else "",
            )
        )
    return joined(articles)
