import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exports.package import export


class Command(BaseCommand):
    help = (
        "Write the public exports (a Frictionless Data Package of CSV tables, JSON Lines and "
        "Popolo JSON) into DIR, by default the folder /exports/ serves (EXPORTS_DIR)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.EXPORTS_DIR))

    def handle(self, *args, directory, **options):
        started = time.monotonic()
        try:
            written = export(directory)
        except OSError as error:
            raise CommandError(f"{directory}: cannot write the exports there: {error}") from error
        for name, size in written:
            self.stdout.write(f"{name:<22} {size:>14,} bytes")
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Exported {len(written)} files to {directory} in {took:.1f} s.")
        )
