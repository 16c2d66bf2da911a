"""Delete for good the tasks in the trash for longer than --days (a daily job)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tasks.trash import purge


class Command(BaseCommand):
    help = "Delete for good the tasks in the trash for longer than --days (30)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="Keep what was deleted fewer than this many days ago (default 30).",
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 0:
            self.stderr.write("--days cannot be negative.")
            raise SystemExit(2)
        count = purge(deleted_before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Deleted {count} task(s) from the trash for good.")
