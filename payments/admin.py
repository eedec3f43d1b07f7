from django.contrib import admin

from payments.models import CardPayment, CardRefund, StripeEvent


@admin.register(CardPayment)
class CardPaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "attempt", "payment_intent_id", "amount", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["order__number", "payment_intent_id"]
    readonly_fields = [field.name for field in CardPayment._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at", "processed_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = [field.name for field in StripeEvent._meta.fields]


@admin.register(CardRefund)
class CardRefundAdmin(admin.ModelAdmin):
    list_display = ["refund_id", "seller_order", "amount", "actor", "created_at"]
    search_fields = ["refund_id", "seller_order__number"]
    readonly_fields = [field.name for field in CardRefund._meta.fields]
