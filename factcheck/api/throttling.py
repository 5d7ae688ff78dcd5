"""How often one client may ask: API_ANON_RATE requests per client address."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ReaderRateThrottle(AnonRateThrottle):
    """Counted in the Django cache by client address (REST_FRAMEWORK's NUM_PROXIES, set
    from TRUSTED_PROXY_COUNT, says which X-Forwarded-For entry is the client).

    The rate is read at each request, not at import, so a settings change takes effect
    (None turns throttling off, as the load tests do).
    """

    def get_rate(self):
        return settings.API_ANON_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
