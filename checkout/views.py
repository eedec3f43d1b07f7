import json

from django import http
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_http_methods
from oscar.apps.checkout import exceptions as checkout_exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.session import CheckoutSessionMixin
from oscar.apps.payment.models import Source, SourceType

from checkout.forms import PaymentMethodForm
from checkout.payment_methods import (
    available_payment_methods,
    grouped_choices,
    payment_method,
    payment_method_label,
)
from checkout.selectors import order_status_url
from fulfilment.services import ORDER_PENDING_PAYMENT
from order.access import order_for_visitor
from payments.card_page import start_card_payment_response
from payments.stripe_api import card_payments_enabled, localstripe_shim_enabled, publishable_key, stripe_js_url
from shipping.choices import Choice, choices_in, clear_choices, destination_key, fingerprint, store_choices
from shipping.methods import PerPesantrenShipping
from shipping.repository import destination_kabupaten_of, is_checkout_address
from shipping.selectors import basket_groups


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


class ShippingMethodView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.ShippingMethodView):
    """Choose a courier service for each pesantren's parcel: courier, service, price and days.

    The services come from the courier aggregator for the couriers each pesantren offers, or the
    pesantren's rate table when the aggregator fails or offers none (`couriers.selectors`). The
    chosen quotes are kept in the session with what they were quoted for (`shipping.choices`); the
    shipping method then charges exactly those prices, and the order stores them per pesantren.
    """

    template_name = "oscar/checkout/shipping_methods.html"

    def get(self, request, *args, **kwargs):
        if not self.checkout_session.is_shipping_address_set():
            messages.error(request, _("Please choose a shipping address"))
            return redirect("checkout:shipping-address")
        parcels = self.parcels()
        if all(len(parcel["options"]) == 1 and not parcel["fell_back"] for parcel in parcels):
            # Nothing to choose (no courier aggregator, or one service each): take it, as Oscar does
            # with a single shipping method.
            return self._choose(parcels, {parcel["field"]: parcel["options"][0].key for parcel in parcels})
        return self.render_to_response(self.get_context_data(parcels=parcels))

    def post(self, request, *args, **kwargs):
        if not self.checkout_session.is_shipping_address_set():
            return redirect("checkout:shipping-address")
        return self._choose(self.parcels(), request.POST)

    def _choose(self, parcels: list[dict], keys) -> http.HttpResponse:
        chosen, missing = {}, False
        for parcel in parcels:
            key = keys.get(parcel["field"], "")
            quote = next((quote for quote in parcel["options"] if quote.key == key), None)
            if quote is None:
                parcel["error"] = _("Choose a courier service for this pesantren.")
                missing = True
                continue
            parcel["selected"] = key
            chosen[parcel["group"].seller.pk] = Choice(
                provider=quote.provider,
                courier_code=quote.courier_code,
                courier_name=quote.courier_name,
                service_code=quote.service_code,
                service_name=quote.service_name,
                price=quote.price,
                etd=quote.etd,
                fingerprint=parcel["fingerprint"],
            )
        if missing:
            return self.render_to_response(self.get_context_data(parcels=parcels), status=400)
        store_choices(self.request.session, chosen)
        self.checkout_session.use_shipping_method(PerPesantrenShipping.code)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        parcels = kwargs.get("parcels") or []
        kwargs["fell_back"] = any(parcel["fell_back"] for parcel in parcels)
        return CheckoutSessionMixin.get_context_data(self, **kwargs)

    def get_form(self, form_class=None):
        return None  # not Oscar's one-method form: a choice per parcel, read in _choose

    def parcels(self) -> list[dict]:
        """Each pesantren's parcel with the services offered for it and the one selected."""
        from couriers.selectors import shipping_options

        basket = self.request.basket
        address = self.get_shipping_address(basket)
        destination = destination_key(address)
        stored = choices_in(self.request.session)
        parcels = []
        for group in basket_groups(
            basket=basket, destination_kabupaten=destination_kabupaten_of(address), with_shipping=True
        ):
            if group.seller is None:
                continue
            options, fell_back = shipping_options(
                seller=group.seller,
                weight_grams=group.weight_grams,
                value=int(group.subtotal),
                shipping_address=address,
            )
            key = fingerprint(seller_id=group.seller.pk, weight_grams=group.weight_grams, destination=destination)
            previous = stored.get(group.seller.pk)
            keys = [quote.key for quote in options]
            selected = (
                f"{previous.provider}:{previous.courier_code}:{previous.service_code}"
                if previous is not None and previous.fingerprint == key
                else ""
            )
            parcels.append(
                {
                    "group": group,
                    "field": f"courier-{group.seller.pk}",
                    "options": options,
                    "fell_back": fell_back,
                    "fingerprint": key,
                    "selected": selected if selected in keys else (keys[0] if keys else ""),
                    "error": "",
                }
            )
        return parcels


class CourierChosenMixin:
    """Preview and placing the order need a courier service chosen, for this basket and address, per pesantren."""

    def check_courier_is_chosen(self, request):
        from couriers.providers import aggregator

        if aggregator() is None:
            return  # only the rate table: nothing to choose, nothing that could go stale
        basket = request.basket
        address = self.get_shipping_address(basket)
        if address is None or not is_checkout_address(address):
            return
        destination = destination_key(address)
        groups = basket_groups(
            basket=basket,
            destination_kabupaten=destination_kabupaten_of(address),
            with_shipping=True,
            choices=choices_in(request.session),
            destination=destination,
        )
        if any(group.seller is not None and group.choice is None for group in groups):
            raise checkout_exceptions.FailedPreCondition(
                url=reverse("checkout:shipping-method"),
                message=_("Choose a courier service for each pesantren's parcel."),
            )


class PaymentMethodView(BusinessBuyersCheckOutElsewhereMixin, oscar_views.PaymentMethodView):
    """Choose card or bank transfer. Payment itself happens after the order is placed."""

    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        chosen = payment_method(self.checkout_session.payment_method())
        initial = {"method": chosen.code if chosen else available_payment_methods()[0].code}
        return self.render_form(PaymentMethodForm(initial=initial))

    def render_form(self, form, status=200):
        return self.render_to_response(self.get_context_data(form=form, choices=grouped_choices(form)), status=status)

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")


class PaymentDetailsView(BusinessBuyersCheckOutElsewhereMixin, CourierChosenMixin, oscar_views.PaymentDetailsView):
    """The preview. Placing the order reserves stock; the customer pays on the next page.

    Orders start as "Pending payment" and become paid only when the payment provider confirms:
    Stripe's signed webhook for cards, finance staff for bank transfers.
    """

    def get_pre_conditions(self, request):
        return [*super().get_pre_conditions(request), "check_courier_is_chosen", "check_payment_method_is_chosen"]

    def check_payment_method_is_chosen(self, request):
        if payment_method(self.checkout_session.payment_method()) is None:
            raise checkout_exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("Choose how you want to pay.")
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        context["payment_method_label"] = payment_method_label(method) if method else ""
        shipping_method = context.get("shipping_method")
        if isinstance(shipping_method, PerPesantrenShipping) and shipping_method.destination_known:
            context["parcels"] = [group for group in shipping_method.groups(self.request.basket) if group.seller]
        return context

    def handle_payment(self, order_number, total, **kwargs):
        method = self.checkout_session.payment_method()
        source_type, _created = SourceType.objects.get_or_create(
            code=method, defaults={"name": payment_method_label(method)}
        )
        self.add_payment_source(
            Source(source_type=source_type, amount_allocated=total.incl_tax, currency=total.currency)
        )

    def handle_successful_order(self, order):
        method = payment_method(self.checkout_session.payment_method())
        response = super().handle_successful_order(order)
        clear_choices(self.request.session)
        # The method's provider opens the payment (a transfer with its unique code, a virtual account
        # at Midtrans, ...) and says where the buyer pays; checkout knows none of them.
        response["Location"] = method.start_order_payment(order=order, request=self.request)
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
