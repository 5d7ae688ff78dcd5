"""The reader's language: English at the plain addresses, Italian under /it/.

Each language has its own addresses (i18n_patterns in urls.py, the default language
unprefixed), so a cached page is one language's page, search engines get one address per
language (the hreflang alternates), and nothing depends on a form: the switcher is a
pair of links, which work without JavaScript and carry no CSRF token a cached page could
not hold. A reader who arrives at a plain address asking for Italian (Accept-Language,
or the choice the switcher remembered in the language cookie) is sent to the Italian
address; one who chose English in the switcher stays on the English one.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
# Outputs for machines keep the address they are known by, whatever the client prefers.
NOT_NEGOTIATED = {
    "factchecks_atom",
    "factchecks_rss",
    "corrections_atom",
    "corrections_rss",
    "claimreview_feed",
    "sitemap",
    "sitemap_section",
    "robots_txt",
}


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def path_in_language(path: str, code: str) -> str:
    """The same page's address in another language; unchanged if it is no reader page.

    `path` is resolved in its own language (its prefix), whichever is active now.
    """
    own = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(own):
        return translate_url(path, code)


def language_alternates(request) -> list[tuple[str, str]]:
    """(language, absolute address) of the current reader page in every language."""
    if request.resolver_match is None:
        return []
    path = request.get_full_path()
    return [
        (code, request.build_absolute_uri(path_in_language(path, code)))
        for code in language_codes()
    ]


class ReaderLanguageMiddleware:
    """Send a reader who prefers another language from a plain address to that language's.

    Runs after LocaleMiddleware, which serves every unprefixed address in the default
    language. Only reader pages move: the admin, the API and the machine-readable outputs
    keep their one address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not self.negotiated(request.path_info):
            return self.get_response(request)
        wanted = translation.get_language_from_request(request, check_path=False)
        if wanted != settings.LANGUAGE_CODE:
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(
                f"{request.META.get('SCRIPT_NAME', '')}/{wanted}{request.path_info}"
                + (f"?{query}" if query else "")
            )
        else:
            response = self.get_response(request)
        # The plain address answers by the cookie and Accept-Language.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def negotiated(path: str) -> bool:
        """Whether `path` is a plain address of a reader page, which every language has."""
        if translation.get_language_from_path(path):
            return False
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.namespace == "factcheck" and match.url_name not in NOT_NEGOTIATED


def language_switch(request, code: str):
    """Remember the reader's choice and show `next` in that language.

    A GET, so the switcher is a plain link on a cached page; it changes nothing but a
    preference cookie.
    """
    if code not in language_codes():
        code = settings.LANGUAGE_CODE
    next_path = request.GET.get("next", "/")
    if not next_path.startswith("/") or not url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_path = "/"
    response = HttpResponseRedirect(path_in_language(next_path, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=LANGUAGE_COOKIE_SECONDS,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
