"""``manage.py trim_streams``: cut every owner's materialised stream to its newest rows now, as
the periodic task does (``streams.services.trim``), and say how far the largest stream is."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max

from streams.models import StreamItem
from streams.services.trim import trim_streams


class Command(BaseCommand):
    help = "Cut each owner's stream to its newest STREAM_MAX_ROWS rows (or --cap)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cap", type=int, default=None, help="Rows to keep per owner.")
        parser.add_argument("--batch", type=int, default=500, help="Owners per transaction.")

    def handle(self, *args, **options) -> None:
        if options["cap"] is not None and options["cap"] < 1:
            raise CommandError("--cap must be at least 1.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        report = trim_streams(options["cap"], options["batch"])
        largest = (
            StreamItem.objects.values("owner_id")
            .annotate(n=Count("pk"))
            .aggregate(largest=Max("n"))["largest"]
        )
        self.stdout.write(
            f"trimmed {report.trimmed:,} of {report.owners:,} streams, removed "
            f"{report.removed:,} rows; the largest stream now holds {largest or 0:,} rows"
        )
