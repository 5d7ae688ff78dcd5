"""The OpenAPI schema, tested against the app itself: schemathesis generates requests for
every operation from the schema and checks the answers: never a server error, and every
status, content type and body as the schema documents it.

It calls the WSGI application in process, on the seed corpus, a few examples per
operation so CI stays within its budget.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.models import Claim

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings):
    settings.API_ANON_RATE = None
    call_command("loaddata", "seed_corpus", verbosity=0)
    assert Claim.objects.published().exists()
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_answer_conforms_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)


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
