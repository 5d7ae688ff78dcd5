"""The request guard's refusal, in JSON for API clients.

factcheck.middleware refuses query strings holding control characters with an HTML page;
placed just before it, this answers the same refusal for /api/ addresses as the API
answers every error, {"detail": ...}, naming the parameter.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse

from factcheck.middleware import control_character, printable

API_PREFIX = "/api/"


class ApiRequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal:
                return JsonResponse({"detail": refusal}, status=400)
        return self.get_response(request)

    @staticmethod
    def refusal(request) -> str:
        try:
            parameters = list(request.GET.lists())
        except TooManyFieldsSent:
            return "The request sent too many parameters."
        for name, values in parameters:
            for text in (name, *values):
                character = control_character(text)
                if character is not None:
                    return (
                        f"The parameter “{printable(name)}” holds the control character "
                        f"U+{ord(character):04X}, which no parameter may hold."
                    )
        return ""
