"""Names and domains to outlets, through the outlets' own names, homepages and aliases."""

import re
from urllib.parse import urlsplit

from django.db.models import Q

from factcheck.models import Outlet, OutletAlias, OutletAliasKind, alias_key


def domain_of(url_or_domain: str) -> str:
    """The host of a URL or a bare domain, in alias form ("https://www.ft.com/x" → "ft.com")."""
    value = url_or_domain.strip()
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    return alias_key(host, kind=OutletAliasKind.DOMAIN)


def outlet_find(*, name: str = "", domain: str = "") -> Outlet | None:
    """The outlet a name ("FT", "the Financial Times") or domain ("www.ft.com") stands for.

    A domain is tried first, as it is the less ambiguous; a subdomain finds its parent
    domain's outlet ("markets.ft.com" → ft.com). None when nothing known matches: the
    caller proposes a new outlet rather than guessing.
    """
    if domain:
        host = domain_of(domain)
        parts = host.split(".")
        candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
        if candidates:
            aliases = {
                alias.key: alias.outlet
                for alias in OutletAlias.objects.filter(
                    kind=OutletAliasKind.DOMAIN, key__in=candidates
                ).select_related("outlet")
            }
            for candidate in candidates:
                if candidate in aliases:
                    return aliases[candidate]
            # Homepages are whole addresses ("https://www.wsj.com/"): matched in SQL on the
            # host part, so no outlet list is read into Python.
            by_homepage = Q()
            for candidate in candidates:
                by_homepage |= Q(
                    homepage__iregex=rf"^https?://(www\.)?{re.escape(candidate)}\.?(:[0-9]+)?(/|$)"
                )
            homepages = {
                domain_of(outlet.homepage): outlet
                for outlet in Outlet.objects.filter(by_homepage).order_by("pk")
            }
            for candidate in candidates:
                if candidate in homepages:
                    return homepages[candidate]
    if name:
        key = alias_key(name, kind=OutletAliasKind.NAME)
        if not key:
            return None
        alias = (
            OutletAlias.objects.filter(kind=OutletAliasKind.NAME, key=key)
            .select_related("outlet")
            .first()
        )
        if alias is not None:
            return alias.outlet
        # Outlet names are stored as written ("The Wall Street Journal"), so compare keys.
        return (
            Outlet.objects.filter(Q(name__iexact=key) | Q(name__iexact=f"the {key}"))
            .order_by("pk")
            .first()
        )
    return None
