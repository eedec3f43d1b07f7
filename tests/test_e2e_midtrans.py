"""Midtrans payments end to end on real services: PostgreSQL, a Redis broker with a real Celery
worker, and the local Midtrans-compatible server delivering signed notifications to a live server.

Basket from two pesantren → BCA VA number (or QRIS, or GoPay) shown → paid in the local server →
signed notification → the worker re-checks the status → paid → both pesantren and the customer
notified → completed → ledgers credited to the rupiah, and the fee recorded exactly.
"""

import json
import time
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder, SellerOrderEvent, SellerOrderStatus
from fulfilment.services import (
    seller_order_accept,
    seller_order_complete,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from midtrans import client as midtrans_client
from midtrans.models import ChargeStatus, MidtransCharge, MidtransFee, MidtransNotification, MidtransRefund
from payments.refunds import refund_seller_order_part
from payouts.services import seller_balance
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

S = SellerOrderStatus
StockRecord = get_model("partner", "StockRecord")
NOTIFICATION_PATH = "/payments/midtrans/notification/"


def wait_until(condition, timeout: float = 60, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def world(live_server, localmidtrans, settings):
    """Two pesantren, a signed-in customer in Kabupaten Bandung, notifications to the live server."""
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True
    localmidtrans.set_notification_url(f"{live_server.url}{NOTIFICATION_PATH}")
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=bandung)
    batik = make_seller(name="Pesantren Batik Garut", regions=garut, commission_rate=Decimal("0.0750"))
    kopi = make_seller_product(coffee, title="Kopi Arabika 250 g", price="150000", stock=10, weight_grams=350)
    batik_tulis = make_seller_product(batik, title="Batik Tulis Garut", price="37500", stock=5, weight_grams=400)
    customer = make_user("siti@example.com")
    browser = Client()
    browser.force_login(customer)
    return {
        "regions": bandung,
        "coffee": coffee,
        "batik": batik,
        "kopi": kopi,
        "batik_tulis": batik_tulis,
        "client": browser,
        "midtrans": localmidtrans,
    }


def start_worker(celery_worker_factory, localmidtrans):
    """A real worker that talks to the same local Midtrans (it re-checks every status there)."""
    return celery_worker_factory(
        MIDTRANS_API_URL=localmidtrans.api_url,
        MIDTRANS_SERVER_KEY=localmidtrans.server_key,
        MARKETPLACE_MIDTRANS_PAYMENTS="true",
    )


def checkout_with(world, method: str) -> str:
    """Fill the basket from both pesantren and walk Oscar's checkout paying by `method`; the order number."""
    client, regions = world["client"], world["regions"]
    client.post(reverse("basket:add", kwargs={"pk": world["kopi"].pk}), {"quantity": 2})
    client.post(reverse("basket:add", kwargs={"pk": world["batik_tulis"].pk}), {"quantity": 3})
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Siti Aminah",
            "phone_number": "0812-3456-7890",
            "line1": "Jl. Merdeka No. 5",
            "province": regions["province"].code,
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "desa": regions["desa"][0].code,
            "postcode": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(reverse("checkout:shipping-method"), follow=True)
    response = client.post(reverse("checkout:payment-method"), {"method": method})
    assert response["Location"].endswith(reverse("checkout:preview")), response.content.decode()[:2000]
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/pembayaran/midtrans/" in response["Location"], response["Location"]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def complete_both_parts(order):
    for part in SellerOrder.objects.filter(order=order).select_related("seller__owner"):
        owner = part.seller.owner
        seller_order_accept(seller_order=part, actor=owner)
        seller_order_pack(seller_order=part, actor=owner)
        seller_order_ship(seller_order=part, actor=owner, courier="JNE", tracking_number=f"JNE{part.pk:08d}")
        seller_order_deliver(seller_order=part, actor=owner)
        seller_order_complete(seller_order=part)


# Order total 445.500: coffee 300.000 + 10.000 shipping (commission 5 %), batik 112.500 + 23.000 (7,5 %).
FEES = {"bca_va": Decimal(4000), "qris": Decimal(3119), "gopay": Decimal(8910)}  # flat 4.000; 0,7 %; 2 %


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["bca_va", "qris", "gopay"])
def test_basket_from_two_pesantren_paid_through_midtrans_to_credited_ledgers(world, method, celery_worker_factory):
    worker = start_worker(celery_worker_factory, world["midtrans"])
    coffee, batik, client = world["coffee"], world["batik"], world["client"]

    # when the customer checks out paying by the method
    number = checkout_with(world, method)

    # then the order waits for payment and the page shows how to pay, from the charge Midtrans made
    charge = MidtransCharge.objects.get(order__number=number)
    assert (charge.midtrans_order_id, charge.status, charge.amount) == (f"{number}-1", "pending", Decimal(445500))
    page = client.get(reverse("midtrans:order-pay", kwargs={"order_number": number})).content.decode()
    assert "Rp 445.500" in page and 'id="countdown"' in page
    if method == "bca_va":
        assert len(charge.va_number) >= 10 and charge.va_number in page
        assert "BCA" in page and "m-BCA" in page  # how to pay, per bank
    elif method == "qris":
        assert charge.qr_string and '<svg xmlns="http://www.w3.org/2000/svg"' in page
    else:
        # the app link for phones, and Midtrans's QR image for computers
        assert charge.deeplink_url and charge.deeplink_url in page and charge.qr_url and charge.qr_url in page
    assert world["midtrans"].transaction(charge.midtrans_order_id)["gross_amount"] == "445500.00"
    order = charge.order
    assert SellerOrder.objects.filter(order=order, status=S.PENDING_PAYMENT).count() == 2

    # when the customer pays in the local Midtrans, which sends its signed notification
    world["midtrans"].settle(charge.midtrans_order_id)

    # then the worker re-checks the status and the order is paid, both pesantren and the customer told
    wait_until(lambda: SellerOrder.objects.filter(order=order, status=S.PAID).count() == 2, message="payment")
    order.refresh_from_db()
    charge.refresh_from_db()
    assert order.status == "Paid" and charge.status == ChargeStatus.SETTLEMENT

    def payment_emails():
        found = [mail for mail in worker.messages() if number in mail]
        return found if len(found) >= 3 else None

    emails = wait_until(payment_emails, message="payment emails")
    recipients = sorted(line[4:] for mail in emails for line in mail.splitlines() if line.startswith("To: "))
    assert recipients == sorted([coffee.owner.email, batik.owner.email, "siti@example.com"])

    # and Midtrans's fee is recorded, shared over the parts to the rupiah, the ledgers untouched by it
    assert charge.fee == FEES[method]
    shares = dict(MidtransFee.objects.filter(charge=charge).values_list("seller_order__seller_id", "amount"))
    assert sum(shares.values()) == FEES[method]
    complete_both_parts(order)
    assert seller_balance(seller=coffee) == Decimal(295000)  # 300.000 − 15.000 + 10.000
    assert seller_balance(seller=batik) == Decimal(127062)  # 112.500 − 8.438 + 23.000
    commission = sum(part.commission for part in SellerOrder.objects.filter(order=order))
    assert commission - charge.fee == Decimal(23438) - FEES[method]  # what the platform keeps


def paid_parts_events(order) -> int:
    return SellerOrderEvent.objects.filter(seller_order__order=order, to_status=S.PAID).count()


@pytest.mark.django_db(transaction=True)
def test_a_notification_delivered_five_times_makes_one_payment(world, celery_worker_factory):
    start_worker(celery_worker_factory, world["midtrans"])
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    world["midtrans"].settle(charge.midtrans_order_id)
    wait_until(lambda: SellerOrder.objects.filter(order=charge.order, status=S.PAID).count() == 2, message="payment")

    # when Midtrans delivers the settlement notification five more times
    result = world["midtrans"].notify(charge.midtrans_order_id, times=5)

    # then each delivery is acknowledged, one notification is stored and the order was paid once
    assert json.dumps(result)  # the control call answered once the five were delivered
    deliveries = [
        d
        for d in world["midtrans"].notifications(charge.midtrans_order_id)
        if d["body"]["transaction_status"] == "settlement"
    ]
    assert deliveries and all(d["response_status"] == 200 for d in deliveries)
    assert (
        MidtransNotification.objects.filter(
            midtrans_order_id=charge.midtrans_order_id, transaction_status="settlement"
        ).count()
        == 1
    )
    assert paid_parts_events(charge.order) == 2


@pytest.mark.django_db(transaction=True)
def test_a_wrong_signature_gets_400_and_changes_nothing(world):
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    # The charge's own pending notification may still be on its way: landing after the count, it would
    # look stored by the forged one.
    assert world["midtrans"].wait_for_deliveries()
    stored = MidtransNotification.objects.count()
    body = {
        "order_id": charge.midtrans_order_id,
        "status_code": "200",
        "gross_amount": "445500.00",
        "transaction_status": "settlement",
        "signature_key": "0" * 128,
    }

    response = Client().post(NOTIFICATION_PATH, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert MidtransNotification.objects.count() == stored
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.PENDING and charge.order.status == "Pending payment"
    # the local server's own tampered delivery is refused the same way
    world["midtrans"].notify(charge.midtrans_order_id, bad_signature=True)
    last = world["midtrans"].notifications(charge.midtrans_order_id)[-1]
    assert last["response_status"] == 400
    assert Client().post(NOTIFICATION_PATH, data="not json", content_type="application/json").status_code == 400


def signed(body: dict) -> dict:
    return {
        **body,
        "signature_key": midtrans_client.signature_for(body["order_id"], body["status_code"], body["gross_amount"]),
    }


@pytest.mark.django_db(transaction=True)
def test_an_expired_va_cancels_the_order_releases_stock_and_a_late_settlement_changes_nothing(world):
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    kopi_stock = StockRecord.objects.get(product=world["kopi"])
    assert kopi_stock.num_allocated == 2

    # when the VA runs out (Midtrans notifies the expiry)
    world["midtrans"].expire(charge.midtrans_order_id)

    # then the order is cancelled and its stock is back on sale
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.EXPIRE
    assert set(SellerOrder.objects.filter(order=charge.order).values_list("status", flat=True)) == {S.CANCELLED}
    kopi_stock.refresh_from_db()
    assert kopi_stock.num_allocated == 0

    # when a settlement notification for it arrives afterwards (signed, but Midtrans says expired)
    late = signed(
        {
            "order_id": charge.midtrans_order_id,
            "status_code": "200",
            "gross_amount": "445500.00",
            "transaction_status": "settlement",
            "transaction_id": charge.transaction_id,
        }
    )
    response = Client().post(NOTIFICATION_PATH, data=json.dumps(late), content_type="application/json")

    # then it is stored and checked, and nothing is paid
    assert response.status_code == 200
    assert MidtransNotification.objects.get(digest__isnull=False, transaction_status="settlement").outcome == "expire"
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.EXPIRE and charge.paid_at is None
    assert paid_parts_events(charge.order) == 0


@pytest.mark.django_db(transaction=True)
def test_pending_after_settlement_leaves_the_order_paid(world):
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    world["midtrans"].settle(charge.midtrans_order_id)
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.SETTLEMENT

    # when the first (pending) notification is delivered again, late
    world["midtrans"].notify(charge.midtrans_order_id, transaction_status="pending")
    # and a forged-late pending one with a new body too
    late = signed(
        {
            "order_id": charge.midtrans_order_id,
            "status_code": "201",
            "gross_amount": "445500.00",
            "transaction_status": "pending",
            "transaction_time": "2026-12-07 10:00:00",
        }
    )
    assert Client().post(NOTIFICATION_PATH, data=json.dumps(late), content_type="application/json").status_code == 200

    # then the charge stays settled and the order paid
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.SETTLEMENT
    assert set(SellerOrder.objects.filter(order=charge.order).values_list("status", flat=True)) == {S.PAID}
    assert paid_parts_events(charge.order) == 2


@pytest.mark.django_db(transaction=True)
def test_a_gopay_refund_of_one_part_goes_back_through_midtrans_and_books_exactly(world):
    number = checkout_with(world, "gopay")
    charge = MidtransCharge.objects.get(order__number=number)
    world["midtrans"].settle(charge.midtrans_order_id)
    batik_part = SellerOrder.objects.get(order=charge.order, seller=world["batik"])
    assert batik_part.status == S.PAID

    # when the batik pesantren refunds Rp 37.500 of its part (one piece)
    refunded = refund_seller_order_part(
        seller_order=batik_part, amount=Decimal(37500), actor=world["batik"].owner, reason="Satu kain cacat"
    )

    # then Midtrans refunded it directly and the part carries the refund
    assert refunded.method == "ewallet"
    refund = MidtransRefund.objects.get(seller_order=batik_part)
    assert (refund.status, refund.amount) == ("succeeded", Decimal(37500))
    assert world["midtrans"].status(charge.midtrans_order_id)["refund_amount"] in ("37500.00", "37500")
    batik_part.refresh_from_db()
    assert batik_part.refunded_amount == Decimal(37500)
    # the refund notification moves the charge to partly refunded; a second ask for too much is refused
    wait_until(
        lambda: MidtransCharge.objects.get(pk=charge.pk).status == ChargeStatus.PARTIAL_REFUND, 10, "refund notice"
    )
    with pytest.raises(ValueError, match="98.000"):  # 135.500 − 37.500
        refund_seller_order_part(seller_order=batik_part, amount=Decimal(100000), actor=None)

    # and once completed, the ledger is what the pesantren earned minus the refund, to the rupiah
    complete_both_parts(charge.order)
    assert seller_balance(seller=world["batik"]) == Decimal(127062) - Decimal(37500)
    assert seller_balance(seller=world["coffee"]) == Decimal(295000)


@pytest.mark.django_db(transaction=True)
def test_a_va_refund_is_booked_for_finance_to_pay_back(world):
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    world["midtrans"].settle(charge.midtrans_order_id)
    part = SellerOrder.objects.get(order=charge.order, seller=world["coffee"])

    refunded = refund_seller_order_part(seller_order=part, amount=Decimal(150000), actor=None, reason="Stok habis")

    assert refunded.method == "bank_transfer"
    assert not MidtransRefund.objects.exists()
    part.refresh_from_db()
    assert part.refunded_amount == Decimal(150000)


@pytest.mark.django_db(transaction=True)
def test_money_arriving_after_the_order_expired_is_booked_for_finance_to_give_back(world):
    number = checkout_with(world, "bca_va")
    charge = MidtransCharge.objects.get(order__number=number)
    world["midtrans"].expire(charge.midtrans_order_id)
    assert set(SellerOrder.objects.filter(order=charge.order).values_list("status", flat=True)) == {S.CANCELLED}

    # when the bank still settles it (Midtrans now reports settlement, and notifies)
    world["midtrans"].settle(charge.midtrans_order_id, force=True)

    # then the money is recorded, the order stays cancelled, and each part is refunded in full
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.SETTLEMENT and charge.fee == Decimal(4000)
    parts = list(SellerOrder.objects.filter(order=charge.order))
    assert {part.status for part in parts} == {S.REFUNDED}
    assert all(part.refunded_amount == part.total for part in parts)
    assert paid_parts_events(charge.order) == 0
