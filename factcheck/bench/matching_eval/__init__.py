"""How well claim matching finds the claims a passage states, and how rarely it errs.

- Leave-one-out on the corpus in the database (the seed corpus): each appearance in turn
  is deleted inside a transaction that is rolled back, its claim's match document rebuilt
  (and those of the claims whose quotes it overlapped) and the word pairs learned again
  without it, so neither its quote nor its translation is searched. Its article is then
  matched; a hit @k is its claim among the first k candidates of the passage holding the
  start of its quote. Claims already linked to that passage by the appearances still
  there are left out, as the desk leaves them out; "without links" ranks the same passage
  with nothing left out, as for a new article. "Cross-language" counts the appearances whose claim has no other quote in their
  language: only the English statement, context and translations can find them.
- STORY articles, written for the evaluation: the links an editor would make.
- UNRELATED articles: every candidate on them is a false suggestion.

The matcher (with each backend: term overlap alone, and blended with sentence vectors) and
the BM25 baseline see the same corpus, folds and articles.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction

from factcheck.bench.matching_eval import baseline
from factcheck.bench.matching_eval.articles import STORY, UNRELATED, EvalArticle
from factcheck.matching import EMBEDDING_THRESHOLD, THRESHOLD, passages_rank, passages_split
from factcheck.matching.embedding import claim_embeddings_refresh
from factcheck.matching.index import match_documents_refresh
from factcheck.matching.lexicon import lexicon_learn, translation_pairs
from factcheck.models import Appearance, Claim

# A method ranks the passages of one text: (texts, language, the ids linked to each text,
# whether to apply its threshold, the text's article if stored) -> claim ids, best first.
Ranker = Callable[[list[str], str, list[set[int]], bool, int | None], list[list[int]]]

TARGETS = {"recall_at_1": 0.8, "recall_at_3": 0.95, "false_per_passage": 0.1}


@dataclass
class Tally:
    total: int = 0
    at_1: int = 0
    at_3: int = 0

    def add(self, ranked: list[int], wanted: int) -> None:
        self.total += 1
        self.at_1 += ranked[:1] == [wanted]
        self.at_3 += wanted in ranked[:3]

    def recall(self, k: int) -> float | None:
        if not self.total:
            return None
        return round((self.at_1 if k == 1 else self.at_3) / self.total, 3)


@dataclass
class Figures:
    method: str
    loo: Tally = field(default_factory=Tally)
    # The same folds ranked without the threshold: ranking quality alone.
    loo_unfiltered: Tally = field(default_factory=Tally)
    # The same folds as if the article had no appearance yet: nothing linked is left out.
    loo_without_links: Tally = field(default_factory=Tally)
    cross_language: Tally = field(default_factory=Tally)
    story: Tally = field(default_factory=Tally)
    story_passages_without_claim: int = 0
    story_false: int = 0
    unrelated_passages: int = 0
    unrelated_false: int = 0
    misses: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "method": self.method,
            "loo_appearances": self.loo.total,
            "loo_recall_at_1": self.loo.recall(1),
            "loo_recall_at_3": self.loo.recall(3),
            "loo_unfiltered_recall_at_1": self.loo_unfiltered.recall(1),
            "loo_unfiltered_recall_at_3": self.loo_unfiltered.recall(3),
            "loo_without_links_recall_at_1": self.loo_without_links.recall(1),
            "loo_without_links_recall_at_3": self.loo_without_links.recall(3),
            "cross_language_appearances": self.cross_language.total,
            "cross_language_recall_at_1": self.cross_language.recall(1),
            "cross_language_recall_at_3": self.cross_language.recall(3),
            "story_links": self.story.total,
            "story_recall_at_1": self.story.recall(1),
            "story_recall_at_3": self.story.recall(3),
            "story_false_suggestions": self.story_false,
            "story_passages_without_claim": self.story_passages_without_claim,
            "unrelated_passages": self.unrelated_passages,
            "unrelated_false_suggestions": self.unrelated_false,
            "false_per_passage": round(self.unrelated_false / self.unrelated_passages, 3)
            if self.unrelated_passages
            else None,
        }


def _matcher(lexicon, *, use_embeddings: bool) -> Ranker:
    threshold = EMBEDDING_THRESHOLD if use_embeddings else THRESHOLD

    def rank(texts, language, excluded, filtered=True, article_id=None):
        ranked = passages_rank(
            texts,
            language=language,
            excluded=excluded,
            lexicon=lexicon,
            threshold=threshold if filtered else 1e-9,
            use_embeddings=use_embeddings,
            article_id=article_id,
        )
        return [[candidate.claim.pk for candidate in candidates] for candidates in ranked]

    return rank


def _baseline() -> Ranker:
    index = baseline.Bm25Baseline.from_database()

    def rank(texts, language, excluded, filtered=True, article_id=None):
        threshold = baseline.THRESHOLD if filtered else 1e-9
        return [
            [claim_id for claim_id, _ in index.rank(text, excluded=skip, threshold=threshold)]
            for text, skip in zip(texts, excluded, strict=True)
        ]

    return rank


METHODS = ("matcher", "matcher + USE", "bm25 baseline")


def _rankers(lexicon) -> dict[str, Ranker]:
    return {
        "matcher": _matcher(lexicon, use_embeddings=False),
        "matcher + USE": _matcher(lexicon, use_embeddings=True),
        "bm25 baseline": _baseline(),
    }


class _RolledBack(Exception):
    pass


def _leave_one_out(figures: dict[str, Figures], *, limit: int | None) -> None:
    appearances = list(Appearance.objects.select_related("article", "claim").order_by("pk")[:limit])
    for appearance in appearances:
        article = appearance.article
        same_language = (
            Appearance.objects.filter(
                claim_id=appearance.claim_id, article__language=article.language
            )
            .exclude(pk=appearance.pk)
            .exists()
        )
        try:
            with transaction.atomic():
                Appearance.objects.filter(pk=appearance.pk).delete()
                # Refreshes the documents of the claims whose quotes it overlapped too.
                match_documents_refresh(claim_ids=[appearance.claim_id])
                rankers = _rankers(lexicon_learn(translation_pairs()))
                spans = passages_split(article.text)
                linked = list(
                    Appearance.objects.filter(
                        article=article, start__isnull=False, end__isnull=False
                    ).values_list("start", "end", "claim_id")
                )
                index = next(
                    i for i, (start, end) in enumerate(spans) if start <= appearance.start < end
                )
                start, end = spans[index]
                excluded = [{c for s, e, c in linked if s < end and e > start}]
                texts = [article.text[start:end]]
                for name, rank in rankers.items():
                    ranked = rank(texts, article.language, excluded, True, article.pk)[0]
                    figures[name].loo.add(ranked, appearance.claim_id)
                    unfiltered = rank(texts, article.language, excluded, False, article.pk)[0]
                    figures[name].loo_unfiltered.add(unfiltered, appearance.claim_id)
                    fresh = rank(texts, article.language, [set()])[0]
                    figures[name].loo_without_links.add(fresh, appearance.claim_id)
                    if not same_language:
                        figures[name].cross_language.add(ranked, appearance.claim_id)
                    if ranked[:1] != [appearance.claim_id]:
                        figures[name].misses.append(
                            {
                                "appearance": appearance.pk,
                                "claim": appearance.claim.slug,
                                "got": ranked[:3],
                                "cross_language": not same_language,
                            }
                        )
                raise _RolledBack
        except _RolledBack:
            pass


def _article_passages(article: EvalArticle) -> tuple[list[str], list[tuple[str, ...]]]:
    spans = passages_split(article.text)
    texts = [article.text[start:end] for start, end in spans]
    if texts != [passage for passage, _ in article.passages]:
        raise ValueError(f"{article.key}: each passage must be one sentence of the split.")
    return texts, [claims for _, claims in article.passages]


def _written_articles(figures: dict[str, Figures], rankers: dict[str, Ranker]) -> None:
    ids = dict(Claim.objects.values_list("slug", "pk"))
    for article in STORY:
        texts, wanted = _article_passages(article)
        missing = {slug for claims in wanted for slug in claims} - set(ids)
        if missing:
            raise ValueError(f"{article.key} links claims not in the corpus: {sorted(missing)}")
        for name, rank in rankers.items():
            ranked = rank(texts, article.language, [set() for _ in texts])
            for got, claims in zip(ranked, wanted, strict=True):
                if not claims:
                    figures[name].story_passages_without_claim += 1
                    figures[name].story_false += len(got)
                for slug in claims:
                    # A passage stating two claims may rank either first.
                    others = [ids[other] for other in claims if other != slug]
                    figures[name].story.add([c for c in got if c not in others], ids[slug])
    for article in UNRELATED:
        texts, _ = _article_passages(article)
        for name, rank in rankers.items():
            ranked = rank(texts, article.language, [set() for _ in texts])
            figures[name].unrelated_passages += len(texts)
            figures[name].unrelated_false += sum(len(got) for got in ranked)


def evaluate(*, limit: int | None = None) -> dict[str, Figures]:
    """Run every part of the evaluation on the database's corpus; nothing is left changed."""
    figures = {name: Figures(method=name) for name in METHODS}
    # Statement vectors, whichever backend is configured; a hidden quote never changes them.
    claim_embeddings_refresh()
    _leave_one_out(figures, limit=limit)
    _written_articles(figures, _rankers(lexicon_learn(translation_pairs())))
    return figures


def report(figures: dict[str, Figures]) -> dict:
    return {
        "threshold": THRESHOLD,
        "embedding_threshold": EMBEDDING_THRESHOLD,
        "baseline_threshold": baseline.THRESHOLD,
        "targets": TARGETS,
        "methods": [f.summary() for f in figures.values()],
        "misses": {name: f.misses for name, f in figures.items()},
    }


__all__ = ["TARGETS", "Figures", "asdict", "evaluate", "report"]
