import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from api.tests.conftest import client_for

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/products/"),
    ("get", "/api/v1/products/{id}/"),
    ("post", "/api/v1/bulk-orders/"),
    ("get", "/api/v1/orders/"),
    ("get", "/api/v1/orders/{number}/"),
    ("get", "/api/v1/purchase-requests/"),
    ("get", "/api/v1/purchase-requests/{id}/"),
    ("get", "/api/v1/rfqs/"),
    ("post", "/api/v1/rfqs/"),
    ("get", "/api/v1/rfqs/{id}/"),
    ("get", "/api/v1/rfqs/{id}/quotes/"),
    ("post", "/api/v1/rfqs/{id}/quotes/{quote_pk}/accept/"),
    ("get", "/api/v1/invoices/"),
    ("get", "/api/v1/invoices/{id}/"),
    ("get", "/api/v1/invoices/{id}/pdf/"),
}


@pytest.fixture
def schema(db):
    response = client_for(None).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_published_without_a_token_and_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    operations = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    assert operations == OPERATIONS


def test_every_operation_needs_the_bearer_token_and_documents_its_errors(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A company API token, created by a company approver on the API tokens page.",
    }
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            documented = set(operation["responses"])
            assert {"401", "403", "429"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if method == "post":
                assert {"400"} <= documented, (method, path)


def test_the_bulk_order_operation_documents_both_outcomes_and_the_idempotency_key(schema):
    operation = schema["paths"]["/api/v1/bulk-orders/"]["post"]

    assert operation["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Order"
    }
    assert operation["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PurchaseRequest"
    }
    assert [parameter["name"] for parameter in operation["parameters"]] == ["Idempotency-Key"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BulkOrderRequest"
    }


def test_the_schema_generates_without_warnings():
    # The management command fails on any warning (an undocumented field, a clashing enum name ...).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_reference_page_lists_every_endpoint(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    for _method, path in OPERATIONS:
        assert path in page
    assert "/api/v1/schema/" in page
