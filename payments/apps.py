from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("payments")

    def ready(self):
        from fulfilment.refunds import register_refund_provider
        from payments.refunds import REFUND_PROVIDER

        register_refund_provider(REFUND_PROVIDER)
