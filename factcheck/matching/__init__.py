"""Suggested claims for the passages of an article, across languages.

Each claim has a match document (factcheck.matching.index): its statement and context,
every quote of it in its own language and each quote's English translation, kept apart as
units. A passage is scored against each unit with idf-weighted term overlap, and a claim
scores as its best unit:

- a passage in the language of a quote meets that quote directly (Italian quotes make
  Italian passages findable);
- a passage in English meets the statement, the context and the translations;
- a passage in another language meets the English units through word pairs the corpus
  taught itself from quotes and their translations (factcheck.matching.lexicon), and
  through names and figures, which are kept whole in every language.

The score is in [0, 1]: how much of the unit's weight the passage holds, blended with how
much of the passage the unit explains. A passage with linked claims lifts the candidates
that other articles link in one sentence with them (_companions). Candidates below
THRESHOLD are not returned; its value and the evaluation behind it are in the README
(*Claim matching*).

Up to SCORE_EVERY_DOCUMENT_UP_TO documents (and always on SQLite) every document is scored
in Python. Above, on PostgreSQL, the candidates of each passage are the documents holding
two of its rarest terms, found with the GIN index over the documents' terms, all passages
in one query (each distinct term set asked once, at most RANKED_PER_PASSAGE documents
ranked per set); they are scored the same way.

Claims in every status are candidates, retracted ones included: editors see drafts, and
an article repeating a retracted claim is worth linking to it. The status travels with
each candidate.
"""

import bisect
import gc
import json
import math
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, F, JSONField, Value, When
from django.db.models.functions import Greatest, Substr

from factcheck.matching import embedding
from factcheck.matching.lexicon import Lexicon, cognates_for, lexicon_for
from factcheck.matching.text import text_terms
from factcheck.models import Appearance, Article, Claim, ClaimMatchDocument, MatchTerm

__all__ = [
    "THRESHOLD",
    "Candidate",
    "Passage",
    "article_suggestions",
    "current_threshold",
    "passage_candidates",
    "passages_rank",
    "passages_split",
]

# Chosen on the evaluation's unrelated articles (README, *Claim matching*): below it, chance
# overlaps of a few common words (a snack factory in Malaysia) start to be suggested.
THRESHOLD = 0.65
# One shared word, however rare, is a coincidence more often than a claim restated.
MIN_SHARED_TERMS = 2
# The statement is the editors' own wording of the claim, so a passage matching it says
# more than one matching an article's phrasing; the context is only background.
KIND_WEIGHTS = {"statement": 1.5, "quote": 1.0, "translation": 1.0, "context": 0.6}
# A learned word pair is weaker evidence than the very word.
CROSS_LANGUAGE_WEIGHT = 0.9
# A word spelt like an English one is likely, not surely, the same word.
COGNATE_WEIGHT = 0.8
# Longer units hold more words by chance (BM25's length normalisation, b = LENGTH_SHARE).
LENGTH_SHARE = 0.6
TYPICAL_UNIT_TERMS = 12
# Evidence counts rarest-term equivalents; the score is 1 - exp(-evidence / scale), so two
# rare words shared make 0.63 and a passage repeating a whole quote comes close to 1.
EVIDENCE_SCALE = 2.0
# Per passage, the candidates are the documents holding two of its QUERY_TERMS rarest words
# (a claim sharing fewer scores nothing, MIN_SHARED_TERMS), the best-ranked of them.
QUERY_TERMS = 4
CANDIDATES_PER_PASSAGE = 20
RANKED_PER_PASSAGE = 1000
# A word of a quote that an overlapping quote of another claim holds too is their shared
# evidence: it counts this much towards each.
SIBLING_TERM_WEIGHT = 0.5
# Up to this many documents, every one is scored: finding candidates would save nothing.
SCORE_EVERY_DOCUMENT_UP_TO = 2000
# The embedding backend (factcheck.matching.embedding) scores a candidate as
# (1 - EMBEDDING_WEIGHT) * its term-overlap score + EMBEDDING_WEIGHT * the cosine of the
# passage and the claim's statement (negative counts 0). Both values chosen on the
# evaluation (README, *Claim matching*): the threshold as THRESHOLD was, on the unrelated
# articles; the weight as the best recall@3 that keeps recall@1.
EMBEDDING_WEIGHT = 0.2
EMBEDDING_THRESHOLD = 0.56
# Claims stated together: a candidate that another article links in one sentence with a
# claim already linked to this passage is likelier stated here too, and closes
# COMPANION_SHARE of the gap between its term score and 1; a claim sharing no words with
# the passage gains nothing. Chosen on the evaluation (README, *Claim matching*). The
# statistic reads at most COMPANION_QUOTES_READ quotes of the linked claims, the latest,
# each with COMPANION_WINDOW characters of text either side, so its cost stays bounded.
COMPANION_SHARE = 0.5
COMPANION_QUOTES_READ = 500
COMPANION_WINDOW = 1000


def current_threshold() -> float:
    """The threshold of the backend in use: scores of the two backends are not on one scale."""
    return EMBEDDING_THRESHOLD if embedding.enabled() else THRESHOLD


@dataclass(frozen=True)
class Candidate:
    claim: Claim
    score: float
    # Another article links it in one sentence with a claim linked to this passage: the
    # score counts that (COMPANION_SHARE), and the desk says so.
    stated_together: bool = False


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str
    candidates: list[Candidate] = field(default_factory=list)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def passages_split(text: str) -> list[tuple[int, int]]:
    """Sentence-sized spans of `text`, as (start, end) offsets, blank stretches skipped."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        if text[start : boundary.start()].strip():
            spans.append((start, boundary.start()))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def passage_candidates(
    text: str,
    *,
    language: str = "",
    limit: int = 5,
    exclude_claims: Iterable[int | Claim] = (),
    lexicon: Lexicon | None = None,
    article_id: int | None = None,
) -> list[Candidate]:
    """The claims `text` most likely states, best first, above the backend's threshold.

    `exclude_claims` are the claims already linked to the text (of article `article_id`).
    """
    excluded = {getattr(claim, "pk", claim) for claim in exclude_claims}
    return passages_rank(
        [text],
        language=language,
        limit=limit,
        excluded=[excluded],
        lexicon=lexicon,
        article_id=article_id,
    )[0]


def article_suggestions(
    *, article: Article, limit: int = 5, lexicon: Lexicon | None = None
) -> list[Passage]:
    """Every passage of the article with its candidate claims.

    A claim already linked to a passage (an appearance overlapping it) is not suggested
    for it again: the desk shows it as a link.
    """
    spans = passages_split(article.text)
    linked = []
    if article.pk is not None:
        linked = list(
            # An orphaned quote has no offsets: it is linked to no passage.
            Appearance.objects.filter(
                article=article, start__isnull=False, end__isnull=False
            ).values_list("start", "end", "claim_id")
        )
    excluded = [{c for s, e, c in linked if s < end and e > start} for start, end in spans]
    texts = [article.text[start:end] for start, end in spans]
    ranked = passages_rank(
        texts,
        language=article.language,
        limit=limit,
        excluded=excluded,
        lexicon=lexicon,
        article_id=article.pk,
    )
    return [
        Passage(start, end, text, candidates)
        for (start, end), text, candidates in zip(spans, texts, ranked, strict=True)
    ]


# --- Scoring -------------------------------------------------------------------------


def _base(language: str) -> str:
    return (language or "").split("-")[0].lower()


@dataclass
class _Query:
    native: set[str]
    # English terms the passage stands for, with how sure the pairing is.
    english: dict[str, float]
    # The passage's term each English term stands for: one word is one piece of evidence,
    # however many English words it was learned beside.
    source: dict[str, str] = field(default_factory=dict)


def _queries(texts: list[str], language: str, lexicon: Lexicon | None) -> list[_Query]:
    native_terms = [set(text_terms(text, language)) for text in texts]
    if language == "en":
        return [_Query(native=terms, english=dict.fromkeys(terms, 1.0)) for terms in native_terms]
    if lexicon is not None:
        pairs = lexicon.get(language, {})
    else:
        pairs = lexicon_for(language, set().union(*native_terms)) if native_terms else {}
    cognates = cognates_for(set().union(*native_terms)) if native_terms else {}
    queries = []
    for terms in native_terms:
        english = dict.fromkeys(terms, CROSS_LANGUAGE_WEIGHT)
        source = {term: term for term in terms}
        for term in sorted(terms):
            near = [
                (target, similarity * COGNATE_WEIGHT)
                for target, similarity in cognates.get(term, ())
            ]
            for target, weight in [*pairs.get(term, ()), *near]:
                if weight * CROSS_LANGUAGE_WEIGHT > english.get(target, 0.0):
                    english[target] = weight * CROSS_LANGUAGE_WEIGHT
                    source[target] = term
        queries.append(_Query(native=terms, english=english, source=source))
    return queries


class _Unit(NamedTuple):
    """One unit of a match document, ready to score: its terms as a set, its weight."""

    language: str
    weight: float  # KIND_WEIGHTS of its kind
    terms: frozenset[str]
    # BM25's length normalisation: longer units hold more words by chance.
    length: float
    # Its terms that an overlapping quote of another claim holds too.
    siblings: frozenset[str]


def _prepared(units: list) -> tuple[_Unit, ...]:
    """A document's stored units as _Units, each distinct unit once (syndicated copies of
    a quote store the same unit again, and the best unit is all that counts)."""
    distinct = dict.fromkeys(
        (language, kind, frozenset(terms), frozenset(siblings[0]) if siblings else frozenset())
        for language, kind, _appearance, terms, *siblings in units
    )
    return tuple(
        _Unit(
            language,
            KIND_WEIGHTS.get(kind, 1.0),
            terms,
            1 - LENGTH_SHARE + LENGTH_SHARE * len(terms) / TYPICAL_UNIT_TERMS,
            siblings,
        )
        for language, kind, terms, siblings in distinct
    )


def _prepared_text(text: str) -> tuple[_Unit, ...]:
    """A document's scored units (factcheck.matching.index.scored_units) as _Units."""
    prepared = []
    for line in text.split("\n"):
        language, kind, terms, shared = line.split("\t")
        held = frozenset(terms.split(" "))
        prepared.append(
            _Unit(
                language,
                KIND_WEIGHTS.get(kind, 1.0),
                held,
                1 - LENGTH_SHARE + LENGTH_SHARE * len(held) / TYPICAL_UNIT_TERMS,
                frozenset(shared.split(" ")) if shared else frozenset(),
            )
        )
    return tuple(prepared)


def _document_units(scored: str, units: str | list | None) -> tuple[_Unit, ...]:
    """Prepared units from the scored units, or from the JSON units of a document built
    before there were scored units (migration 0021) until the next rebuild."""
    if scored:
        return _prepared_text(scored)
    return _prepared(json.loads(units) if isinstance(units, str) else units or [])


def _unit_evidence(
    weights: dict[str, float],
    unit: _Unit,
    common: frozenset[str],
    source: dict[str, str] | None = None,
) -> float:
    """`weights` holds each query term's weight × idf, for terms some document holds;
    `common` the unit's terms among them (at least MIN_SHARED_TERMS)."""
    siblings = unit.siblings
    held = {t: weights[t] * (SIBLING_TERM_WEIGHT if t in siblings else 1.0) for t in common}
    if source:
        best: dict[str, float] = {}
        for t, weight in held.items():
            best[source[t]] = max(best.get(source[t], 0.0), weight)
        shared = list(best.values())
    else:
        shared = list(held.values())
    if len(shared) < MIN_SHARED_TERMS:
        return 0.0
    return sum(shared) / unit.length


def _weights(query: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    return {t: w * idf[t] for t, w in query.items() if idf.get(t, 0.0) > 0}


def _best_unit(
    native: dict,
    english: dict,
    units: tuple[_Unit, ...],
    language: str,
    source: dict | None,
    native_terms: frozenset[str] | None = None,
    english_terms: frozenset[str] | None = None,
) -> float:
    native_terms = frozenset(native) if native_terms is None else native_terms
    english_terms = frozenset(english) if english_terms is None else english_terms
    best = 0.0
    for unit in units:
        if unit.language == language:
            weights, held_terms, by_source = native, native_terms, None
        elif unit.language == "en":
            weights, held_terms, by_source = english, english_terms, source
        else:
            continue
        # Most units share fewer terms than needed: they are left here, before any call.
        # (The set of query terms, not the dict: the intersection walks the smaller side.)
        common = unit.terms & held_terms
        if len(common) < MIN_SHARED_TERMS:
            continue
        best = max(best, unit.weight * _unit_evidence(weights, unit, common, by_source))
    return 1 - math.exp(-best / EVIDENCE_SCALE)


def _document_total() -> int:
    """How many documents there are; on a large PostgreSQL corpus, the planner's estimate.

    idf needs the corpus's order of magnitude, not its last row: counting 100,000 documents
    took longer than finding a whole article's candidates. ANALYZE (run by the rebuild, then
    by autovacuum) keeps the estimate; a small or never-analysed table is counted.
    """
    if connection.vendor != "postgresql":
        return ClaimMatchDocument.objects.count()
    table = ClaimMatchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN c.reltuples > %s THEN c.reltuples::bigint "
            f"ELSE (SELECT count(*) FROM {table}) END "
            "FROM pg_class c WHERE c.oid = %s::regclass",
            [SCORE_EVERY_DOCUMENT_UP_TO, table],
        )
        return int(cursor.fetchone()[0])


def _idf(terms: set[str]) -> tuple[dict[str, float], int, dict[str, int]]:
    """BM25's idf of each term, divided by that of a term only one document holds."""
    total = _document_total()
    counts = dict(MatchTerm.objects.filter(term__in=terms).values_list("term", "documents"))
    rarest = math.log(1 + (total - 0.5) / 1.5) or 1.0
    idf = {
        term: math.log(1 + (total - n + 0.5) / (n + 0.5)) / rarest
        for term, n in counts.items()
        if n
    }
    return idf, total, counts


def passages_rank(
    texts: list[str],
    *,
    language: str,
    limit: int = 5,
    excluded: list[set[int]] | None = None,
    lexicon: Lexicon | None = None,
    threshold: float | None = None,
    use_embeddings: bool | None = None,
    article_id: int | None = None,
) -> list[list[Candidate]]:
    """The candidates of each text, best first.

    `excluded` holds, per text, the claims already linked to it: they are left out, and
    the claims other articles state together with them gain (_companions). The texts are
    of article `article_id`, whose own links that statistic leaves aside. `threshold` and
    `use_embeddings` default to the configured backend's.
    """
    if use_embeddings is None:
        use_embeddings = embedding.enabled()
    if threshold is None:
        threshold = EMBEDDING_THRESHOLD if use_embeddings else THRESHOLD
    # The cosine adds at most EMBEDDING_WEIGHT: a claim scoring less by its terms than
    # this floor cannot reach the threshold, and its passage need not be encoded.
    floor = threshold
    if use_embeddings:
        floor = max((threshold - EMBEDDING_WEIGHT) / (1 - EMBEDDING_WEIGHT), 1e-9)
    language = _base(language)
    excluded = excluded if excluded is not None else [set() for _ in texts]
    queries = _queries(texts, language, lexicon)
    every_term = set()
    for query in queries:
        every_term |= query.native | set(query.english)
    if not every_term:
        return [[] for _ in texts]
    idf, total, counts = _idf(every_term)
    if connection.vendor == "postgresql" and total > SCORE_EVERY_DOCUMENT_UP_TO:
        candidate_ids, documents = _candidates_indexed(queries, counts)
    else:
        stored = ClaimMatchDocument.objects.values_list(
            "claim_id",
            "scored_units",
            # The JSON units only of documents built before there were scored units.
            Case(When(scored_units="", then="units"), output_field=JSONField()),
        )
        with _collection_paused():
            documents = {
                claim_id: _document_units(scored, units) for claim_id, scored, units in stored
            }
        candidate_ids = [set(documents)] * len(queries)
    companions = _companions(excluded, article_id)
    ranked: list[list[tuple[float, int]]] = []
    for query, ids, skip, together in zip(
        queries, candidate_ids, excluded, companions, strict=True
    ):
        scores = []
        native = _weights(dict.fromkeys(query.native, 1.0), idf)
        english = native if language == "en" else _weights(query.english, idf)
        native_terms, english_terms = frozenset(native), frozenset(english)
        for claim_id in ids - skip:
            units = documents.get(claim_id)
            if units is None:
                continue
            score = _best_unit(
                native, english, units, language, query.source, native_terms, english_terms
            )
            if score and claim_id in together:
                score += COMPANION_SHARE * (1 - score)
            if score >= floor:
                scores.append((score, claim_id))
        ranked.append(scores)
    if use_embeddings:
        ranked = _blended(texts, ranked)
    ranked = [
        sorted(((round(s, 4), c) for s, c in scores if s >= threshold), key=_best_first)[:limit]
        for scores in ranked
    ]
    claims = Claim.objects.in_bulk({claim_id for scores in ranked for _, claim_id in scores})
    return [
        [
            Candidate(claims[claim_id], score, stated_together=claim_id in together)
            for score, claim_id in scores
        ]
        for scores, together in zip(ranked, companions, strict=True)
    ]


def _companions(excluded: list[set[int]], article_id: int | None) -> list[set[int]]:
    """Per text, the claims that another article links in one sentence with a claim
    linked to the text.

    Two queries, and only when a text has links: the latest COMPANION_QUOTES_READ quotes
    of the linked claims in other articles, each with the text around it (never a whole
    article: a text may hold 200,000 characters), cut into the sentences passages are;
    then the appearances of those articles, kept when they start in such a sentence.
    """
    linked = set().union(*excluded) if excluded else set()
    if not linked:
        return [set() for _ in excluded]
    quotes = (
        Appearance.objects.filter(claim_id__in=linked, start__isnull=False)
        .exclude(article_id=article_id)
        .annotate(
            around=Substr(
                "article__text",
                Greatest(F("start") - COMPANION_WINDOW + 1, Value(1)),
                2 * COMPANION_WINDOW,
            )
        )
        .order_by("-article_id", "pk")
        .values_list("article_id", "claim_id", "start", "around")[:COMPANION_QUOTES_READ]
    )
    # article -> (sentence start, sentence end, the linked claim quoted in it)
    sentences: dict[int, list[tuple[int, int, int]]] = {}
    for article, claim_id, start, around in quotes:
        offset = max(start - COMPANION_WINDOW, 0)
        spans = passages_split(around)
        index = bisect.bisect_right([s for s, _ in spans], start - offset) - 1
        if index >= 0:
            low, high = spans[index]
            sentences.setdefault(article, []).append((offset + low, offset + high, claim_id))
    stated_with: dict[int, set[int]] = {}  # linked claim -> the claims stated with it
    for article, claim_id, start in Appearance.objects.filter(
        article_id__in=sentences, start__isnull=False
    ).values_list("article_id", "claim_id", "start"):
        for low, high, quoted in sentences[article]:
            if low <= start < high and claim_id != quoted:
                stated_with.setdefault(quoted, set()).add(claim_id)
    return [
        set().union(*(stated_with.get(claim_id, set()) for claim_id in skip)) - skip
        for skip in excluded
    ]


def _best_first(item: tuple[float, int]) -> tuple[float, int]:
    return (-item[0], item[1])


def _blended(
    texts: list[str], ranked: list[list[tuple[float, int]]]
) -> list[list[tuple[float, int]]]:
    """Term-overlap scores blended with the passage's similarity to each claim's statement.

    Only passages with a candidate are encoded, all of them in one batch.
    """
    wanted = [i for i, scores in enumerate(ranked) if scores]
    if not wanted:
        return ranked
    passages = embedding.texts_encode([texts[i] for i in wanted])
    statements = embedding.statement_vectors({c for i in wanted for _, c in ranked[i]})
    blended = list(ranked)
    for row, i in enumerate(wanted):
        vector = passages[row]
        blended[i] = [
            (
                (1 - EMBEDDING_WEIGHT) * score
                + EMBEDDING_WEIGHT * max(0.0, float(vector @ statements[c]))
                if c in statements
                else (1 - EMBEDDING_WEIGHT) * score,
                c,
            )
            for score, c in ranked[i]
        ]
    return blended


def _quoted(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def _rarest_words(query: _Query, counts: dict[str, int]) -> list[str]:
    """The rarest term of each of the passage's QUERY_TERMS rarest words.

    A word counts once however many terms stand for it (its stem, its learned English
    pairs, its cognates: see _unit_evidence), so a pair made of one word and its own
    translation can never make a candidate score; pairing only different words keeps
    every arm of the query able to find one, and skips "economia & economy", which
    matched a quarter of the benchmark's documents.
    """
    rarest: dict[str, str] = {}
    for term in query.native | set(query.english):
        if counts.get(term, 0) > 0:
            word = query.source.get(term, term)
            held = rarest.get(word)
            if held is None or (counts[term], term) < (counts[held], held):
                rarest[word] = term
    return sorted(rarest.values(), key=lambda term: (counts[term], term))[:QUERY_TERMS]


def _candidates_indexed(
    queries: list[_Query], counts: dict[str, int]
) -> tuple[list[set[int]], dict[int, tuple[_Unit, ...]]]:
    """The best-ranked documents holding two of a passage's rarest terms, all passages at
    once, and the prepared units of each document found, read in the same query."""
    tsqueries = []
    for query in queries:
        chosen = [_quoted(term) for term in _rarest_words(query, counts)]
        pairs = [f"({a} & {b})" for i, a in enumerate(chosen) for b in chosen[i + 1 :]]
        tsqueries.append(" | ".join(pairs))
    found: list[set[int]] = [set() for _ in queries]
    # Passages of one article often pick the same rarest terms: each query is asked once.
    asked: dict[str, list[int]] = {}
    for index, tsquery in enumerate(tsqueries):
        if tsquery:
            asked.setdefault(tsquery, []).append(index)
    if not asked:
        return found, {}
    table = ClaimMatchDocument._meta.db_table
    # One arm per query with its tsquery as a value, so each arm is planned on the GIN
    # index (a tsquery read from a joined row is not, and scans every document). Ranking
    # reads each document's vector, so only the first RANKED_PER_PASSAGE documents found
    # are ranked: terms that common are weak evidence, and the work stays bounded.
    arm = (
        f"(SELECT %s AS number, m.claim_id FROM (SELECT d.claim_id, d.vector FROM {table} d "
        "WHERE d.vector @@ to_tsquery('simple', %s) LIMIT %s) m "
        "ORDER BY ts_rank(m.vector, to_tsquery('simple', %s)) DESC LIMIT %s)"
    )
    # Each document found is read once, however many passages found it.
    sql = (
        "SELECT f.claim_id, f.numbers, d.scored_units, "
        "CASE WHEN d.scored_units = '' THEN d.units::text END FROM (SELECT claim_id, "
        f"array_agg(number) AS numbers FROM ({' UNION ALL '.join([arm] * len(asked))}) a "
        f"GROUP BY claim_id) f JOIN {table} d ON d.claim_id = f.claim_id"
    )
    parameters = []
    order = list(asked)
    for number, tsquery in enumerate(order):
        parameters += [number, tsquery, RANKED_PER_PASSAGE, tsquery, CANDIDATES_PER_PASSAGE]
    documents = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    with _collection_paused():
        for claim_id, numbers, scored, units in rows:
            documents[claim_id] = _document_units(scored, units)
            for number in numbers:
                for index in asked[order[number]]:
                    found[index].add(claim_id)
    return found, documents


@contextmanager
def _collection_paused():
    """Decoding a few thousand units allocates some hundred thousand small objects, none of
    them garbage: each allocation burst set off collections of the whole heap (up to
    100 ms of an article's suggestions)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
