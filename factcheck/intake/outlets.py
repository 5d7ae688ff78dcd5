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
    domain's outlet ("markets.ft.com" → ft.com). Then, in order: a domain alias, a
    homepage on that domain, a name alias, the outlet's own name. None when nothing known
    matches: the caller proposes a new outlet rather than guessing. Two queries at most,
    as the importer asks once per file.
    """
    candidates: list[str] = []
    if domain:
        parts = domain_of(domain).split(".")
        candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    key = alias_key(name, kind=OutletAliasKind.NAME) if name else ""
    if not candidates and not key:
        return None
    wanted = Q(pk__in=[])
    if candidates:
        wanted |= Q(kind=OutletAliasKind.DOMAIN, key__in=candidates)
    if key:
        wanted |= Q(kind=OutletAliasKind.NAME, key=key)
    aliases = {
        (alias.kind, alias.key): alias.outlet
        for alias in OutletAlias.objects.filter(wanted).select_related("outlet")
    }
    for candidate in candidates:
        if (OutletAliasKind.DOMAIN, candidate) in aliases:
            return aliases[OutletAliasKind.DOMAIN, candidate]
    # Homepages are whole addresses ("https://www.wsj.com/"): matched in SQL on the host
    # part. Outlet names are stored as written ("The Wall Street Journal"): compared as keys.
    by_outlet = Q(pk__in=[])
    for candidate in candidates:
        by_outlet |= Q(
            homepage__iregex=rf"^https?://(www\.)?{re.escape(candidate)}\.?(:[0-9]+)?(/|$)"
        )
    if key:
        by_outlet |= Q(name__iexact=key) | Q(name__iexact=f"the {key}")
    outlets = list(Outlet.objects.filter(by_outlet).order_by("pk"))
    homepages = {domain_of(outlet.homepage): outlet for outlet in outlets if outlet.homepage}
    for candidate in candidates:
        if candidate in homepages:
            return homepages[candidate]
    if (OutletAliasKind.NAME, key) in aliases:
        return aliases[OutletAliasKind.NAME, key]
    return (
        next(
            (
                outlet
                for outlet in outlets
                if alias_key(outlet.name, kind=OutletAliasKind.NAME) == key
            ),
            None,
        )
        if key
        else None
    )
