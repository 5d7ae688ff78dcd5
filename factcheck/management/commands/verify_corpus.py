"""Check the rules the database cannot enforce, for data that skipped the services.

loaddata, the shell and bulk importers write rows raw, so nothing re-anchors a quote,
recomputes agreement or walks a retelling chain for them. This command reads everything
back and names each row that breaks a rule; it exits non-zero when it finds one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.db.models.functions import Length, Substr

from factcheck.agreement import agreement_for_claims
from factcheck.models import DERIVED_AGREEMENT_FIELDS, Appearance, Article, Claim

CLAIM_BATCH_SIZE = 2000
CHUNK_SIZE = 5000
EXCERPT_LENGTH = 60


def excerpt(text: str | None) -> str:
    if not text:
        return "(nothing)"
    if len(text) > EXCERPT_LENGTH:
        text = text[: EXCERPT_LENGTH - 1] + "…"
    return f"“{text}”"


def bad_quotes():
    """Appearances whose quote is not the article text at their offsets.

    The database cuts the text (SUBSTR counts characters on PostgreSQL and SQLite alike,
    as Python's offsets do) and compares, so only the bad rows and no article text travel.
    """
    found = Substr("article__text", F("start") + 1, Length("quote"))
    rows = (
        Appearance.objects.in_text()
        .annotate(found=found)
        .exclude(found=F("quote"))
        .order_by("pk")
        .values_list("pk", "article_id", "start", "end", "quote", "found")
    )
    for pk, article_id, start, end, quote, text_there in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            f"Appearance {pk}: quote does not match article {article_id} at {start}–{end}: "
            f"expected {excerpt(quote)}, found {excerpt(text_there)}"
        )


def stale_agreement():
    """Claims whose stored agreement is not what agreement.py computes from their appearances."""
    stored = Claim.objects.order_by("pk").values_list("pk", *DERIVED_AGREEMENT_FIELDS)
    batch = []
    for row in stored.iterator(chunk_size=CLAIM_BATCH_SIZE):
        batch.append(row)
        if len(batch) == CLAIM_BATCH_SIZE:
            yield from _compare_agreement(batch)
            batch = []
    yield from _compare_agreement(batch)


def _compare_agreement(rows):
    if not rows:
        return
    fresh = agreement_for_claims(pk for pk, *_ in rows)
    for pk, *values in rows:
        wanted = fresh[pk].as_claim_fields()
        differences = [
            f"{name} stored {value!r}, recomputed {_plain(wanted[name])!r}"
            for name, value in zip(DERIVED_AGREEMENT_FIELDS, values, strict=True)
            if value != wanted[name]
        ]
        if differences:
            yield f"Claim {pk}: stored agreement is stale: " + "; ".join(differences)


def _plain(value):
    # A label is a TextChoices member; show the stored string, not the enum's repr.
    return str(value) if isinstance(value, str) else value


def wrong_origins():
    """Articles in a retelling cycle, or whose stored origin is not the end of their chain.

    Holds three integers per article (no text), so a corpus of hundreds of thousands of
    articles fits easily; each chain is walked once thanks to the memo.
    """
    rows = Article.objects.order_by("pk").values_list("pk", "retells_id", "origin_id")
    retells, stored = {}, {}
    for pk, retells_id, origin_id in rows.iterator(chunk_size=CHUNK_SIZE):
        retells[pk] = retells_id
        stored[pk] = origin_id
    origin_of: dict[int, int | None] = {}  # None: the chain never reaches an original
    named: set[int] = set()  # already reported: in a cycle or a dangling link
    for start in retells:
        path, position = [], {}
        article = start
        while article not in origin_of:
            if article in position:
                cycle = path[position[article] :]
                named.update(cycle)
                yield "Articles in a retelling cycle: " + " → ".join(
                    f"article {pk}" for pk in [*cycle, article]
                )
                break
            position[article] = len(path)
            path.append(article)
            upstream = retells[article]
            if upstream is None:
                origin_of[article] = article
                break
            if upstream not in retells:
                yield f"Article {article}: retells article {upstream}, which does not exist"
                named.add(article)
                origin_of[article] = None
                break
            article = upstream
        origin = origin_of.get(article)
        for pk in path:
            origin_of[pk] = origin
    for pk, origin in origin_of.items():
        if origin is None:
            if pk not in named:
                yield (
                    f"Article {pk}: its retelling chain reaches no original "
                    f"(stored origin {stored[pk]})"
                )
        elif stored[pk] != origin:
            yield f"Article {pk}: stored origin {stored[pk]}, walking retells gives {origin}"


# Origins before agreement: agreement is recomputed from the stored origins, so a wrong
# origin also shows as stale agreement on the claims quoting its article.
CHECKS = [
    ("appearances whose quote does not match their offsets", bad_quotes),
    ("retelling problems (wrong origin, cycle, missing upstream)", wrong_origins),
    ("claims with stale stored agreement", stale_agreement),
]


class Command(BaseCommand):
    help = (
        "Check what the database cannot: every quote is its article's text at its offsets, "
        "stored agreement equals the recomputation, origins are acyclic and correct. Names "
        "every bad row and exits non-zero if there is one."
    )

    def handle(self, *args, **options):
        counts = []
        for description, check in CHECKS:
            found = 0
            for problem in check():
                self.stdout.write(problem)
                found += 1
            counts.append((description, found))
        summary = "; ".join(f"{found} {description}" for description, found in counts)
        total = sum(found for _, found in counts)
        checked = (
            f"{Appearance.objects.count()} appearances, {Claim.objects.count()} claims, "
            f"{Article.objects.count()} articles checked"
        )
        if total:
            raise CommandError(
                f"{checked}: {summary}. `manage.py refresh_agreement` recomputes origins and "
                "agreement; a quote or a cycle needs an editor."
            )
        self.stdout.write(f"{checked}: corpus is consistent.")
