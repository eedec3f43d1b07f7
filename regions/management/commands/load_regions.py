import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from regions.models import RegionLevel
from regions.services import RegionDataError, region_rows_read, regions_load


class Command(BaseCommand):
    help = (
        "Load Indonesian administrative regions (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) and "
        "desa postal codes from regions/data/. Loads all of Indonesia unless --province is given. "
        "Safe to re-run: changed names and postal codes are updated, nothing is created twice."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--province",
            metavar="CODE",
            help="Load only this province and its descendants, e.g. 32 for Jawa Barat.",
        )
        scope.add_argument("--all", action="store_true", help="Load every province of Indonesia (the default).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT/UPDATE statement.")

    def handle(self, *args, province=None, batch_size=2000, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        province = (province or "").strip() or None
        started = time.monotonic()
        try:
            rows = region_rows_read(province_code=province)
        except RegionDataError as error:
            raise CommandError(str(error)) from error

        progress = tqdm(desc="Regions", unit=" rows", disable=verbosity == 0, total=0)
        try:
            result = regions_load(
                rows=rows,
                province_code=province,
                batch_size=batch_size,
                on_total=lambda total: progress.reset(total=total),
                on_progress=progress.update,
            )
        finally:
            progress.close()

        elapsed = time.monotonic() - started
        scope = f"province {province}" if province else "all of Indonesia"
        if verbosity:
            for level in RegionLevel:
                self.stdout.write(f"{level.label}: {result.counts_by_level[level.value]:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions for {scope}: {result.created:,} created, {result.updated:,} updated, "
                f"{result.unchanged:,} unchanged in {elapsed:.1f} s."
            )
        )
