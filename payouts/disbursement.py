"""Ways money leaves the platform for a pesantren. Each payout's method picks its backend.

- `BankTransferBatchBackend` (the default) writes a batch's bank-transfer payouts as a CSV file
  that finance staff upload to the bank's bulk-transfer page.
- `StripeConnectBackend` sends a Stripe transfer to a pesantren with a connected account. It is
  the only module that talks to Stripe Connect; Stripe's SDK does the HTTP.

Backends are chosen per method through `MARKETPLACE_PAYOUT_BACKENDS` (dotted paths), so a bank's
own disbursement API can replace the CSV without touching the services.
"""

import csv
import io

import stripe
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.locks import forbid_network_in_transaction
from core.money import rupiah_int
from payouts.models import Payout, PayoutBatch, PayoutMethod

STRIPE_TIMEOUT_SECONDS = 20


class DisbursementError(Exception):
    """The provider refused the payout for good: it fails and its money goes back on the ledger."""


class DisbursementTemporaryError(Exception):
    """The provider could not be reached or was busy: try the same payout again later."""


def spreadsheet_safe(text: str) -> str:
    """Pesantren type their own names: stop a spreadsheet from reading one as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class BankTransferBatchBackend:
    method = PayoutMethod.BANK_TRANSFER
    content_type = "text/csv; charset=utf-8"

    def header(self) -> list[str]:
        return [
            _("Batch"),
            _("Payout ID"),
            _("Pesantren"),
            _("Bank name"),
            _("Account number"),
            _("Account holder"),
            _("Amount (IDR)"),
            _("Reference"),
        ]

    def reference_for(self, payout: Payout) -> str:
        return payout.reference or f"PP-{payout.batch.week if payout.batch_id else 'X'}-{payout.pk}"

    def row(self, payout: Payout) -> list:
        return [
            payout.batch.week if payout.batch_id else "",
            payout.pk,
            spreadsheet_safe(payout.seller.name),
            spreadsheet_safe(payout.bank_name),
            spreadsheet_safe(payout.bank_account_number),
            spreadsheet_safe(payout.bank_account_holder),
            rupiah_int(payout.amount),
            self.reference_for(payout),
        ]

    def render_csv(self, *, batch: PayoutBatch, payouts: list[Payout]) -> bytes:
        """The bank file for `payouts` (of `batch`, seller and batch loaded). UTF-8 with a BOM so Excel reads it."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.header())
        for payout in payouts:
            writer.writerow(self.row(payout))
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def filename(self, batch: PayoutBatch) -> str:
        return f"payouts-{batch.week}.csv"


def stripe_client(http_client: stripe.HTTPClient | None = None) -> stripe.StripeClient:
    """A Stripe client with an explicit timeout. `stripe.default_http_client`, when set, is used (tests)."""
    http_client = http_client or stripe.default_http_client or stripe.RequestsClient(timeout=STRIPE_TIMEOUT_SECONDS)
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=http_client,
        max_network_retries=0,  # the Celery task retries with backoff; the idempotency key makes that safe
    )


class StripeConnectBackend:
    """Stripe Connect transfers. Only for pesantren with a ConnectedAccount; localstripe has no Connect."""

    method = PayoutMethod.STRIPE_CONNECT

    def __init__(self, *, client: stripe.StripeClient | None = None):
        self.client = client

    def transfer(self, payout: Payout) -> str:
        """Send the payout's amount to its connected account; returns the Stripe transfer id.

        IDR is not zero-decimal in Stripe: Rp 150.000 is amount 15000000.
        """
        if not payout.stripe_account_id:
            raise DisbursementError(_("The pesantren has no connected Stripe account."))
        forbid_network_in_transaction("Stripe Connect")
        client = self.client or stripe_client()
        try:
            transfer = client.v1.transfers.create(
                params={
                    "amount": rupiah_int(payout.amount) * 100,
                    "currency": "idr",
                    "destination": payout.stripe_account_id,
                    "transfer_group": f"payout-batch-{payout.batch_id}" if payout.batch_id else f"payout-{payout.pk}",
                    "metadata": {"payout_id": str(payout.pk), "seller_id": str(payout.seller_id)},
                },
                options={"idempotency_key": payout.idempotency_key},
            )
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            raise DisbursementTemporaryError(str(error)) from error
        except (stripe.InvalidRequestError, stripe.PermissionError, stripe.CardError) as error:
            raise DisbursementError(error.user_message or str(error)) from error
        return transfer.id


DEFAULT_BACKENDS = {
    PayoutMethod.BANK_TRANSFER: "payouts.disbursement.BankTransferBatchBackend",
    PayoutMethod.STRIPE_CONNECT: "payouts.disbursement.StripeConnectBackend",
}


def backend_for_method(method: str):
    paths = {**DEFAULT_BACKENDS, **getattr(settings, "MARKETPLACE_PAYOUT_BACKENDS", {})}
    return import_string(paths[method])()


def backend_for(payout: Payout):
    return backend_for_method(payout.method)


def method_for_seller(seller) -> str:
    """A connected Stripe account means Connect; everyone else is paid by bank transfer."""
    account = getattr(seller, "connected_account", None)
    return PayoutMethod.STRIPE_CONNECT if account is not None else PayoutMethod.BANK_TRANSFER
