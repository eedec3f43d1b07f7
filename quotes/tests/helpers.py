"""Builders for the quotes tests: a verified company with a member, and requests made through the services."""

import datetime
import itertools

from django.utils import timezone

from companies.models import Company, CompanyMembership, CompanyStatus, MembershipRole
from quotes.models import RfqAudience, RfqKind
from quotes.services import quote_submit, rfq_create
from tests.factories import make_npwp, make_user

_numbers = itertools.count(1)


def make_company(*, member=None, role=MembershipRole.APPROVER, status=CompanyStatus.VERIFIED, **fields) -> Company:
    number = next(_numbers)
    company = Company.objects.create(
        legal_name=fields.pop("legal_name", f"PT Katering Barokah {number}"),
        npwp=make_npwp(99_000_000 + number),
        business_type="caterer",
        address="Jl. Braga 1, Bandung",
        contact_name="Rina",
        contact_phone="0812000111",
        contact_email=f"rina{number}@example.com",
        status=status,
        **fields,
    )
    CompanyMembership.objects.create(company=company, user=member or make_user(), role=role)
    return company


def member_of(company: Company):
    return company.memberships.order_by("pk").first().user


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def rfq_data(**overrides) -> dict:
    data = {
        "title": "Keripik singkong 1.000 pak",
        "kind": RfqKind.CATALOGUE,
        "product": None,
        "category": None,
        "quantity": 10,
        "unit": "pak",
        "specification": "Pak 250 g, label halal, kirim dalam karton.",
        "target_unit_price": 22000,
        "delivery_date": in_days(30),
        "delivery_kabupaten": None,
        "audience": RfqAudience.SELLER,
        "seller": None,
        "region": None,
        "quotes_due": in_days(7),
    }
    data.update(overrides)
    return data


def make_rfq(*, company, user=None, **overrides):
    return rfq_create(company=company, user=user or member_of(company), data=rfq_data(**overrides))


def make_quote(*, rfq, seller, user=None, **overrides):
    terms = {"unit_price": 21000, "lead_time_days": 5, "valid_until": in_days(14)}
    terms.update(overrides)
    return quote_submit(rfq=rfq, seller=seller, user=user or seller.owner, **terms)
