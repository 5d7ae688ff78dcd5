import json

from django.core.management.base import BaseCommand, CommandError

from factcheck.matching import article_suggestions
from factcheck.models import Article


class Command(BaseCommand):
    help = (
        "List the existing claims each passage of an article most likely states, best "
        "first, with scores in [0, 1], only those above the matcher's threshold "
        "(README, *Claim matching*)."
    )

    def add_arguments(self, parser):
        parser.add_argument("article_id", help="The id of the article.")
        parser.add_argument("--json", action="store_true", help="Print JSON for other tools.")
        parser.add_argument("--limit", type=int, default=5, help="Candidates per passage (1-5).")

    def handle(self, *args, **options):
        try:
            article_id = int(options["article_id"])
        except ValueError:
            raise CommandError(
                f"“{options['article_id']}” is not an article id: give a whole number."
            ) from None
        limit = options["limit"]
        if not 1 <= limit <= 5:
            raise CommandError("--limit takes a number from 1 to 5.")
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article with id {article_id}.")
        if not article.text:
            raise CommandError(f"Article {article_id} has no text to match (not archived).")
        passages = article_suggestions(article=article, limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(article, passages), ensure_ascii=False))
            return
        self._listing(article, passages)

    def _listing(self, article, passages):
        self.stdout.write(f"Article {article.pk}: {article.display_title}")
        for passage in passages:
            if not passage.candidates:
                continue
            excerpt = " ".join(passage.text.split())
            if len(excerpt) > 100:
                excerpt = excerpt[:99] + "…"
            self.stdout.write(f"\n[{passage.start}–{passage.end}] {excerpt}")
            for candidate in passage.candidates:
                claim = candidate.claim
                self.stdout.write(
                    f"  {candidate.score:.2f}  {claim.slug} ({claim.get_status_display()})"
                )
        if not any(passage.candidates for passage in passages):
            self.stdout.write("No passage matches a claim.")


def _as_json(article, passages) -> dict:
    return {
        "article": article.pk,
        "passages": [
            {
                "start": passage.start,
                "end": passage.end,
                "text": passage.text,
                "candidates": [
                    {
                        "claim": candidate.claim.slug,
                        "score": candidate.score,
                        "status": candidate.claim.status,
                    }
                    for candidate in passage.candidates
                ],
            }
            for passage in passages
        ],
    }
