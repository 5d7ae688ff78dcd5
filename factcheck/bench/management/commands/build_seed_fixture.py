"""Build fixtures/seed_corpus.json from the curated source fixtures/seed_corpus.toml.

The source is written by people: outlets, articles (each with the lines of its seed file
that make up the text), claims with their quotes, contradictions. Everything derived
(quote offsets and context, origins, agreement, the review snapshot) is computed here by
the same services editors use, so the fixture cannot disagree with the product's code.
The rows are built inside a transaction that is always rolled back, and written out with
fixed primary keys and timestamps, so a rebuild from the same source is byte-identical.
"""

import json
import tomllib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from factcheck import quotes, services, workflow
from factcheck.models import (
    Appearance,
    Article,
    ArticleBand,
    ArticleSignature,
    Claim,
    Claimant,
    ClaimTransition,
    Contradiction,
    Correction,
    DatePrecision,
    Outlet,
    OutletAlias,
    OutletAliasKind,
    ReviewStatus,
)
from factcheck.page_cache import content_changed

SOURCE = settings.BASE_DIR / "fixtures" / "seed_corpus.toml"
OUTPUT = settings.BASE_DIR / "fixtures" / "seed_corpus.json"
SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"

# The day the corpus was curated. Every row carries it, so rebuilding changes nothing.
SEEDED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TRANSITION_NOTE = "Seed corpus: review step recorded when the corpus was curated."

# Written in this order. Primary keys are renumbered 1..n per model in creation order,
# which follows the order of the source file: the n-th article of the source is pk n.
# Signatures and bands are derived from the texts (article_save writes them), and kept in
# the fixture so near-duplicate lookups find the seed articles as soon as it is loaded.
MODELS = [
    Outlet,
    OutletAlias,
    Article,
    ArticleSignature,
    ArticleBand,
    Claimant,
    Claim,
    Appearance,
    Contradiction,
    ClaimTransition,
    Correction,
]


def source_load(path: Path) -> dict:
    with path.open("rb") as source_file:
        return tomllib.load(source_file)


def seed_text(*, seeds_dir: Path, seed: str, lines: list[int]) -> str:
    """Lines first..last (1-based, inclusive) of a seed file, verbatim.

    One contiguous range, so the text, and every quote in it, is a span of the seed file.
    """
    first, last = lines
    seed_lines = (seeds_dir / seed).read_text(encoding="utf-8").split("\n")
    if not 1 <= first <= last <= len(seed_lines):
        raise CommandError(f"{seed}: lines {first}-{last} are outside the file.")
    return "\n".join(seed_lines[first - 1 : last])


def quote_start(*, article: Article, entry: dict, claim_slug: str) -> int:
    """Where the quote stands; the source names the occurrence when it is not unique."""
    quote = entry["quote"]
    found = quotes.occurrences(article.text, quote)
    if not found:
        raise CommandError(f"{claim_slug}: {quotes.not_found_message(article.text, quote)}")
    occurrence = entry.get("occurrence")
    if occurrence is None:
        if len(found) > 1:
            raise CommandError(
                f"{claim_slug}: “{quote}” occurs {len(found)} times in article "
                f"{entry['article']}; say which with occurrence = n."
            )
        occurrence = 1
    return found[occurrence - 1]


def corpus_build(*, source: dict, seeds_dir: Path) -> None:
    """Create the corpus through the services, in the current (empty) database."""
    outlets = {}
    for entry in source["outlets"]:
        outlet = Outlet(
            name=entry["name"],
            slug=entry["slug"],
            homepage=entry.get("homepage", ""),
            country=entry.get("country", ""),
            language=entry.get("language", ""),
            kind=entry["kind"],
            description=entry.get("description", ""),
        )
        outlet.full_clean()
        outlet.save()
        outlets[outlet.slug] = outlet
        for kind, key in ((OutletAliasKind.NAME, "aliases"), (OutletAliasKind.DOMAIN, "domains")):
            for value in entry.get(key, []):
                alias = OutletAlias(outlet=outlet, kind=kind, alias=value)
                alias.full_clean()
                alias.save()

    articles = {}
    for entry in source["articles"]:
        text = ""
        if "seed" in entry:
            text = seed_text(seeds_dir=seeds_dir, seed=entry["seed"], lines=entry["lines"])
        article = Article(
            outlet=outlets[entry["outlet"]] if "outlet" in entry else None,
            title=entry.get("title", ""),
            url=entry.get("url", ""),
            author=entry.get("author", ""),
            published_on=entry.get("published_on"),
            date_precision=entry.get("date_precision", DatePrecision.UNKNOWN),
            language=entry["language"],
            text=text,
            is_archived=bool(text),
            retells=articles[entry["retells"]] if "retells" in entry else None,
        )
        services.article_save(article=article)
        articles[entry["key"]] = article

    claimants = {}
    for entry in source.get("claimants", []):
        claimant = services.claimant_save(
            claimant=Claimant(
                name=entry["name"],
                slug=entry["slug"],
                kind=entry["kind"],
                description=entry.get("description", ""),
                url=entry.get("url", ""),
            )
        )
        claimants[claimant.slug] = claimant

    claims = {}
    for entry in source["claims"]:
        # A corrected claim is published as it first read; its corrections follow below.
        first = entry.get("corrections", [{}])[0]
        claim = services.claim_save(
            claim=Claim(
                statement=first.get("previous_statement", entry["statement"]),
                statement_it=entry.get("statement_it", ""),
                slug=entry["slug"],
                context=entry.get("context", ""),
                context_it=entry.get("context_it", ""),
                claimant=claimants[entry["claimant"]] if "claimant" in entry else None,
                verdict=first.get("previous_verdict", entry["verdict"]),
                verdict_summary=entry.get("verdict_summary", ""),
                verdict_summary_it=entry.get("verdict_summary_it", ""),
                editor_note=entry.get("editor_note", ""),
            )
        )
        claims[claim.slug] = claim
        for appearance_entry in entry["appearances"]:
            article = articles[appearance_entry["article"]]
            appearance = Appearance(
                claim=claim,
                article=article,
                quote=appearance_entry["quote"],
                start=quote_start(article=article, entry=appearance_entry, claim_slug=claim.slug),
                stance=appearance_entry["stance"],
                attribution=appearance_entry.get("attribution", ""),
                credited_source=(
                    articles[appearance_entry["credited_source"]]
                    if "credited_source" in appearance_entry
                    else None
                ),
                translation=appearance_entry["translation"],
                editor_note=appearance_entry.get("editor_note", ""),
            )
            try:
                services.appearance_save(appearance=appearance)
            except ValidationError as error:
                raise CommandError(f"{claim.slug}: {error}") from error

    # Review steps come last, when every appearance is in, so the snapshot taken at
    # publication is the agreement the corpus ends with.
    for entry in source["claims"]:
        claim = claims[entry["slug"]]
        if entry["status"] in (ReviewStatus.IN_REVIEW, ReviewStatus.PUBLISHED):
            workflow.claim_transition(claim=claim, name="submit", user=None, note=TRANSITION_NOTE)
        if entry["status"] == ReviewStatus.PUBLISHED:
            workflow.claim_transition(claim=claim, name="publish", user=None, note=TRANSITION_NOTE)
        corrections = entry.get("corrections", [])
        for number, correction in enumerate(corrections):
            after = corrections[number + 1] if number + 1 < len(corrections) else {}
            claim.statement = after.get("previous_statement", entry["statement"])
            claim.verdict = after.get("previous_verdict", entry["verdict"])
            services.claim_save(
                claim=claim, expected_version=claim.version, correction_note=correction["note"]
            )

    for entry in source["contradictions"]:
        superseded = entry.get("superseded")
        services.contradiction_save(
            contradiction=Contradiction(
                claim_a=claims[entry["claim_a"]],
                claim_b=claims[entry["claim_b"]],
                kind=entry["kind"],
                status=entry["status"],
                explanation=entry["explanation"],
                superseded_claim=claims[superseded] if superseded else None,
                editor_note=entry.get("editor_note", ""),
            )
        )


def corpus_stamp() -> None:
    """Replace the build's clock readings with the fixed curation date."""
    for model in (Outlet, OutletAlias, Article, Claimant, Claim, Appearance, Contradiction):
        model.objects.update(created_at=SEEDED_AT, updated_at=SEEDED_AT)
    Claim.objects.exclude(reviewed_at=None).update(reviewed_at=SEEDED_AT)
    ClaimTransition.objects.update(created_at=SEEDED_AT)
    Correction.objects.update(created_at=SEEDED_AT)
    content_changed()  # QuerySet.update sends no signals


def corpus_serialize() -> str:
    """The corpus as fixture JSON, with primary keys 1..n per model and links renumbered."""
    renumbered = {
        model: {
            pk: number
            for number, pk in enumerate(
                model.objects.order_by("pk").values_list("pk", flat=True), start=1
            )
        }
        for model in MODELS
    }
    records = []
    for model in MODELS:
        links = [
            field
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in renumbered
        ]
        for record in serializers.serialize("python", model.objects.order_by("pk")):
            record["pk"] = renumbered[model][record["pk"]]
            for field in links:
                value = record["fields"][field.name]
                if value is not None:
                    record["fields"][field.name] = renumbered[field.related_model][value]
            records.append(record)
    return json.dumps(records, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def corpus_json(*, source: dict, seeds_dir: Path) -> str:
    """Build the corpus in the current database, serialize it, and roll everything back."""
    if not seeds_dir.is_dir():
        raise CommandError(f"No seed directory at {seeds_dir}; pass --seeds.")
    with transaction.atomic():
        occupied = [
            str(model._meta.verbose_name_plural) for model in MODELS if model.objects.exists()
        ]
        if occupied:
            raise CommandError(
                f"The database already holds {', '.join(occupied)}. Build against an empty "
                "one, e.g. DATABASE_URL=sqlite://:memory:"
            )
        corpus_build(source=source, seeds_dir=seeds_dir)
        corpus_stamp()
        built = corpus_serialize()
        transaction.set_rollback(True)
    return built


class Command(BaseCommand):
    help = (
        "Build fixtures/seed_corpus.json from fixtures/seed_corpus.toml and the seed texts, "
        "through the services, in an empty database (nothing is left in it). Run it with "
        "DATABASE_URL=sqlite://:memory: to use a throwaway database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=SEEDS, help="Seed text directory.")
        parser.add_argument("--source", type=Path, default=SOURCE, help="Curated source.")
        parser.add_argument("--output", type=Path, default=OUTPUT, help="Fixture to write.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the fixture differs from a fresh build.",
        )

    def handle(self, *args, **options):
        if not MigrationRecorder(connection).has_table():
            # A brand-new database, such as sqlite://:memory:, needs its tables first.
            call_command("migrate", verbosity=0, interactive=False)
        built = corpus_json(source=source_load(options["source"]), seeds_dir=options["seeds"])
        output = options["output"]
        if options["check"]:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != built:
                raise CommandError(f"{output} is out of date: run build_seed_fixture.")
            self.stdout.write(f"{output} is up to date.")
            return
        output.write_text(built, encoding="utf-8")
        written = Counter(record["model"] for record in json.loads(built))
        counts = ", ".join(
            f"{written[model._meta.label_lower]} {model._meta.verbose_name_plural}"
            for model in MODELS
        )
        self.stdout.write(f"Wrote {output}: {counts}.")
