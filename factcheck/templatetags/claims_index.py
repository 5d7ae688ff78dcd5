"""The claims index's rows, written from Python.

django-tables2 renders each cell through its accessor, `inspect.signature()` of the
render method, the column's attributes and, for the date, a template of its own: most of
an uncached index page. The tag writes the same cells for ClaimTable's columns, with each
label translated once per page and each claim's address built from a pattern reversed
once (ReaderUrls). The table still orders, paginates and exports.
"""

import functools
import html

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from factcheck.models import Claim
from factcheck.templatetags.reader import agreement_badge, escaped, page_urls

register = template.Library()


def _statement(context):
    urls = page_urls(context)

    def cell(claim):
        return f'<a href="{html.escape(urls.claim(claim))}">{escaped(claim.reader_statement)}</a>'

    return cell


def _verdict(context):
    # get_verdict_display(), each label translated once per page.
    field = Claim._meta.get_field("verdict")
    labels = {value: escaped(label) for value, label in field.flatchoices}

    def cell(claim):
        if claim.verdict in (None, ""):
            return None
        return labels.get(claim.verdict) or escaped(claim.verdict)

    return cell


class _BadgeClaim:
    """What agreement_badge reads of a claim, with the label looked up once per page:
    get_agreement_label_display() hashes every lazily translated choice on each call."""

    __slots__ = ("agreement_label", "agreement_score", "label")

    def __init__(self, claim, labels):
        self.agreement_label = claim.agreement_label
        self.agreement_score = claim.agreement_score
        self.label = labels.get(claim.agreement_label, claim.agreement_label)

    def get_agreement_label_display(self):
        return self.label


def _agreement(context):
    # The one badge every page shows, written by agreement_badge itself.
    field = Claim._meta.get_field("agreement_label")
    labels = {value: str(label) for value, label in field.flatchoices}

    def cell(claim):
        if claim.agreement_label in (None, ""):
            return None
        return agreement_badge(_BadgeClaim(claim, labels))

    return cell


def _number(name):
    def writer(context):
        # Formatted as the template's {{ cell }} formats it (localised), once per value.
        written: dict[int, str] = {}

        def cell(claim):
            value = getattr(claim, name)
            if value is None:
                return None
            if value not in written:
                written[value] = escaped(formats.localize(value, use_l10n=context.use_l10n))
            return written[value]

        return cell

    return writer


@functools.lru_cache(maxsize=4096)
def _written_day(day, language: str | None) -> str:
    # A pure function of the day and the language (DATE_FORMAT writes a date, not a
    # time; formats and month names load once per process), kept like written_date().
    return escaped(formats.date_format(day, "DATE_FORMAT"))


def _reviewed_at(context):
    # DateColumn's {{ value|date:"DATE_FORMAT" }}, on the day in the current time zone.
    language = get_language()

    def cell(claim):
        if claim.reviewed_at is None:
            return None
        moment = template_localtime(claim.reviewed_at, use_tz=context.use_tz)
        return _written_day(moment.date(), language)

    return cell


# Each column the tag knows, with what makes its cell writer for one page. A cell
# writer returns the cell's escaped HTML, or None for the column's default (an empty
# value, which django-tables2 shows as the default without rendering it).
CELL_WRITERS = {
    "statement": _statement,
    "verdict": _verdict,
    "agreement": _agreement,
    "article_count": _number("article_count"),
    "origin_count": _number("origin_count"),
    "open_contradictions": _number("open_contradictions"),
    "reviewed_at": _reviewed_at,
}


def _td(bound_column) -> str:
    attrs = bound_column.attrs["td"].as_html()
    return f"<td {attrs}>" if attrs else "<td>"


@register.simple_tag(takes_context=True)
def claim_table_rows(context, table) -> SafeString:
    """The page's <tr> rows, cell for cell as the generic template writes them; "" when
    the page is empty or shows a column the tag does not know (the template then writes
    the rows itself)."""
    columns = list(table.columns)
    if any(column.name not in CELL_WRITERS for column in columns):
        return SafeString("")
    cells = [
        (_td(column), escaped(column.default), CELL_WRITERS[column.name](context))
        for column in columns
    ]
    rows = []
    for row in table.paginated_rows:
        claim = row.record
        written = []
        for td, default, cell in cells:
            value = cell(claim)
            written.append(f"{td}{default if value is None else value}</td>")
        rows.append("<tr>" + "".join(written) + "</tr>\n")
    return mark_safe("".join(rows))  # every value escaped above
