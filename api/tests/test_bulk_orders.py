from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from api.models import IdempotentRequest
from api.tests.conftest import address_payload, bulk_order
from companies.models import CompanyMembership
from purchasing.models import CompanyOrder, PurchaseRequest

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def test_a_bulk_order_by_bank_transfer_is_placed_at_the_tier_price_with_transfer_instructions(world, client_a):
    response = bulk_order(
        client_a,
        world,
        items=[{"sku": "KOPI-250", "quantity": 50}, {"sku": "MADU-500", "quantity": 2}],
        po_number="PO-2026-7",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(number=body["number"])
    company_order = CompanyOrder.objects.get(order=order)
    assert company_order.company == world["a"]["company"]
    assert company_order.placed_by == world["a"]["approver"]
    assert company_order.po_number == "PO-2026-7"
    lines = {line["sku"]: line for line in body["lines"]}
    assert lines["KOPI-250"]["unit_price"] == 20000  # the 50+ tier
    assert lines["MADU-500"]["unit_price"] == 60000
    assert body["total"] == int(order.total_incl_tax) == 50 * 20000 + 2 * 60000 + body["shipping"]
    assert body["status"] == "Pending payment"
    payment = body["payment"]
    assert payment["method"] == "bank_transfer"
    assert payment["amount_due"] == int(order.bank_transfer.amount_due)
    assert payment["amount_due"] > body["total"]  # plus the unique code
    assert payment["account_number"] and payment["bank_name"]
    assert [shipment["pesantren"] for shipment in body["shipments"]] == ["pp-al-falah"]


def test_a_card_order_gets_the_page_to_pay_it(world, client_a):
    body = bulk_order(client_a, world, method="card").json()

    assert body["payment"]["method"] == "card"
    assert body["payment"]["pay_url"].endswith(f"/bayar/{body['number']}/")


def test_an_invoice_order_is_confirmed_with_its_invoice(world, client_a):
    body = bulk_order(client_a, world, method="invoice").json()

    assert body["status"] == "Paid"
    assert body["payment"]["invoice_number"]
    assert body["shipments"][0]["status"] == "paid"


def test_bad_rows_are_all_reported_per_row_and_nothing_is_placed(world, client_a):
    response = bulk_order(
        client_a,
        world,
        items=[
            {"sku": "KOPI-250", "quantity": 5},  # under the MOQ of 10
            {"sku": "MADU-500", "quantity": 1},
            {"sku": "NOPE-1", "quantity": 3},
            {"sku": "MADU-500", "quantity": 100},  # merged with row 2: more than the 40 in stock
        ],
    )

    assert response.status_code == 400
    items = response.json()["items"]
    assert set(items) == {"0", "1", "2"}
    assert "minimum order" in items["0"]["quantity"][0]
    assert "Only 40 in stock" in items["1"]["quantity"][0]
    assert "NOPE-1" in items["2"]["sku"][0]
    assert not Order.objects.exists()


def test_an_invalid_request_gets_field_errors(world, client_a):
    address = address_payload(world["regions"]) | {"kecamatan": "32.73.01"}
    response = client_a.post(
        "/api/v1/bulk-orders/",
        {"items": [{"sku": "KOPI-250", "quantity": 0}], "shipping_address": address, "payment_method": "cash"},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"items", "shipping_address", "payment_method"}
    assert "quantity" in errors["items"]["0"]
    assert "kecamatan" in errors["shipping_address"]
    assert not Order.objects.exists()


def test_an_order_over_the_credit_limit_is_refused(world, client_a):
    company = world["a"]["company"]
    company.credit_limit = 100_000
    company.save()

    response = bulk_order(client_a, world, method="invoice")

    assert response.status_code == 400
    assert "credit" in response.json()["non_field_errors"][0]
    assert not Order.objects.exists()


def test_a_buyer_token_over_the_threshold_gets_a_purchase_request_for_approval(world, client_a):
    company = world["a"]["company"]
    company.approval_threshold = 100_000
    company.save()
    CompanyMembership.objects.filter(company=company, user=world["a"]["approver"]).update(role="buyer")
    CompanyMembership.objects.create(company=company, user=world["b"]["approver"], role="approver")

    response = bulk_order(client_a, world)

    assert response.status_code == 202
    body = response.json()
    request = PurchaseRequest.objects.get(pk=body["id"])
    assert request.company == company and body["status"] == "pending"
    assert body["lines"][0]["sku"] == "KOPI-250" and body["lines"][0]["quantity"] == 20
    assert not Order.objects.exists()
    assert client_a.get(f"/api/v1/purchase-requests/{request.pk}/").json()["id"] == request.pk


def test_a_retry_with_the_same_idempotency_key_replays_the_order_without_placing_it_twice(world, client_a):
    first = bulk_order(client_a, world, key="order-2026-11-23-001")
    retry = bulk_order(client_a, world, key="order-2026-11-23-001")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    record = world["a"]["token"].company_id
    assert IdempotentRequest.objects.get(company_id=record).response_status == 201


def test_a_reused_key_with_a_different_request_is_refused(world, client_a):
    bulk_order(client_a, world, key="k-1")

    response = bulk_order(client_a, world, key="k-1", items=[{"sku": "KOPI-250", "quantity": 30}])

    assert response.status_code == 422
    assert Order.objects.count() == 1


def test_a_rejected_request_does_not_use_up_its_key(world, client_a):
    refused = bulk_order(client_a, world, key="k-2", items=[{"sku": "KOPI-250", "quantity": 1}])
    placed = bulk_order(client_a, world, key="k-2", items=[{"sku": "KOPI-250", "quantity": 10}])

    assert refused.status_code == 400
    assert placed.status_code == 201
    assert Order.objects.get().lines.get().quantity == 10


def test_keys_belong_to_one_company(world, client_a, client_b):
    mine = bulk_order(client_a, world, key="shared-key")
    theirs = bulk_order(client_b, world, key="shared-key")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["number"] != theirs.json()["number"]
    assert Order.objects.count() == 2
    assert CompanyOrder.objects.get(order__number=theirs.json()["number"]).company == world["b"]["company"]


def test_an_over_long_idempotency_key_is_refused(world, client_a):
    response = bulk_order(client_a, world, key="x" * 256)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Order.objects.exists()


def test_order_totals_are_whole_rupiah(world, client_a):
    body = bulk_order(client_a, world, items=[{"sku": "KOPI-250", "quantity": 12}]).json()

    order = Order.objects.get(number=body["number"])
    assert order.total_incl_tax == Decimal(body["total"])
    assert isinstance(body["total"], int)


def test_stored_answers_are_forgotten_after_the_retention_period(world, client_a):
    from datetime import timedelta

    from django.utils import timezone

    from api.tasks import purge_idempotent_requests

    bulk_order(client_a, world, key="old-key")
    bulk_order(client_a, world, key="new-key", items=[{"sku": "KOPI-250", "quantity": 11}])
    IdempotentRequest.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(days=8))

    assert purge_idempotent_requests() == 1

    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new-key"]
