from django.contrib import admin
from oscar.apps.shipping.admin import *  # noqa: F403

from shipping.models import SellerShippingRate


@admin.register(SellerShippingRate)
class SellerShippingRateAdmin(admin.ModelAdmin):
    list_display = ["seller", "zone", "first_kg", "next_kg", "updated_at"]
    list_filter = ["zone"]
    list_select_related = ["seller"]
    search_fields = ["seller__name"]
    raw_id_fields = ["seller"]
