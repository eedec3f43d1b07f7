"""Each class we change in Oscar lives in its forked app, where Oscar's own `get_class` finds it.

No custom class loader: partner (the pricing strategy's selector), basket (the MOQ line form, the
basket view), customer (sign-in and registration) and dashboard (its sign-in) are forked as Oscar
documents, and Oscar's other classes still come from Oscar.
"""

import pytest
from django.conf import settings
from oscar.apps.basket.signals import basket_addition
from oscar.core.loading import get_class


@pytest.mark.parametrize(
    ("module_label", "classname", "ours"),
    [
        ("partner.strategy", "Selector", "partner.strategy"),
        ("basket.forms", "BasketLineForm", "basket.forms"),
        ("basket.views", "BasketView", "basket.views"),
        ("customer.views", "AccountAuthView", "customer.views"),
        ("customer.views", "AccountRegistrationView", "customer.views"),
        ("dashboard.views", "LoginView", "dashboard.views"),
    ],
)
def test_oscar_loads_our_override_from_the_forked_app(module_label, classname, ours):
    loaded = get_class(module_label, classname)
    assert loaded.__module__ == ours
    # and it extends Oscar's class of that name (the selector replaces Oscar's outright)
    if classname != "Selector":
        assert any(base.__module__.startswith("oscar.apps.") for base in loaded.__mro__[1:])


@pytest.mark.parametrize(
    ("module_label", "classname"),
    [("partner.strategy", "Default"), ("basket.forms", "AddToBasketForm"), ("customer.views", "ProfileView")],
)
def test_classes_we_do_not_change_still_come_from_oscar(module_label, classname):
    assert get_class(module_label, classname).__module__.startswith("oscar.apps.")


def test_no_custom_class_loader_and_the_forks_are_installed():
    assert settings.OSCAR_DYNAMIC_CLASS_LOADER == "oscar.core.loading.default_class_loader"
    for config in ("partner.apps.PartnerConfig", "basket.apps.BasketConfig", "customer.apps.CustomerConfig"):
        assert config in settings.INSTALLED_APPS


def test_the_tier_price_receiver_is_connected_by_the_basket_app():
    from basket.receivers import record_tier_price_on_basket_addition

    connected = [entry[1]() for entry in basket_addition.receivers]
    assert record_tier_price_on_basket_addition in connected
