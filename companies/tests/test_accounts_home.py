"""The business area: home page per company status, the company's orders, and isolation between companies."""

import pytest
from django.conf import settings
from django.urls import reverse

from companies.models import CompanyStatus
from companies.views import _resolvable_links
from purchasing.models import CompanyOrder
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db

HOME = "/offtaker/"
ORDERS = "/offtaker/pesanan/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def shop():
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    return {"regions": regions, "product": make_seller_product(seller, price="50000", stock=500)}


def company_order(shop, *, company, placed_by, po_number="", quantity=1):
    order = place_order(
        items=[(shop["product"], quantity)],
        shipping_address=make_shipping_address(regions=shop["regions"]),
        user=placed_by,
    )
    return CompanyOrder.objects.create(
        order=order, company=company, placed_by=placed_by, payment_method="invoice", po_number=po_number
    )


def test_anonymous_users_log_in_and_non_members_are_sent_to_registration(english):
    anonymous = english.get(HOME)
    english.force_login(make_user())
    outsider = english.get(HOME)
    outsider_orders = english.get(ORDERS)

    assert anonymous.status_code == 302 and settings.LOGIN_URL in anonymous["Location"]
    assert outsider["Location"] == reverse("companies:register")
    assert outsider_orders["Location"] == reverse("companies:register")


def test_registration_leads_to_the_home_waiting_for_verification(english):
    user = make_user()
    english.force_login(user)

    response = english.post(
        reverse("companies:register"),
        {
            "legal_name": "CV Toko Amanah",
            "npwp": "01.234.567.4-901.000",
            "business_type": "retailer",
            "address": "Jl. Dago 10, Bandung",
            "contact_name": "Dewi",
            "contact_phone": "081299988877",
            "contact_email": "dewi@amanah.id",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("companies:home")
    html = response.content.decode()
    assert "Waiting for verification" in html and 'data-status="applied"' in html
    assert "Approver" in html


def test_rejected_company_home_shows_the_reason_and_no_buying_links(english):
    user = make_user()
    make_company(status=CompanyStatus.REJECTED, status_reason="NPWP tidak cocok.", members=[(user, "approver")])
    english.force_login(user)

    response = english.get(HOME)

    html = response.content.decode()
    assert 'data-status="rejected"' in html and "NPWP tidak cocok." in html
    assert response.context["links"] == []
    assert reverse("purchasing:checkout") not in html


def test_verified_company_home_shows_role_credit_terms_and_the_links_that_exist(english):
    buyer = make_user()
    make_company(
        legal_name="PT Mitra Niaga",
        credit_limit=5_000_000,
        payment_terms_days=14,
        approval_threshold=2_000_000,
        members=[(buyer, "buyer")],
    )
    english.force_login(buyer)

    response = english.get(HOME)

    html = response.content.decode()
    assert 'data-status="verified"' in html and "PT Mitra Niaga" in html
    assert "Rp 5.000.000" in html and "Rp 2.000.000" in html and "Net 14 days" in html
    assert response.context["membership"].get_role_display() == "Buyer"
    assert reverse("catalogue:index") in html
    names = [link["name"] for link in response.context["links"]]
    for link in response.context["links"]:
        assert f'href="{link["url"]}"' in html
    assert "purchasing:checkout" in names and "purchasing:approval-list" in names
    # The page and the header link buyers to the business area.
    assert f'id="business_link" href="{HOME}"' in html


def test_only_approvers_are_linked_to_the_api_tokens(english):
    buyer, approver = make_user(), make_user()
    make_company(members=[(buyer, "buyer"), (approver, "approver")])

    def link_names(user):
        english.force_login(user)
        return [link["name"] for link in english.get(HOME).context["links"]]

    assert "api:tokens" not in link_names(buyer) and "purchasing:bulk-order" in link_names(buyer)
    assert "api:tokens" in link_names(approver)


def test_links_to_pages_that_do_not_exist_yet_are_left_out():
    links = _resolvable_links([("companies:home", "Home", ""), ("nothing:here", "Missing", "")])

    assert [link["url"] for link in links] == [HOME]


def test_the_header_has_no_business_link_for_consumers(english):
    english.force_login(make_user())

    response = english.get(reverse("companies:register"))

    assert 'id="business_link"' not in response.content.decode()


def test_a_member_of_two_companies_sees_the_verified_one_and_can_switch(english):
    user = make_user()
    applied = make_company(status=CompanyStatus.APPLIED, legal_name="CV Baru", members=[(user, "approver")])
    verified = make_company(legal_name="PT Lama", members=[(user, "buyer")])
    english.force_login(user)

    default = english.get(HOME)
    switched = english.get(HOME, {"company": applied.pk})
    stranger = english.get(HOME, {"company": make_company().pk})

    assert default.context["company"] == verified
    assert f"?company={applied.pk}" in default.content.decode()
    assert switched.context["company"] == applied and 'data-status="applied"' in switched.content.decode()
    assert stranger.status_code == 404
    assert english.get(HOME, {"company": "x"}).status_code == 404


def test_every_member_sees_all_company_orders_and_nothing_of_another_company(english, shop):
    approver, buyer, outsider = make_user(), make_user(), make_user()
    company = make_company(members=[(approver, "approver"), (buyer, "buyer")])
    other = make_company(members=[(outsider, "approver")])
    mine = company_order(shop, company=company, placed_by=approver, po_number="PO-001")
    theirs = company_order(shop, company=other, placed_by=outsider, po_number="PO-LAIN")
    english.force_login(buyer)

    listing = english.get(ORDERS)
    detail = english.get(reverse("purchasing:order-detail", kwargs={"number": mine.order.number}))
    foreign_detail = english.get(reverse("purchasing:order-detail", kwargs={"number": theirs.order.number}))
    foreign_list = english.get(ORDERS, {"company": other.pk})

    html = listing.content.decode()
    assert f'data-order="{mine.order.number}"' in html and "PO-001" in html
    assert f'data-order="{theirs.order.number}"' not in html and "PO-LAIN" not in html
    assert approver.email in html  # placed by another member
    assert "Rp 50.000" in detail.content.decode() and "PO-001" in detail.content.decode()
    assert (foreign_detail.status_code, foreign_list.status_code) == (404, 404)


def test_order_list_queries_do_not_grow_with_the_number_of_orders(english, shop, django_assert_max_num_queries):
    users = [make_user() for _index in range(3)]
    company = make_company(members=[(user, "buyer") for user in users])
    for user in users[:2]:
        company_order(shop, company=company, placed_by=user)
    english.force_login(users[0])
    english.get(ORDERS)  # the first request of a session creates its basket
    with django_assert_max_num_queries(30) as few:
        english.get(ORDERS)
    for index in range(8):
        company_order(shop, company=company, placed_by=users[index % 3])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = english.get(ORDERS)

    assert len(response.context["company_orders"]) == 10
