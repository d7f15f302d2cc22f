from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from imports import services
from imports.exchange import FileError, read_subjects
from imports.models import ImportBatch
from imports.reports import summary
from imports.texts import read_folder


class Command(BaseCommand):
    help = (
        "Import claims in the exchange format (CSV or JSON Lines, one row per citation) with "
        "their sources (CSV, CSL-JSON, BibTeX or RIS) and archived texts, all or nothing. "
        "Imported claims arrive as drafts unless --status says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "claims",
            type=Path,
            help="The claims file (.csv or .jsonl), or an export's datapackage.json: its "
            "claims.csv and sources.csv, with the entities and events it describes.",
        )
        parser.add_argument("--sources", type=Path, help="The sources file.")
        parser.add_argument(
            "--texts", type=Path, help="A folder of archived texts, one file per source key."
        )
        parser.add_argument("--reason", required=True, help="Why; kept in the history.")
        parser.add_argument(
            "--status",
            choices=[value for value, _ in ImportBatch.ARRIVES_AS],
            default="draft",
            help="What the new claims arrive as (published needs a reviewer's --user).",
        )
        parser.add_argument("--user", help="The username the import is recorded under.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--create-unmatched",
            action="store_true",
            help="Create a subject for every name that matches only partly or several things.",
        )
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="TYPE:NAME=SLUG",
            help="What a name that matched weakly means, e.g. “entity:Qasrin=kasserine”, or "
            "“entity:Qasrin=create”. May be given several times.",
        )

    def handle(self, *args, claims, sources, texts, reason, status, user, dry_run, **options):
        subjects = {}
        if claims.name == "datapackage.json":
            folder = claims.parent
            claims, sources = folder / "claims.csv", sources or folder / "sources.csv"
            for type_ in ("entity", "event"):
                described = folder / ("entities.csv" if type_ == "entity" else "events.csv")
                try:
                    subjects |= read_subjects(described.name, self.read(described), type_)
                except FileError as error:
                    raise CommandError(str(error)) from error
        batch = ImportBatch(
            subjects=subjects,
            user=self.find_user(user),
            reason=reason,
            arrives_as=status,
            create_unmatched=options["create_unmatched"],
            choices=self.choices(options["choose"]),
            claims_name=claims.name,
            claims_data=self.read(claims),
        )
        if sources:
            batch.sources_name, batch.sources_data = sources.name, self.read(sources)
        if texts:
            try:
                batch.texts = read_folder(texts)
            except (FileError, OSError) as error:
                raise CommandError(f"The texts in {texts} cannot be read: {error}") from error
        with tqdm(desc="rows", unit="row", disable=options["verbosity"] < 1) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                if dry_run:
                    report = services.preview(batch, progress=progress)
                else:
                    report = services.apply(batch, progress=progress)
            except services.ImportFailed as failure:
                report = failure.report
            except DatabaseError as error:
                raise CommandError(
                    f"The database refused the import; nothing was written: {error}"
                ) from error
        for line in summary(report):
            self.stdout.write(line)
        if report["errors"] or (not dry_run and not report["applied"]):
            raise CommandError(
                f"Nothing was imported: {len(report['errors'])} problem(s), listed above."
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return
        self.stdout.write(self.style.SUCCESS(f"Imported as import batch #{batch.pk}."))

    def read(self, path):
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read: {error.strerror}") from error

    def find_user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user: no user is called “{username}”")
        return user

    def choices(self, given):
        choices = {}
        for item in given:
            name, sep, slug = item.rpartition("=")
            if not sep or ":" not in name or name.split(":")[0] not in ("entity", "event"):
                raise CommandError(f"--choose: expected TYPE:NAME=SLUG, not “{item}”")
            choices[name] = slug
        return choices
