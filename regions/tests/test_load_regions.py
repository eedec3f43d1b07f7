from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regions.models import Region, RegionLevel
from regions.services import RegionDataError, region_rows_read, regions_load


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_regions", *args, stdout=out, verbosity=1)
    return out.getvalue()


def _counts(prefix: str = "32") -> dict[int, int]:
    scope = Region.objects.filter(code__startswith=prefix)
    return {level: scope.filter(level=level).count() for level in RegionLevel.values}


@pytest.mark.django_db
def test_load_jawa_barat_counts():
    # when
    output = _load("--province", "32")

    # then
    assert _counts() == {1: 1, 2: 27, 3: 627, 4: 5957}
    assert Region.objects.count() == 1 + 27 + 627 + 5957, "only province 32 was loaded"
    kabupaten_names = list(Region.objects.regencies().values_list("name", flat=True))
    assert sum(name.startswith("Kabupaten ") for name in kabupaten_names) == 18
    assert sum(name.startswith("Kota ") for name in kabupaten_names) == 9
    assert Region.objects.get(code="32").name == "Jawa Barat"
    assert Region.objects.get(code="32.04").parent_id == "32"
    assert Region.objects.get(code="32.04.05").parent_id == "32.04"
    villages = Region.objects.villages()
    assert villages.exclude(postal_code__regex=r"^\d{5}$").count() == 0
    assert villages.filter(parent__isnull=True).count() == 0
    assert "Kecamatan: 627" in output
    assert "Desa/Kelurahan: 5,957" in output
    assert "6,612 created, 0 updated, 0 unchanged" in output


@pytest.mark.django_db
def test_load_regions_is_idempotent_and_restores_changed_data():
    # given
    _load("--province", "32")
    before = _counts()
    Region.objects.filter(code="32.04").update(name="Renamed")
    Region.objects.filter(code="32.04.05.2001").update(postal_code="99999")
    Region.objects.filter(code="32.73.01.1001").delete()

    # when
    output = _load("--province", "32")

    # then
    assert _counts() == before
    assert Region.objects.get(code="32.04").name == "Kabupaten Bandung"
    assert Region.objects.get(code="32.04.05.2001").postal_code == "40621"
    assert Region.objects.filter(code="32.73.01.1001").exists()
    assert "1 created, 2 updated, 6,609 unchanged" in output


@pytest.mark.django_db
def test_load_regions_rejects_an_unknown_province():
    with pytest.raises(CommandError, match="no province with code '99'"):
        _load("--province", "99")
    assert Region.objects.count() == 0


def test_load_regions_province_and_all_are_exclusive():
    with pytest.raises(CommandError, match="not allowed with argument"):
        _load("--province", "32", "--all")


def test_region_rows_are_parents_first_with_stripped_names_and_desa_postal_codes():
    # when
    rows = region_rows_read(province_code="32")

    # then
    levels = [row.level for row in rows]
    assert levels == sorted(levels)
    by_code = {row.code: row for row in rows}
    assert by_code["32.04.05.2001"].postal_code == "40621"
    assert by_code["32.04.05"].postal_code == "", "kecamatan span several postal codes"
    assert all(row.name == row.name.strip() for row in rows)


def test_every_province_has_its_rows():
    rows = region_rows_read()

    assert len(rows) == 91_599
    assert sum(row.level == RegionLevel.PROVINCE for row in rows) == 38


def _write_data(tmp_path, wilayah: str, kodepos: str = "kode,kodepos\n"):
    (tmp_path / "wilayah.csv").write_text(wilayah, encoding="utf-8")
    (tmp_path / "kodepos.csv").write_text(kodepos, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("wilayah", "kodepos", "message"),
    [
        ("kode,nama\n32,Jawa Barat\n32.04.05,Cileunyi\n", "kode,kodepos\n", "has no parent region 32.04"),
        ("kode,nama\n32,Jawa Barat\n32,Jawa Barat\n", "kode,kodepos\n", "duplicate code 32"),
        ("kode,nama\n32,Jawa Barat\n32.4,Bandung\n", "kode,kodepos\n", "line 3: '32.4' is not a Kemendagri"),
        ("kode,nama\n32,\n", "kode,kodepos\n", "name of 32 is empty"),
        ("code,name\n32,Jawa Barat\n", "kode,kodepos\n", "expected columns kode,nama"),
        ("kode,nama\n32,Jawa Barat\n", "kode,kodepos\n32.04.05.2001,4062\n", "'4062' is not a 5-digit postal code"),
    ],
)
def test_malformed_data_is_rejected_with_its_line(tmp_path, wilayah, kodepos, message):
    data_dir = _write_data(tmp_path, wilayah, kodepos)

    with pytest.raises(RegionDataError, match=message):
        region_rows_read(data_dir=data_dir)


@pytest.mark.django_db
def test_regions_load_writes_only_changed_rows(tmp_path, django_assert_max_num_queries):
    # given
    data_dir = _write_data(
        tmp_path,
        "kode,nama\n32,Jawa Barat\n32.04,Kabupaten Bandung\n32.04.05,Cileunyi\n32.04.05.2001,Cileunyi Kulon \n",
        "kode,kodepos\n32.04.05.2001,40622\n",
    )
    rows = region_rows_read(data_dir=data_dir)
    first = regions_load(rows=rows)

    # when: nothing changed, the second run only reads
    with django_assert_max_num_queries(3):
        second = regions_load(rows=rows)

    # then
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert second.counts_by_level == {1: 1, 2: 1, 3: 1, 4: 1}
    assert Region.objects.get(code="32.04.05.2001").name == "Cileunyi Kulon"
