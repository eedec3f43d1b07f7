"""The curation (kurasi) part of the demo world: a curator, the rubric, curated products and one in the queue.

- a curator (`kurator@`), who finds one product of pesantren 2 waiting in the queue;
- the rubric, version 1: 100 points in OCOP's three sections, stars valid 36 months;
- three products of pesantren 1 scored 5, 4 and 3 stars and one of pesantren 2 scored 4 stars, so
  their cards, product pages and storefronts show stars and search offers "Bintang kurasi".

Everything goes through curation.services and is found again by the product: a second run writes nothing.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from curation import services
from curation.models import Curation
from marketplace.demo.services import DemoUser, SeedResult, _email, _ensure_user
from programme.access import scope_for
from programme.models import ProgrammeRole, RoleKind
from sellers.models import Seller

Product = get_model("catalogue", "Product")

CURATOR = DemoUser(gettext_lazy("curator (the curation queue)"), _email("kurator"), "Dewi", "Kurniasih")
RUBRIC = [
    ("Produk dan kekuatan komunitas", "Bahan baku lokal dan keterlibatan santri", 15),
    ("Produk dan kekuatan komunitas", "Kapasitas produksi dan organisasi usaha", 10),
    ("Produk dan kekuatan komunitas", "Manfaat bagi pesantren dan warga sekitar", 10),
    ("Pemasaran dan cerita produk", "Kemasan dan label", 10),
    ("Pemasaran dan cerita produk", "Cerita produk dan asal-usulnya", 10),
    ("Pemasaran dan cerita produk", "Saluran penjualan dan promosi", 10),
    ("Kualitas produk", "Mutu, rasa atau keawetan", 15),
    ("Kualitas produk", "Izin edar: halal, P-IRT atau BPOM", 10),
    ("Kualitas produk", "Konsistensi mutu antar produksi", 10),
]
# Share of each criterion's points the curator gives: 98, 80, 60 and 80 points (5, 4, 3 and 4 stars).
PESANTREN1_SHARES = (0.96, 0.78, 0.62)
PESANTREN2_SHARE = 0.8


def _points(curation: Curation, share: float) -> dict[int, int]:
    return {criterion.pk: round(criterion.max_points * share) for criterion in curation.rubric.criteria.all()}


def _products_of(email: str) -> list:
    seller = Seller.objects.filter(owner__email__iexact=email).exclude(partner__isnull=True).first()
    if seller is None:
        return []
    return list(
        Product.objects.filter(parent__isnull=True, is_public=True, stockrecords__partner_id=seller.partner_id)
        .distinct()
        .order_by("pk")
    )


def seed_curation(*, officer, password_hash: str, result: SeedResult) -> None:
    """Add the curation demo data that is missing. `officer` is the provincial office's login."""
    with transaction.atomic():
        curator, created = _ensure_user(CURATOR, password_hash=password_hash)
        result.users_created += created
        result.logins.append((str(CURATOR.role), CURATOR.email))
        ProgrammeRole.objects.get_or_create(user=curator, kind=RoleKind.CURATOR)
        province, curator_scope = scope_for(officer), scope_for(curator)
        if services.rubric_current() is None:
            services.rubric_publish(
                scope=province,
                criteria=[{"section": s, "name": n, "max_points": p} for s, n, p in RUBRIC],
                validity_months=36,
                created_by=officer,
            )
        first, second = _products_of(_email("pesantren1")), _products_of(_email("pesantren2"))
        to_score = list(zip(first, PESANTREN1_SHARES, strict=False)) + [(p, PESANTREN2_SHARE) for p in second[:1]]
        for product, share in to_score:
            if Curation.objects.filter(product=product).exists():
                continue
            curation = services.curation_request(scope=province, product=product, requested_by=officer, curator=curator)
            services.curation_finalise(
                scope=curator_scope,
                curation=curation,
                points=_points(curation, share),
                note="Kemasan sudah rapi dan cerita produknya kuat; pertahankan mutu antar produksi.",
                curator=curator,
            )
            result.business_created += 1
        for product in second[1:2]:
            if not Curation.objects.filter(product=product).exists():
                services.curation_request(scope=province, product=product, requested_by=officer)
                result.business_created += 1
