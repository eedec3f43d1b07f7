"""Redis (the Celery broker and the cache) goes down while the marketplace takes money and uploads.

A private redis-server is stopped; a card payment webhook, finance confirming a bank transfer, a CSV
product import and the API all still answer, and their tasks wait in the outbox. Redis comes back,
the relay sends them to a real worker, and every email goes out exactly once, even when the whole
outbox is relayed a second time.
"""

import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from api.services import api_token_create
from bank_transfers.models import BankTransferStatus
from bank_transfers.services import start_bank_transfer, submit_proof
from bank_transfers.tests.conftest import place_order
from bank_transfers.tests.files import png_upload
from core.models import OutboxMessage
from dashboard.catalogue.models import ImportJob, ImportJobStatus
from payments.services import start_card_payment
from payments.tests.conftest import make_card_order, payment_intent_event, signed_webhook
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user
from tests.fixtures.redis_server import celery_broker

Permission = get_model("auth", "Permission")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

CSV = (
    "sku,title,category,price,stock\n"
    "DODOL-1,Dodol Garut,Makanan,35000,40\n"
    "KERUPUK-1,Kerupuk Kulit,Makanan,15000,10\n"
    "SAMBAL-1,Sambal Bawang,Makanan,25000,12\n"
)


@pytest.fixture
def private_redis(redis_server, settings):
    """Broker and cache of this process (and of the workers it starts) on a Redis the test controls."""
    # Repoint Celery first: it remembers the broker to restore, which must be the real one, not ours.
    with celery_broker(redis_server.url):
        settings.REDIS_URL = redis_server.url
        settings.CELERY_BROKER_URL = redis_server.url
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.RedisCache",
                "LOCATION": redis_server.url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        yield redis_server


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def wait_until(condition, timeout: float = 60, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {message}")


def wait_for_worker_to_drain(redis_server):
    """Every outbox row sent and every sent task acknowledged (tasks queue theirs before they ack)."""
    client = redis_server.client()

    def idle() -> bool:
        return (
            not OutboxMessage.objects.filter(dispatched_at=None).exists()
            and client.llen("celery") == 0
            and client.hlen("unacked") == 0
        )

    # Twice, a second apart: a task the worker has just popped is briefly in neither list.
    wait_until(lambda: idle() and not time.sleep(1) and idle(), message="the worker to finish every task")


def recipients_of_mails_about(worker, number: str) -> list[str]:
    mails = [mail for mail in worker.messages() if number in mail]
    return sorted(line[4:] for mail in mails for line in mail.splitlines() if line.startswith("To: "))


@pytest.mark.django_db(transaction=True)
def test_redis_down_during_payment_transfer_and_import_loses_nothing_and_mails_once(
    private_redis, celery_worker_factory, localstripe, settings
):
    # given a card order Stripe has charged, whose webhook is still to come
    card_customer = make_user("kartu@example.com")
    card_order = make_card_order(user=card_customer)
    card_payment = start_card_payment(
        order=card_order, payment_method_id=localstripe.create_payment_method("4242424242424242")
    )
    # ... a bank-transfer order whose proof waits for finance
    regions = make_region_tree()
    transfer_sellers = [make_seller(regions=regions), make_seller(regions=regions)]
    transfer_customer = make_user("transfer@example.com")
    goods = [(make_seller_product(seller, price="50000", stock=5), 1) for seller in transfer_sellers]
    transfer_order = place_order(goods, user=transfer_customer)
    transfer = start_bank_transfer(order=transfer_order)
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    finance = make_user("keuangan@example.com", is_staff=True)
    finance.user_permissions.add(
        Permission.objects.get(codename="review_transfer", content_type__app_label="bank_transfers")
    )
    # ... a pesantren about to import products, and a company using the API
    ProductClass.objects.create(name="Produk Pesantren", track_stock=True)
    Category.add_root(name="Makanan")
    importer = make_seller(regions=regions)
    approver = make_user()
    company = make_company(members=[(approver, "approver")], credit_limit=10_000_000)
    _token, secret = api_token_create(company=company, created_by=approver, name="ERP")
    queued_before = set(OutboxMessage.objects.values_list("pk", flat=True))

    # when Redis goes down
    private_redis.stop()

    # then Stripe's webhook is answered and the order is paid
    body, signature = signed_webhook(
        payment_intent_event("evt_outage", "payment_intent.succeeded", card_payment.payment_intent_id)
    )
    response, seconds = timed(
        lambda: Client().post(
            reverse("payments:webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
    )
    assert response.status_code == 200
    assert seconds < 5
    card_order.refresh_from_db()
    assert card_order.status == "Paid"

    # ... finance confirms the transfer
    staff = Client()
    staff.force_login(finance)
    review_url = reverse("bank_transfers:dashboard-detail", kwargs={"pk": transfer.pk})
    response, seconds = timed(lambda: staff.post(review_url, {"action": "confirm"}))
    assert response.status_code == 302
    assert seconds < 5
    transfer.refresh_from_db()
    transfer_order.refresh_from_db()
    assert (transfer.status, transfer_order.status) == (BankTransferStatus.CONFIRMED, "Paid")

    # ... the pesantren's upload is accepted and its page says it is queued
    seller_client = Client()
    seller_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    seller_client.force_login(importer.owner)
    upload = SimpleUploadedFile("produk.csv", CSV.encode(), content_type="text/csv")
    response, seconds = timed(lambda: seller_client.post(reverse("dashboard:product-import"), {"file": upload}))
    assert response.status_code == 302
    assert seconds < 5
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PENDING
    page = seller_client.get(response["Location"]).content.decode()
    assert "queued" in page

    # ... the API lets a company in while its rate cannot be counted, or refuses it with 503 if so set
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")
    response, seconds = timed(lambda: api.get("/api/v1/orders/"))
    assert response.status_code == 200
    assert seconds < 5
    settings.MARKETPLACE_API_THROTTLE_FAIL_OPEN = False
    refused = api.get("/api/v1/orders/")
    assert refused.status_code == 503
    assert int(refused["Retry-After"]) > 0
    settings.MARKETPLACE_API_THROTTLE_FAIL_OPEN = True
    # ... and the catalogue, whose facets are cached, still renders
    assert Client().get(reverse("catalogue:index")).status_code == 200

    # and each task waits in the outbox
    waiting = OutboxMessage.objects.exclude(pk__in=queued_before).filter(dispatched_at=None)
    assert sorted((message.task_name, message.args) for message in waiting) == sorted(
        [
            ("fulfilment.tasks.process_paid_order", [card_order.pk]),
            ("fulfilment.tasks.process_paid_order", [transfer_order.pk]),
            ("dashboard.catalogue.tasks.run_product_import", [job.pk]),
        ]
    )

    # when Redis is back, a worker runs and the relay sends what waited
    private_redis.start()
    worker = celery_worker_factory()
    call_command("relay_outbox", "--min-age", "0")
    wait_for_worker_to_drain(private_redis)

    # then each customer and each pesantren of both orders got exactly one email
    card_sellers = [part.seller for part in card_order.seller_orders.select_related("seller__owner")]
    expected = {
        card_order.number: sorted([card_customer.email, *(seller.owner.email for seller in card_sellers)]),
        transfer_order.number: sorted([transfer_customer.email, *(seller.owner.email for seller in transfer_sellers)]),
    }
    assert {number: recipients_of_mails_about(worker, number) for number in expected} == expected
    # ... and the import ran once
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 3)
    assert StockRecord.objects.filter(partner_id=importer.partner_id).count() == 3

    # when every task is delivered again (at least once means it may be), through beat's relay task
    OutboxMessage.objects.update(dispatched_at=None, claimed_until=None)
    from marketplace.celery import app

    app.send_task("core.tasks.relay_outbox", kwargs={"min_age_seconds": 0})
    wait_for_worker_to_drain(private_redis)

    # then nobody got a second email and nothing was imported twice
    assert {number: recipients_of_mails_about(worker, number) for number in expected} == expected
    assert StockRecord.objects.filter(partner_id=importer.partner_id).count() == 3
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 3)
    assert OutboxMessage.objects.filter(attempts__gte=2).exists()
