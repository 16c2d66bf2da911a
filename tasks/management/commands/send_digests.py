"""Send the daily digest mails that are due (run it every hour or so)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tasks.digests import send_digests


class Command(BaseCommand):
    help = (
        "Send each opted-in user their daily digest of due tasks, once per day of "
        "their time zone. Safe to run often and concurrently; failed mails are "
        "retried by the next run."
    )

    def handle(self, *args, **options) -> None:
        run = send_digests(now=timezone.now())
        self.stdout.write(f"Sent {run.sent} digest(s).")
        if run.failed:
            raise CommandError(
                f"{run.failed} digest(s) could not be sent; the next run retries them."
            )
