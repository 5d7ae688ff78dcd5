from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.export import dataset_export


class Command(BaseCommand):
    help = (
        "Write the public record (claims, appearances, articles, outlets, contradictions, "
        "corrections, claimants) into DIR as JSON Lines and CSV, with a README and the "
        "licence. The same data gives byte-identical files; drafts, work in review, "
        "pending changes and editor notes are never written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", type=Path, help="Created if missing; our files in it are replaced."
        )

    def handle(self, *args, directory: Path, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        progress = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            written = dataset_export(directory=directory, progress=progress)
        except OSError as error:
            raise CommandError(f"Could not write the data set into {directory}: {error}") from error
        total = ", ".join(f"{item.rows:,} {item.name}" for item in written)
        self.stdout.write(f"Wrote {total} to {directory}.")
