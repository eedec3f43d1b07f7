"""Who may use Oscar's dashboards after the fork: platform staff by model permission, pesantren never for orders."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    user = make_user(is_staff=True)
    for codename in codenames:
        app_label, _dot, name = codename.partition(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=name))
    return user


@pytest.fixture
def order():
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    product = make_seller_product(seller, title="Kopi")
    return place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))


def test_platform_staff_need_the_order_view_permission_for_oscars_order_dashboard(client, order):
    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})

    client.force_login(staff_with())
    assert client.get(reverse("dashboard:order-list")).status_code == 403

    client.force_login(staff_with("order.view_order"))
    assert client.get(reverse("dashboard:order-list")).status_code == 200
    assert client.get(detail).status_code == 200


def test_a_pesantren_user_with_django_order_permissions_is_still_refused(client, order):
    seller = order.seller_orders.get().seller
    seller.owner.user_permissions.add(Permission.objects.get(content_type__app_label="order", codename="view_order"))
    client.force_login(seller.owner)

    assert client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).status_code == 403


def test_platform_staff_keep_oscars_overview_and_a_user_without_a_pesantren_gets_404(client):
    client.force_login(staff_with())
    assert client.get(reverse("dashboard:index")).status_code == 200

    customer = make_user()
    access = Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")
    customer.user_permissions.add(access)
    client.force_login(customer)
    assert client.get(reverse("dashboard:index")).status_code == 404
    assert client.get(reverse("dashboard:seller-profile")).status_code == 404
