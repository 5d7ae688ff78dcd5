import json
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from factcheck.intake import duplicates
from factcheck.models import Article, ArticleSignature


class Command(BaseCommand):
    help = (
        "Time near-duplicate lookups against the corpus in the database: reprints of sampled "
        "articles (a new headline, their last sentence dropped) are looked up one at a time. "
        "Reports the median and p95 latency, how many articles each lookup compared (the "
        "candidates sharing a band) and how many it flagged. Run with "
        "--settings=factcheck.bench.settings against a generated corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lookups", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark measures PostgreSQL: set DATABASE_URL to one.")
        signatures = ArticleSignature.objects.count()
        if not signatures:
            raise CommandError("No signatures: generate a corpus or run rebuild_signatures.")
        rng = random.Random(options["seed"])
        top = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
        wanted = options["lookups"] + options["warmup"]
        texts = []
        while len(texts) < wanted:
            ids = [rng.randint(1, top) for _ in range(wanted * 2)]
            for text in Article.objects.filter(pk__in=ids, is_archived=True).values_list(
                "text", flat=True
            ):
                sentences = text.split(". ")
                body = ". ".join(sentences[:-1]) if len(sentences) > 2 else text
                texts.append("Un titolo nuovo per una ripresa\n" + body)
        texts = texts[:wanted]

        timings, candidates, flagged = [], [], []
        for number, text in enumerate(texts):
            started = time.perf_counter()
            found = duplicates.near_duplicates(text)
            elapsed = (time.perf_counter() - started) * 1000
            if number < options["warmup"]:
                continue
            timings.append(elapsed)
            flagged.append(len(found))
            candidates.append(duplicates.candidate_count(text))
        timings.sort()
        figures = {
            "articles_with_signatures": signatures,
            "lookups": len(timings),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "candidates_median": statistics.median(candidates),
            "candidates_max": max(candidates),
            "flagged_median": statistics.median(flagged),
            "flagged_max": max(flagged),
            "target_median_ms": 50,
        }
        figures["target_met"] = figures["median_ms"] <= figures["target_median_ms"]
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for name, value in figures.items():
            self.stdout.write(f"{name}: {value}")
