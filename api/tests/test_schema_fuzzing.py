"""Schema fuzzing: schemathesis generates requests from the published OpenAPI schema, valid and invalid,
sends them to the app in-process with a working token, and no response may be a server error."""

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from api.tests.conftest import bulk_order
from quotes.tests.helpers import make_quote, make_rfq

pytestmark = pytest.mark.django_db

# Bounded and derandomised, so the run is the same on every machine and takes well under a minute.
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def company_with_data(world, client_a):
    """Company A with an order on invoice, an open request for quotation and a quote to accept."""
    order = bulk_order(client_a, world, method="invoice").json()
    rfq = make_rfq(company=world["a"]["company"], user=world["a"]["approver"], seller=world["seller"])
    quote = make_quote(rfq=rfq, seller=world["seller"])
    return {
        "id": world["coffee"].pk,
        "number": order["number"],
        "invoice": order["payment"]["invoice_id"],
        "rfq": rfq.pk,
        "quote_pk": quote.pk,
    }


@pytest.fixture
def in_test_transaction():
    """Requests sent straight to the WSGI app keep the test's database connection, as the test client does.

    Django closes the connection after each request (it is not in autocommit inside the test's
    transaction); the test client disconnects that handler, and so must a direct WSGI call.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def real_path_parameters(operation, data: dict) -> dict:
    """Ids of the company's own objects for the operation's path, so fuzzing reaches past the 404."""
    path = operation.path
    if "{quote_pk}" in path:
        return {"id": data["rfq"], "quote_pk": data["quote_pk"]}
    if "{number}" in path:
        return {"number": data["number"]}
    if "{id}" not in path:
        return {}
    for prefix, key in (("/api/v1/products/", "id"), ("/api/v1/invoices/", "invoice"), ("/api/v1/rfqs/", "rfq")):
        if path.startswith(prefix):
            return {"id": data[key]}
    return {}


def test_no_generated_request_causes_a_server_error(world, company_with_data, in_test_transaction):
    app = get_wsgi_application()
    unlimited = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_company": "100000/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": unlimited}):
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 15
        headers = {"Authorization": f"Bearer {world['a']['secret']}"}
        exercised = 0
        for operation in operations:
            real = real_path_parameters(operation, company_with_data)
            variants = [(GenerationMode.POSITIVE, {}), (GenerationMode.NEGATIVE, {})]
            if real:
                variants += [(GenerationMode.POSITIVE, real), (GenerationMode.NEGATIVE, real)]
            for mode, path_parameters in variants:
                strategy = operation.as_strategy(
                    generation_mode=mode, path_parameters=path_parameters or None, headers=headers
                )

                @hypothesis_settings(
                    max_examples=EXAMPLES_PER_OPERATION,
                    deadline=None,
                    derandomize=True,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=strategy)
                def fuzz(case):
                    response = case.call(app=app)
                    case.validate_response(response, checks=[not_a_server_error])

                try:
                    fuzz()
                except Unsatisfiable:
                    # With every path parameter pinned, some operations have nothing left to make invalid.
                    assert mode == GenerationMode.NEGATIVE, operation.label
                    continue
                exercised += 1
    assert exercised >= 30
