"""`Authorization: Bearer <token>` (or `Token <token>`) for the off-taker API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.selectors import api_token_for_key
from api.services import api_token_mark_used
from companies.access import is_company_member

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """Requests act as the approver who created the token, for the token's company (`request.auth.company`)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: give 'Bearer <token>'."))
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        user = token.created_by
        # A token stops working with its creator's access to the company.
        if not user.is_active or not is_company_member(company=token.company, user=user):
            raise exceptions.AuthenticationFailed(
                _("The person who created this token no longer acts for the company.")
            )
        api_token_mark_used(token=token)
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A company API token, created by a company approver on the API tokens page.",
        }
