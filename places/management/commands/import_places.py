"""``manage.py import_places FILE``: fill the places table from a GeoNames dump."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from places.services.geonames import import_places


class Command(BaseCommand):
    help = (
        "Import places from a GeoNames file (tab-separated, UTF-8: allCountries.txt, "
        "cities500.txt, a country's file; - for stdin). Places imported before are updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the GeoNames file, or - to read standard input")

    def handle(self, *args, file: str, **options) -> None:
        try:
            if file == "-":
                result = import_places(sys.stdin)
            else:
                with open(file, encoding="utf-8", newline="") as lines:
                    result = import_places(lines)
        except (OSError, UnicodeDecodeError) as problem:
            raise CommandError(f"Cannot read {file}: {problem}") from problem
        for number, problem in result.skipped[:20]:
            self.stderr.write(f"line {number} skipped: {problem}")
        if len(result.skipped) > 20:
            self.stderr.write(f"… and {len(result.skipped) - 20} more lines skipped")
        self.stdout.write(f"{result.places} places imported, {len(result.skipped)} lines skipped")
