from django.contrib import admin

from invoices.models import Invoice, InvoiceCredit, InvoiceEvent, InvoicePayment, InvoiceSection


class SectionInline(admin.TabularInline):
    model = InvoiceSection
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in InvoiceSection._meta.fields]


class PaymentInline(admin.TabularInline):
    model = InvoicePayment
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in InvoicePayment._meta.fields]


class CreditInline(admin.TabularInline):
    model = InvoiceCredit
    fk_name = "invoice"
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in InvoiceCredit._meta.fields]


class EventInline(admin.TabularInline):
    model = InvoiceEvent
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in InvoiceEvent._meta.fields]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Read-only: invoices change only through the services (payments are recorded on the dashboard)."""

    list_display = ["number", "company", "status", "issue_date", "due_date", "total", "amount_credited", "amount_paid"]
    list_filter = ["status"]
    search_fields = ["number", "buyer_legal_name", "buyer_npwp", "order__number"]
    inlines = [SectionInline, CreditInline, PaymentInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
