import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models.functions import Abs, Length
from django.test.utils import CaptureQueriesContext

from factcheck.matching import article_suggestions, embedding
from factcheck.models import Article, ClaimMatchDocument


class Command(BaseCommand):
    help = (
        "Time the suggestions for an article of about 5 kB (the archived article of each "
        "language whose text is closest to --length characters) on the database's corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--length", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--backend",
            choices=embedding.BACKENDS,
            help="The matching backend to time (default: CLAIM_MATCHING_BACKEND).",
        )

    def handle(self, *args, **options):
        documents = ClaimMatchDocument.objects.count()
        if not documents:
            raise CommandError("No match documents: run rebuild_match_index first.")
        # Documents built before migration 0021 are scored from their JSON units, slower.
        unscored = ClaimMatchDocument.objects.filter(scored_units="").count()
        if options["backend"]:
            settings.CLAIM_MATCHING_BACKEND = options["backend"]
        results = []
        for language in ("it", "en"):
            article = (
                Article.objects.archived()
                .filter(language=language)
                .annotate(distance=Abs(Length("text") - options["length"]))
                .order_by("distance", "pk")
                .first()
            )
            if article is None:
                continue
            article_suggestions(article=article)  # warm: connection, caches, plans
            timings = []
            for _ in range(options["runs"]):
                # Each run is a new article: no passage vector is remembered from the last.
                embedding.forget_texts()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    passages = article_suggestions(article=article)
                    timings.append((time.perf_counter() - started) * 1000)
            results.append(
                {
                    "article": article.pk,
                    "language": language,
                    "characters": len(article.text),
                    "passages": len(passages),
                    "candidates": sum(len(p.candidates) for p in passages),
                    "queries": len(queries),
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 1),
                    "max_ms": round(max(timings), 1),
                }
            )
        report = {
            "backend": embedding.backend(),
            "claims_indexed": documents,
            "documents_without_scored_units": unscored,
            "runs": options["runs"],
            "articles": results,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(
            f"{documents:,} match documents, backend {embedding.backend()}, "
            f"{options['runs']} runs each"
        )
        if unscored:
            self.stdout.write(
                f"{unscored:,} documents without scored units: run rebuild_match_index "
                "to time what a rebuilt index serves"
            )
        for row in results:
            self.stdout.write(
                f"article {row['article']} ({row['language']}, {row['characters']} chars, "
                f"{row['passages']} passages, {row['candidates']} candidates, "
                f"{row['queries']} queries): median {row['median_ms']} ms, "
                f"p95 {row['p95_ms']} ms"
            )
