"""The claim list's result table, with rows written by ClaimChangeList.result_rows()."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def claim_results(cl):
    """result_list's context with the rows from result_rows(), or Django's own rows when
    it leaves them to Django."""
    rows = cl.result_rows()
    if rows is None:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],  # only list_editable has any, and it gets Django's rows
        "result_headers": headers,
        "num_sorted_fields": sum(
            1 for header in headers if header["sortable"] and header["sorted"]
        ),
        "results": rows,
    }


@register.tag(name="claim_result_list")
def claim_result_list(parser, token):
    """{% result_list cl %} for the claims' changelist (the same template and lookup)."""
    return InclusionAdminNode(
        parser,
        token,
        func=claim_results,
        template_name="change_list_results.html",
        takes_context=False,
    )
