"""The OPOP programme part of the demo world: roles, mapping, nominations and a cohort with stages.

- the provincial office (`program@`, which already reviews applications) and a district officer of
  Kabupaten Sukabumi (`dinas.sukabumi@`), and a mentor (`mentor@`) assigned to two of Sukabumi's pesantren and to
  `pesantren1@`'s shop (which has orders), with a logged visit, its action items and a photo at each;
- Sukabumi's mapped pesantren: fictional, not yet registered ones with their business units and
  products (a catfish farm, a bakery...), some nominated, so the map shows kecamatan with and
  without a nominee; every verified demo pesantren is mapped too, linked to its registration;
- the 2027 cohort with the default stages and its targets, the nominated registered pesantren in it
  at different stages (so the funnel per kabupaten has rows).

Everything goes through programme.services and is found again by a natural key (NSPP, cohort year,
target name): a second run writes nothing.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from marketplace.demo import images
from marketplace.demo.services import DemoUser, SeedResult, _email, _ensure_user
from programme import access, services
from programme.models import (
    Cohort,
    MappedPesantren,
    MentorAssignment,
    Nomination,
    Participant,
    ProgrammeRole,
    ProgrammeTarget,
    RoleKind,
    TargetMeasure,
)
from regions.models import Region, RegionLevel
from sellers.models import Seller

SUKABUMI_CODE = "32.02"
DISTRICT_OFFICER = DemoUser(
    gettext_lazy("district officer of Kabupaten Sukabumi (mapping, CSV import, nominations, cohort)"),
    _email("dinas.sukabumi"),
    "Asep",
    "Hidayat",
)
MENTOR = DemoUser(gettext_lazy("mentor (three assigned pesantren)"), _email("mentor"), "Nurul", "Hikmah")
COHORT_YEAR = 2027
# Fictional pesantren of Sukabumi not registered yet: (name, business units, products, nominated).
SUKABUMI_MAPPED = [
    ("Pondok Pesantren Al-Ikhlas Cisaat", "Kolam lele bioflok; koperasi santri", "Lele segar, abon lele", True),
    ("Pondok Pesantren Nurul Huda Cibadak", "Kebun kopi; sangrai kopi", "Kopi robusta bubuk", True),
    ("Pondok Pesantren Darussalam Parungkuda", "Dapur roti", "Roti manis, kue kering", False),
    ("Pondok Pesantren Miftahul Jannah Cicurug", "Peternakan domba", "Domba aqiqah", True),
    ("Pondok Pesantren Al-Falah Palabuhanratu", "Pengolahan ikan laut", "Ikan asin, terasi", False),
    ("Pondok Pesantren Baitul Hikmah Cikembar", "Konveksi", "Seragam santri, mukena", False),
    ("Pondok Pesantren Raudhatul Ulum Sukaraja", "Kebun sayur hidroponik", "Selada, pakcoy", True),
    ("Pondok Pesantren Hidayatul Mubtadiin Cisolok", "Gula aren", "Gula semut aren", False),
]
# How far each enrolled pesantren has come (cycled): index into the cohort's stages.
STAGE_STEPS = [0, 1, 2, 1, 3, 0, 2, 4]


def _sukabumi_nspp(index: int) -> str:
    # 9xxx are the demo applicants (marketplace.demo.services.plan_world).
    return f"51003202{7000 + index:04d}"


def seed_programme(*, officer, password_hash: str, result: SeedResult) -> None:
    """Add the programme's demo data that is missing. `officer` is the provincial office's login."""
    sukabumi = Region.objects.filter(code=SUKABUMI_CODE, level=RegionLevel.REGENCY).first()
    if sukabumi is None:
        return  # regions of another province loaded: nothing to map
    with transaction.atomic():
        district_user, created = _ensure_user(DISTRICT_OFFICER, password_hash=password_hash)
        result.users_created += created
        mentor_user, created = _ensure_user(MENTOR, password_hash=password_hash)
        result.users_created += created
        result.logins.append((str(DISTRICT_OFFICER.role), DISTRICT_OFFICER.email))
        result.logins.append((str(MENTOR.role), MENTOR.email))
        ProgrammeRole.objects.get_or_create(user=officer, kind=RoleKind.PROVINCIAL)
        ProgrammeRole.objects.get_or_create(user=district_user, kind=RoleKind.DISTRICT, kabupaten=sukabumi)
        ProgrammeRole.objects.get_or_create(user=mentor_user, kind=RoleKind.MENTOR)

        province = access.scope_for(officer)
        district = access.scope_for(district_user)
        kecamatan = list(Region.objects.filter(parent=sukabumi, level=RegionLevel.DISTRICT).order_by("code"))
        sukabumi_records = []
        for index, (name, units, products, nominated) in enumerate(SUKABUMI_MAPPED):
            nspp = _sukabumi_nspp(index)
            record = MappedPesantren.objects.filter(nspp=nspp).first()
            if record is None:
                record = services.mapping_record(
                    scope=district,
                    data={
                        "name": name,
                        "nspp": nspp,
                        "kecamatan": _kecamatan_named(kecamatan, name.rsplit(" ", 1)[1], fallback=index),
                        "business_units": units,
                        "products": products,
                        "contact_name": "",
                        "email": "",
                    },
                    recorded_by=district_user,
                )
                result.business_created += 1
            sukabumi_records.append(record)
            if nominated and not Nomination.objects.filter(pesantren=record).exists():
                services.nominate(scope=district, pesantren=record, nominated_by=district_user, reason=units)

        # Every verified demo pesantren is mapped in its kecamatan and nominated there.
        registered = []
        for seller in Seller.objects.verified().filter(mapped_record__isnull=True).order_by("nspp"):
            record = services.mapping_record(
                scope=province,
                data={
                    "name": seller.name,
                    "nspp": seller.nspp,
                    "kecamatan": seller.kecamatan,
                    "business_units": seller.get_sector_display(),
                    "products": seller.tagline,
                    "contact_name": seller.contact_name,
                    "email": seller.email,
                },
                recorded_by=officer,
            )
            result.business_created += 1
        for record in MappedPesantren.objects.filter(seller__isnull=False).order_by("nspp"):
            if not Nomination.objects.filter(pesantren=record).exists():
                services.nominate(scope=province, pesantren=record, nominated_by=officer)
            registered.append(record)

        mentor_scope = access.scope_for(mentor_user)
        # Two of Sukabumi's, and pesantren1's shop: registered, with orders, so the mentor's dashboard
        # shows marketplace figures before and since the first visit.
        selling = MappedPesantren.objects.filter(seller__owner__email=_email("pesantren1")).first()
        for record in [*sukabumi_records[:2], *([selling] if selling else [])]:
            assignment = MentorAssignment.objects.filter(
                mentor=mentor_user, pesantren=record, ended_at__isnull=True
            ).first() or services.mentor_assign(
                scope=province, mentor=mentor_user, pesantren=record, assigned_by=officer
            )
            visit = assignment.visits.order_by("pk").first()
            if visit is None:
                visited_on = timezone.localdate() - datetime.timedelta(days=10)
                visit = services.mentor_visit_log(
                    scope=mentor_scope,
                    assignment=assignment,
                    visited_on=visited_on,
                    topics="Kemasan, label halal dan harga jual",
                    notes="Produk sudah laku di pasar lokal; kemasan perlu diperbaiki sebelum kurasi.",
                    actions=[
                        ("Foto ulang produk untuk etalase", visited_on + datetime.timedelta(days=14)),
                        ("Ajukan sertifikat halal BPJPH", visited_on + datetime.timedelta(days=30)),
                    ],
                )
            if not visit.photos.exists():
                services.visit_photos_add(scope=mentor_scope, visit=visit, photos=[_visit_photo(record.name)])

        cohort = Cohort.objects.filter(year=COHORT_YEAR).first()
        if cohort is None:
            cohort = services.cohort_create(
                scope=province, year=COHORT_YEAR, name="Angkatan OPOP 2027", stage_names=_default_stage_names()
            )
        for name, count, measure in [
            ("Pesantren juara tahun pertama", 1250, TargetMeasure.VERIFIED),
            ("Pesantren terdaftar 2027", 2500, TargetMeasure.REGISTERED),
        ]:
            if not ProgrammeTarget.objects.filter(cohort=cohort, name=name).exists():
                services.target_save(
                    scope=province,
                    target=ProgrammeTarget(
                        cohort=cohort, name=name, target_count=count, measure=measure, deadline="2027-12-31"
                    ),
                )
        stages = list(cohort.stages.order_by("position"))
        for index, record in enumerate(registered):
            if Participant.objects.filter(cohort=cohort, pesantren=record).exists():
                continue
            participant = services.participant_enrol(scope=province, cohort=cohort, pesantren=record, actor=officer)
            for stage in stages[1 : STAGE_STEPS[index % len(STAGE_STEPS)] + 1]:
                services.participant_move(scope=province, participant=participant, to_stage=stage, actor=officer)
            result.business_created += 1


def _visit_photo(name: str) -> ContentFile:
    """A generated 'photo' of the visit: the pesantren's products on their workshop table."""
    picture = images.product_image(
        title="Kemasan baru", category="Kunjungan mentor", maker=name, colour=images.colour_for(name, (70, 130, 90))
    )
    return ContentFile(picture, name="kunjungan.jpg")


def _kecamatan_named(kecamatan: list[Region], name: str, *, fallback: int) -> Region:
    """The kecamatan a fictional pesantren is named after (they are Sukabumi's), else one by position."""
    return next((k for k in kecamatan if k.name.lower() == name.lower()), kecamatan[fallback % len(kecamatan)])


def _default_stage_names() -> list[str]:
    from programme.models import DEFAULT_STAGES

    return [str(label) for _code, label in DEFAULT_STAGES]
