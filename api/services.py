"""Writes of the off-taker API: tokens, idempotent replays and bulk orders."""

import hashlib
import hmac
import json
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TOKEN_PREFIX_LENGTH, ApiToken, IdempotentRequest
from companies.access import is_company_approver
from companies.models import Company

_KEY_ALPHABET = string.ascii_letters + string.digits
_KEY_LENGTH = 40
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def keys_match(key: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), secret_hash)


def api_token_create(*, company: Company, created_by, name: str) -> tuple[ApiToken, str]:
    """A new token for the company and its secret, which is never stored and cannot be shown again."""
    if not is_company_approver(company=company, user=created_by):
        raise PermissionDenied(_("Only an approver of the company can create API tokens."))
    name = (name or "").strip()
    for _attempt in range(5):
        key = "".join(secrets.choice(_KEY_ALPHABET) for _index in range(_KEY_LENGTH))
        token = ApiToken(
            company=company,
            created_by=created_by,
            name=name,
            prefix=key[:TOKEN_PREFIX_LENGTH],
            secret_hash=hash_key(key),
        )
        token.full_clean()
        try:
            with transaction.atomic():
                token.save()
        except IntegrityError:
            # Another token already starts with these characters (one chance in 62^8): draw again.
            continue
        return token, key
    raise ValidationError(_("Could not create a token; please try again."))


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by) -> ApiToken:
    if not is_company_approver(company=token.company, user=revoked_by):
        raise PermissionDenied(_("Only an approver of the company can revoke API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def request_fingerprint(*, method: str, path: str, data) -> str:
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{body}".encode()).hexdigest()


class IdempotencyKeyReused(Exception):
    """The key was first used for a different request."""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict
    replayed: bool


def idempotent_call(
    *, company: Company, key: str, fingerprint: str, respond: Callable[[], tuple[int, dict]]
) -> StoredResponse:
    """Run `respond` once per (company, key) and store what it answered; a retry gets that answer back.

    The key row is inserted before the work, so a concurrent retry blocks on the unique constraint
    until the first attempt commits and then replays it. When `respond` raises (a bad request), the
    row goes with the rolled-back work and the key may be used again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    company=company, key=key, fingerprint=fingerprint, response_status=0, response_body={}
                )
        except IntegrityError:
            record = IdempotentRequest.objects.get(company=company, key=key)
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    _("This Idempotency-Key was already used for a different request.")
                ) from None
            return StoredResponse(status=record.response_status, body=record.response_body, replayed=True)
        status, body = respond()
        record.response_status = status
        record.response_body = body
        record.save(update_fields=["response_status", "response_body"])
        return StoredResponse(status=status, body=body, replayed=False)


def idempotent_requests_purge(*, older_than: timedelta) -> int:
    """Forget stored answers older than `older_than`; their keys may then be used again."""
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
