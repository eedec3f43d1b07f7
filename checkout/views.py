import json

from django import http
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_http_methods
from oscar.apps.checkout import exceptions as checkout_exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.apps.payment.models import Source, SourceType

from checkout.forms import PaymentMethodForm
from checkout.payment_methods import PaymentMethod, available_payment_methods
from checkout.selectors import order_status_url
from fulfilment.services import ORDER_PENDING_PAYMENT
from order.access import order_for_visitor
from payments.card_page import start_card_payment_response
from payments.stripe_api import card_payments_enabled, localstripe_shim_enabled, publishable_key, stripe_js_url


class BusinessBuyersCheckOutElsewhereMixin:
    """Members of a verified company buy through the business checkout.

    There their company's approval threshold, payment terms and purchase order numbers apply; the
    consumer checkout would let a buyer go round them.
    """

    def dispatch(self, request, *args, **kwargs):
        from companies.access import verified_company_for_user

        if verified_company_for_user(request.user) is not None:
            return redirect("purchasing:checkout")
        return super().dispatch(request, *args, **kwargs)


class IndexView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.IndexView):
    def get_form_kwargs(self):
        # Oscar's gateway signs returning customers in without the request, which the login lockout
        # (core/login_lockout.py) needs to count and refuse their failures.
        return {**super().get_form_kwargs(), "request": self.request}


class ShippingAddressView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.ShippingAddressView):
    pass


class PaymentMethodView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.PaymentMethodView):
    """Choose card or bank transfer. Payment itself happens after the order is placed."""

    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        initial = {"method": self.checkout_session.payment_method() or available_payment_methods()[0]}
        return self.render_to_response(self.get_context_data(form=PaymentMethodForm(initial=initial)))

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")


class PaymentDetailsView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.PaymentDetailsView):
    """The preview. Placing the order reserves stock; the customer pays on the next page.

    Orders start as "Pending payment" and become paid only when the payment provider confirms:
    Stripe's signed webhook for cards, finance staff for bank transfers.
    """

    def get_pre_conditions(self, request):
        return [*super().get_pre_conditions(request), "check_payment_method_is_chosen"]

    def check_payment_method_is_chosen(self, request):
        if self.checkout_session.payment_method() not in available_payment_methods():
            raise checkout_exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("Choose how you want to pay.")
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        context["payment_method_label"] = PaymentMethod(method).label if method in PaymentMethod.values else ""
        return context

    def handle_payment(self, order_number, total, **kwargs):
        method = self.checkout_session.payment_method()
        source_type, _created = SourceType.objects.get_or_create(
            code=method, defaults={"name": str(PaymentMethod(method).label)}
        )
        self.add_payment_source(
            Source(source_type=source_type, amount_allocated=total.incl_tax, currency=total.currency)
        )

    def handle_successful_order(self, order):
        method = self.checkout_session.payment_method()
        response = super().handle_successful_order(order)
        if method == PaymentMethod.BANK_TRANSFER:
            from bank_transfers.services import start_bank_transfer

            transfer = start_bank_transfer(order=order)
            return redirect("bank_transfers:detail", order_number=transfer.order.number)
        response["Location"] = reverse("checkout:pay", kwargs={"order_number": order.number})
        return response


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CardPaymentView(generic.TemplateView):
    """Card entry with Stripe.js for a placed order; also answers the page's JSON POST.

    The browser turns the card into a PaymentMethod with Stripe.js and posts its id here; we
    create and confirm the PaymentIntent. 3-D Secure is finished in the browser. Only Stripe's
    webhook marks the order paid.
    """

    template_name = "oscar/checkout/card_payment.html"

    def dispatch(self, request, *args, **kwargs):
        self.order = order_for_visitor(request=request, number=kwargs["order_number"])
        if self.order is None:
            raise http.Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.order.status != ORDER_PENDING_PAYMENT or not card_payments_enabled():
            return redirect(order_status_url(self.order, request))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        shim_url = reverse("checkout:localstripe-payment-method") if localstripe_shim_enabled() else ""
        return {
            **super().get_context_data(**kwargs),
            "order": self.order,
            "seller_orders": list(self.order.seller_orders.select_related("seller")),
            "stripe_publishable_key": publishable_key(),
            "stripe_js_url": stripe_js_url(),
            "status_url": reverse("payments:status", kwargs={"order_number": self.order.number}),
            # ?paid=1: the page the buyer lands on says the payment went through (checked there too).
            "done_url": order_status_url(self.order, self.request) + "?paid=1",
            "localstripe_shim_url": shim_url,
        }

    def post(self, request, *args, **kwargs):
        from payments.services import OrderNotPayable, start_card_payment

        def start(payment_method_id: str):
            if self.order.status != ORDER_PENDING_PAYMENT:
                raise OrderNotPayable(_("This order is no longer waiting for payment."))
            # OrderNotPayable also when paid meanwhile, or another card payment is under way in another tab.
            return start_card_payment(order=self.order, payment_method_id=payment_method_id)

        return start_card_payment_response(request, start, conflicts=(OrderNotPayable,))


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        order = context["order"]
        context["seller_orders"] = list(order.seller_orders.select_related("seller"))
        return context


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class LocalstripePaymentMethodView(generic.View):
    """Demo and tests only: turns a test card into a PaymentMethod on localstripe (see stripe_api)."""

    def post(self, request):
        from payments.stripe_api import PaymentError, create_test_card_payment_method, localstripe_shim_enabled

        if not localstripe_shim_enabled():
            raise http.Http404
        try:
            card = json.loads(request.body or b"{}")
            card_fields = {key: str(card[key]).replace(" ", "") for key in ("number", "exp_month", "exp_year", "cvc")}
            payment_method_id = create_test_card_payment_method(**card_fields)
        except (ValueError, KeyError, TypeError, PaymentError):
            return http.JsonResponse({"error": _("The card details could not be read. Please try again.")}, status=400)
        return http.JsonResponse({"id": payment_method_id})
