"""The pesantren's courier pages: which couriers it offers, booking a courier, printing labels."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from couriers.forms import BookCourierForm, CourierSettingsForm
from couriers.labels import render_labels_pdf
from couriers.models import PickupTime
from couriers.selectors import choice_of, courier_settings_of, labels_for, offered_couriers, pickup_slots
from couriers.services import BookingFailed, CancelFailed, seller_couriers_update, shipment_book, shipment_cancel
from fulfilment.selectors import seller_order_for_seller
from sellers.access import PesantrenStaffRequiredMixin


class CourierSettingsView(PesantrenStaffRequiredMixin, FormView):
    template_name = "couriers/dashboard/settings.html"
    form_class = CourierSettingsForm

    def get_initial(self):
        row = courier_settings_of(seller=self.seller)
        return {
            "couriers": offered_couriers(seller=self.seller),
            "pickup_time": row.pickup_time if row else PickupTime.EARLIEST,
            "latitude": row.latitude if row else None,
            "longitude": row.longitude if row else None,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller, "nav": "couriers"}

    def form_valid(self, form):
        data = form.cleaned_data
        seller_couriers_update(
            seller=self.seller,
            couriers=data["couriers"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            pickup_time=data["pickup_time"] or None,
        )
        messages.success(self.request, _("Couriers saved."))
        return redirect("couriers-dashboard:settings")


class BookCourierView(PesantrenStaffRequiredMixin, View):
    """Books the buyer's chosen courier for one of the pesantren's parts (POST only)."""

    allowed_when_suspended = True

    def post(self, request, pk):
        seller_order = seller_order_for_seller(seller=self.seller, pk=pk)
        if seller_order is None:
            raise Http404
        choice = choice_of(seller_order)
        slots = pickup_slots(choice.courier_code) if choice is not None else []
        form = BookCourierForm(request.POST, slots=slots)
        if not form.is_valid():
            errors = form.errors.get("pickup_slot") or [_("Choose pickup or drop-off.")]
            messages.error(request, errors[0])
            return redirect("fulfilment-dashboard:seller-order-detail", pk=pk)
        try:
            shipment = shipment_book(
                seller_order=seller_order,
                actor=request.user,
                collection_method=form.cleaned_data["collection_method"],
                slot=form.cleaned_data["slot"],
            )
        except BookingFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Courier booked: airway bill %(waybill)s. Print the label and stick it on the parcel.")
                % {"waybill": shipment.waybill_id},
            )
        return redirect("fulfilment-dashboard:seller-order-detail", pk=pk)


class CancelCourierView(PesantrenStaffRequiredMixin, View):
    """Cancels the part's courier booking before pickup (POST only); it can then be booked again."""

    allowed_when_suspended = True

    def post(self, request, pk):
        seller_order = seller_order_for_seller(seller=self.seller, pk=pk)
        if seller_order is None:
            raise Http404
        try:
            shipment_cancel(seller_order=seller_order, actor=request.user, reason=request.POST.get("reason", "")[:200])
        except CancelFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Courier booking cancelled. Book a courier again or enter the airway bill by hand.")
            )
        return redirect("fulfilment-dashboard:seller-order-detail", pk=pk)


class LabelsView(PesantrenStaffRequiredMixin, View):
    """One PDF of A6 labels for the ticked parts (?seller_order=1&seller_order=2)."""

    allowed_when_suspended = True

    def get(self, request):
        ids = request.GET.getlist("seller_order")
        labels, skipped = labels_for(seller=self.seller, ids=ids)
        if not labels:
            if ids and not skipped:
                raise Http404  # none of them is this pesantren's
            context = {"seller": self.seller, "nav": "orders", "skipped": skipped}
            return render(request, "couriers/dashboard/no_labels.html", context, status=400)
        response = HttpResponse(render_labels_pdf(labels), content_type="application/pdf")
        name = labels[0].seller_order.number if len(labels) == 1 else f"label-{len(labels)}"
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        if skipped:
            response["X-Labels-Skipped"] = ",".join(part.number for part in skipped)
        return response
