"""Indonesian public holidays (hari libur nasional) and collective leave days (cuti bersama).

Couriers and most pesantren do not work on these days, so a ship-by deadline does not count them.
2026 follows the joint decree of the three ministers (SKB 3 Menteri of 19 November 2025: 17
national holidays and 8 days of cuti bersama). 2027's decree is not out yet: its days are the fixed
holidays and the expected dates of the moving ones (hisab for the Islamic days, the moon for Nyepi,
Imlek and Waisak, Easter for the Christian days), without cuti bersama. Replace them with the
decree's days when it is published; `HOLIDAYS_KNOWN_UNTIL` says how far the table reaches.
"""

import datetime

D = datetime.date

NATIONAL_HOLIDAYS: dict[datetime.date, str] = {
    # 2026 (SKB 3 Menteri 2025)
    D(2026, 1, 1): "Tahun Baru 2026 Masehi",
    D(2026, 1, 16): "Isra Mikraj Nabi Muhammad SAW",
    D(2026, 2, 17): "Tahun Baru Imlek 2577 Kongzili",
    D(2026, 3, 19): "Hari Suci Nyepi (Tahun Baru Saka 1948)",
    D(2026, 3, 21): "Idul Fitri 1447 H",
    D(2026, 3, 22): "Idul Fitri 1447 H",
    D(2026, 4, 3): "Wafat Yesus Kristus",
    D(2026, 4, 5): "Kebangkitan Yesus Kristus (Paskah)",
    D(2026, 5, 1): "Hari Buruh Internasional",
    D(2026, 5, 14): "Kenaikan Yesus Kristus",
    D(2026, 5, 27): "Idul Adha 1447 H",
    D(2026, 5, 31): "Hari Raya Waisak 2570 BE",
    D(2026, 6, 1): "Hari Lahir Pancasila",
    D(2026, 6, 16): "Tahun Baru Islam 1448 H",
    D(2026, 8, 17): "Proklamasi Kemerdekaan",
    D(2026, 8, 25): "Maulid Nabi Muhammad SAW",
    D(2026, 12, 25): "Kelahiran Yesus Kristus",
    # 2027: fixed days, and the expected dates of the moving ones until the decree for 2027 is out
    D(2027, 1, 1): "Tahun Baru 2027 Masehi",
    D(2027, 1, 5): "Isra Mikraj Nabi Muhammad SAW (perkiraan)",
    D(2027, 2, 6): "Tahun Baru Imlek 2578 Kongzili",
    D(2027, 3, 8): "Hari Suci Nyepi (Tahun Baru Saka 1949, perkiraan)",
    D(2027, 3, 10): "Idul Fitri 1448 H (perkiraan)",
    D(2027, 3, 11): "Idul Fitri 1448 H (perkiraan)",
    D(2027, 3, 26): "Wafat Yesus Kristus",
    D(2027, 3, 28): "Kebangkitan Yesus Kristus (Paskah)",
    D(2027, 5, 1): "Hari Buruh Internasional",
    D(2027, 5, 6): "Kenaikan Yesus Kristus",
    D(2027, 5, 17): "Idul Adha 1448 H (perkiraan)",
    D(2027, 5, 20): "Hari Raya Waisak 2571 BE (perkiraan)",
    D(2027, 6, 1): "Hari Lahir Pancasila",
    D(2027, 6, 6): "Tahun Baru Islam 1449 H (perkiraan)",
    D(2027, 8, 15): "Maulid Nabi Muhammad SAW (perkiraan)",
    D(2027, 8, 17): "Proklamasi Kemerdekaan",
    D(2027, 12, 25): "Kelahiran Yesus Kristus",
}

CUTI_BERSAMA: dict[datetime.date, str] = {
    # 2026 (SKB 3 Menteri 2025)
    D(2026, 2, 16): "Cuti bersama Tahun Baru Imlek",
    D(2026, 3, 18): "Cuti bersama Hari Suci Nyepi",
    D(2026, 3, 20): "Cuti bersama Idul Fitri",
    D(2026, 3, 23): "Cuti bersama Idul Fitri",
    D(2026, 3, 24): "Cuti bersama Idul Fitri",
    D(2026, 5, 15): "Cuti bersama Kenaikan Yesus Kristus",
    D(2026, 5, 28): "Cuti bersama Idul Adha",
    D(2026, 12, 24): "Cuti bersama Kelahiran Yesus Kristus",
}

HOLIDAYS_KNOWN_UNTIL = D(2027, 12, 31)


def holiday_name(day: datetime.date) -> str | None:
    """The holiday or cuti bersama on `day`, or None on an ordinary day."""
    return NATIONAL_HOLIDAYS.get(day) or CUTI_BERSAMA.get(day)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and neither a national holiday nor a day of cuti bersama."""
    return day.weekday() < 5 and day not in NATIONAL_HOLIDAYS and day not in CUTI_BERSAMA
