"""Anonymous readers read replicas; staff, writes and the requests after a write, the primary.

The routing tests use the suite's `replica` alias, a mirror of the test database, and
count which connection ran the queries. The lag tests point that alias at a real
streaming replica (started by `.ci/run`, see `.ci/replica`), pause its replay, and show
that a reader may see the previous version while staff never do.
"""

import os
import time

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from factcheck import services
from factcheck.models import Claim, ReviewStatus
from factcheck.routers import STICKY_COOKIE, ReaderReplicaRouter
from factcheck.tests.factories import AppearanceFactory, ClaimFactory
from factcheck.tests.roles import client_for
from factcheck.tests.servers import require_server

REPLICA_PORT = int(os.environ.get("REPLICA_TEST_PORT", "5433"))

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="replicas are a PostgreSQL deployment"
)
pytestmark = needs_postgresql
# The mirror is a connection of its own: it sees only committed rows, as a replica would.
committed_rows = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture
def routed(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    settings.READER_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def published_claim():
    claim = ClaimFactory(
        statement="The tunnel opened in 1988", slug="tunnel-opened", verdict_summary="First."
    )
    AppearanceFactory(claim=claim)
    return claim


def queries_on(alias, client, url, **extra):
    with (
        CaptureQueriesContext(connections[alias]) as on_alias,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(on_alias), len(on_primary)


@committed_rows
def test_anonymous_readers_read_the_replica(routed, client, published_claim):
    replica, primary = queries_on("replica", client, published_claim.get_absolute_url())
    assert replica > 0
    assert primary == 0


@committed_rows
def test_staff_read_the_primary(routed, published_claim):
    replica, primary = queries_on(
        "replica", client_for("editor"), published_claim.get_absolute_url()
    )
    assert replica == 0
    assert primary > 0


@committed_rows
def test_the_requests_after_a_write_read_the_primary(routed, client, published_claim, settings):
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_STICKY_SECONDS
    assert cookie["httponly"]
    replica, primary = queries_on("replica", client, published_claim.get_absolute_url())
    assert replica == 0
    assert primary > 0


@committed_rows
def test_without_replicas_everything_reads_the_primary(settings, client, published_claim):
    settings.DATABASE_REPLICAS = []
    replica, primary = queries_on("replica", client, published_claim.get_absolute_url())
    assert replica == 0
    assert primary > 0
    assert STICKY_COOKIE not in client.post("/admin/login/", {}).cookies


def test_writes_and_migrations_go_to_the_primary(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    router = ReaderReplicaRouter()
    assert router.db_for_write(Claim) == "default"
    # Outside a reader's request, reads stay on the primary too (commands, tasks).
    assert router.db_for_read(Claim) == "default"
    assert router.allow_migrate("default", "factcheck")
    assert not router.allow_migrate("replica", "factcheck")


# --- A real streaming replica ----------------------------------------------------------


def replica_dsn(database: str) -> str:
    return f"host=127.0.0.1 port={REPLICA_PORT} user=postgres dbname={database}"


@pytest.fixture
def real_replica(routed):
    """The `replica` alias pointed at the streaming replica of the test database."""
    database = connections["default"].settings_dict["NAME"]
    try:
        with psycopg.connect(replica_dsn(database), connect_timeout=2) as probe:
            in_recovery = probe.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.OperationalError:
        in_recovery = False
    require_server(in_recovery, f"a streaming replica on port {REPLICA_PORT}")
    replica = connections["replica"]
    mirrored = replica.settings_dict
    replica.close()
    replica.settings_dict = {**mirrored, "PORT": REPLICA_PORT, "HOST": "127.0.0.1"}
    control = psycopg.connect(replica_dsn(database), autocommit=True)
    try:
        yield control
    finally:
        control.execute("SELECT pg_wal_replay_resume()")
        control.close()
        replica.close()
        replica.settings_dict = mirrored


def caught_up(control, slug: str, summary: str) -> None:
    """Wait until the replica has replayed the claim's latest summary."""
    for _ in range(200):
        row = control.execute(
            "SELECT verdict_summary FROM factcheck_claim WHERE slug = %s", [slug]
        ).fetchone()
        if row and row[0] == summary:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica never replayed {summary!r}")


@committed_rows
@pytest.mark.parametrize("cache_seconds", [0, 300])
def test_a_lagging_replica_shows_readers_the_previous_version_and_staff_the_new(
    real_replica, settings, client, cache_seconds
):
    settings.READER_PAGE_CACHE_SECONDS = cache_seconds
    claim = ClaimFactory(
        statement="The tunnel opened in 1988",
        slug="tunnel-opened",
        status=ReviewStatus.PUBLISHED,
        verdict_summary="Version one.",
    )
    AppearanceFactory(claim=claim)
    url = claim.get_absolute_url()
    caught_up(real_replica, claim.slug, "Version one.")
    assert "Version one." in client.get(url).content.decode()

    real_replica.execute("SELECT pg_wal_replay_pause()")
    claim.verdict_summary = "Version two."
    services.claim_save(claim=claim)

    # The reader's page and its cache stamp both come from the replica: a whole,
    # consistent previous version, never a mix.
    reader_page = client.get(url).content.decode()
    assert "Version one." in reader_page
    assert "Version two." not in reader_page
    staff_page = client_for("editor").get(url).content.decode()
    assert "Version two." in staff_page

    real_replica.execute("SELECT pg_wal_replay_resume()")
    caught_up(real_replica, claim.slug, "Version two.")
    assert "Version two." in client.get(url).content.decode()


@committed_rows
def test_after_a_write_the_writer_reads_the_primary_while_the_replica_lags(real_replica, client):
    claim = ClaimFactory(
        slug="tunnel-opened", status=ReviewStatus.PUBLISHED, verdict_summary="Version one."
    )
    AppearanceFactory(claim=claim)
    caught_up(real_replica, claim.slug, "Version one.")
    real_replica.execute("SELECT pg_wal_replay_pause()")
    claim.verdict_summary = "Version two."
    services.claim_save(claim=claim)

    writer = client_for("editor")
    writer.post("/admin/logout/")  # any write; the editor is then a reader again
    assert STICKY_COOKIE in writer.cookies
    assert "Version two." in writer.get(claim.get_absolute_url()).content.decode()
    assert "Version one." in client.get(claim.get_absolute_url()).content.decode()
