import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

application = get_wsgi_application()


def secret_key_or_refuse() -> str:
    """A server without a secret would otherwise fail only at the first login: fail at start."""
    try:
        return settings.SECRET_KEY  # Django raises on reading an empty key
    except ImproperlyConfigured as missing:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1).") from missing


secret_key_or_refuse()
