from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from imports.dataset import DatasetError, load_dataset
from sources.models import Claim

SEED = Path(settings.BASE_DIR) / "fixtures" / "tunisia-province"
KINDS = ["sources", "entities", "events", "claims", "citations"]


class Command(BaseCommand):
    help = (
        "Load a curated dataset folder (by default fixtures/tunisia-province). Records that "
        "match the files are left untouched, so running it twice changes nothing; records "
        "changed in the admin since they were loaded are left as they are, and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=SEED,
            help="The dataset folder.",
        )
        parser.add_argument(
            "--status",
            choices=[Claim.Status.DRAFT, Claim.Status.IN_REVIEW, Claim.Status.PUBLISHED],
            help="What new claims arrive as, unless a record says: published for the project's "
            "own reviewed seed, drafts for any other folder.",
        )

    def handle(self, *args, path, status, **options):
        if status is None:
            status = Claim.Status.PUBLISHED if path.resolve() == SEED else Claim.Status.DRAFT
        try:
            result = load_dataset(
                directory=path, reason=f"Loaded from the {path.name} dataset", status=status
            )
        except DatasetError as error:
            lines = "\n".join(f"  {message}" for message in error.errors)
            raise CommandError(
                f"The dataset in {path} was not loaded; nothing was written. "
                f"{len(error.errors)} problem(s):\n{lines}"
            ) from error
        for kind in KINDS:
            self.stdout.write(
                f"{kind}: {result.created[kind]} created, {result.updated[kind]} updated, "
                f"{result.unchanged[kind]} unchanged"
                + (f", {result.deleted[kind]} deleted" if result.deleted[kind] else "")
            )
        if result.changed_since_load:
            self.stdout.write(
                f"Changed in the admin since they were loaded ({len(result.changed_since_load)}); "
                "the dataset was not written over them:"
            )
            for item in result.changed_since_load:
                self.stdout.write(
                    f"  {item}: changed in the admin since it was loaded; left as it is"
                )
        if result.unverified:
            self.stdout.write(
                f"Corrected in the files, so no longer verified ({len(result.unverified)}):"
            )
            for item in result.unverified:
                self.stdout.write(f"  {item}")
        if result.not_in_dataset:
            self.stdout.write(
                f"Not in the dataset, left as they are ({len(result.not_in_dataset)}):"
            )
            for item in result.not_in_dataset:
                self.stdout.write(f"  {item}")
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {path.name}: {result.changed} record(s) written.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {path.name}: nothing changed."))
