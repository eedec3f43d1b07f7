from django.contrib import admin

from bank_transfers.models import BankTransfer, BankTransferEvent


class BankTransferEventInline(admin.TabularInline):
    model = BankTransferEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "actor", "note", "created_at"]


@admin.register(BankTransfer)
class BankTransferAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the finance dashboard, which records who did what."""

    list_display = ["order", "amount_due", "status", "expires_at", "uploaded_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["order__number", "amount_due"]
    inlines = [BankTransferEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
