import functools
import html
from urllib.parse import urlsplit

from django import template
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from factcheck.models import Stance
from factcheck.reader_urls import ReaderUrls, written_date
from factcheck.templatetags.reader_i18n import signed_score

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
    return time_element(article)


def time_element(article, language: str | None = None) -> SafeString:
    iso, display = written_date(article, language)
    if not iso:
        return SafeString(html.escape(display))
    return SafeString(f'<time datetime="{html.escape(iso)}">{html.escape(display)}</time>')


@register.simple_tag
def agreement_badge(claim) -> SafeString:
    """The agreement label, with the score when there is one: the one badge every list
    and the claim page show (the claims index writes it 25 times a page, so not an
    included template)."""
    badge = html_row(
        '<span class="agreement {}">{}</span>',
        claim.agreement_label,
        claim.get_agreement_label_display(),
    )
    if claim.agreement_score is None:
        return badge
    return html_row(
        '{} <span class="score">({})</span>', badge, signed_score(claim.agreement_score)
    )


LINKABLE_SCHEMES = {"http", "https"}


@register.filter
def http_url(value) -> str:
    """A stored address if it is safe to link to (http or https), else "".

    Models validate URLs on save, but rows can arrive by bulk writes, imports or old
    data; an address such as `javascript:…` must never become an href or a schema.org
    url, so templates link a stored URL only through this filter.
    """
    return _linkable(str(value or "").strip())


@functools.lru_cache(maxsize=8192)
def _linkable(address: str) -> str:
    # A pure function of the text, kept: urlsplit() of 500 articles' addresses was a
    # tenth of a much-quoted claim's structured data, and the same page renders again
    # after every write.
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    if parts.scheme.lower() not in LINKABLE_SCHEMES or not parts.netloc:
        return ""
    return address


# --- The claim page's long lists -----------------------------------------------------
#
# A much-quoted claim lists hundreds of appearances, origins and dates. Written row by
# row in the template language every row costs dozens of variable lookups and a
# reverse() per link; these tags write the same markup from Python, with each address
# built from a pattern reversed once per page (ReaderUrls) and each label translated
# once per list.


def escaped(value) -> str:
    """conditional_escape(value), without the lazy-string check that escape() repeats on
    every call: a long list escapes thousands of values, and that check costs more than
    the escaping. Lazy strings are turned to text first, as conditional_escape does."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_row(template_string: str, *args, **kwargs) -> SafeString:
    """format_html() for rows written by the hundred, with the same escaping."""
    return SafeString(
        template_string.format(
            *map(escaped, args), **{name: escaped(value) for name, value in kwargs.items()}
        )
    )


def page_urls(context) -> ReaderUrls:
    """The page's ReaderUrls, shared by every tag that renders part of it."""
    urls = context.render_context.get(ReaderUrls)
    if urls is None:
        urls = context.render_context[ReaderUrls] = ReaderUrls()
    return urls


def stance_names() -> dict[str, str]:
    return {stance.value: str(stance.label) for stance in Stance}


def stance_words(code: str, words: dict[str, str]) -> str:
    """The stance as running text, escaped: from `words` (lower_stance_names()), or the
    stored code itself for one no longer among the choices."""
    return words.get(code) or html.escape(str(code).lower())


def lower_stance_names() -> dict[str, str]:
    """Each stance's name in lower case, escaped, for rows written by the hundred."""
    return {code: html.escape(name.lower()) for code, name in stance_names().items()}


def joined(pieces) -> SafeString:
    return mark_safe("".join(pieces))  # every piece comes from html_row


@register.simple_tag(takes_context=True)
def appearance_cards(context, appearances) -> SafeString:
    """Each appearance: its article, outlet, date and stance, the quote and its credits.

    Written with one format per card and html.escape on each value: the card is the
    claim page's longest list, and nested html_row calls escaped every part twice. A
    translated phrase is escaped once per page, an outlet's link once per outlet.
    """
    urls = page_urls(context)
    names = {code: html.escape(name) for code, name in stance_names().items()}
    outlet_unknown = html.escape(gettext("Outlet unknown"))
    # Phrases that are formats: trusted as a template's text is, their values escaped.
    translation_line = gettext("Translation: {translation}")
    attribution_line = gettext("Attribution: {attribution}")
    credited_line = gettext('Credited to <a href="{url}">{source}</a>; counted under its origin.')
    credited_title = gettext("“{title}”, {outlet}")
    unnamed_outlet = gettext("a report by an unnamed outlet")
    see_quote = html.escape(gettext("See the quote in the article"))
    language = get_language()
    outlets: dict[int, str] = {}
    cards = []
    for appearance in appearances:
        article = appearance.article
        if article.outlet_id is None:
            outlet = outlet_unknown
        else:
            outlet = outlets.get(article.outlet_id)
            if outlet is None:
                outlet = outlets[article.outlet_id] = (
                    f'<a href="{html.escape(urls.outlet(article.outlet))}">'
                    f"{html.escape(article.outlet.name)}</a>"
                )
        extras = ""
        if appearance.translation:
            line = translation_line.format(translation=html.escape(appearance.translation))
            extras += f'<p class="translation" lang="en">{line}</p>\n'
        if appearance.attribution:
            line = attribution_line.format(attribution=html.escape(appearance.attribution))
            extras += f'<p class="attribution">{line}</p>\n'
        if appearance.credited_source_id is not None:
            source = appearance.credited_source
            source_outlet = source.outlet.name if source.outlet_id is not None else unnamed_outlet
            if source.title:
                source_outlet = html_row(credited_title, title=source.title, outlet=source_outlet)
            line = html_row(credited_line, url=urls.article(source), source=source_outlet)
            extras += f'<p class="attribution">{line}</p>\n'
        article_url = html.escape(urls.article(article))
        stance = html.escape(appearance.stance)
        cards.append(
            f'<article class="appearance stance-{stance}" id="quote-{appearance.pk}">\n'
            f'<h3><a href="{article_url}">{html.escape(article.display_title)}</a></h3>\n'
            f'<p class="meta">{outlet}, {time_element(article, language)} · '
            f"{names.get(appearance.stance, stance)}</p>\n"
            f'<blockquote lang="{html.escape(article.language)}">'
            f"<p>{html.escape(appearance.quote)}</p></blockquote>\n"
            f"{extras}"
            f'<p><a href="{article_url}#{html.escape(appearance.anchor_id)}">{see_quote}</a></p>\n'
            "</article>\n"
        )
    return mark_safe("".join(cards))  # every value escaped above


class _OriginLinks:
    """The origins lists' links, each article's written once per page: most of a
    much-quoted claim's origins are quoted in their own text and listed once, but the
    retold ones name their articles again. Written with html.escape on each value, as
    appearance_cards is: nested html_row calls escaped every part twice."""

    def __init__(self, context):
        self.urls = page_urls(context)
        self.names = lower_stance_names()
        label = html.escape(gettext("not archived"))
        self.not_archived = f' <span class="tag">{label}</span>'
        self.links: dict[int, str] = {}

    def link(self, article) -> str:
        written = self.links.get(article.pk)
        if written is None:
            written = self.links[article.pk] = (
                f'<a href="{html.escape(self.urls.article(article))}">'
                f"{html.escape(article.display_title)}</a>"
            )
        return written

    def origin_line(self, item) -> str:
        """The origin's link, whether we hold its text, and the stances counted under it."""
        origin = item.origin
        stances = ", ".join(stance_words(code, self.names) for code in item.stances)
        tag = "" if origin.is_archived else self.not_archived
        return f'{self.link(origin)}{tag} <span class="meta">({stances})</span>'


@register.simple_tag(takes_context=True)
def retold_origin_items(context, origins) -> SafeString:
    """Each origin with the quoted articles that retell it (itself too, when quoted)."""
    links = _OriginLinks(context)
    itself = html.escape(gettext(" (the origin itself)"))
    items = []
    for item in origins:
        articles = "".join(
            f"<li>{links.link(article)}{itself if article.pk == item.origin.pk else ''}</li>"
            for article in item.articles
        )
        items.append(f"<li>{links.origin_line(item)}\n<ul>{articles}</ul></li>\n")
    return mark_safe("".join(items))  # every value escaped above


@register.simple_tag(takes_context=True)
def self_quoted_origin_items(context, origins) -> SafeString:
    """Origins quoted only in their own text: one line each, with nothing nested."""
    links = _OriginLinks(context)
    return mark_safe(  # every value escaped above
        "".join(f"<li>{links.origin_line(item)}</li>\n" for item in origins)
    )


@register.filter
def origin_titles(origins) -> SafeString:
    """The origins' titles, separated by semicolons; a dash for none."""
    if not origins:
        return "—"
    return SafeString("; ".join(escaped(item.origin.display_title) for item in origins))


# --- The article page's list of quotes -----------------------------------------------


QUOTE_OPENING_WORDS = 16


def opening_words(text: str, count: int = QUOTE_OPENING_WORDS) -> str:
    """The first `count` words of `text`, then " …" if it goes on (as Django's
    Truncator(text).words(count, truncate=" …"), without its lazy wrapper per call)."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    opening = " ".join(words[:count])
    return opening if opening.endswith(" …") else f"{opening} …"


@register.simple_tag(takes_context=True)
def quoted_claim_items(context, appearances) -> SafeString:
    """Each quote in the article: its opening words (to the marked text), the stance and
    the claim it stands for."""
    urls = page_urls(context)
    names = lower_stance_names()
    rows = []
    for appearance in appearances:
        claim = appearance.claim
        stance = stance_words(appearance.stance, names)
        attribution = (
            f'<span class="meta">({escaped(appearance.attribution)})</span>\n'
            if appearance.attribution
            else ""
        )
        rows.append(
            f'<li>\n<a href="#{escaped(appearance.anchor_id)}">'
            f"“{escaped(opening_words(appearance.quote))}”</a>\n{stance}\n"
            f'<a href="{escaped(urls.claim(claim))}">{escaped(claim.reader_statement)}</a>\n'
            f"{attribution}</li>\n"
        )
    return mark_safe("".join(rows))  # every value escaped above
