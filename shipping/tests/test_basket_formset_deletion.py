"""Oscar's BasketFormSetTests for deleting a line while another one is invalid, on our grouped basket page.

Oscar deletes the marked line (the same object as the basket's cached line) and re-renders the formset
with the other line's errors; the groups on our page must not list the deleted line any more.
(Ported from django-oscar's tests/functional/test_basket.py.)
"""

import re

import pytest
from django.urls import reverse

from tests.factories import make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_line_basket(client):
    user = make_user()
    seller = make_seller(name="Pondok Al-Ikhlas")
    first = make_seller_product(seller, title="Keripik Singkong", stock=10)
    second = make_seller_product(seller, title="Kopi Arabika", stock=10)
    client.force_login(user)
    for product in (first, second):
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response = client.get(reverse("basket:summary"))
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    return first, second, formset


def _post_deleting_the_first_line(client, formset):
    management = formset.management_form.initial
    data = {formset.add_prefix(name): management[name] for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    data[formset.add_prefix("MIN_NUM_FORMS")] = management["MIN_NUM_FORMS"]
    data[formset.add_prefix("MAX_NUM_FORMS")] = management["MAX_NUM_FORMS"]
    for index, form in enumerate(formset.forms):
        data[form.add_prefix("id")] = form.instance.pk
        data[form.add_prefix("quantity")] = form.instance.quantity
        if index == 0:
            data[form.add_prefix("DELETE")] = "on"
    return client.post(reverse("basket:summary"), data, headers={"x-requested-with": "XMLHttpRequest"})


def _rendered_titles(response) -> list[str]:
    html = response.json()["content_html"]
    return re.findall(r'<h4 class="h6"><a href="[^"]*">([^<]+)</a></h4>', html)


def _assert_only_the_other_line_is_left(response, second):
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 1
    assert formset.is_bound  # the formset with the other line's error is shown again
    assert not formset.forms[0].is_valid()
    basket = formset.forms[0].instance.basket
    assert list(basket.lines.values_list("product_id", "quantity")) == [(second.pk, 1)]
    assert _rendered_titles(response) == [second.get_title()]
    # and the totals shown are the remaining line's
    assert response.context["basket"].total_excl_tax == second.stockrecords.get().price


def test_deleting_valid_line_with_other_invalid_line(client, two_line_basket):
    first, second, formset = two_line_basket
    # the other line's product runs out
    second.stockrecords.update(num_in_stock=0)

    response = _post_deleting_the_first_line(client, formset)

    _assert_only_the_other_line_is_left(response, second)


def test_deleting_invalid_line_with_other_invalid_line(client, two_line_basket):
    first, second, formset = two_line_basket
    first.stockrecords.update(num_in_stock=0)
    second.stockrecords.update(num_in_stock=0)

    response = _post_deleting_the_first_line(client, formset)

    _assert_only_the_other_line_is_left(response, second)
