from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offtakers.models import Company, CompanyMembership, CompanyStatus, MembershipRole, PriceTier, WholesaleTerms
from offtakers.validators import normalise_npwp

_REGISTRATION_FIELDS = (
    "legal_name",
    "npwp",
    "business_type",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class CompanyTransitionError(Exception):
    pass


@transaction.atomic
def company_register(*, user, data: dict) -> Company:
    """Create an applied company with `user` as its first approver (they can then add buyers)."""
    fields = {name: data.get(name, "") for name in _REGISTRATION_FIELDS}
    fields["npwp"] = normalise_npwp(fields["npwp"])
    company = Company(**fields)
    company.full_clean()
    company.save()
    CompanyMembership.objects.create(company=company, user=user, role=MembershipRole.APPROVER)
    return company


def _check_staff(actor) -> None:
    if not actor.has_perm("offtakers.verify_company"):
        raise PermissionDenied(_("You may not review off-taker companies."))


def _transition(*, company: Company, to_status: str, actor, reason: str = "") -> Company:
    _check_staff(actor)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        if company.status != CompanyStatus.APPLIED:
            raise CompanyTransitionError(
                _("Only an applied company can be reviewed; this one is %(status)s.")
                % {"status": company.get_status_display()}
            )
        company.status = to_status
        company.status_reason = reason
        company.status_changed_at = timezone.now()
        company.status_changed_by = actor
        company.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
    return company


def company_verify(*, company: Company, verified_by) -> Company:
    return _transition(company=company, to_status=CompanyStatus.VERIFIED, actor=verified_by)


def company_reject(*, company: Company, rejected_by, reason: str) -> Company:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the company a reason for the rejection.")})
    return _transition(company=company, to_status=CompanyStatus.REJECTED, actor=rejected_by, reason=reason)


@transaction.atomic
def price_tiers_set(*, stockrecord, tiers: list[tuple[int, int]]) -> list[PriceTier]:
    """Replace the stock record's tiers with (min_quantity, unit_price) pairs; a bad set saves nothing."""
    quantities = [quantity for quantity, _price in tiers]
    if len(set(quantities)) != len(quantities):
        raise ValidationError(_("Each tier needs a different minimum quantity."))
    PriceTier.objects.filter(stockrecord=stockrecord).delete()
    created = []
    for quantity, price in sorted(tiers):
        tier = PriceTier(stockrecord=stockrecord, min_quantity=quantity, unit_price=price)
        tier.full_clean()
        tier.save()
        created.append(tier)
    return created


def wholesale_moq_set(*, stockrecord, moq: int) -> WholesaleTerms:
    terms = WholesaleTerms.objects.filter(stockrecord=stockrecord).first() or WholesaleTerms(stockrecord=stockrecord)
    terms.moq = moq
    terms.full_clean()
    terms.save()
    return terms
