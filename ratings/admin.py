from django.contrib import admin

from ratings.models import LineReview, ReviewModerationEvent, ReviewReply


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reviews change only through ratings.services (moderation is in the dashboard), so the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LineReview)
class LineReviewAdmin(ReadOnlyAdmin):
    list_display = ["pk", "seller", "product", "product_rating", "seller_rating", "status", "created_at"]
    list_filter = ["status", "product_rating", "seller_rating"]
    search_fields = ["title", "body", "seller__name", "product__title", "author__email"]
    list_select_related = ["seller", "product"]


@admin.register(ReviewReply)
class ReviewReplyAdmin(ReadOnlyAdmin):
    list_display = ["review", "author", "created_at"]


@admin.register(ReviewModerationEvent)
class ReviewModerationEventAdmin(ReadOnlyAdmin):
    list_display = ["review", "from_status", "to_status", "actor", "created_at"]
