"""Demo courier settings: a few verified pesantren get a map pin (for GoSend and GrabExpress) and a
preferred pickup time. Idempotent: a pesantren that already has courier settings is left alone."""

from decimal import Decimal

from couriers.models import COURIER_NAMES, PickupTime, SellerCourierSettings
from sellers.models import Seller

# Roughly the centre of some of Jawa Barat's kabupaten/kota, by Kemendagri code; others use Bandung's.
CENTRES = {
    "32.01": ("-6.597100", "106.806000"),  # Kabupaten Bogor
    "32.02": ("-6.927700", "106.930000"),  # Kabupaten Sukabumi
    "32.04": ("-7.025100", "107.519700"),  # Kabupaten Bandung
    "32.05": ("-7.227900", "107.908700"),  # Kabupaten Garut
    "32.06": ("-7.350600", "108.217200"),  # Kabupaten Tasikmalaya
    "32.73": ("-6.917500", "107.619100"),  # Kota Bandung
}
BANDUNG = CENTRES["32.73"]
PINNED = 3  # how many pesantren get a pin
PREFERENCES = [PickupTime.MORNING, PickupTime.AFTERNOON, PickupTime.EARLIEST]


def seed_couriers(*, verified, result) -> None:
    """Pin the first few verified demo pesantren near their kabupaten's centre, each a little apart."""
    sellers = {seller.nspp: seller for seller in Seller.objects.filter(nspp__in=[plan.nspp for plan in verified])}
    for index, plan in enumerate(verified[:PINNED]):
        seller = sellers.get(plan.nspp)
        if seller is None:
            continue
        lat, lng = CENTRES.get(seller.kabupaten_id or "", BANDUNG)
        offset = Decimal("0.004") * index
        _row, created = SellerCourierSettings.objects.get_or_create(
            seller=seller,
            defaults={
                "couriers": list(COURIER_NAMES),
                "latitude": Decimal(lat) + offset,
                "longitude": Decimal(lng) + offset,
                "pickup_time": PREFERENCES[index % len(PREFERENCES)],
            },
        )
        result.courier_settings_created += created
