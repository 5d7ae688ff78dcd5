"""Word pairs learned from the corpus itself: every quote beside its English translation.

Editors translate each non-English quote, so the corpus holds a parallel text of its own
domain. Counting which English terms occur in the translations of the quotes holding a
term (Dice's coefficient over quote/translation pairs) finds "addestr" → "train" without
a dictionary; a pair must be seen at least MIN_PAIRS times, so one sentence alone teaches
nothing. Learned by the bulk rebuild (`rebuild_match_index`), from at most LEXICON_PAIRS
of the latest translated quotes; the evaluation learns it afresh without the hidden quote.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from rapidfuzz import fuzz, utils

from factcheck.matching.text import text_terms
from factcheck.models import Appearance, MatchTerm, MatchTranslation

LEXICON_PAIRS = 20_000
MIN_PAIRS = 2
# A weaker pair is mostly two words that share a sentence by chance (chosen on the
# evaluation: at 0.3 recall@1 is 0.559, at 0.4 0.577, at 0.5 0.577 with recall@3 falling).
MIN_WEIGHT = 0.4
TARGETS_PER_TERM = 3
# Cognates: at least this similar (rapidfuzz's normalised indel similarity of the stems),
# both at least COGNATE_MIN_LENGTH letters, sharing the first COGNATE_PREFIX.
COGNATE_SIMILARITY = 0.8
COGNATE_MIN_LENGTH = 5
COGNATE_PREFIX = 3

Lexicon = dict[str, dict[str, list[tuple[str, float]]]]


def translation_pairs(*, exclude_appearances: Iterable[int] = ()) -> list[tuple[str, str, str]]:
    """(language, quote, translation) of the latest translated non-English quotes."""
    rows = (
        Appearance.objects.exclude(translation="")
        .exclude(article__language__in=["en", ""])
        .exclude(pk__in=list(exclude_appearances))
        .order_by("-pk")
        .values_list("article__language", "quote", "translation")[:LEXICON_PAIRS]
    )
    return list(rows)


def lexicon_learn(pairs: Iterable[tuple[str, str, str]]) -> Lexicon:
    source_counts: dict[str, Counter] = defaultdict(Counter)
    target_counts: dict[str, Counter] = defaultdict(Counter)
    joint: dict[str, Counter] = defaultdict(Counter)
    for language, quote, translation in pairs:
        sources = set(text_terms(quote, language))
        targets = set(text_terms(translation, "en"))
        source_counts[language].update(sources)
        target_counts[language].update(targets)
        joint[language].update((s, t) for s in sources for t in targets if s != t)
    lexicon: Lexicon = {}
    for language, pair_counts in joint.items():
        candidates: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for (source, target), together in pair_counts.items():
            if together < MIN_PAIRS:
                continue
            weight = (
                2 * together / (source_counts[language][source] + target_counts[language][target])
            )
            if weight >= MIN_WEIGHT:
                candidates[source].append((target, round(min(weight, 1.0), 4)))
        lexicon[language] = {
            source: sorted(targets, key=lambda item: (-item[1], item[0]))[:TARGETS_PER_TERM]
            for source, targets in candidates.items()
        }
    return lexicon


@transaction.atomic
def lexicon_rebuild() -> int:
    lexicon = lexicon_learn(translation_pairs())
    MatchTranslation.objects.all().delete()
    rows = [
        MatchTranslation(language=language, source=source, target=target, weight=weight)
        for language, entries in lexicon.items()
        for source, targets in entries.items()
        for target, weight in targets
    ]
    MatchTranslation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def lexicon_for(language: str, terms: Iterable[str]) -> dict[str, list[tuple[str, float]]]:
    """The stored pairs for these terms of a text in `language`."""
    entries: dict[str, list[tuple[str, float]]] = defaultdict(list)
    rows = MatchTranslation.objects.filter(
        language=language, source__in=set(terms), weight__gte=MIN_WEIGHT
    ).values_list("source", "target", "weight")
    for source, target, weight in rows:
        entries[source].append((target, weight))
    return dict(entries)


def cognates_for(terms: Iterable[str]) -> dict[str, list[tuple[str, float]]]:
    """Terms of the documents spelt nearly like these ("analist" → "analyst").

    Italian and English share many Latin words ("infrastruttur", "infrastructur"); a
    word pair learned from the translations needs two quotes, a cognate needs none.
    Candidates share the first COGNATE_PREFIX letters, so the lookup stays a few index
    ranges however large the vocabulary.
    """
    terms = {t for t in terms if len(t) >= COGNATE_MIN_LENGTH and t.isalpha()}
    prefixes = {t[:COGNATE_PREFIX] for t in terms}
    if not prefixes:
        return {}
    # A range, not LIKE: the primary key's index serves it under any collation. Written
    # in SQL: the ORM took longer to build the hundred-odd ranges than the database to
    # read them.
    ranges = sorted(prefixes)
    table = MatchTerm._meta.db_table
    sql = f"SELECT term FROM {table} WHERE " + " OR ".join(
        ["(term >= %s AND term < %s)"] * len(ranges)
    )
    parameters = []
    for prefix in ranges:
        parameters += [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    by_prefix: dict[str, list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY term", parameters)
        for (term,) in cursor.fetchall():
            by_prefix[term[:COGNATE_PREFIX]].append(term)
    found: dict[str, list[tuple[str, float]]] = {}
    for term in terms:
        near = []
        for other in by_prefix.get(term[:COGNATE_PREFIX], ()):
            if other == term or len(other) < COGNATE_MIN_LENGTH:
                continue
            similarity = fuzz.ratio(term, other, processor=utils.default_process) / 100
            if similarity >= COGNATE_SIMILARITY:
                near.append((other, round(similarity, 4)))
        if near:
            found[term] = sorted(near, key=lambda item: (-item[1], item[0]))[:TARGETS_PER_TERM]
    return found
