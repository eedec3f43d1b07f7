"""Programme events in the demo world, through events.services:

- a training in Kabupaten Sukabumi with the first demo pesantren (`pesantren1@`) registered (its QR
  code at `/dashboard/acara/`), which the district officer can check in;
- a business meeting in Kota Bandung with both demo companies and two pesantren registered, and
  one-to-one meetings scheduled between them;
- an exhibition in Kota Bandung with four exhibitors and a showcase of their products.

Events are found again by title and kind, registrations by party: a second run writes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from events import selectors, services
from events.models import Event, EventKind, Registration
from marketplace.demo import data
from marketplace.demo.business import _company, _fictional_mail
from marketplace.demo.services import SeedResult, _email
from programme import access
from regions.models import Region, RegionLevel
from sellers.models import Seller

TRAINING = "Pelatihan Kemasan dan Label Halal"
MEETING = "Temu Usaha Katering dan Oleh-Oleh Priangan"
EXHIBITION = "Pameran Produk OPOP Jawa Barat"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _event(scope, *, kind, title, kabupaten, venue, days, capacity, description, officer) -> Event:
    existing = Event.objects.filter(kind=kind, title=title).first()
    if existing is not None:
        return existing
    starts = _at(days, 9)
    return services.event_create(
        scope=scope,
        data={
            "kind": kind,
            "title": title,
            "description": description,
            "kabupaten": kabupaten,
            "venue": venue,
            "host_seller": None,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=7),
            "registration_closes_at": starts - datetime.timedelta(days=2),
            "capacity": capacity,
        },
        actor=officer,
    )


def _register(event, *, seller=None, company=None, result: SeedResult):
    found = selectors.registration_of(event=event, seller=seller, company=company)
    if found is not None:
        return found
    result.business_created += 1
    return services.register(event=event, seller=seller, company=company, actor=None)


def seed_events(*, officer, result: SeedResult) -> None:
    regencies = Region.objects.filter(level=RegionLevel.REGENCY, parent_id=access.province_code())
    sukabumi = regencies.filter(code="32.02").first()
    bandung = regencies.filter(name=data.KATERING_KABUPATEN).first() or regencies.order_by("code").first()
    first = Seller.objects.verified().filter(owner__email=_email("pesantren1")).first()
    second = Seller.objects.verified().filter(owner__email=_email("pesantren2")).first()
    if sukabumi is None or bandung is None or first is None or second is None:
        return
    scope = access.scope_for(officer)
    others = list(Seller.objects.verified().exclude(pk__in=[first.pk, second.pk]).order_by("nspp")[:2])
    with _fictional_mail(), transaction.atomic():
        before = Event.objects.count()
        training = _event(
            scope,
            kind=EventKind.TRAINING,
            title=TRAINING,
            kabupaten=sukabumi,
            venue="Aula Dinas Koperasi dan UKM Kabupaten Sukabumi",
            days=10,
            capacity=25,
            description="Merancang kemasan yang menjual, label sesuai BPOM dan P-IRT, dan syarat sertifikat "
            "halal BPJPH. Bawa satu contoh produk pesantren Anda.",
            officer=officer,
        )
        _register(training, seller=first, result=result)

        meeting = _event(
            scope,
            kind=EventKind.BUSINESS_MEETING,
            title=MEETING,
            kabupaten=bandung,
            venue="Gedung Sate, Ruang Sabuga",
            days=14,
            capacity=20,
            description="Pertemuan empat mata 30 menit antara pembeli bisnis dan pesantren pemasok.",
            officer=officer,
        )
        companies = [c for c in (_company(data.KATERING_COMPANY), _company(data.OLEH_OLEH_COMPANY)) if c]
        company_regs = [_register(meeting, company=c, result=result) for c in companies if c.is_verified]
        seller_regs = [_register(meeting, seller=s, result=result) for s in (first, second)]
        if not meeting.meetings.exists() and seller_regs:
            # Two rounds of 30 minutes: each company meets each pesantren once, one table per company.
            for round_index in range(2):
                starts = meeting.starts_at + datetime.timedelta(minutes=30 * round_index)
                for company_index, company_reg in enumerate(company_regs):
                    services.meeting_book(
                        event=meeting,
                        company_registration=company_reg,
                        seller_registration=seller_regs[(company_index + round_index) % len(seller_regs)],
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(minutes=30),
                        table=f"Meja {company_index + 1}",
                    )
                    result.business_created += 1

        exhibition = _event(
            scope,
            kind=EventKind.EXHIBITION,
            title=EXHIBITION,
            kabupaten=bandung,
            venue="Lapangan Gasibu",
            days=21,
            capacity=40,
            description="Pameran produk unggulan pesantren OPOP se-Jawa Barat.",
            officer=officer,
        )
        for seller in (first, second, *others):
            _register(exhibition, seller=seller, result=result)
        if not exhibition.showcase_items.exists():
            picked, per_seller = [], {}
            for product in selectors.exhibitor_products(exhibition):
                if per_seller.get(product.showcase_seller.pk, 0) < 2:
                    per_seller[product.showcase_seller.pk] = per_seller.get(product.showcase_seller.pk, 0) + 1
                    picked.append(product.pk)
            if picked:
                services.showcase_set(event=exhibition, product_ids=picked[:8])
                result.business_created += 1
        result.business_created += Event.objects.count() - before


def demo_registration(email: str) -> Registration | None:
    """The demo training's registration of the pesantren whose owner signs in with `email` (for tests)."""
    return Registration.objects.filter(event__title=TRAINING, seller__owner__email=email).first()
