from importlib import import_module

from oscar.core.loading import default_class_loader

# (module label, class name) -> "module path:class name" of our replacement, imported on first use.
OVERRIDES = {
    ("partner.strategy", "Selector"): "wholesale.strategy:Selector",
    ("basket.forms", "BasketLineForm"): "wholesale.basket_forms:BasketLineForm",
    ("basket.views", "BasketView"): "shipping.basket_views:BasketView",
    # Same-site redirects after sign-in and rate-limited registration (marketplace.accounts).
    ("customer.views", "AccountAuthView"): "marketplace.accounts:AccountAuthView",
    ("customer.views", "AccountRegistrationView"): "marketplace.accounts:AccountRegistrationView",
    ("dashboard.views", "LoginView"): "marketplace.accounts:DashboardLoginView",
}


def class_loader(module_label, classnames, module_prefix):
    """Oscar's loader, except for the classes in OVERRIDES (each replacement's module says why)."""
    classes = default_class_loader(module_label, classnames, module_prefix)
    for index, classname in enumerate(classnames):
        target = OVERRIDES.get((module_label, classname))
        if target is None:
            continue
        module_path, _sep, attribute = target.partition(":")
        classes[index] = getattr(import_module(module_path), attribute)
    return classes
