"""The claim page's list tags escape exactly as format_html does."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from factcheck.templatetags.reader import html_row


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<script>alert('x') & \"y\"</script>",
        mark_safe("<em>already safe</em>"),
        gettext_lazy("Supports"),
        42,
        None,
    ],
)
def test_html_row_escapes_like_format_html(value):
    template = '<a href="{}" title="{name}">{}</a>'
    assert html_row(template, value, value, name=value) == format_html(
        template, value, value, name=value
    )
