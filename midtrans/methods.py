"""The Midtrans methods we offer: how each is charged, shown, refunded and what it costs us.

Codes are the ones stored on the order's payment source and on each charge. Expiry (minutes) and
fees (MDR) come from settings, per code: `MARKETPLACE_MIDTRANS_EXPIRY_MINUTES` and
`MARKETPLACE_MIDTRANS_FEES` (`{"flat": 4000}` or `{"percent": "0.007"}`, or both).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.money import round_rupiah

VA, BILL, QR, EWALLET = "va", "bill", "qr", "ewallet"


@dataclass(frozen=True)
class MidtransMethod:
    code: str
    label: str
    kind: str  # va | bill | qr | ewallet: what the buyer's page shows
    payment_type: str
    bank: str = ""
    # Midtrans gives money back itself (direct refund) for e-wallets and QRIS; a virtual account is
    # paid back by finance as a bank transfer.
    direct_refund: bool = False
    # Only virtual accounts pay invoices: an off-taker's finance pays from a company account.
    pays_invoices: bool = False

    @property
    def group(self) -> str:
        return {VA: "virtual_account", BILL: "virtual_account", QR: "qris", EWALLET: "ewallet"}[self.kind]

    def expiry_minutes(self) -> int:
        configured = getattr(settings, "MARKETPLACE_MIDTRANS_EXPIRY_MINUTES", {}) or {}
        return int(
            configured.get(self.code) or configured.get(self.kind) or (24 * 60 if self.kind in (VA, BILL) else 15)
        )

    def fee_for(self, amount: Decimal) -> Decimal:
        """Midtrans's fee for a payment of `amount` rupiah, in whole rupiah (halves up)."""
        fees = (getattr(settings, "MARKETPLACE_MIDTRANS_FEES", {}) or {}).get(self.code) or {}
        flat = Decimal(str(fees.get("flat", 0)))
        percent = Decimal(str(fees.get("percent", 0)))
        return round_rupiah(flat + Decimal(amount) * percent)


METHODS: dict[str, MidtransMethod] = {
    method.code: method
    for method in [
        MidtransMethod("bca_va", _("BCA Virtual Account"), VA, "bank_transfer", "bca", pays_invoices=True),
        MidtransMethod("bni_va", _("BNI Virtual Account"), VA, "bank_transfer", "bni", pays_invoices=True),
        MidtransMethod("bri_va", _("BRI Virtual Account"), VA, "bank_transfer", "bri", pays_invoices=True),
        MidtransMethod("permata_va", _("Permata Virtual Account"), VA, "bank_transfer", "permata", pays_invoices=True),
        MidtransMethod("mandiri_bill", _("Mandiri Bill Payment"), BILL, "echannel", "mandiri", pays_invoices=True),
        MidtransMethod("qris", _("QRIS"), QR, "qris", direct_refund=True),
        MidtransMethod("gopay", _("GoPay"), EWALLET, "gopay", direct_refund=True),
        MidtransMethod("shopeepay", _("ShopeePay"), EWALLET, "shopeepay", direct_refund=True),
    ]
}

HELP_TEXTS = {
    VA: _(
        "Pay from any bank's ATM, mobile or internet banking to a number made for this order. Confirmed automatically."
    ),
    BILL: _("Pay through Livin' by Mandiri or a Mandiri ATM with a bill key. Confirmed automatically."),
    QR: _("Scan with any banking or e-wallet app that supports QRIS. Confirmed automatically."),
    EWALLET: _("Opens the app on your phone; on a computer, scan the QR code with it. Confirmed automatically."),
}


def method_for(code: str) -> MidtransMethod | None:
    return METHODS.get(code or "")


def how_to_pay(method: MidtransMethod) -> list[tuple[str, list[str]]]:
    """The "cara bayar" steps for a method: (channel, steps) in the order buyers use them."""
    bank = method.bank.upper()
    if method.kind == VA:
        app = {
            "bca": "BCA mobile (m-BCA)",
            "bni": "BNI Mobile Banking",
            "bri": "BRImo",
            "permata": "PermataMobile X",
        }.get(method.bank, bank)
        return [
            (
                str(_("Mobile banking")),
                [
                    str(_("Open %(app)s and sign in.") % {"app": app}),
                    str(_("Choose Transfer, then Virtual Account.")),
                    str(_("Enter the virtual account number above.")),
                    str(_("Check that the name and the amount are right, then confirm with your PIN.")),
                ],
            ),
            (
                str(_("%(bank)s ATM") % {"bank": bank}),
                [
                    str(_("Insert your card and enter your PIN.")),
                    str(_("Choose Other transactions, Transfer, then Virtual Account.")),
                    str(_("Enter the virtual account number above and confirm the amount.")),
                    str(_("Keep the receipt until the order shows as paid.")),
                ],
            ),
            (
                str(_("From another bank")),
                [
                    str(_("Choose a transfer to another bank (online transfer) and pick %(bank)s.") % {"bank": bank}),
                    str(_("Enter the virtual account number above as the account number.")),
                    str(_("Transfer exactly the amount shown.")),
                ],
            ),
        ]
    if method.kind == BILL:
        return [
            (
                "Livin' by Mandiri",
                [
                    str(_("Open Livin' by Mandiri and choose Pay, then Multipayment.")),
                    str(_("Choose Midtrans as the service provider (company code above).")),
                    str(_("Enter the bill key above and confirm the amount with your PIN.")),
                ],
            ),
            (
                str(_("Mandiri ATM")),
                [
                    str(_("Choose Pay/Buy, Others, then Multi Payment.")),
                    str(_("Enter the company code, then the bill key shown above.")),
                    str(_("Confirm the amount.")),
                ],
            ),
        ]
    if method.kind == QR:
        return [
            (
                str(_("Any QRIS app")),
                [
                    str(_("Open your banking or e-wallet app (GoPay, OVO, DANA, ShopeePay, m-banking).")),
                    str(_("Choose Scan or Pay with QRIS and point the camera at the code.")),
                    str(_("Check the amount and the merchant name, then confirm.")),
                ],
            )
        ]
    return [
        (
            str(method.label),
            [
                str(_("On your phone, press the button to open %(app)s.") % {"app": method.label}),
                str(_("On a computer, scan the QR code with %(app)s.") % {"app": method.label}),
                str(_("Check the amount and confirm with your PIN.")),
            ],
        )
    ]
