"""The credit limit: what a company still owes on open invoices caps what it may order on invoice."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from invoices.models import Invoice, InvoicePayment
from invoices.selectors import company_credit_used
from invoices.services import invoice_record_payment
from invoices.tests.conftest import place_on_invoice
from purchasing.models import CompanyOrder
from purchasing.ordering import CreditLimitExceeded
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user

Order = get_model("order", "Order")


def credit_world(*, credit_limit: int, prices: tuple[str, ...]):
    """A company with `credit_limit` and one product per price; each order adds Rp 10.000 shipping."""
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    approver = make_user()
    company = make_company(credit_limit=credit_limit, members=[(approver, "approver")])
    products = [make_seller_product(seller, price=price, stock=100) for price in prices]
    return regions, company, approver, products


@pytest.mark.django_db
def test_an_order_over_the_available_credit_is_refused_and_changes_nothing_until_finance_records_a_payment():
    # given Rp 1.000.000 credit of which an open invoice of Rp 800.000 uses most
    regions, company, approver, (big, small) = credit_world(credit_limit=1_000_000, prices=("790000", "290000"))
    first = place_on_invoice(company=company, user=approver, regions=regions, items=[(big, 1)])
    invoice = Invoice.objects.get(order=first)
    assert invoice.total == Decimal(800_000)
    assert company_credit_used(company=company) == Decimal(800_000)
    record = small.stockrecords.get()
    orders_before = Order.objects.count()

    # when the company orders Rp 300.000 more on invoice
    with pytest.raises(CreditLimitExceeded) as error:
        place_on_invoice(company=company, user=approver, regions=regions, items=[(small, 1)])

    # then it is told how much credit is left, and no order, reservation or invoice is made
    assert "Rp 200.000" in " ".join(error.value.messages)
    assert Order.objects.count() == orders_before
    assert CompanyOrder.objects.filter(company=company).count() == 1
    record.refresh_from_db()
    assert not record.num_allocated
    assert Invoice.objects.count() == 1

    # when finance records Rp 100.000 received: exactly Rp 300.000 is available
    invoice_record_payment(
        invoice=invoice, amount=100_000, reference="BSI-7781", paid_on=timezone.localdate(), recorded_by=None
    )
    assert company_credit_used(company=company) == Decimal(700_000)
    second = place_on_invoice(company=company, user=approver, regions=regions, items=[(small, 1)])

    # then the order goes through and uses the rest of the credit
    assert Invoice.objects.get(order=second).total == Decimal(300_000)
    assert company_credit_used(company=company) == Decimal(1_000_000)
    record.refresh_from_db()
    assert record.num_allocated == 1


@pytest.mark.django_db
def test_credit_used_counts_only_what_is_still_owed_on_open_invoices(world, invoice_order):
    company = world["company"]
    invoice = Invoice.objects.get(order=invoice_order)
    other = make_company(credit_limit=1_000_000)

    assert company_credit_used(company=company) == Decimal(1_260_000)
    assert company_credit_used(company=other) == 0

    invoice_record_payment(
        invoice=invoice, amount=1_260_000, reference="BSI-1", paid_on=timezone.localdate(), recorded_by=None
    )

    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.paid_at is not None
    assert company_credit_used(company=company) == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_invoice_orders_that_together_exceed_the_limit_place_exactly_one():
    # given Rp 1.000.000 credit and two buyers each ordering Rp 600.000 at the same moment
    regions, company, approver, (product,) = credit_world(credit_limit=1_000_000, prices=("590000",))
    second_approver = make_user()
    company.memberships.create(user=second_approver, role="approver")
    start = threading.Barrier(2)
    outcomes = []

    def buy(user):
        try:
            start.wait(timeout=30)
            place_on_invoice(company=company, user=user, regions=regions, items=[(product, 1)])
            outcomes.append("placed")
        except CreditLimitExceeded:
            outcomes.append("over credit")
        except Exception as error:  # a deadlock or anything else must fail the test loudly
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(user,)) for user in (approver, second_approver)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then one is placed and the other is refused: the company never owes more than its limit
    assert sorted(outcomes) == ["over credit", "placed"]
    assert Invoice.objects.filter(company=company).count() == 1
    assert company_credit_used(company=company) == Decimal(600_000)
    record = product.stockrecords.get()
    assert record.num_allocated == 1
    assert not InvoicePayment.objects.exists()
