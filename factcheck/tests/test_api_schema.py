"""The OpenAPI schema, tested against the app itself: schemathesis generates requests for
every operation from the schema and checks the answers: never a server error, and every
status, content type and body as the schema documents it.

It calls the WSGI application in process, on the seed corpus, a dozen examples per
operation (valid and invalid parameters) so CI stays within its budget.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.models import Article, Claim, Outlet

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Every operation, with a real record for its path (random slugs and ids mostly find none).
OPERATIONS = [
    ("/api/v1/claims/", None),
    ("/api/v1/claims/{slug}/", lambda: {"slug": Claim.objects.published().first().slug}),
    ("/api/v1/articles/", None),
    ("/api/v1/articles/{id}/", lambda: {"id": Article.objects.public().first().pk}),
    ("/api/v1/outlets/", None),
    ("/api/v1/outlets/{slug}/", lambda: {"slug": Outlet.objects.public().first().slug}),
    ("/api/v1/contradictions/", None),
    ("/api/v1/corrections/", None),
]


@pytest.fixture
def api_schema(db, settings):
    settings.API_ANON_RATE = None
    call_command("loaddata", "seed_corpus", verbosity=0)
    assert Claim.objects.published().exists()
    # Called straight through WSGI, each request would end by closing the database
    # connection, and with it the test's transaction (Django's test client disconnects
    # the same receivers).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.parametrize(("path", "record"), OPERATIONS, ids=[path for path, _ in OPERATIONS])
def test_every_answer_conforms_to_the_schema(api_schema, path, record):
    operation = api_schema[path]["GET"]
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if record is not None:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=record()))

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def call(case):
        case.call_and_validate(checks=CHECKS)

    call()


def test_the_schema_documents_every_endpoint(client):
    document = client.get("/api/v1/schema/?format=json").json()
    assert set(document["paths"]) == {
        "/api/v1/claims/",
        "/api/v1/claims/{slug}/",
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/outlets/",
        "/api/v1/outlets/{slug}/",
        "/api/v1/contradictions/",
        "/api/v1/corrections/",
    }
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert {method for path in document["paths"].values() for method in path} == {"get"}
    assert all("400" in operation["responses"] for operation in operations)
