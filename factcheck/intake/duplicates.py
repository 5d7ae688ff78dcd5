"""Near-duplicates: copies and light rewrites of stored articles (same wire story, reprints).

Each archived article has a MinHash signature of its word shingles (k consecutive words,
case-folded, punctuation dropped) and the signature's LSH bands in the database. A lookup
hashes the new text the same way, asks the band index for the articles sharing at least
one band (one indexed query, never a scan), estimates the similarity of those few
candidates from their stored signatures, and reads the texts of the ones that pass only to
show the passages they share.

Similarity is the larger of the estimated Jaccard similarity of the two shingle sets and
the estimated containment of the smaller set in the larger. Jaccard alone punishes a
reprint cut down from its original (footer, last paragraphs dropped) for the part it left
out; containment says how much of the shorter text is the other's. Containment is derived
from the Jaccard estimate and the stored shingle counts (|A∩B| = J(|A|+|B|)/(1+J)), and
used only when the shorter text has enough shingles for the estimate to mean something
and the two are alike already (Jaccard 0.4 or more), so shared set phrases do not make a
short text look contained in a long one.
"""

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from datasketch import MinHash
from django.db import connection, transaction
from django.db.models import Count, Q

from factcheck.models import Article, ArticleBand, ArticleSignature

# Four words: a changed word spoils only four shingles, so a light rewrite keeps most of
# them, while articles on the same topic rarely share four words in a row beyond set
# phrases (test_duplicates checks both on the seed texts).
SHINGLE_WORDS = 4
PERMUTATIONS = 128
SEED = 1
# datasketch's 32-bit scheme: stored signatures stay comparable only with this one.
SCHEME = "affine32"
# 21 bands of 6 rows (126 of the 128 values; all 128 estimate the similarity): a pair with
# Jaccard 0.75 shares a band with probability 0.98, at 0.6 0.64, at 0.3 only 0.015. Fewer
# rows let pairs that merely share set phrases through by the thousand (the synthetic
# corpus's templated prose made 4 rows compare a median of 1,600 articles per lookup).
BANDS = 21
ROWS = 6
FLAG_SIMILARITY = 0.5
CONTAINMENT_MIN_SHINGLES = 40
# Containment only for pairs that are already alike: two texts sharing set phrases only
# (Jaccard 0.2) make a short one look "contained" in a long one.
CONTAINMENT_MIN_JACCARD = 0.4
MAX_CANDIDATES = 200  # the articles sharing the most bands, should templated texts collide
SHARED_MIN_SHINGLES = 2  # a passage is at least five words in common, not one set phrase
REBUILD_BATCH_SIZE = 2000

WORD = re.compile(r"\w+")
_HASHER = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
# CRC-32 rather than datasketch's default SHA-1: hashing is most of the cost of a
# signature, CRC-32 is several times faster, and the affine32 scheme mixes its output
# (MurmurHash3 finalizer) before permuting, so its linearity does not show.


@dataclass(frozen=True)
class SharedPassage:
    """A passage the two texts share: offsets into the new text and into the stored one."""

    start: int
    end: int
    other_start: int
    other_end: int


@dataclass(frozen=True)
class NearDuplicate:
    article_id: int
    similarity: float  # estimated Jaccard, or containment for a cut-down reprint: 0..1
    shared: list[SharedPassage] = field(default_factory=list)


class Shingled:
    """A text as its words' shingles, and (for shared passages) the words' spans."""

    def __init__(self, text: str):
        self.text = text
        words = [word.casefold() for word in WORD.findall(text)]
        width = min(SHINGLE_WORDS, len(words))
        self.width = width
        self.shingles = (
            [" ".join(words[i : i + width]) for i in range(len(words) - width + 1)] if width else []
        )

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [match.span() for match in WORD.finditer(self.text)]

    @cached_property
    def distinct(self) -> set[str]:
        return set(self.shingles)

    @cached_property
    def minhash(self) -> np.ndarray:
        """The signature as unsigned 32-bit values (datasketch keeps them below 2**32)."""
        hasher = MinHash(
            num_perm=PERMUTATIONS,
            seed=SEED,
            hashfunc=zlib.crc32,
            permutations=_HASHER.permutations,
            scheme=SCHEME,
        )
        hasher.update_batch([shingle.encode() for shingle in self.distinct])
        return hasher.hashvalues.astype("<u4")

    def passage(self, first: int, count: int) -> tuple[int, int]:
        """Character offsets of `count` shingles from shingle `first`."""
        return self.spans[first][0], self.spans[first + count - 1 + self.width - 1][1]


def band_hashes(minhash: np.ndarray) -> list[int]:
    """One signed 64-bit hash per band of ROWS values, as the band index stores them."""
    return [
        int.from_bytes(
            hashlib.blake2b(
                minhash[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]


def similarity_estimate(jaccard: float, shingles: int, other_shingles: int) -> float:
    smaller = min(shingles, other_shingles)
    if jaccard < CONTAINMENT_MIN_JACCARD or smaller < CONTAINMENT_MIN_SHINGLES:
        return jaccard
    common = jaccard * (shingles + other_shingles) / (1 + jaccard)
    return max(jaccard, min(1.0, common / smaller))


def shared_passages(text: Shingled, other: Shingled) -> list[SharedPassage]:
    """The runs of consecutive shingles both texts have, longest match first at each point."""
    where = defaultdict(list)
    for position, shingle in enumerate(other.shingles):
        where[shingle].append(position)
    passages, i = [], 0
    while i < len(text.shingles):
        best, best_at = 0, 0
        for j in where.get(text.shingles[i], [])[:16]:
            length = 0
            while (
                i + length < len(text.shingles)
                and j + length < len(other.shingles)
                and text.shingles[i + length] == other.shingles[j + length]
            ):
                length += 1
            if length > best:
                best, best_at = length, j
        if best >= SHARED_MIN_SHINGLES or (best and best == len(text.shingles)):
            start, end = text.passage(i, best)
            other_start, other_end = other.passage(best_at, best)
            passages.append(SharedPassage(start, end, other_start, other_end))
        i += max(best, 1)
    return passages


def near_duplicates(
    text: str, *, language: str = "", exclude: int | None = None
) -> list[NearDuplicate]:
    """Stored articles whose text is a copy or light rewrite of `text`, most similar first.

    Three queries whatever the corpus size: the band index for candidates, their
    signatures, and the texts of those similar enough to show shared passages. `language`
    is accepted for callers' convenience; shingles of two languages do not match anyway.
    """
    shingled = Shingled(text)
    if not shingled.shingles:
        return []
    minhash = shingled.minhash
    matches = Q()
    for band, value in enumerate(band_hashes(minhash)):
        matches |= Q(band=band, hash=value)
    bands = ArticleBand.objects.filter(matches)
    if exclude is not None:
        bands = bands.exclude(article_id=exclude)
    candidates = list(
        bands.values("article_id")
        .annotate(shared_bands=Count("pk"))
        .order_by("-shared_bands", "article_id")
        .values_list("article_id", flat=True)[:MAX_CANDIDATES]
    )
    if not candidates:
        return []
    scores = {}
    signatures = ArticleSignature.objects.filter(article_id__in=candidates)
    for article_id, stored, count in signatures.values_list("article_id", "minhash", "shingles"):
        jaccard = float(np.count_nonzero(np.frombuffer(stored, dtype="<u4") == minhash))
        score = similarity_estimate(jaccard / PERMUTATIONS, len(shingled.distinct), count)
        if score >= FLAG_SIMILARITY:
            scores[article_id] = round(score, 3)
    texts = Article.objects.filter(pk__in=list(scores)).values_list("pk", "text")
    found = [
        NearDuplicate(
            article_id=pk,
            similarity=scores[pk],
            shared=shared_passages(shingled, Shingled(other_text)),
        )
        for pk, other_text in texts
    ]
    return sorted(found, key=lambda item: (-item.similarity, item.article_id))


def candidate_count(text: str) -> int:
    """How many articles share a band with `text`: what a lookup compares (benchmarks)."""
    minhash = Shingled(text).minhash
    matches = Q()
    for band, value in enumerate(band_hashes(minhash)):
        matches |= Q(band=band, hash=value)
    return ArticleBand.objects.filter(matches).values("article_id").distinct().count()


# --- Storing signatures ----------------------------------------------------------------


def _signature_rows(article_id: int, text: str):
    shingled = Shingled(text)
    if not shingled.shingles:
        return None, []
    minhash = shingled.minhash
    signature = (article_id, minhash.tobytes(), len(shingled.distinct))
    bands = [(article_id, band, value) for band, value in enumerate(band_hashes(minhash))]
    return signature, bands


@transaction.atomic
def signature_save(*, article: Article, new: bool = False) -> None:
    """Store (or replace) the article's signature so later lookups find it.

    An article without archived text has no signature: whatever it had is removed. A
    `new` article has none to remove.
    """
    if not new:
        ArticleBand.objects.filter(article_id=article.pk).delete()
        ArticleSignature.objects.filter(article_id=article.pk).delete()
    if not article.is_archived or not article.text:
        return
    signature, bands = _signature_rows(article.pk, article.text)
    if signature is None:
        return
    _, minhash, shingles = signature
    ArticleSignature.objects.create(article_id=article.pk, minhash=minhash, shingles=shingles)
    ArticleBand.objects.bulk_create(
        ArticleBand(article_id=pk, band=band, hash=value) for pk, band, value in bands
    )


def articles_rebuild_signatures(
    *, article_ids: Iterable[int] | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute the signatures of these articles (default: all), in batches; returns how
    many archived articles got one. COPY on PostgreSQL, bulk_create elsewhere."""
    articles = Article.objects.filter(is_archived=True).exclude(text="").order_by("pk")
    if article_ids is not None:
        article_ids = list(article_ids)
        articles = articles.filter(pk__in=article_ids)
    written = 0
    with transaction.atomic():
        if article_ids is None:
            ArticleBand.objects.all().delete()
            ArticleSignature.objects.all().delete()
        else:
            ArticleBand.objects.filter(article_id__in=article_ids).delete()
            ArticleSignature.objects.filter(article_id__in=article_ids).delete()
        batch = []
        for row in articles.values_list("pk", "text").iterator(chunk_size=REBUILD_BATCH_SIZE):
            batch.append(row)
            if len(batch) == REBUILD_BATCH_SIZE:
                written += _write_batch(batch)
                batch = []
                if progress:
                    progress(written)
        written += _write_batch(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (ArticleSignature, ArticleBand):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written


def _write_batch(rows: list[tuple[int, str]]) -> int:
    signatures, bands = [], []
    for pk, text in rows:
        signature, article_bands = _signature_rows(pk, text)
        if signature is not None:
            signatures.append(signature)
            bands.extend(article_bands)
    if connection.vendor == "postgresql":
        _copy(ArticleSignature, ["article_id", "minhash", "shingles"], signatures)
        _copy(ArticleBand, ["article_id", "band", "hash"], bands)
    else:
        ArticleSignature.objects.bulk_create(
            ArticleSignature(article_id=pk, minhash=minhash, shingles=count)
            for pk, minhash, count in signatures
        )
        ArticleBand.objects.bulk_create(
            (ArticleBand(article_id=pk, band=band, hash=value) for pk, band, value in bands),
            batch_size=5000,
        )
    return len(signatures)


def _copy(model, attnames: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in attnames)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
