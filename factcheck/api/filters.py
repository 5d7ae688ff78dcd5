"""The claims index's filters (factcheck/filters.py), as the API and its schema read them."""

import copy

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from factcheck.filters import ClaimFilter


class ApiClaimFilter(ClaimFilter):
    """The same filters: only their description in the schema differs."""


# Their values are an outlet's slug and a language code, which the schema generator cannot
# tell from a filter method and choices read from the database; said here, on copies, so
# the reader index's own filter objects stay as they are.
for name in ("outlet", "language"):
    described = copy.deepcopy(ApiClaimFilter.base_filters[name])
    extend_schema_field(OpenApiTypes.STR)(described)
    ApiClaimFilter.base_filters[name] = described
