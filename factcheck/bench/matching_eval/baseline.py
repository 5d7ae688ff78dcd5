"""The plain baseline the matcher must beat: BM25 over statements, quotes and translations.

One bag of words per claim, no stemming beyond cutting each word to its first PREFIX
characters, no word pairs, no stop list. Its score is divided by the most the passage's
words could score (every word of it in a document, many times), so it too lies in [0, 1]
and takes a threshold the same way.
"""

import math
import re
from collections import Counter

from factcheck.models import Appearance, Claim

PREFIX = 5
K1 = 1.2
B = 0.75
THRESHOLD = 0.3

_WORD = re.compile(r"\w+", re.UNICODE)


def baseline_terms(text: str) -> list[str]:
    return [word.lower()[:PREFIX] for word in _WORD.findall(text)]


class Bm25Baseline:
    def __init__(self, documents: dict[int, str]):
        self.documents = {
            claim_id: Counter(baseline_terms(text)) for claim_id, text in documents.items()
        }
        self.lengths = {claim_id: sum(terms.values()) for claim_id, terms in self.documents.items()}
        self.average = sum(self.lengths.values()) / max(1, len(self.lengths))
        frequency: Counter = Counter()
        for terms in self.documents.values():
            frequency.update(terms.keys())
        total = len(self.documents)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}

    @classmethod
    def from_database(cls) -> "Bm25Baseline":
        texts = {claim.pk: [claim.statement] for claim in Claim.objects.only("pk", "statement")}
        for claim_id, quote, translation in Appearance.objects.values_list(
            "claim_id", "quote", "translation"
        ):
            texts[claim_id] += [quote, translation]
        return cls({claim_id: " ".join(parts) for claim_id, parts in texts.items()})

    def rank(
        self, text: str, *, excluded: set[int] = frozenset(), limit: int = 5, threshold=THRESHOLD
    ) -> list[tuple[int, float]]:
        query = set(baseline_terms(text))
        attainable = sum(self.idf.get(t, 0.0) for t in query) * (K1 + 1)
        if not attainable:
            return []
        scores = []
        for claim_id, terms in self.documents.items():
            if claim_id in excluded:
                continue
            norm = K1 * (1 - B + B * self.lengths[claim_id] / self.average)
            score = sum(
                self.idf[t] * terms[t] * (K1 + 1) / (terms[t] + norm) for t in query if t in terms
            )
            score /= attainable
            if score >= threshold:
                scores.append((claim_id, round(score, 4)))
        scores.sort(key=lambda item: (-item[1], item[0]))
        return scores[:limit]
