import dataclasses

from django.core.management.base import BaseCommand, CommandError

from factcheck.bench import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic newsroom corpus for load tests: outlets, articles "
        "in Italian and English with retelling chains, claims, quoted appearances and "
        "contradictions. Refuses a database that already holds editorial data unless "
        "--append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(synthetic.SCALES),
            default="default",
            help="default: 100,000 claims, 200,000 articles, 1,000,000 appearances; "
            "small: a few thousand rows, for CI.",
        )
        for name in ("outlets", "articles", "claims", "appearances", "contradictions"):
            parser.add_argument(f"--{name}", type=int, help=f"Override the scale's {name} count.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same corpus.")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already holds data instead of refusing.",
        )

    def handle(self, *args, **options):
        scale = dataclasses.replace(
            synthetic.SCALES[options["scale"]],
            **{
                name: options[name]
                for name in ("outlets", "articles", "claims", "appearances", "contradictions")
                if options[name] is not None
            },
        )
        try:
            generated = synthetic.generate(
                scale=scale,
                seed=options["seed"],
                append=options["append"],
                progress=self.stdout.write if options["verbosity"] > 1 else lambda message: None,
            )
        except (synthetic.CorpusNotEmpty, ValueError) as problem:
            raise CommandError(str(problem)) from problem
        counts = ", ".join(f"{count:,} {name}" for name, count in generated.counts.items())
        self.stdout.write(
            f"Generated {counts} in {generated.total_seconds:.1f}s "
            f"({generated.claims_refreshed:,} claims' agreement computed, "
            f"{generated.origins_corrected} origins corrected)."
        )
