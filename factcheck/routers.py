"""Read replicas for anonymous readers; everything else on the primary.

A reader's page may come from a replica a moment behind the primary: it then shows the
previous version, whole, because the page and the cache stamp it is keyed by are read
from the same replica. Staff never read a replica, nor does anyone in the request after a
write (a short-lived cookie set by ReplicaRoutingMiddleware), so an editor always sees
what they just saved. Writes always go to the primary.
"""

import contextvars
import random

from django.conf import settings

# Set only for the duration of a request that may read a replica.
_replica_allowed = contextvars.ContextVar("replica_allowed", default=False)

STICKY_COOKIE = "factcheck_primary"


class ReaderReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if replicas and _replica_allowed.get():
            return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def reads_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and STICKY_COOKIE not in request.COOKIES
        and not request.user.is_authenticated
    )


class ReplicaRoutingMiddleware:
    """Let anonymous readers' queries go to a replica; keep writers on the primary a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        token = _replica_allowed.set(reads_from_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # A write (or a login) happened on the primary: the next requests read there
            # too until any replica has surely caught up.
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
