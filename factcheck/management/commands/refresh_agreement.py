from django.core.management.base import BaseCommand
from django.db import transaction

from factcheck import services


class Command(BaseCommand):
    help = (
        "Recompute every article's origin and every claim's stored agreement and evidence "
        "span, e.g. after "
        "loaddata, which saves rows raw and so skips the services that keep them in step."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            origins = services.articles_rebuild_origins()
            claims = services.claims_rebuild_agreement()
        self.stdout.write(
            f"{origins} article origins corrected, {claims} claims' agreement or evidence span "
            "corrected."
        )
