from django.urls import path
from oscar.apps.checkout import apps
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "checkout"

    def ready(self):
        super().ready()
        self.card_payment_view = get_class("checkout.views", "CardPaymentView")
        self.localstripe_payment_method_view = get_class("checkout.views", "LocalstripePaymentMethodView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("bayar/<str:order_number>/", self.card_payment_view.as_view(), name="pay"),
                path(
                    "kartu-uji/",
                    self.localstripe_payment_method_view.as_view(),
                    name="localstripe-payment-method",
                ),
            ]
        )
        return urls
