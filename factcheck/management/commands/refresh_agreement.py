from django.core.management.base import BaseCommand

from factcheck import services
from factcheck.models import Article, Claim


class Command(BaseCommand):
    help = (
        "Recompute every article's origin and every claim's stored agreement, e.g. after "
        "loaddata, which saves rows raw and so skips the services that keep them in step."
    )

    def handle(self, *args, **options):
        originals = Article.objects.filter(retells__isnull=True)
        changed = set()
        for article in originals.iterator():
            changed |= services.articles_refresh_origin(article=article)
        claims = services.claims_refresh_agreement(
            claim_ids=Claim.objects.values_list("pk", flat=True)
        )
        self.stdout.write(f"{len(changed)} article origins corrected, {claims} claims refreshed.")
