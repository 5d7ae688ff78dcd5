"""A seeded plan of a synthetic newsroom corpus, produced as rows ready to insert.

The plan keeps only small per-row facts in memory (who retells whom, which story an article
covers, how many quotes it holds); article texts and their appearances are built chunk by
chunk as they are written, so memory stays flat however large the corpus. Each part draws
from its own seeded random stream, so a seed gives the same corpus every time.
"""

import bisect
import datetime
import itertools
import math
import random
from collections import Counter
from collections.abc import Iterator

from django.utils.text import slugify

from factcheck import quotes
from factcheck.bench.synthetic import texts
from factcheck.bench.synthetic import vocabulary as words
from factcheck.bench.synthetic.odds import (
    BENCHMARK_CLAIM_APPEARANCES,
    BENCHMARK_CLAIM_SLUG,
    CLAIMS_PER_STORY,
    FILLER_POOL_SIZE,
    FIRST_DAY,
    LAST_DAY,
    NOT_ARCHIVED_SHARE,
    OUTLET_KIND_ODDS,
    PRECISION_ODDS,
    PUBLISHED_VERDICT_ODDS,
    RETELLING_SHARE,
    STANCE_ODDS,
    STANCES,
    STATUS_ODDS,
    FirstIds,
    Scale,
    story_weights,
    weighted,
    zipf_cumulative,
)
from factcheck.models import (
    ContradictionKind,
    ContradictionStatus,
    DatePrecision,
    ReviewStatus,
    Verdict,
)


class Corpus:
    """Rows of one synthetic corpus. Call outlets(), claims(), article_chunks(), contradictions()."""

    def __init__(
        self,
        *,
        scale: Scale,
        seed: int,
        first_ids: FirstIds = FirstIds(),
        taken_statements: set[str] | None = None,
        taken_outlet_names: set[str] | None = None,
        benchmark_claim: bool = True,
    ):
        if scale.claims < 1 or scale.articles < 1 or scale.outlets < 1:
            raise ValueError("A corpus needs at least one outlet, one article and one claim.")
        self.scale = scale
        self.seed = seed
        self.ids = first_ids
        self.now = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
        self.benchmark_claim = benchmark_claim
        self._plan_outlets(taken_outlet_names or set())
        self._plan_claims(taken_statements or set())
        self._plan_articles()
        self._plan_appearances()

    def _rng(self, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{part}")

    # --- Planning ---------------------------------------------------------------------

    def _plan_outlets(self, taken: set[str]) -> None:
        rng = self._rng("outlets")
        names = []
        for language in words.LANGUAGES:
            masthead_words, _ = words.OUTLET_WORDS[language]
            for word, place in itertools.product(masthead_words, words.PLACES):
                name = f"{word} di {place}" if language == "it" else f"The {place} {word}"
                names.append((name, language))
        rng.shuffle(names)
        self.outlet_rows = []
        used = set(taken)
        for name, language in itertools.chain(names, self._numbered(names)):
            if len(self.outlet_rows) == self.scale.outlets:
                break
            slug = slugify(name)
            if name in used or slug in used:
                continue
            used.update({name, slug})
            self.outlet_rows.append(self._outlet_row(rng, len(self.outlet_rows), name, language))
        self.outlet_cumulative = zipf_cumulative(len(self.outlet_rows), 0.7)
        rng.shuffle(self.outlet_rows)

    @staticmethod
    def _numbered(names):
        for number in itertools.count(2):
            for name, language in names:
                yield f"{name} {number}", language

    def _outlet_row(self, rng, index, name, language) -> dict:
        slug = slugify(name)
        country = "IT" if language == "it" else rng.choice(["GB", "US", "IE"])
        return {
            "id": self.ids.outlet + index,
            "created_at": self.now,
            "updated_at": self.now,
            "name": name,
            "slug": slug,
            "homepage": f"https://www.{slug}.example/",
            "country": country,
            "language": language,
            "kind": weighted(rng, OUTLET_KIND_ODDS),
            "description": f"{name}, a {language.upper()}-language news source.",
        }

    def _plan_claims(self, taken: set[str]) -> None:
        rng = self._rng("claims")
        count = self.scale.claims
        self.claim_clauses: list[tuple[str, str]] = []
        self.claim_verdicts: list[str] = []
        self.claim_statuses: list[str] = []
        used = set(taken)
        while len(self.claim_clauses) < count:
            actor = rng.choice(words.ACTORS)
            predicate = rng.choice(words.PREDICATES)
            topic = rng.choice(words.TOPICS)
            number, year = rng.randint(2, 98), rng.choice(words.YEARS)
            english, italian = (
                f"{actor[i]} {predicate[i].format(topic=topic[i], number=number, year=year)}"
                for i in (0, 1)
            )
            statement = words.capitalized(english)
            slug = slugify(statement)[:200]
            if statement in used or slug in used:
                continue
            used.update({statement, slug})
            status = weighted(rng, STATUS_ODDS)
            if status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED):
                verdict = weighted(rng, PUBLISHED_VERDICT_ODDS)
            else:
                verdict = Verdict.UNRATED if rng.random() < 0.7 else Verdict.MIXED
            self.claim_clauses.append((english, italian))
            self.claim_verdicts.append(verdict)
            self.claim_statuses.append(status)
        # Index 0 is the benchmark claim: published, and kept out of the stories so it
        # ends up with exactly its planned number of appearances.
        regular = list(range(1 if self.benchmark_claim else 0, count))
        if self.benchmark_claim:
            self.claim_statuses[0] = ReviewStatus.PUBLISHED
            self.claim_verdicts[0] = Verdict.MIXED
        rng.shuffle(regular)
        story_count = max(1, math.ceil(len(regular) / CLAIMS_PER_STORY))
        self.stories = [regular[i::story_count] for i in range(story_count)]
        self.stories = [story for story in self.stories if story] or [[0]]
        self.story_cumulative = zipf_cumulative(len(self.stories), 0.6)
        self.stance_cumulative = {
            verdict: list(itertools.accumulate(odds)) for verdict, odds in STANCE_ODDS.items()
        }

    def _plan_articles(self) -> None:
        rng = self._rng("articles")
        count = self.scale.articles
        span = (LAST_DAY - FIRST_DAY).days
        self.retells = [-1] * count
        self.origin = list(range(count))
        self.archived = [True] * count
        self.outlet_index = [0] * count
        self.story = [0] * count
        self.day = [0] * count
        self.precision = [DatePrecision.DAY] * count
        outlet_total = self.outlet_cumulative[-1]
        story_total = self.story_cumulative[-1]
        for i in range(count):
            day = min(span, max(0, int(i / count * span) + rng.randint(-3, 3)))
            # The first article holds text, so there is always something to quote.
            self.archived[i] = i == 0 or rng.random() >= NOT_ARCHIVED_SHARE
            if i and rng.random() < RETELLING_SHARE:
                upstream = max(0, i - 1 - int(rng.expovariate(1 / 300)))
                self.retells[i] = upstream
                self.origin[i] = self.origin[upstream]
                self.story[i] = self.story[upstream]
                day = max(day, self.day[upstream])
            else:
                self.story[i] = bisect.bisect(self.story_cumulative, rng.random() * story_total)
            self.day[i] = day
            if not self.archived[i] and rng.random() < 0.25:
                self.outlet_index[i] = -1
            else:
                self.outlet_index[i] = bisect.bisect(
                    self.outlet_cumulative, rng.random() * outlet_total
                )
            self.precision[i] = weighted(rng, PRECISION_ODDS)

    def _plan_appearances(self) -> None:
        rng = self._rng("appearances")
        archived = [i for i in range(self.scale.articles) if self.archived[i]]
        total = self.scale.appearances
        self.benchmark_slots: Counter[int] = Counter()
        if self.benchmark_claim and total:
            benchmark = min(BENCHMARK_CLAIM_APPEARANCES, total)
            hosts = rng.sample(archived, min(benchmark, len(archived)))
            for slot in range(benchmark):
                self.benchmark_slots[hosts[slot % len(hosts)]] += 1
            total -= benchmark
        weights = list(itertools.accumulate(rng.lognormvariate(0, 0.6) for _ in archived))
        self.slots = Counter(rng.choices(archived, cum_weights=weights, k=total))

    # --- Rows -------------------------------------------------------------------------

    def outlets(self) -> list[dict]:
        return self.outlet_rows

    def claims(self) -> Iterator[dict]:
        rng = self._rng("claim rows")
        for index, (english, _) in enumerate(self.claim_clauses):
            status, verdict = self.claim_statuses[index], self.claim_verdicts[index]
            created = self.now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 900))
            updated = created + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 30))
            statement = words.capitalized(english)
            slug = slugify(statement)[:200]
            if index == 0 and self.benchmark_claim:
                slug = BENCHMARK_CLAIM_SLUG
            public = status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED)
            yield {
                "id": self.ids.claim + index,
                "created_at": created,
                "updated_at": updated,
                "statement": statement,
                "slug": slug,
                "context": "Figures as reported in the press; the appearances give the wording.",
                "status": status,
                "verdict": verdict,
                "verdict_summary": (
                    f"Rated {Verdict(verdict).label.lower()} after comparing the independent sources."
                    if public
                    else ""
                ),
                "reviewed_at": updated if public else None,
                "retraction_note": (
                    "Withdrawn: the source documents turned out to be incomplete."
                    if status == ReviewStatus.RETRACTED
                    else ""
                ),
            }

    def article_chunks(self, size: int) -> Iterator[tuple[list[dict], list[dict]]]:
        """Articles in id order, `size` at a time, each chunk with the appearances it holds."""
        rng = self._rng("texts")
        fillers = {
            language: words.filler_pool(rng, language, FILLER_POOL_SIZE)
            for language in words.LANGUAGES
        }
        next_appearance = self.ids.appearance
        for begin in range(0, self.scale.articles, size):
            articles, appearances = [], []
            for i in range(begin, min(begin + size, self.scale.articles)):
                article, quoted = self._article(rng, i, fillers, next_appearance)
                articles.append(article)
                appearances.extend(quoted)
                next_appearance += len(quoted)
            yield articles, appearances

    def _article(self, rng, i, fillers, next_appearance) -> tuple[dict, list[dict]]:
        outlet = self.outlet_rows[self.outlet_index[i]] if self.outlet_index[i] >= 0 else None
        language = outlet["language"] if outlet else rng.choice(words.LANGUAGES)
        precision = self.precision[i]
        day = FIRST_DAY + datetime.timedelta(days=self.day[i])
        published_on = {
            DatePrecision.DAY: day,
            DatePrecision.MONTH: day.replace(day=1),
            DatePrecision.YEAR: day.replace(month=1, day=1),
        }.get(precision)
        created = datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC)
        created += datetime.timedelta(minutes=rng.randint(0, 600))
        actor, topic = rng.choice(words.ACTORS), rng.choice(words.TOPICS)
        lang = 0 if language == "en" else 1
        title = rng.choice(words.HEADLINES[language]).format(
            Actor=words.capitalized(actor[lang]),
            topic=topic[lang],
            Topic=words.capitalized(topic[lang]),
        )
        article_id = self.ids.article + i
        url = ""
        if outlet and (self.archived[i] or rng.random() < 0.5):
            url = f"https://www.{outlet['slug']}.example/{day:%Y/%m}/{slugify(title)}-{article_id}"
        text, quoted = "", []
        if self.archived[i]:
            text, quoted = self._text(rng, i, language, fillers[language])
        row = {
            "id": article_id,
            "created_at": created,
            "updated_at": created,
            "outlet_id": outlet["id"] if outlet else None,
            "title": title if self.archived[i] or rng.random() < 0.5 else "",
            "url": url,
            "author": f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
            if self.archived[i]
            else "",
            "published_on": published_on,
            "date_precision": precision,
            "language": language,
            "text": text,
            "is_archived": self.archived[i],
            "retells_id": self.ids.article + self.retells[i] if self.retells[i] >= 0 else None,
            "origin_id": self.ids.article + self.origin[i],
        }
        appearances = []
        for offset, item in enumerate(quoted):
            span = quotes.span_at(text, item.start, item.start + len(item.quote))
            appearances.append(
                {
                    "id": next_appearance + offset,
                    "created_at": created,
                    "updated_at": created,
                    "claim_id": self.ids.claim + item.claim_index,
                    "article_id": article_id,
                    "quote": item.quote,
                    "start": span.start,
                    "end": span.end,
                    "prefix": span.prefix,
                    "suffix": span.suffix,
                    "stance": item.stance,
                    "attribution": item.attribution,
                    "translation": item.translation,
                }
            )
        return row, appearances

    def _text(self, rng, i, language, fillers) -> tuple[str, list[texts.Quoted]]:
        story = self.stories[self.story[i] % len(self.stories)]
        claim_indexes = [0] * self.benchmark_slots[i]
        if self.slots[i]:
            claim_indexes += rng.choices(
                story, cum_weights=story_weights(len(story)), k=self.slots[i]
            )
        claim_sentences = []
        for claim_index in claim_indexes:
            cumulative = self.stance_cumulative[self.claim_verdicts[claim_index]]
            stance = STANCES[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
            claim_sentences.append(
                texts.claim_sentence(
                    rng,
                    claim_index=claim_index,
                    stance=stance,
                    clauses=self.claim_clauses[claim_index],
                    language=language,
                )
            )
        return texts.article_text(rng, fillers=fillers, claim_sentences=claim_sentences)

    def contradictions(self) -> Iterator[dict]:
        rng = self._rng("contradictions")
        claims = self.scale.claims
        wanted = min(self.scale.contradictions, claims * (claims - 1) // 2)
        pairs: set[tuple[int, int]] = set()
        attempts = 0
        while len(pairs) < wanted and attempts < wanted * 50:
            attempts += 1
            story = self.stories[rng.randrange(len(self.stories))]
            if rng.random() < 0.7 and len(story) > 1:
                a, b = rng.sample(story, 2)
            else:
                a, b = rng.randrange(claims), rng.randrange(claims)
            pair = (min(a, b), max(a, b))
            if a == b or pair in pairs:
                continue
            pairs.add(pair)
            kind = rng.choices(list(ContradictionKind), weights=[55, 30, 15])[0]
            status = rng.choices(list(ContradictionStatus), weights=[60, 25, 15])[0]
            claim_a, claim_b = (self.ids.claim + index for index in (a, b))
            superseded = None
            if kind == ContradictionKind.EXPLAINED_BY_TIME and rng.random() < 0.5:
                superseded = claim_a
            updated = self.now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            yield {
                "id": self.ids.contradiction + len(pairs) - 1,
                "created_at": updated,
                "updated_at": updated,
                "claim_a_id": claim_a,
                "claim_b_id": claim_b,
                "kind": kind,
                "status": status,
                "explanation": "The two claims give incompatible figures for the same period.",
                "superseded_claim_id": superseded,
            }
