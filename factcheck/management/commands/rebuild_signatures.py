from django.core.management.base import BaseCommand

from factcheck.services.provenance import articles_rebuild_signatures


class Command(BaseCommand):
    help = (
        "Recompute the near-duplicate signatures (MinHash and LSH bands) of every archived "
        "article, in bulk: after loading a corpus by other means than the services."
    )

    def handle(self, *args, **options):
        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done:,} articles")

        written = articles_rebuild_signatures(progress=progress)
        self.stdout.write(f"Stored the signatures of {written:,} archived articles.")
