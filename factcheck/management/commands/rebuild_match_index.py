from django.core.management.base import BaseCommand

from factcheck.matching.index import match_index_rebuild
from factcheck.models import MatchTranslation


class Command(BaseCommand):
    help = (
        "Rebuild every claim's match document and relearn the word pairs from the quotes' "
        "translations, e.g. after loaddata (which skips the services) or nightly, so the "
        "pairs follow the translations added since."
    )

    def handle(self, *args, **options):
        documents = match_index_rebuild()
        pairs = MatchTranslation.objects.count()
        self.stdout.write(f"{documents} match documents rebuilt, {pairs} word pairs learned.")
