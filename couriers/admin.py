from django.contrib import admin

from couriers.models import SellerCourierSettings, Shipment, TrackingEvent


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("seller_order", "courier_code", "service_code", "waybill_id", "status", "provider_status")
    search_fields = ("seller_order__number", "waybill_id", "provider_order_id")
    raw_id_fields = ("seller_order", "booked_by")


admin.site.register(TrackingEvent)
admin.site.register(SellerCourierSettings)
