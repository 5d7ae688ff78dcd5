"""The seed corpus (fixtures/seed_corpus.json): it loads on every engine, its quotes are
verbatim spans of the seed texts, and its stored derived fields are what the code computes.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from factcheck import quotes
from factcheck.agreement import agreement_for_claims
from factcheck.bench.management.commands.build_seed_fixture import (
    MODELS,
    OUTPUT,
    SEEDS,
    SOURCE,
    corpus_build,
    corpus_json,
    source_load,
)
from factcheck.models import (
    DERIVED_AGREEMENT_FIELDS,
    AgreementLabel,
    Appearance,
    Article,
    Claim,
    Contradiction,
    ContradictionKind,
    ContradictionStatus,
    Outlet,
    ReviewStatus,
    Stance,
    Verdict,
)

pytestmark = pytest.mark.django_db

DESIGN_EXAMPLE = "DeepSeek trains its models in China because it stockpiled Nvidia chips"
# Stated by 000, 001 and 003, which all retell the one Financial Times report.
FT_CLAIM_SLUG = "trump-scrapped-ai-diffusion-rule"

# Lines of the seed files that are page residue, not part of any article.
RESIDUE_LINES = [
    "Skip to main content",
    "×",
    "Iscriviti alla newsletter",
    "Share.",
    "© 2025 Vietmetric",
    "Exit mobile version",
    "Per ulteriori aggiornamenti su questo argomento, aggiungi Benzinga Italia",
    "Ricevi informazioni esclusive sui movimenti di mercato",
    "La prova gratuita di 14 giorni di Benzinga Pro",
    "Foto via Shutterstock",
]


def seed_files() -> dict[int, str]:
    """Article pk -> seed file name. The builder numbers articles in source order."""
    articles = source_load(SOURCE)["articles"]
    return {pk: entry["seed"] for pk, entry in enumerate(articles, start=1) if "seed" in entry}


def fixture_counts() -> Counter:
    return Counter(record["model"] for record in json.loads(OUTPUT.read_text(encoding="utf-8")))


def is_residue(line: str) -> bool:
    return not line.strip() or any(line.startswith(residue) for residue in RESIDUE_LINES)


@pytest.fixture
def corpus():
    call_command("loaddata", "seed_corpus", verbosity=0)


@pytest.fixture
def seeds_dir():
    # The seed texts live beside the project, not in it: a checkout elsewhere (a CI runner)
    # can still test the fixture itself. REQUIRE_SEED_TEXTS=1 turns the skip into a failure.
    if not SEEDS.is_dir():
        if os.environ.get("REQUIRE_SEED_TEXTS"):
            pytest.fail(f"REQUIRE_SEED_TEXTS is set but there are no seed texts at {SEEDS}.")
        pytest.skip(f"No seed texts at {SEEDS}.")
    return SEEDS


# --- Loading -------------------------------------------------------------------------


def test_loads_and_loading_again_duplicates_nothing(corpus):
    expected = fixture_counts()
    counts = {model._meta.label_lower: model.objects.count() for model in MODELS}
    assert counts == {label: expected[label] for label in counts}
    assert all(counts.values())

    call_command("loaddata", "seed_corpus", verbosity=0)

    assert {model._meta.label_lower: model.objects.count() for model in MODELS} == counts


def test_loads_into_a_fresh_sqlite_database(tmp_path):
    database = tmp_path / "seed.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    for command in (
        ["migrate", "--verbosity=0"],
        ["loaddata", "seed_corpus"],
        ["loaddata", "seed_corpus"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )

    expected = fixture_counts()
    with sqlite3.connect(database) as connection:
        for model in MODELS:
            (count,) = connection.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()
            assert count == expected[model._meta.label_lower], model


# --- Texts and quotes ----------------------------------------------------------------


def test_every_quote_is_the_article_text_at_its_offsets(corpus):
    for appearance in Appearance.objects.select_related("article"):
        text = appearance.article.text
        assert text[appearance.start : appearance.end] == appearance.quote, appearance.pk
        span = quotes.span_at(text, appearance.start, appearance.end)
        assert (span.prefix, span.suffix) == (appearance.prefix, appearance.suffix)


def test_every_quote_and_text_is_verbatim_in_its_seed_file(corpus, seeds_dir):
    files = seed_files()
    for pk, name in files.items():
        assert Article.objects.get(pk=pk).text in (seeds_dir / name).read_text(encoding="utf-8")
    for appearance in Appearance.objects.all():
        seed = (seeds_dir / files[appearance.article_id]).read_text(encoding="utf-8")
        assert appearance.quote in seed, appearance.pk


def test_article_texts_are_the_seed_lines_without_residue(corpus, seeds_dir):
    for pk, name in seed_files().items():
        text = Article.objects.get(pk=pk).text
        lines = text.split("\n")
        seed_lines = (seeds_dir / name).read_text(encoding="utf-8").split("\n")
        remaining = iter(seed_lines)
        assert all(line in remaining for line in lines), f"{name}: lines out of order or altered"
        dropped = Counter(seed_lines) - Counter(lines)
        assert all(is_residue(line) for line in dropped), f"{name} lost content: {dropped}"
        assert not any(is_residue(line) for line in lines if line.strip()), name
        for residue in ("Skip to main content", "newsletter", "Share.", "Benzinga Pro"):
            assert residue not in text


def test_corpus_covers_every_seed_article(corpus):
    assert Claim.objects.count() == 54
    assert Appearance.objects.count() == 111
    assert Contradiction.objects.count() == 6
    assert not Claim.objects.filter(appearances__isnull=True).exists()
    files = seed_files()
    assert set(Article.objects.archived().values_list("pk", flat=True)) == set(files)
    for pk in files:
        assert Appearance.objects.filter(article_id=pk).exists(), files[pk]


# --- Origins and agreement -----------------------------------------------------------


def test_three_retellings_of_the_ft_report_are_one_origin(corpus):
    claim = Claim.objects.get(slug=FT_CLAIM_SLUG)
    articles = {appearance.article for appearance in claim.appearances.select_related("article")}
    assert len(articles) == 3
    (origin,) = {article.origin for article in articles}
    assert origin.outlet.name == "Financial Times"
    assert not origin.is_archived
    assert {article.retells for article in articles} == {origin}

    stored = {name: getattr(claim, name) for name in DERIVED_AGREEMENT_FIELDS}
    assert agreement_for_claims([claim.pk])[claim.pk].as_claim_fields() == stored
    assert (claim.article_count, claim.origin_count, claim.supporting_origins) == (3, 1, 1)
    assert claim.agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_design_example_claim_has_supporting_and_qualifying_appearances(corpus):
    claim = Claim.objects.get(statement=DESIGN_EXAMPLE)
    files = seed_files()
    by_stance = {
        stance: {
            files[pk][:3]
            for pk in claim.appearances.filter(stance=stance).values_list("article_id", flat=True)
        }
        for stance in (Stance.SUPPORTS, Stance.QUALIFIES)
    }
    assert {"000", "003"} <= by_stance[Stance.SUPPORTS]
    assert "001" in by_stance[Stance.QUALIFIES]
    assert "001" not in by_stance[Stance.SUPPORTS]


def test_stored_derived_fields_match_a_recomputation(corpus):
    for article in Article.objects.select_related("retells"):
        assert article.origin_id == article.find_origin().pk, article.pk

    agreements = agreement_for_claims(Claim.objects.values_list("pk", flat=True))
    for claim in Claim.objects.all():
        stored = {name: getattr(claim, name) for name in DERIVED_AGREEMENT_FIELDS}
        assert stored == agreements[claim.pk].as_claim_fields(), claim.slug


def test_published_claims_start_with_a_clean_review_queue(corpus):
    published = Claim.objects.published()
    assert published.count() > Claim.objects.count() / 2
    assert not published.filter(verdict=Verdict.UNRATED).exists()
    assert not published.filter(reviewed_at__isnull=True).exists()
    assert not Claim.objects.filter(reviewed_by__isnull=False).exists()
    assert not Claim.objects.agreement_changed_since_review().exists()
    for claim in published:
        assert claim.reviewed_agreement_label == claim.agreement_label
        assert claim.reviewed_agreement_score == claim.agreement_score
    assert 3 <= Claim.objects.awaiting_review().count() <= 5


def test_conflict_explained_by_time_supersedes_the_older_claim(corpus):
    explained = Contradiction.objects.filter(kind=ContradictionKind.EXPLAINED_BY_TIME)
    assert explained.exists()
    for contradiction in explained:
        newer = contradiction.other_claim(contradiction.superseded_claim)

        def latest(claim):
            return max(claim.appearances.values_list("article__published_on", flat=True))

        assert latest(contradiction.superseded_claim) < latest(newer)


def test_readme_gives_the_corpus_figures(corpus):
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    figures = re.search(r"with (\d+) claims, (\d+) appearances and (\d+) contradictions", readme)
    assert figures, "README's Seed corpus section no longer states its figures"
    counts = (Claim.objects.count(), Appearance.objects.count(), Contradiction.objects.count())
    assert tuple(map(int, figures.groups())) == counts


# --- What an editor signs ------------------------------------------------------------


def stances(slug: str, quote: str) -> set[str]:
    return set(
        Appearance.objects.filter(claim__slug=slug, quote=quote).values_list("stance", flat=True)
    )


def test_no_text_in_the_corpus_names_a_seed_file_number(corpus):
    # Readers know articles by outlet and title; the seed files' numbers belong to the source.
    number = re.compile(r"(?<![\w.,#])00[0-4](?![\w]|[.,]\d)")
    texts = [
        *Outlet.objects.values_list("description", flat=True),
        *Contradiction.objects.values_list("explanation", "editor_note"),
        *Claim.objects.values_list("statement", "context", "verdict_summary", "editor_note"),
        *Appearance.objects.values_list("attribution", "translation", "editor_note"),
    ]
    flat = [text for row in texts for text in ([row] if isinstance(row, str) else row)]
    assert len(flat) > 400
    assert not [text for text in flat if number.search(text)]


def test_brand_names_do_not_make_the_chip_supply_claim_corroborated(corpus):
    slug = "china-builds-domestic-ai-chip-supply"
    assert stances(slug, "a favore di marche nazionali come Huawei, Baidu e Cambricon") == {
        Stance.QUALIFIES
    }
    claim = Claim.objects.get(slug=slug)
    (column_pk,) = [pk for pk, name in seed_files().items() if name.startswith("002_")]
    column = claim.appearances.filter(article_id=column_pk)
    assert column.count() == 2
    assert not column.filter(stance=Stance.SUPPORTS).exists()
    assert (claim.supporting_origins, claim.agreement_label) == (1, AgreementLabel.SINGLE_ORIGIN)


def test_where_chinese_ai_chips_are_made_stays_open(corpus):
    contradiction = Contradiction.objects.get(
        claim_a__slug="chinese-ai-chips-made-by-tsmc",
        claim_b__slug="china-builds-domestic-ai-chip-supply",
    )
    assert contradiction.kind == ContradictionKind.DIRECT
    assert contradiction.status == ContradictionStatus.OPEN
    summaries = Claim.objects.filter(
        slug__in=["chinese-ai-chips-made-by-tsmc", "china-builds-domestic-ai-chip-supply"]
    ).values_list("verdict_summary", flat=True)
    for text in (contradiction.explanation, *summaries):
        assert "largely" not in text  # the SMIC attribution is disputed, not settled
        assert "910B" in text and "910C" in text and "teardowns" in text
    assert Claim.objects.get(slug="chinese-ai-chips-made-by-tsmc").verdict == Verdict.MIXED


def test_leasing_compute_abroad_is_not_called_plainly_lawful(corpus):
    claim = Claim.objects.get(slug="leasing-abroad-complies-with-us-rules")
    assert claim.verdict == Verdict.MIXED
    assert "May 2025" in claim.verdict_summary and "enforcement" in claim.verdict_summary
    assert "uncertain" in claim.verdict_summary


def test_the_h20_story_does_not_stop_at_the_april_2025_restriction(corpus):
    for slug in (
        "us-restricted-h20-sales",
        "us-h20-restriction-came-in-april-2025",
        "chinese-firms-buying-h20-chips",
        "analysts-expect-million-h20-shipments",
    ):
        assert "July 2025" in Claim.objects.get(slug=slug).verdict_summary, slug


def test_claims_that_made_two_assertions_are_split(corpus):
    gone = [
        "chinese-firms-lease-foreign-run-data-centres",
        "h20-is-a-lower-performance-chip-for-china",
    ]
    assert not Claim.objects.filter(slug__in=gone).exists()
    assert "April" not in Claim.objects.get(slug="us-restricted-h20-sales").statement
    for slug in (
        "us-h20-restriction-came-in-april-2025",
        "chinese-firms-lease-southeast-asian-data-centres",
        "leased-data-centres-are-run-by-non-chinese-firms",
        "h20-is-a-lower-performance-chip",
        "h20-was-made-for-china",
    ):
        assert Claim.objects.published().filter(slug=slug).exists(), slug


def test_stances_and_verdicts_say_no_more_than_the_quotes(corpus):
    low_performance = "processori a basse prestazioni come l’H20 di Nvidia"
    assert stances("h20-was-made-for-china", low_performance) == {Stance.QUALIFIES}
    assert stances("h20-is-a-lower-performance-chip", low_performance) == {Stance.SUPPORTS}
    # “Tra l'altro” adds the Huawei work beside training at home; it gives no reason for it.
    bets = Claim.objects.get(slug="deepseek-bets-on-domestic-chip-technology")
    assert "trains" not in bets.statement and "strategy" not in bets.statement
    qwen = Claim.objects.get(slug="qwen-models-are-open")
    assert qwen.verdict == Verdict.MOSTLY_TRUE and "not all" in qwen.verdict_summary
    demand = Appearance.objects.get(quote__startswith="una richiesta giustificata")
    assert demand.translation.startswith("a demand ")


# --- Building ------------------------------------------------------------------------


def test_building_from_the_source_reproduces_the_fixture(seeds_dir):
    built = corpus_json(source=source_load(SOURCE), seeds_dir=seeds_dir)
    assert built == OUTPUT.read_text(encoding="utf-8")
    assert not Claim.objects.exists(), "the build must leave nothing behind"


def test_building_refuses_a_database_that_holds_data(corpus, seeds_dir):
    with pytest.raises(CommandError, match="already holds"):
        call_command("build_seed_fixture", "--check", seeds=seeds_dir)
    assert Claim.objects.filter(status=ReviewStatus.PUBLISHED).exists()


def one_quote_source(**appearance) -> dict:
    """A minimal source: one article of 004 and one claim quoting it."""
    return {
        "outlets": [],
        "articles": [
            {"key": "004", "seed": "004_51cb4625f0d6bf1f.txt", "lines": [1, 15], "language": "it"}
        ],
        "claims": [
            {
                "slug": "us-sanctions",
                "statement": "US sanctions target Chinese semiconductors",
                "status": "draft",
                "verdict": "unrated",
                "appearances": [
                    {"article": "004", "stance": "mentions", "translation": "", **appearance}
                ],
            }
        ],
        "contradictions": [],
    }


def test_building_refuses_an_ambiguous_quote_unless_told_which(seeds_dir):
    quote = "sanzioni statunitensi sui semiconduttori"
    with pytest.raises(CommandError, match="occurs 3 times"), transaction.atomic():
        corpus_build(source=one_quote_source(quote=quote), seeds_dir=seeds_dir)

    corpus_build(source=one_quote_source(quote=quote, occurrence=2), seeds_dir=seeds_dir)

    appearance = Appearance.objects.get()
    assert appearance.start == quotes.occurrences(appearance.article.text, quote)[1]
