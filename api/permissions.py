from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from api.models import ApiToken


class IsVerifiedCompany(BasePermission):
    """A token is required (401 without one); a company not verified yet reads nothing (403)."""

    message = _("Your company has not been verified by programme staff yet; the API opens once it is verified.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        return token.company.is_verified
