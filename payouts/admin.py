"""Read-only admin: the ledger is append-only and payouts change only through their services."""

from django.contrib import admin

from payouts.models import ConnectedAccount, LedgerEntry, Payout, PayoutBatch, PayoutEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "seller", "kind", "amount", "description"]
    list_filter = ["kind"]
    search_fields = ["seller__name", "idempotency_key", "description"]
    list_select_related = ["seller"]
    date_hierarchy = "created_at"


class PayoutEventInline(admin.TabularInline):
    model = PayoutEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["pk", "seller", "amount", "status", "method", "batch", "created_at", "paid_at"]
    list_filter = ["status", "method"]
    search_fields = ["seller__name", "reference"]
    list_select_related = ["seller", "batch"]
    inlines = [PayoutEventInline]


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ["week", "created_at", "exported_at"]


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(admin.ModelAdmin):
    list_display = ["seller", "stripe_account_id", "created"]
    search_fields = ["seller__name", "stripe_account_id"]
    raw_id_fields = ["seller"]
