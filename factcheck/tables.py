"""The claims index as a django-tables2 table, and its spreadsheet-safe CSV export."""

import re

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData
from django_tables2.export import TableExport

from factcheck.models import Claim
from factcheck.models.claims import nulls_last
from factcheck.selectors.anchors import anchored_slice
from factcheck.selectors.counts import queryset_count
from factcheck.templatetags.reader import agreement_badge

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip what a reader cannot see before the first visible character, so
# " =1", "\n+1", "\u00a0=1" or "\u200b=1" still run as formulas. \s covers every kind of
# whitespace Unicode knows (non-breaking and ideographic spaces included); the zero-width
# characters and the byte-order mark are not whitespace to Python, so they are named.
INVISIBLE_LEAD = re.compile(r"[\s\u180e\u200b\u200c\u200d\u2060\ufeff]*")


def spreadsheet_safe(value):
    """Neutralise a cell a spreadsheet would evaluate, by prefixing an apostrophe."""
    if not isinstance(value, str):
        return value
    visible = value[INVISIBLE_LEAD.match(value).end() :]
    if value.startswith(FORMULA_PREFIXES) or visible.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """CSV only: other formats need libraries we do not install, and CSV is what is asked."""

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format == cls.CSV

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        for index, row in enumerate(dataset):
            dataset[index] = tuple(spreadsheet_safe(value) for value in row)
        return dataset


class IdsFirstQuerysetData(TableQuerysetData):
    """Table data that reads a page's ids first, then only those rows, and counts its rows
    once per content generation.

    A deep page costs OFFSET rows: read as bare ids they come from the ordering's index
    alone, and the columns of just the page's rows are fetched afterwards, instead of
    building (annotations included) and discarding every row before the page; past the
    first ANCHOR_SPACING rows the ids query starts from a kept anchor instead of the first
    row. The row count behind the page links changes only on writes, so it is not made
    per request.
    """

    def __len__(self):
        if getattr(self, "_length", None) is None and hasattr(self.table, "paginator"):
            # Counted (and named for the count cache) by its ids: compiling the columns'
            # annotations only to hash them cost more than reading the kept count.
            self._length = queryset_count(self.data.values("pk"))
        return super().__len__()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        ids = list(self._ids(key))
        rows = {row.pk: row for row in self.data.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _ids(self, key: slice):
        """The page's ids; a deep page's from the kept anchor before it (see anchors.py)."""
        start, stop = key.start or 0, key.stop
        anchored = anchored_slice(self.data, start, stop) if stop is not None else None
        if anchored is None:
            return self.data.values_list("pk", flat=True)[key]
        rows, start, stop = anchored
        return rows.values_list("pk", flat=True)[start:stop]


class ClaimTable(tables.Table):
    statement = tables.Column(_("Statement"), linkify=True, order_by=("statement", "pk"))
    verdict = tables.Column(_("Verdict"), order_by=("verdict", "pk"))
    agreement = tables.Column(
        accessor="agreement_label",
        verbose_name=_("Agreement"),
        order_by=("agreement_score", "pk"),
    )
    article_count = tables.Column(verbose_name=_("Articles"), order_by=("article_count", "pk"))
    origin_count = tables.Column(
        verbose_name=_("Independent origins"), order_by=("origin_count", "pk")
    )
    open_contradictions = tables.Column(
        verbose_name=_("Open contradictions"), order_by=("open_contradictions", "pk")
    )
    reviewed_at = tables.DateColumn(
        verbose_name=_("Last reviewed"), format="DATE_FORMAT", order_by=("reviewed_at", "pk")
    )
    # Shown in the agreement cell; exported as numbers and addresses of their own.
    agreement_score = tables.Column(verbose_name=_("Agreement score"), visible=False)
    url = tables.Column(
        verbose_name=_("URL"), accessor="get_absolute_url", visible=False, orderable=False
    )

    caption = _("Published claims")

    class Meta:
        model = Claim
        fields = []
        sequence = [
            "statement",
            "verdict",
            "agreement",
            "article_count",
            "origin_count",
            "open_contradictions",
            "reviewed_at",
            "agreement_score",
            "url",
        ]
        template_name = "factcheck/includes/table.html"
        empty_text = _("No published claim matches these filters.")
        attrs = {"class": "claims", "th": {"scope": "col"}}
        per_page = 25

    # Claims no origin takes a position on have no score (nor never-reviewed claims a date):
    # they go last in either direction, the same on every database.
    def order_agreement(self, queryset, is_descending):
        return queryset.order_by(*nulls_last("agreement_score", descending=is_descending)), True

    def order_reviewed_at(self, queryset, is_descending):
        return queryset.order_by(*nulls_last("reviewed_at", descending=is_descending)), True

    def render_statement(self, record):
        return record.reader_statement

    def render_agreement(self, record):
        # The one agreement badge every page shows.
        return agreement_badge(record)

    def value_agreement(self, record):
        return record.get_agreement_label_display()

    def value_url(self, record):
        request = getattr(self, "request", None)
        path = record.get_absolute_url()
        return request.build_absolute_uri(path) if request else path
