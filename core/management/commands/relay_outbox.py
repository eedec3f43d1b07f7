from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "Send the Celery tasks still pending in the outbox (those the broker refused while it was down)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=float,
            default=outbox.RELAY_MIN_AGE_SECONDS,
            help="Leave rows younger than this many seconds to the process that wrote them (default %(default)s).",
        )

    def handle(self, *args, min_age, **options):
        sent = outbox.relay(min_age_seconds=min_age)
        self.stdout.write(f"Sent {sent} task(s); {outbox.pending_count()} still pending.")
