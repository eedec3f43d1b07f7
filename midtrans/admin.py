from django.contrib import admin

from midtrans.models import MidtransCharge, MidtransNotification, MidtransRefund


@admin.register(MidtransCharge)
class MidtransChargeAdmin(admin.ModelAdmin):
    list_display = ["midtrans_order_id", "method", "amount", "fee", "status", "expires_at", "created_at"]
    list_filter = ["status", "method", "purpose"]
    search_fields = ["midtrans_order_id", "transaction_id", "va_number"]
    readonly_fields = [field.name for field in MidtransCharge._meta.fields]


@admin.register(MidtransNotification)
class MidtransNotificationAdmin(admin.ModelAdmin):
    list_display = ["midtrans_order_id", "transaction_status", "status_code", "received_at", "processed_at", "outcome"]
    search_fields = ["midtrans_order_id"]
    readonly_fields = [field.name for field in MidtransNotification._meta.fields]


@admin.register(MidtransRefund)
class MidtransRefundAdmin(admin.ModelAdmin):
    list_display = ["refund_key", "seller_order", "amount", "status", "created_at"]
    readonly_fields = [field.name for field in MidtransRefund._meta.fields]
