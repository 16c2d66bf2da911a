"""`python manage.py adopt_database [--check]`: take over the original database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from adoption.survey import AdoptionError, adopt_database


class Command(BaseCommand):
    help = (
        "Adopt a database created by the original application: report anything that "
        "would stop the adoption and change nothing if so; otherwise run "
        "`migrate --fake-initial` and create the cache table. Use the direct "
        "(unpooled) database URL, and take a backup first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report whether the database can be adopted; change nothing.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to adopt (default: %(default)s).",
        )

    def handle(self, *args: Any, check: bool, database: str, **options: Any) -> None:
        # Lines end where adopt_database() ends them, migrate's progress lines too.
        self.stdout.ending = ""
        try:
            adopt_database(using=database, check_only=check, stdout=self.stdout)
        except AdoptionError as exc:
            for problem in exc.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"Cannot adopt this database ({len(exc.problems)} problem(s) above). "
                "Nothing was changed; fix the data and run the command again."
            ) from exc
        if not check:
            self.stdout.write(self.style.SUCCESS("Done.\n"))
