import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from factcheck.bench.matching_eval import TARGETS, evaluate, report
from factcheck.matching.index import match_index_rebuild
from factcheck.models import Claim

ROWS = [
    ("loo_recall_at_1", "Leave-one-out recall@1"),
    ("loo_recall_at_3", "Leave-one-out recall@3"),
    ("loo_unfiltered_recall_at_1", "… ranking alone (no threshold), recall@1"),
    ("loo_unfiltered_recall_at_3", "… ranking alone (no threshold), recall@3"),
    ("loo_without_links_recall_at_1", "… nothing linked yet (no exclusion), recall@1"),
    ("loo_without_links_recall_at_3", "… nothing linked yet (no exclusion), recall@3"),
    ("cross_language_recall_at_1", "… cross-language only, recall@1"),
    ("cross_language_recall_at_3", "… cross-language only, recall@3"),
    ("story_recall_at_1", "Written story articles, recall@1"),
    ("story_recall_at_3", "Written story articles, recall@3"),
    ("story_false_suggestions", "… suggestions on passages stating no claim"),
    ("unrelated_false_suggestions", "Unrelated articles, false suggestions"),
    ("false_per_passage", "… per passage"),
]


class Command(BaseCommand):
    help = (
        "Evaluate claim matching against the BM25 baseline: leave-one-out on the seed "
        "corpus, written story articles and unrelated articles. An empty database gets the "
        "seed corpus first (e.g. DATABASE_URL=sqlite://:memory:)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the full report as JSON.")
        parser.add_argument("--limit", type=int, help="Leave out only the first N appearances.")
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero when a target is missed."
        )

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        if not Claim.objects.exists():
            call_command("loaddata", "seed_corpus", verbosity=0)
        match_index_rebuild()
        result = report(evaluate(limit=options["limit"]))
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self._table(result)
        if options["check"]:
            matcher = result["methods"][0]
            missed = [
                name
                for name, value in [
                    ("recall_at_1", matcher["loo_recall_at_1"]),
                    ("recall_at_3", matcher["loo_recall_at_3"]),
                ]
                if value is None or value < TARGETS[name]
            ]
            if (matcher["false_per_passage"] or 0) > TARGETS["false_per_passage"]:
                missed.append("false_per_passage")
            if missed:
                raise CommandError(f"Targets missed: {', '.join(missed)}.")

    def _table(self, result):
        methods = result["methods"]
        self.stdout.write("| figure | " + " | ".join(m["method"] for m in methods) + " |")
        self.stdout.write("|---|" + "---:|" * len(methods))
        for key, label in ROWS:
            values = [m[key] for m in methods]
            self.stdout.write(
                f"| {label} | " + " | ".join("–" if v is None else str(v) for v in values) + " |"
            )
        first = methods[0]
        self.stdout.write(
            f"\n{first['loo_appearances']} appearances left out "
            f"({first['cross_language_appearances']} cross-language), "
            f"{first['story_links']} story links, {first['unrelated_passages']} unrelated "
            f"passages; threshold {result['threshold']} (with USE "
            f"{result['embedding_threshold']}, baseline {result['baseline_threshold']})."
        )
