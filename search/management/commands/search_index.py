from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from tqdm import tqdm

from search.backends import get_backend

Product = get_model("catalogue", "Product")


class Command(BaseCommand):
    help = "Rebuild the product search index, or re-index some products."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Re-index every product, in batches.")
        parser.add_argument("--products", nargs="+", type=int, metavar="ID", help="Re-index these product ids.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Products per batch (default 1000).")

    def handle(self, *args, rebuild: bool, products: list[int] | None, batch_size: int, verbosity: int, **options):
        if rebuild == bool(products):
            raise CommandError(_("Give either --rebuild or --products."))
        if batch_size < 1:
            raise CommandError(_("--batch-size must be 1 or more."))
        backend = get_backend()
        if not backend.ping():
            raise CommandError(_("The %(backend)s search backend is not reachable.") % {"backend": backend.name})
        if products:
            indexed = backend.index_products(products)
        else:
            total = Product.objects.filter(parent__isnull=True).count()
            with tqdm(total=total, desc=_("Indexing products"), unit="", disable=verbosity == 0) as bar:
                indexed = backend.rebuild(batch_size=batch_size, progress=bar.update)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(count)d products indexed (%(backend)s).") % {"count": indexed, "backend": backend.name}
                )
            )
