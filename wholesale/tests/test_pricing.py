from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation
from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class

from basket.models import Basket
from companies.models import Company, CompanyMembership, CompanyStatus
from partner.strategy import Selector
from sellers.availability import PesantrenStrategy
from tests.factories import make_npwp, make_seller, make_seller_product, make_user
from wholesale.models import PriceTier
from wholesale.services import price_tiers_set, wholesale_moq_set
from wholesale.strategy import OfftakerStrategy

pytestmark = pytest.mark.django_db


def make_member(*, status: str = CompanyStatus.VERIFIED):
    user = make_user()
    company = Company.objects.create(
        legal_name="PT Katering Barokah",
        npwp=make_npwp(user.pk),
        business_type="caterer",
        address="Jl. Braga 1, Bandung",
        contact_name="Rina",
        contact_phone="0812000111",
        contact_email="rina@example.com",
        status=status,
    )
    CompanyMembership.objects.create(company=company, user=user)
    return user


@pytest.fixture
def tiered_product():
    product = make_seller_product(make_seller(), price="25000", stock=500)
    price_tiers_set(stockrecord=product.stockrecords.get(), tiers=[(10, 22000), (50, 20000)])
    return product


def unit_price_for(user, product, quantity: int) -> Decimal:
    request = RequestFactory().get("/")
    request.user = user
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(request=request, user=user)
    line, _created = basket.add_product(product, quantity=quantity)
    return line.unit_price_excl_tax


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(1, "25000"), (9, "25000"), (10, "22000"), (49, "22000"), (50, "20000"), (200, "20000")],
)
def test_verified_offtaker_pays_the_tier_of_the_line_quantity(tiered_product, quantity, expected):
    assert unit_price_for(make_member(), tiered_product, quantity) == Decimal(expected)


@pytest.mark.parametrize("quantity", [9, 10, 50])
def test_consumer_keeps_the_retail_price(tiered_product, quantity):
    assert unit_price_for(make_user(), tiered_product, quantity) == Decimal("25000")


@pytest.mark.parametrize("status", [CompanyStatus.APPLIED, CompanyStatus.REJECTED])
def test_member_of_an_unverified_company_keeps_the_retail_price(tiered_product, status):
    assert unit_price_for(make_member(status=status), tiered_product, 50) == Decimal("25000")


def test_selector_gives_the_offtaker_strategy_only_to_verified_members():
    assert isinstance(Selector().strategy(user=make_member()), OfftakerStrategy)
    consumer_strategy = Selector().strategy(user=make_user())
    # Oscar's default strategy, with the products of pesantren that take no orders unavailable
    assert type(consumer_strategy) is PesantrenStrategy
    assert isinstance(consumer_strategy, oscar_strategy.Default)


def test_oscar_finds_our_selector_in_the_forked_partner_app():
    assert get_class("partner.strategy", "Selector") is Selector
    assert get_class("partner.strategy", "Default") is oscar_strategy.Default


def test_tier_prices_must_not_increase_with_quantity():
    product = make_seller_product(make_seller(), price="25000")
    record = product.stockrecords.get()

    with pytest.raises(ValidationError):
        price_tiers_set(stockrecord=record, tiers=[(10, 22000), (50, 23000)])
    with pytest.raises(ValidationError):
        price_tiers_set(stockrecord=record, tiers=[(10, 26000)])
    assert not PriceTier.objects.filter(stockrecord=record).exists()


def test_moq_refuses_smaller_wholesale_purchases_with_a_message_and_accepts_the_moq(tiered_product):
    # given
    wholesale_moq_set(stockrecord=tiered_product.stockrecords.get(), moq=10)
    offtaker_strategy = Selector().strategy(user=make_member())

    # when
    availability = offtaker_strategy.fetch_for_product(tiered_product).availability

    # then
    with translation.override("en"):
        assert availability.is_purchase_permitted(9) == (False, "The minimum order for wholesale buyers is 10 units.")
    assert availability.is_purchase_permitted(10) == (True, "")
    # the stock limit still applies on top of the MOQ
    assert availability.is_purchase_permitted(501)[0] is False


def test_moq_does_not_apply_to_consumers(tiered_product):
    wholesale_moq_set(stockrecord=tiered_product.stockrecords.get(), moq=10)

    availability = Selector().strategy(user=make_user()).fetch_for_product(tiered_product).availability

    assert availability.is_purchase_permitted(1) == (True, "")


def test_add_to_basket_form_shows_the_moq_message(tiered_product):
    from oscar.apps.basket.forms import AddToBasketForm

    wholesale_moq_set(stockrecord=tiered_product.stockrecords.get(), moq=10)
    user = make_member()
    request = RequestFactory().get("/")
    request.user = user
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(request=request, user=user)

    refused = AddToBasketForm(basket=basket, product=tiered_product, data={"quantity": 9})
    accepted = AddToBasketForm(basket=basket, product=tiered_product, data={"quantity": 10})

    with translation.override("en"):
        assert not refused.is_valid()
    assert "The minimum order for wholesale buyers is 10 units." in refused.non_field_errors()
    assert accepted.is_valid(), accepted.errors
