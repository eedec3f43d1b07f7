import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from fulfilment.models import SellerOrderStatus
from purchasing.models import CompanyOrder, PurchaseRequest, PurchaseRequestStatus
from purchasing.ordering import (
    PurchaseItem,
    purchase_request_approve,
    purchase_request_reject,
    purchase_request_withdraw,
    submit_purchase,
)
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
)
from wholesale.services import price_tiers_set, wholesale_moq_set

pytestmark = pytest.mark.django_db

ShippingAddress = get_model("order", "ShippingAddress")


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    product = make_seller_product(seller, price="25000", stock=500)
    record = product.stockrecords.get()
    price_tiers_set(stockrecord=record, tiers=[(10, 22000), (50, 20000)])
    wholesale_moq_set(stockrecord=record, moq=10)
    buyer, approver = make_user(), make_user()
    company = make_company(members=[(buyer, "buyer"), (approver, "approver")], approval_threshold=2_000_000)
    return {"regions": regions, "record": record, "company": company, "buyer": buyer, "approver": approver}


def submit(world, *, user, quantity, method="bank_transfer", **extra):
    return submit_purchase(
        company=world["company"],
        user=user,
        items=[PurchaseItem(stockrecord=world["record"], quantity=quantity, **extra)],
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method=method,
        po_number="PO-77",
    )


def test_buyer_under_the_threshold_places_the_order_at_the_tier_price(world):
    result = submit(world, user=world["buyer"], quantity=50)

    order = result.order
    line = order.lines.get()
    assert line.unit_price_incl_tax == Decimal("20000")
    assert order.total_incl_tax == Decimal("1000000") + order.shipping_incl_tax
    assert CompanyOrder.objects.get(order=order).po_number == "PO-77"
    assert order.bank_transfer.amount == order.total_incl_tax
    record = world["record"]
    record.refresh_from_db()
    assert record.num_allocated == 50


def test_buyer_over_the_threshold_waits_for_an_approver_who_places_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(world, user=world["buyer"], quantity=120)

    request = result.purchase_request
    assert result.needs_approval and result.order is None
    assert request.status == PurchaseRequestStatus.PENDING
    assert request.lines.get().unit_price == Decimal("20000")
    assert mail.outbox[-1].to == [world["approver"].email]
    world["record"].refresh_from_db()
    assert not world["record"].num_allocated, "nothing is reserved before approval"

    with django_capture_on_commit_callbacks(execute=True):
        order = purchase_request_approve(purchase_request=request, approver=world["approver"])

    request.refresh_from_db()
    assert request.status == PurchaseRequestStatus.PLACED and request.order == order
    assert order.user == world["buyer"]
    assert CompanyOrder.objects.get(order=order).approved_by == world["approver"]
    assert mail.outbox[-1].to == [world["buyer"].email]


def test_an_approver_is_not_held_by_the_threshold(world):
    assert submit(world, user=world["approver"], quantity=120).order is not None


def test_a_buyer_cannot_approve_and_a_decided_request_stays_decided(world):
    request = submit(world, user=world["buyer"], quantity=120).purchase_request
    with pytest.raises(PermissionDenied):
        purchase_request_approve(purchase_request=request, approver=world["buyer"])
    with pytest.raises(ValidationError):
        purchase_request_reject(purchase_request=request, approver=world["approver"], reason=" ")

    purchase_request_reject(purchase_request=request, approver=world["approver"], reason="Budget habis")

    with pytest.raises(ValidationError):
        purchase_request_approve(purchase_request=request, approver=world["approver"])
    assert not CompanyOrder.objects.exists()


def test_approval_that_no_longer_fits_the_stock_keeps_the_request_pending(world):
    request = submit(world, user=world["buyer"], quantity=120).purchase_request
    record = world["record"]
    record.num_in_stock = 100
    record.save()

    with pytest.raises(ValidationError):
        purchase_request_approve(purchase_request=request, approver=world["approver"])

    request.refresh_from_db()
    assert request.status == PurchaseRequestStatus.PENDING
    assert not CompanyOrder.objects.exists()


def test_only_the_requester_withdraws(world):
    request = submit(world, user=world["buyer"], quantity=120).purchase_request
    with pytest.raises(PermissionDenied):
        purchase_request_withdraw(purchase_request=request, user=world["approver"])
    purchase_request_withdraw(purchase_request=request, user=world["buyer"])
    request.refresh_from_db()
    assert request.status == PurchaseRequestStatus.CANCELLED


@pytest.mark.parametrize(
    ("quantity", "message"),
    [(5, "minimum order for wholesale buyers is 10"), (501, "")],
)
def test_bad_items_place_nothing(world, quantity, message):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        submit(world, user=world["approver"], quantity=quantity)
    assert message in " ".join(error.value.messages)
    assert not CompanyOrder.objects.exists() and not PurchaseRequest.objects.exists()


def test_a_fixed_quote_price_beats_the_tiers_and_the_moq(world):
    order = submit(world, user=world["approver"], quantity=5, fixed_unit_price=Decimal("18000")).order
    assert order.lines.get().unit_price_incl_tax == Decimal("18000")


def test_unverified_companies_and_outsiders_cannot_buy(world):
    with pytest.raises(PermissionDenied):
        submit(world, user=make_user(), quantity=10)
    world["company"].status = "applied"
    world["company"].save()
    with pytest.raises(ValidationError):
        submit(world, user=world["buyer"], quantity=10)


def test_invoice_needs_a_credit_limit(world):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        submit(world, user=world["approver"], quantity=10, method="invoice")
    assert "no invoice credit" in " ".join(error.value.messages)


class TestBusinessCheckoutPage:
    @pytest.fixture
    def client_with_basket(self, client, world):
        client.force_login(world["buyer"])
        product = world["record"].product
        response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 50})
        assert response.status_code == 302
        return client

    def address(self, world):
        regions = world["regions"]
        return {
            "first_name": "Gudang PT Mitra",
            "phone_number": "081234567890",
            "line1": "Jl. Soekarno Hatta 10",
            "province": regions["province"].code,
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "desa": regions["desa"][0].code,
            "postcode": "40111",
        }

    def test_consumer_checkout_sends_business_buyers_to_the_business_checkout(self, client_with_basket):
        response = client_with_basket.get(reverse("checkout:index"))
        assert response.status_code == 302 and response["Location"] == reverse("purchasing:checkout")

    def test_shows_the_basket_at_the_tier_price_and_places_the_order(self, client_with_basket, world):
        page = client_with_basket.get(reverse("purchasing:checkout"))
        assert "Rp 20.000" in page.content.decode() and "Rp 1.000.000" in page.content.decode()
        assert "Invoice" not in page.content.decode(), "no credit limit: no invoice option"

        response = client_with_basket.post(
            reverse("purchasing:checkout"), {**self.address(world), "payment_method": "card", "po_number": "PO-1"}
        )

        company_order = CompanyOrder.objects.get()
        assert response["Location"] == reverse("checkout:pay", kwargs={"order_number": company_order.order.number})
        assert company_order.order.seller_orders.get().status == SellerOrderStatus.PENDING_PAYMENT
        assert client_with_basket.get(reverse("purchasing:checkout")).context["basket"].is_empty

    def test_payment_methods_are_labelled_radio_buttons(self, client_with_basket):
        html = client_with_basket.get(reverse("purchasing:checkout")).content.decode()

        radios = re.findall(r'<input type="radio" name="payment_method"[^>]*>', html)
        assert len(radios) == 2, "card and bank transfer; no invoice without credit"
        for radio in radios:
            # Oscar's form_field partial would add form-control and draw each radio as a text box
            assert "form-control" not in radio and "custom-control-input" in radio
            radio_id = re.search(r'id="([^"]+)"', radio).group(1)
            assert f'<label class="custom-control-label" for="{radio_id}">' in html

    def test_bad_address_keeps_the_basket_and_places_nothing(self, client_with_basket, world):
        response = client_with_basket.post(
            reverse("purchasing:checkout"), {**self.address(world), "postcode": "12", "payment_method": "card"}
        )
        assert response.status_code == 400
        assert not CompanyOrder.objects.exists()
        assert response.context["basket"].num_items == 50

    def test_over_the_threshold_goes_to_the_approvers_page(self, client_with_basket, world):
        world["company"].approval_threshold = 500_000
        world["company"].save()

        response = client_with_basket.post(
            reverse("purchasing:checkout"), {**self.address(world), "payment_method": "bank_transfer"}
        )

        request = PurchaseRequest.objects.get()
        assert response["Location"] == reverse("purchasing:approval-detail", kwargs={"pk": request.pk})
        page = client_with_basket.get(response["Location"])
        assert page.context["is_requester"] and not page.context["is_approver"]
        assert b'value="withdraw"' in page.content and b'value="approve"' not in page.content


class TestApprovalPages:
    def test_approver_approves_from_the_page(self, client, world):
        request = submit(world, user=world["buyer"], quantity=120).purchase_request
        client.force_login(world["approver"])
        listing = client.get(reverse("purchasing:approval-list"))
        assert f"PR-{request.pk}" in listing.content.decode()

        response = client.post(reverse("purchasing:approval-detail", kwargs={"pk": request.pk}), {"action": "approve"})

        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == PurchaseRequestStatus.PLACED
        page = client.get(response["Location"]).content.decode()
        assert f'href="{reverse("purchasing:order-detail", kwargs={"number": request.order.number})}"' in page

    def test_buyer_posting_approve_is_refused(self, client, world):
        request = submit(world, user=world["buyer"], quantity=120).purchase_request
        client.force_login(world["buyer"])
        response = client.post(reverse("purchasing:approval-detail", kwargs={"pk": request.pk}), {"action": "approve"})
        assert response.status_code == 403
        request.refresh_from_db()
        assert request.status == PurchaseRequestStatus.PENDING

    def test_another_companys_request_is_not_found(self, client, world):
        request = submit(world, user=world["buyer"], quantity=120).purchase_request
        outsider = make_user()
        make_company(members=[(outsider, "approver")])
        client.force_login(outsider)
        url = reverse("purchasing:approval-detail", kwargs={"pk": request.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve"}).status_code == 404
        assert f"PR-{request.pk}" not in client.get(reverse("purchasing:approval-list")).content.decode()
