"""The API's documentation page: Swagger UI from the bundled package, under the site's CSP.

The assets come from drf-spectacular-sidecar as static files (no CDN, so it works
offline), and the page runs no inline script or style: its start-up script is a separate
request (drf-spectacular's split view), and the template is ours so that the package's
inline <style> block is left out.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocumentation(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "Fact-check database API"
