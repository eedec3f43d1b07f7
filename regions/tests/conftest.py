import pytest

from regions.models import Region, RegionLevel


def _region(code: str, name: str, postal_code: str = "") -> Region:
    return Region.objects.create(
        code=code,
        name=name,
        level=Region.level_of(code),
        parent_id=Region.parent_code_of(code),
        postal_code=postal_code,
    )


@pytest.fixture
def region_tree(db) -> dict[str, Region]:
    """Two provinces with real codes and names, small enough to reason about in assertions."""
    rows = [
        ("32", "Jawa Barat", ""),
        ("32.04", "Kabupaten Bandung", ""),
        ("32.04.05", "Cileunyi", ""),
        ("32.04.05.2001", "Cileunyi Kulon", "40621"),
        ("32.04.05.2002", "Cileunyi Wetan", "40622"),
        ("32.04.13", "Banjaran", ""),
        ("32.04.13.2001", "Kamasan", "40377"),
        ("32.73", "Kota Bandung", ""),
        ("32.73.01", "Sukasari", ""),
        ("32.73.01.1001", "Sukarasa", "40152"),
        ("33", "Jawa Tengah", ""),
        ("33.01", "Kabupaten Cilacap", ""),
        ("33.01.01", "Kedungreja", ""),
        ("33.01.01.2001", "Tambakreja", "53263"),
    ]
    regions = {code: _region(code, name, postal_code) for code, name, postal_code in rows}
    assert {r.level for r in regions.values()} == set(RegionLevel.values)
    return regions
