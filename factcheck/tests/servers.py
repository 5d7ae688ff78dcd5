"""The servers some tests need beside the database: Redis and a streaming replica.

As with the browser tests, a missing server skips those tests on a developer's machine and
fails them when CI is set, so a CI run cannot pass by checking nothing. `.ci/run` starts
both.
"""

import os
import uuid

import pytest

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def require_server(available: bool, what: str) -> None:
    if available:
        return
    message = f"{what} is not running (`.ci/run` starts it; see the README's Caching section)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def redis_cache_settings() -> dict:
    """A Redis cache of its own for one test: a fresh key prefix instead of a flush, so
    tests running side by side on one Redis never clear each other's keys."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
        available = True
    except redis.exceptions.ConnectionError:
        available = False
    require_server(available, f"Redis at {REDIS_TEST_URL}")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "TIMEOUT": 120,
        }
    }
