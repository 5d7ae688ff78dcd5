"""Request and response defences shared by every address.

Requests no page can answer are refused here, once for every address, with a readable 400.

Control characters in a query string are refused rather than stripped: no reader types
one, the database rejects NUL outright, and stripping would answer a different question
than the one asked (and give the same page two addresses). Tab, newline and carriage
return stay allowed, as a pasted search may hold them.

Bodies over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS,
DATA_UPLOAD_MAX_NUMBER_FILES) are read here, before any view, so the 400 can say which
limit was exceeded; Django's own handler shows the same page without the reason.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext, gettext_noop

ALLOWED_CONTROLS = frozenset("\t\n\r")


def control_character(value: str) -> str | None:
    for character in value:
        if character not in ALLOWED_CONTROLS and unicodedata.category(character) == "Cc":
            return character
    return None


def printable(value: str) -> str:
    """The value as a reader can read it back: control characters spelled as U+XXXX."""
    return "".join(
        f"U+{ord(character):04X}" if unicodedata.category(character) == "Cc" else character
        for character in value[:60]
    )


def bad_request(request, reason: str, **values) -> HttpResponseBadRequest:
    """The 400 page saying why, in the address's language: this runs before
    LocaleMiddleware. `reason` is an untranslated message, `values` its placeholders."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        shown = {
            name: formats.number_format(value, force_grouping=True)
            if isinstance(value, int)
            else value
            for name, value in values.items()
        }
        reason = gettext(reason) % shown
        return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request))


def too_many_fields(request) -> HttpResponseBadRequest:
    return bad_request(
        request,
        gettext_noop(
            "The request sent more than the limit of %(limit)s parameters or form fields."
        ),
        limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    )


def client_address(request) -> str | None:
    """The client's address, as counted for login lockouts.

    Without a proxy it is the peer. Behind TRUSTED_PROXY_COUNT proxies it is the address
    the outermost of ours appended to X-Forwarded-For; entries to the left of it were sent
    by the client and prove nothing.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies]


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            parameters = request.GET.lists()
        except TooManyFieldsSent:
            return too_many_fields(request)
        for name, values in parameters:
            for text in (name, *values):
                found = control_character(text)
                if found is not None:
                    return bad_request(
                        request,
                        gettext_noop(
                            "The parameter “%(name)s” contains the control character "
                            "%(character)s, which no page accepts. Remove it and try again."
                        ),
                        name=printable(name),
                        character=f"U+{ord(found):04X}",
                    )
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 -- parsed now, so a limit is reported, not a 500
        except RequestDataTooBig:
            return bad_request(
                request,
                gettext_noop(
                    "The request body is larger than the limit of %(limit)s bytes of form data."
                ),
                limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
            )
        except TooManyFieldsSent:
            return too_many_fields(request)
        except TooManyFilesSent:
            return bad_request(
                request,
                gettext_noop("The form sent more than the limit of %(limit)s files."),
                limit=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            )
        return None


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY with every answer (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
