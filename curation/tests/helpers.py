"""A small curation world: a rubric of 100 points in three sections, pesantren in Sukabumi and Bandung."""

from curation import services
from programme.access import scope_for
from programme.models import RoleKind
from programme.tests.helpers import make_areas, make_district_officer, make_provincial_officer, make_role
from tests.factories import make_seller, make_seller_product

# As Vietnam's OCOP: product and community, marketing and story, quality (100 points).
OCOP_CRITERIA = [
    {"section": "Produk dan komunitas", "name": "Bahan baku lokal", "max_points": 15},
    {"section": "Produk dan komunitas", "name": "Keterlibatan santri", "max_points": 20},
    {"section": "Pemasaran dan cerita", "name": "Kemasan dan label", "max_points": 15},
    {"section": "Pemasaran dan cerita", "name": "Cerita produk", "max_points": 10},
    {"section": "Kualitas", "name": "Mutu dan keamanan pangan", "max_points": 25},
    {"section": "Kualitas", "name": "Konsistensi", "max_points": 15},
]


def make_rubric(provincial=None, *, criteria=OCOP_CRITERIA, validity_months: int = 36):
    provincial = provincial or make_provincial_officer()
    return services.rubric_publish(
        scope=scope_for(provincial), criteria=criteria, validity_months=validity_months, created_by=provincial
    )


def make_curation_world() -> dict:
    areas = make_areas()
    provincial = make_provincial_officer()
    rubric = make_rubric(provincial)
    s_seller = make_seller(name="Pondok Sukabumi Jaya", regions=areas["sukabumi"])
    b_seller = make_seller(name="Pondok Bandung Makmur", regions=areas["bandung"])
    return {
        "areas": areas,
        "provincial": provincial,
        "rubric": rubric,
        "district": make_district_officer(areas["sukabumi"]["kabupaten"]),
        "curator": make_role(RoleKind.CURATOR),
        "other_curator": make_role(RoleKind.CURATOR),
        "s_seller": s_seller,
        "b_seller": b_seller,
        "s_product": make_seller_product(s_seller, title="Keripik Singkong Sukabumi"),
        "b_product": make_seller_product(b_seller, title="Dodol Rahasia Bandung"),
    }


def full_points(rubric, *, each=None) -> dict[int, int]:
    """Points for every criterion of `rubric`: the maximum, or `each(criterion)`."""
    return {c.pk: (each(c) if each else c.max_points) for c in rubric.criteria.all()}


def finalise(world, product, points_for=None, *, curator=None, note="Bagus"):
    """Put `product` up (as the provincial office), assign it to the curator and finalise it."""
    curator = curator or world["curator"]
    curation = services.curation_request(
        scope=scope_for(world["provincial"]), product=product, requested_by=world["provincial"], curator=curator
    )
    return services.curation_finalise(
        scope=scope_for(curator),
        curation=curation,
        points=full_points(curation.rubric, each=points_for),
        note=note,
        curator=curator,
    )
