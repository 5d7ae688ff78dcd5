"""The stored match documents: built per claim, refreshed by the services, rebuilt in bulk.

A document's units are [language, kind, appearance id or null, terms, shared terms, sibling
claim ids]. Kinds weigh what a passage repeating them says: a quote or its translation is
how articles word the claim, the statement is the editors' wording, the context only
background. Shared terms are those a quote has in common with an overlapping quote of
another claim (a sibling), found in its span; the siblings are kept so that a change to
either quote refreshes both documents.
"""

from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import F

from factcheck.matching import embedding
from factcheck.matching.text import text_terms
from factcheck.models import Appearance, Claim, ClaimMatchDocument, MatchTerm

REFRESH_BATCH_SIZE = 2000
UNIT_KINDS = ("statement", "context", "quote", "translation")
VECTOR_INDEX = "claim_match_vector_gin"


def _blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    characters = list(text)
    for start, end in spans:
        characters[start:end] = " " * (end - start)
    return "".join(characters)


def _shared_terms(appearance: Appearance, siblings: list[Appearance]) -> tuple[list, list]:
    """Terms of the quote, and of its translation, that overlapping quotes of other claims hold.

    Editors link one sentence to several claims with overlapping quotes; the words in the
    overlap are as much the other claim's evidence as this one's. A translation has no
    offsets: its shared terms are those the siblings' translations hold too.
    """
    if not siblings:
        return [], []
    language = appearance.article.language or ""
    spans = [
        (
            max(s.start, appearance.start) - appearance.start,
            min(s.end, appearance.end) - appearance.start,
        )
        for s in siblings
    ]
    whole = set(text_terms(appearance.quote, language))
    own = set(text_terms(_blanked(appearance.quote, spans), language))
    theirs = set()
    for sibling in siblings:
        theirs |= set(text_terms(sibling.translation, "en"))
    translated = set(text_terms(appearance.translation, "en"))
    return sorted(whole - own), sorted(translated & theirs)


def claim_units(
    claim: Claim,
    appearances: Iterable[Appearance],
    siblings: dict[int, list[Appearance]] | None = None,
) -> list[list]:
    siblings = siblings or {}
    units = [["en", "statement", None, text_terms(claim.statement, "en"), [], []]]
    if claim.context.strip():
        units.append(["en", "context", None, text_terms(claim.context, "en"), [], []])
    for appearance in appearances:
        language = appearance.article.language or ""
        overlapping = siblings.get(appearance.pk, [])
        shared_quote, shared_translation = _shared_terms(appearance, overlapping)
        sibling_claims = sorted({sibling.claim_id for sibling in overlapping})
        units.append(
            [
                language,
                "quote",
                appearance.pk,
                text_terms(appearance.quote, language),
                shared_quote,
                sibling_claims,
            ]
        )
        if appearance.translation.strip():
            units.append(
                [
                    "en",
                    "translation",
                    appearance.pk,
                    text_terms(appearance.translation, "en"),
                    shared_translation,
                    sibling_claims,
                ]
            )
    return [unit for unit in units if unit[3]]


def scored_units(units: list[list]) -> str:
    """The units as scoring reads them (factcheck.matching._prepared_text): each distinct
    unit once, one a line, "language, kind, terms, shared terms" tab-separated, terms
    space-separated (terms are runs of word characters). Syndicated copies of a quote
    repeat its unit, and appearance and sibling ids are for the index only.

    Terms keep the order of their first occurrence: sets built from them come out as
    those built from the units, so sums over them are added in the same order.
    """
    distinct: dict[tuple, str] = {}
    for language, kind, _appearance, terms, *rest in units:
        shared = rest[0] if rest else []
        # Units equal as sets are one unit however their terms are ordered: the first stays.
        key = (language, kind, frozenset(terms), frozenset(shared))
        if key not in distinct:
            fields = (
                language,
                kind,
                " ".join(dict.fromkeys(terms)),
                " ".join(dict.fromkeys(shared)),
            )
            distinct[key] = "\t".join(fields)
    return "\n".join(distinct.values())


def document_terms(units: list[list]) -> list[str]:
    return sorted({term for unit in units for term in unit[3]})


def _appearances_by_claim(claim_ids: list[int]) -> dict[int, list[Appearance]]:
    grouped: dict[int, list[Appearance]] = {claim_id: [] for claim_id in claim_ids}
    rows = (
        Appearance.objects.filter(claim_id__in=claim_ids)
        .select_related("article")
        .only(
            "pk",
            "claim_id",
            "article_id",
            "start",
            "end",
            "quote",
            "translation",
            "article__language",
        )
        .order_by("pk")
    )
    for appearance in rows:
        grouped[appearance.claim_id].append(appearance)
    return grouped


def _siblings(appearances: Iterable[Appearance]) -> dict[int, list[Appearance]]:
    """Per appearance, the appearances of other claims whose quotes overlap its own."""
    anchored = [a for a in appearances if a.start is not None and a.end is not None]
    others: dict[int, list[Appearance]] = {}
    rows = (
        Appearance.objects.filter(
            article_id__in={a.article_id for a in anchored}, start__isnull=False, end__isnull=False
        )
        .only("pk", "claim_id", "article_id", "start", "end", "translation")
        .order_by("pk")
    )
    for row in rows:
        others.setdefault(row.article_id, []).append(row)
    return {
        a.pk: [
            o
            for o in others.get(a.article_id, [])
            if o.claim_id != a.claim_id and o.start < a.end and a.start < o.end
        ]
        for a in anchored
    }


def _with_siblings(claim_ids: set[int]) -> tuple[list[int], dict[int, list[Appearance]]]:
    """The claims, and those whose quotes overlap theirs now or did when last refreshed,
    with the appearances read on the way (of the given claims).

    A quote added, moved or deleted changes which words its siblings share with it, so
    their documents are rebuilt too; the siblings of a deleted quote are read from the
    documents, the only place that still knows them.
    """
    if not claim_ids:
        return [], {}
    stored = ClaimMatchDocument.objects.filter(claim_id__in=claim_ids).values_list(
        "units", flat=True
    )
    found = {
        claim_id
        for units in stored
        for unit in units
        # Documents built before siblings were kept have no sixth field.
        for claim_id in (unit[5] if len(unit) > 5 else ())
    }
    appearances = _appearances_by_claim(sorted(claim_ids))
    current = _siblings(a for group in appearances.values() for a in group)
    found |= {sibling.claim_id for group in current.values() for sibling in group}
    return sorted(claim_ids | found), appearances


def _documents(
    claim_ids: list[int], read: dict[int, list[Appearance]] | None = None
) -> Iterator[ClaimMatchDocument]:
    """The claims' documents; `read` holds appearances of some of them already read."""
    read = read or {}
    claims = Claim.objects.filter(pk__in=claim_ids).only("pk", "statement", "context")
    unread = [claim_id for claim_id in claim_ids if claim_id not in read]
    appearances = {claim_id: read[claim_id] for claim_id in claim_ids if claim_id in read}
    if unread:
        appearances |= _appearances_by_claim(unread)
    siblings = _siblings(a for group in appearances.values() for a in group)
    for claim in claims:
        units = claim_units(claim, appearances[claim.pk], siblings)
        yield ClaimMatchDocument(
            claim_id=claim.pk,
            units=units,
            terms=" ".join(document_terms(units)),
            scored_units=scored_units(units),
        )


def _write_vectors(claim_ids: list[int] | None = None) -> None:
    """PostgreSQL keeps the terms as a tsvector for the GIN index; 'simple' adds nothing."""
    if connection.vendor != "postgresql":
        return
    table = ClaimMatchDocument._meta.db_table
    sql = f"UPDATE {table} SET vector = to_tsvector('simple', terms)"
    with connection.cursor() as cursor:
        if claim_ids is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql + " WHERE claim_id = ANY(%s)", [claim_ids])


def _count_terms(counts: Counter) -> None:
    """Add (or with negative counts remove) documents holding each term.

    Safe beside other writers: a term new to both is inserted once (conflicts ignored), and
    the rows are locked in term order before they change, so two writers take turns
    instead of deadlocking.
    """
    changes = {term: n for term, n in counts.items() if n}
    if not changes:
        return
    MatchTerm.objects.bulk_create(
        [MatchTerm(term=term, documents=0) for term in sorted(changes)], ignore_conflicts=True
    )
    list(
        MatchTerm.objects.select_for_update()
        .filter(term__in=changes)
        .order_by("term")
        .values_list("term", flat=True)
    )
    by_change: dict[int, list[str]] = {}
    for term, n in changes.items():
        by_change.setdefault(n, []).append(term)
    for n, terms in by_change.items():
        MatchTerm.objects.filter(term__in=terms).update(documents=F("documents") + n)
    MatchTerm.objects.filter(term__in=changes, documents__lte=0).delete()


@transaction.atomic
def match_documents_refresh(*, claim_ids: Iterable[int]) -> int:
    """Rebuild the documents of these claims from what is stored now. Returns how many.

    Called by the services in the transaction of every change to a claim or to its
    appearances, after the change is saved, so the suggestions see it at once.
    """
    claim_ids, read = _with_siblings({claim_id for claim_id in claim_ids if claim_id is not None})
    refreshed = 0
    for offset in range(0, len(claim_ids), REFRESH_BATCH_SIZE):
        batch = claim_ids[offset : offset + REFRESH_BATCH_SIZE]
        before = dict(
            ClaimMatchDocument.objects.select_for_update()
            .filter(claim_id__in=batch)
            .values_list("claim_id", "terms")
        )
        documents = list(_documents(batch, read))
        counts: Counter = Counter()
        for terms in before.values():
            counts.subtract(terms.split())
        for document in documents:
            counts.update(document.terms.split())
        ClaimMatchDocument.objects.filter(claim_id__in=batch).delete()
        ClaimMatchDocument.objects.bulk_create(documents)
        _write_vectors([document.claim_id for document in documents])
        _count_terms(counts)
        refreshed += len(documents)
    if embedding.enabled():
        embedding.claim_embeddings_refresh(claim_ids=claim_ids)
    return refreshed


@transaction.atomic
def match_documents_drop(*, claim_ids: Iterable[int]) -> None:
    """Forget the documents of claims about to be deleted, term counts included."""
    documents = ClaimMatchDocument.objects.select_for_update().filter(claim_id__in=claim_ids)
    counts: Counter = Counter()
    for terms in documents.values_list("terms", flat=True):
        counts.subtract(terms.split())
    documents.delete()
    _count_terms(counts)


@transaction.atomic
def match_index_rebuild(*, batch_size: int = REFRESH_BATCH_SIZE) -> int:
    """Rebuild every document, the term counts and the learned word pairs, from scratch."""
    from factcheck.matching.lexicon import lexicon_rebuild

    ClaimMatchDocument.objects.all().delete()
    MatchTerm.objects.all().delete()
    counts: Counter = Counter()
    written = 0
    claim_ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(claim_ids), batch_size):
        documents = list(_documents(claim_ids[offset : offset + batch_size]))
        for document in documents:
            counts.update(document.terms.split())
        ClaimMatchDocument.objects.bulk_create(documents, batch_size=1000)
        written += len(documents)
    _write_vectors()
    MatchTerm.objects.bulk_create(
        [MatchTerm(term=term, documents=n) for term, n in counts.items()], batch_size=5000
    )
    lexicon_rebuild()
    if embedding.enabled():
        # Only missing or stale vectors: a statement's vector outlives nightly rebuilds.
        embedding.claim_embeddings_refresh()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The bulk writes sit in the GIN index's pending list, which every search
            # would scan in full until a vacuum; merge them into the index now.
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])
            for model in (ClaimMatchDocument, MatchTerm):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return written
