import pytest
from django.core.cache import cache
from django.db import connection

from factcheck.tests.factories import ArticleFactory, OutletFactory


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Production hashes static files at collectstatic time; tests render without that step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Each test's rows are rolled back, and the content stamp with them, so pages cached by
    # one test would match the next test's keys.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["locmem", "redis"])
def each_cache(request, settings):
    """The test once with the local-memory cache and once with Redis (servers.py)."""
    if request.param == "redis":
        from factcheck.tests.servers import redis_cache_settings

        settings.CACHES = redis_cache_settings()
    return request.param


@pytest.fixture
def upstream_report(db):
    """An upstream report known to us only by name: the origin of several retellings."""
    return ArticleFactory(
        outlet=OutletFactory(name="Financial Times", slug="financial-times", language="en"),
        title="",
        text="",
        is_archived=False,
        language="en",
    )


@pytest.fixture
def retellings(upstream_report):
    """Three articles from three outlets, all retelling the same upstream report."""
    return [ArticleFactory(retells=upstream_report) for _ in range(3)]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the writes in the block as if their transaction committed.

    The writes before the block (the test's setup) count as committed before it: what they
    queued is dropped, as a commit would have consumed it, so the block queues its own.
    """

    def block():
        connection.run_on_commit.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def reader_corpus(db):
    """Published claims with their evidence, one draft among them: what reader pages show."""
    from factcheck.tests.reader_data import build_reader_corpus, mark_reviewed_now

    corpus = build_reader_corpus()
    mark_reviewed_now(corpus.claims)
    return corpus
