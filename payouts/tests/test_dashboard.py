import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from payouts.models import LedgerEntryKind, Payout, PayoutBatch, PayoutStatus
from payouts.selectors import payable_balance
from payouts.services import create_weekly_payouts
from payouts.tests.conftest import BANK, credit
from sellers.models import Seller
from tests.factories import make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def minimum(settings):
    settings.MARKETPLACE_PAYOUT_MINIMUM_IDR = 50000


@pytest.fixture
def finance_client(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_payouts", content_type__app_label="payouts"))
    client.force_login(user)
    client.user = user
    return client


def seller_user_for(seller):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access", content_type__app_label="partner"))
    seller.partner.users.add(user)
    return user


@pytest.mark.parametrize(
    "name,kwargs,method",
    [
        ("batch-list", {}, "get"),
        ("payout-list", {}, "get"),
        ("balance-list", {}, "get"),
        ("batch-create", {}, "post"),
    ],
)
def test_finance_pages_refuse_staff_without_the_permission(client, name, kwargs, method):
    client.force_login(make_user(is_staff=True))

    response = getattr(client, method)(reverse(f"payouts-dashboard:{name}", kwargs=kwargs))

    assert response.status_code == 403
    assert not PayoutBatch.objects.exists()


def test_create_button_makes_this_weeks_batch(finance_client, seller):
    credit(seller, "150000")

    response = finance_client.post(reverse("payouts-dashboard:batch-create"))

    batch = PayoutBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("payouts-dashboard:batch-detail", kwargs={"pk": batch.pk})
    assert batch.created_by == finance_client.user
    assert batch.payouts.get().amount == Decimal("150000")
    page = finance_client.get(response.url)
    assert "Pondok Pesantren Al-Ikhlas" in page.content.decode()


def test_csv_download_and_mark_failed_from_the_batch_page(finance_client, seller):
    credit(seller, "150000")
    run = create_weekly_payouts()
    payout = run.payouts[0]

    response = finance_client.post(reverse("payouts-dashboard:batch-export", kwargs={"pk": run.batch.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    failed = finance_client.post(
        reverse("payouts-dashboard:payout-mark-failed", kwargs={"pk": payout.pk}), {"reason": "Rekening tidak aktif"}
    )

    assert response["Content-Disposition"] == f'attachment; filename="payouts-{run.batch.week}.csv"'
    assert rows[1][1:] == [
        str(payout.pk),
        "Pondok Pesantren Al-Ikhlas",
        "Bank Syariah Indonesia",
        "7123456789",
        "Yayasan Al-Ikhlas",
        "150000",
        f"PP-{run.batch.week}-{payout.pk}",
    ]
    assert failed.status_code == 302
    payout.refresh_from_db()
    assert (payout.status, payout.failed_by) == (PayoutStatus.FAILED, finance_client.user)
    assert payable_balance(seller=seller) == Decimal("150000")


def test_mark_failed_without_a_reason_changes_nothing(finance_client, seller):
    credit(seller, "150000")
    payout = create_weekly_payouts().payouts[0]

    finance_client.post(reverse("payouts-dashboard:payout-mark-failed", kwargs={"pk": payout.pk}), {"reason": " "})

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PENDING
    assert payable_balance(seller=seller) == Decimal("0")


def test_mark_all_paid_from_the_batch_page(finance_client, seller, regions):
    other = make_seller(regions=regions, **BANK)
    credit(seller, "150000")
    credit(other, "60000")
    batch = create_weekly_payouts().batch

    finance_client.post(reverse("payouts-dashboard:batch-mark-paid", kwargs={"pk": batch.pk}), {"reference": "BSI-01"})

    assert set(Payout.objects.values_list("status", "reference")) == {(PayoutStatus.PAID, "BSI-01")}


def test_finance_list_pages_have_bounded_queries(finance_client, regions, django_assert_max_num_queries):
    def populate(count):
        for _ in range(count):
            credit(make_seller(regions=regions, **BANK), "70000")

    populate(2)
    batch = create_weekly_payouts().batch
    urls = [
        reverse("payouts-dashboard:batch-list"),
        reverse("payouts-dashboard:batch-detail", kwargs={"pk": batch.pk}),
        reverse("payouts-dashboard:payout-list"),
        reverse("payouts-dashboard:balance-list"),
    ]
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert finance_client.get(url).status_code == 200
        few[url] = len(queries)
    # ten more pesantren with balances and payouts must not add queries per row
    populate(10)
    for seller in Seller.objects.filter(payouts__isnull=True).order_by("pk"):
        Payout.objects.create(batch=batch, seller=seller, amount=Decimal("70000"), method="bank_transfer")
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            finance_client.get(url)


def test_pesantren_sees_its_own_ledger_and_payouts(client, seller):
    credit(seller, "150000")
    create_weekly_payouts()
    credit(seller, "30000")
    client.force_login(seller_user_for(seller))

    response = client.get(reverse("payouts-dashboard:my-ledger"), follow=True)

    assert response.status_code == 200
    assert response.context["seller"] == seller
    assert response.context["balance"] == Decimal("30000")
    assert response.context["payable"] == Decimal("30000")
    assert [entry.running_balance for entry in response.context["entries"]] == [
        Decimal("30000"),
        Decimal("0"),
        Decimal("150000"),
    ]
    assert [payout.amount for payout in response.context["payouts"]] == [Decimal("150000")]


def test_pesantren_ledger_csv(client, seller):
    credit(seller, "150000")
    credit(seller, "-20000")
    client.force_login(seller_user_for(seller))

    response = client.get(reverse("payouts-dashboard:seller-ledger-export", kwargs={"seller_pk": seller.pk}))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # the site speaks Indonesian whatever the browser asks; compare with the same translations
    with translation.override("id"):
        header = [gettext(text) for text in ("Date", "Kind", "Description", "Order", "Amount (IDR)", "Balance (IDR)")]
        adjustment = str(LedgerEntryKind.ADJUSTMENT.label)
    assert rows[0] == header
    assert [(row[1], row[4], row[5]) for row in rows[1:]] == [
        (adjustment, "150000", "150000"),
        (adjustment, "-20000", "130000"),
    ]


def test_another_pesantrens_ledger_is_404(client, seller, regions):
    other = make_seller(regions=regions)
    credit(other, "99000")
    client.force_login(seller_user_for(seller))

    assert client.get(reverse("payouts-dashboard:seller-ledger", kwargs={"seller_pk": other.pk})).status_code == 404
    assert (
        client.get(reverse("payouts-dashboard:seller-ledger-export", kwargs={"seller_pk": other.pk})).status_code == 404
    )
    assert client.get(reverse("payouts-dashboard:seller-ledger", kwargs={"seller_pk": seller.pk})).status_code == 200
