"""`manage.py seed_demo`: the fictional OPOP demo world. Safe to run again: it only adds what is missing."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from marketplace.demo.data import DEMO_PASSWORD
from marketplace.demo.services import DemoSeedError, seed_demo_world


class Command(BaseCommand):
    help = _(
        "Create demo users, verified pesantren with products and pending applications, and business buyers "
        "with orders, invoices and a request for quotation (all fictional). "
        "Needs Jawa Barat regions: run load_regions first. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help=_("Random seed of the demo world."))
        parser.add_argument(
            "--quick", action="store_true", help=_("A small world (6 pesantren, 30 products), e.g. for tests.")
        )

    def handle(self, *args, seed: int, quick: bool, verbosity: int, **options):
        def progress(description: str, total: int):
            return tqdm(total=total, desc=description, unit="", disable=verbosity == 0, leave=True)

        # Status e-mail tasks run eagerly in the demo, and shipping the demo orders runs Oscar's stock
        # alerts: each would log a line through the progress bars.
        quiet_loggers = [logging.getLogger(name) for name in ("celery.app.trace", "oscar.alerts")]
        previous_levels = [logger.level for logger in quiet_loggers]
        for logger in quiet_loggers:
            logger.setLevel(logging.WARNING)
        try:
            result = seed_demo_world(seed=seed, quick=quick, progress=progress)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        finally:
            for logger, level in zip(quiet_loggers, previous_levels, strict=True):
                logger.setLevel(level)
        # Products are bulk-created (no signals), so the search index is rebuilt once at the end.
        call_command("search_index", rebuild=True, verbosity=verbosity)

        if verbosity == 0:
            return
        if result.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo data created: %(users)d users, %(pesantren)d verified pesantren, "
                        "%(pending)d pending applications, %(products)d products."
                    )
                    % {
                        "users": result.users_created,
                        "pesantren": result.pesantren_created,
                        "pending": result.pending_created,
                        "products": result.products_created,
                    }
                )
            )
            if result.business_created_anything:
                self.stdout.write(
                    self.style.SUCCESS(
                        _(
                            "Business buyers: %(companies)d companies, %(documents)d orders, purchase requests "
                            "and requests for quotation, %(wholesale)d products with wholesale prices, "
                            "%(npwp)d pesantren with an NPWP."
                        )
                        % {
                            "companies": result.companies_created,
                            "documents": result.business_created,
                            "wholesale": result.wholesale_created,
                            "npwp": result.npwp_created,
                        }
                    )
                )
        else:
            self.stdout.write(_("Demo data is already present; nothing to create."))
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        width = max(len(role) for role, _email in [*logins, (_("role"), "")])
        email_width = max(len(email) for _role, email in [*logins, ("", _("email"))])
        rule = f"  +-{'-' * width}-+-{'-' * email_width}-+"
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        self.stdout.write(rule)
        self.stdout.write(f"  | {_('role').ljust(width)} | {_('email').ljust(email_width)} |")
        self.stdout.write(rule)
        for role, email in logins:
            self.stdout.write(f"  | {role.ljust(width)} | {email.ljust(email_width)} |")
        self.stdout.write(rule)
