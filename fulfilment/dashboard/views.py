"""The pesantren's own orders: only its SellerOrders, only its lines, with its actions."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from core.money import format_rupiah
from fulfilment import notifications
from fulfilment.forms import CancelForm, RefundForm, ShipForm
from fulfilment.models import SellerOrderStatus
from fulfilment.refunds import RefundFailed, refund_provider
from fulfilment.selectors import (
    ORDER_TABS,
    lines_of,
    packing_slips,
    readable_history,
    seller_order_for_seller,
    seller_orders_by_ids,
    seller_orders_in_tab,
    tab_counts,
    with_deadlines,
)
from fulfilment.services import (
    TransitionNotAllowed,
    seller_order_accept,
    seller_order_cancel_and_refund,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from sellers.access import PesantrenStaffRequiredMixin

S = SellerOrderStatus


TAB_LABELS = {
    "": gettext_lazy("All"),
    "baru": gettext_lazy("New"),
    "perlu-dikirim": gettext_lazy("To ship"),
    "dikirim": gettext_lazy("Shipped"),
    "selesai": gettext_lazy("Done"),
    "dibatalkan": gettext_lazy("Cancelled"),
}


class SellerOrderListView(PesantrenStaffRequiredMixin, ListView):
    """The pesantren's parts in status tabs (?tab=baru…), searched (?q=), as cards that fit a phone."""

    template_name = "fulfilment/dashboard/seller_order_list.html"
    context_object_name = "seller_orders"
    paginate_by = 20

    def get_queryset(self):
        self.tab = self.request.GET.get("tab", "")
        if self.tab not in ORDER_TABS:
            self.tab = ""
        self.query = self.request.GET.get("q", "")[:64]
        return seller_orders_in_tab(seller=self.seller, tab=self.tab, query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seller_orders"] = context["object_list"] = with_deadlines(context["object_list"])
        counts = tab_counts(seller=self.seller)
        tabs = [{"slug": slug, "label": label, "count": counts[slug]} for slug, label in TAB_LABELS.items()]
        return {**context, "seller": self.seller, "nav": "orders", "tabs": tabs, "tab": self.tab, "query": self.query}


class SellerOrderBulkAcceptView(PesantrenStaffRequiredMixin, View):
    """Accepts every ticked new order, one by one through seller_order_accept; says which failed and why."""

    allowed_when_suspended = True

    def post(self, request):
        posted = request.POST.getlist("seller_order")
        seller_orders = list(seller_orders_by_ids(seller=self.seller, ids=posted).order_by("pk"))
        accepted, failed = [], []
        for seller_order in seller_orders:
            try:
                seller_order_accept(seller_order=seller_order, actor=request.user)
            except ValidationError as error:
                failed.append((seller_order.number, " ".join(error.messages)))
            except TransitionNotAllowed as error:
                failed.append((seller_order.number, str(error)))
            else:
                accepted.append(seller_order.number)
        if accepted:
            messages.success(
                request,
                _("Accepted: %(numbers)s.") % {"numbers": ", ".join(accepted)},
            )
        for number, reason in failed:
            messages.error(request, _("%(number)s was not accepted: %(reason)s") % {"number": number, "reason": reason})
        if not seller_orders:
            messages.error(request, _("Tick the orders to accept first."))
        return redirect(reverse("fulfilment-dashboard:seller-order-list") + "?tab=baru")


class PackingSlipView(PesantrenStaffRequiredMixin, View):
    """Printable packing slips of the ticked parts (?seller_order=1&seller_order=2): no prices on them."""

    allowed_when_suspended = True

    def get(self, request):
        ids = request.GET.getlist("seller_order")
        slips = packing_slips(seller=self.seller, ids=ids)
        if ids and not slips:
            raise Http404  # none of them is this pesantren's
        context = {"seller": self.seller, "slips": slips}
        return render(request, "fulfilment/dashboard/packing_slips.html", context, status=200 if slips else 400)


class SellerOrderDetailView(PesantrenStaffRequiredMixin, View):
    template_name = "fulfilment/dashboard/seller_order_detail.html"
    # A suspended pesantren still fulfils (or cancels and refunds) the orders its buyers already paid for.
    allowed_when_suspended = True
    ACTIONS = ("accept", "pack", "ship", "deliver", "cancel", "refund")

    def get_seller_order(self, pk):
        seller_order = seller_order_for_seller(seller=self.seller, pk=pk)
        if seller_order is None:
            raise Http404
        return seller_order

    CONFIRMATIONS = ("cancel", "refund")

    def get(self, request, pk):
        confirm = request.GET.get("konfirmasi", "")
        return self.render(self.get_seller_order(pk), confirm=confirm if confirm in self.CONFIRMATIONS else "")

    def post(self, request, pk):
        seller_order = self.get_seller_order(pk)
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("fulfilment-dashboard:seller-order-detail", pk=pk)
        forms = {"ship_form": ShipForm(), "cancel_form": CancelForm(), "refund_form": RefundForm()}
        refunded = None
        try:
            if action == "accept":
                seller_order_accept(seller_order=seller_order, actor=request.user)
            elif action == "pack":
                seller_order_pack(seller_order=seller_order, actor=request.user)
            elif action == "deliver":
                seller_order_deliver(seller_order=seller_order, actor=request.user)
            elif action == "ship":
                forms["ship_form"] = form = ShipForm(request.POST)
                if not form.is_valid():
                    return self.render(seller_order, status=400, **forms)
                seller_order_ship(seller_order=seller_order, actor=request.user, **form.cleaned_data)
            elif action == "cancel":
                forms["cancel_form"] = form = CancelForm(request.POST)
                if not form.is_valid():
                    return self.render(seller_order, status=400, confirm="cancel", **forms)
                refunded = seller_order_cancel_and_refund(
                    seller_order=seller_order, actor=request.user, reason=form.cleaned_data["reason"]
                )
            elif action == "refund":
                forms["refund_form"] = form = RefundForm(request.POST)
                if not form.is_valid():
                    return self.render(seller_order, status=400, confirm="refund", **forms)
                refunded = refund_provider().refund_part(
                    seller_order=seller_order,
                    actor=request.user,
                    amount=Decimal(form.cleaned_data["amount"]),
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render(self.get_seller_order(pk), status=409, **forms)
        except (TransitionNotAllowed, ValueError, RefundFailed) as error:
            messages.error(request, str(error))
            return self.render(self.get_seller_order(pk), status=409, **forms)
        messages.success(request, _("Order %(number)s updated.") % {"number": seller_order.number})
        if refunded is not None:
            messages.info(request, REFUND_MESSAGES[refunded.method] % {"amount": format_rupiah(refunded.amount)})
        return redirect("fulfilment-dashboard:seller-order-detail", pk=pk)

    def render(self, seller_order, status=200, confirm="", **forms):
        context = {
            "seller": self.seller,
            "nav": "orders",
            "confirm": confirm,
            "history": readable_history(seller_order),
            "ship_by": with_deadlines([seller_order])[0],
            "seller_order": seller_order,
            "lines": list(lines_of(seller_order)),
            "address": seller_order.order.shipping_address,
            "whatsapp_url": notifications.seller_whatsapp_message_url(seller_order),
            "ship_form": forms.get("ship_form") or ShipForm(),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "refund_form": forms.get("refund_form") or RefundForm(),
            "can": {
                "accept": seller_order.status == S.PAID,
                "pack": seller_order.status == S.ACCEPTED,
                "ship": seller_order.status == S.PACKED,
                "deliver": seller_order.status == S.SHIPPED,
                "cancel": seller_order.status in (S.PENDING_PAYMENT, S.PAID, S.ACCEPTED, S.PACKED),
                "refund": seller_order.status not in (S.PENDING_PAYMENT, S.REFUNDED)
                and seller_order.refunded_amount < seller_order.total,
            },
        }
        return render(self.request, self.template_name, context, status=status)


REFUND_MESSAGES = {
    "card": gettext_lazy("%(amount)s is refunded to the customer's card."),
    "ewallet": gettext_lazy("%(amount)s is refunded to the customer's e-wallet or QRIS app."),
    "invoice": gettext_lazy("The company's invoice was reduced by %(amount)s with a credit note."),
    "bank_transfer": gettext_lazy("Finance will transfer %(amount)s back to the customer."),
}
