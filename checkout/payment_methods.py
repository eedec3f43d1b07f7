"""The ways a customer can pay at checkout: whatever providers registered in `core.payment_methods`.

Card (payments), bank transfer (bank_transfers) and Midtrans's virtual accounts, QRIS and e-wallets
(midtrans) register themselves at start-up; checkout lists them, stores the chosen code on the
order's Oscar payment source, and after placing the order hands it to the method's
`start_order_payment`, which says where the buyer goes next.
"""

from django.utils.translation import gettext_lazy as _

from core import payment_methods as registry
from core.payment_methods import PaymentMethod

GROUP_LABELS = {
    "virtual_account": _("Virtual account"),
    "qris": _("QRIS"),
    "ewallet": _("E-wallet"),
    "card": _("Card"),
    "bank_transfer": _("Manual bank transfer"),
    "other": _("Other"),
}


def available_payment_methods() -> list[PaymentMethod]:
    """The methods checkout offers now, the default first."""
    return registry.available_methods()


def payment_method(code: str | None) -> PaymentMethod | None:
    return registry.get(code)


def payment_method_label(code: str | None) -> str:
    return registry.label_of(code)


def grouped_choices(form) -> list[dict]:
    """The form's radio buttons with their method and, at each new group, the group's heading."""
    methods = {method.code: method for method in available_payment_methods()}
    rows, previous = [], None
    for choice in form["method"]:
        method = methods.get(choice.data["value"])
        group = method.group if method else "other"
        rows.append(
            {
                "choice": choice,
                "method": method,
                "heading": GROUP_LABELS.get(group, group) if group != previous else "",
            }
        )
        previous = group
    return rows
