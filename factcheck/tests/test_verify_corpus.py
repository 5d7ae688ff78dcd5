"""manage.py verify_corpus: rows written behind the services' back are named, clean data passes."""

import os
import sqlite3
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from factcheck.models import AgreementLabel, Appearance, Article, Claim
from factcheck.tests.factories import AppearanceFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def verify() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("verify_corpus", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_seed_corpus_verifies_clean():
    call_command("loaddata", "seed_corpus", verbosity=0)

    report, error = verify()

    assert error is None, report
    appearances, claims = Appearance.objects.count(), Claim.objects.count()
    assert appearances > 100
    expected = f"{appearances} appearances, {claims} claims, {Article.objects.count()} articles"
    assert f"{expected} checked: corpus is consistent." in report


@pytest.fixture
def corpus(retellings, upstream_report):
    """Retellings of one report plus independent articles, all saved through the services."""
    independent = [ArticleFactory() for _ in range(3)]
    first = AppearanceFactory(article=retellings[0])
    AppearanceFactory(claim=first.claim, article=independent[0])
    second = AppearanceFactory(article=independent[1])
    chain_end = ArticleFactory(retells=independent[2])
    return {
        "first": first,
        "second": second,
        "retellings": retellings,
        "upstream": upstream_report,
        "independent": independent,
        "chain_end": chain_end,
    }


def test_corpus_saved_through_the_services_verifies_clean(corpus):
    report, error = verify()
    assert error is None, report
    assert "corpus is consistent" in report


def test_quote_that_no_longer_matches_its_offsets_is_named(corpus):
    first, second = corpus["first"], corpus["second"]
    Appearance.objects.filter(pk=first.pk).update(start=first.start + 1, end=first.end + 1)
    other_text = "Un testo del tutto diverso. " * 5
    Article.objects.filter(pk=second.article_id).update(text=other_text)

    report, error = verify()

    assert error is not None
    assert (
        f"Appearance {first.pk}: quote does not match article {first.article_id} at "
        f"{first.start + 1}–{first.end + 1}: expected “DeepSeek addestra i suoi modelli in Cina”, "
        "found “eepSeek addestra i suoi modelli in Cina ”"
    ) in report
    assert f"Appearance {second.pk}: quote does not match article {second.article_id}" in report
    assert f"found “{other_text[second.start : second.end]}”" in report
    assert report.count("Appearance ") == 2
    assert "2 appearances whose quote does not match their offsets" in str(error)


def test_stale_stored_agreement_is_named_field_by_field(corpus):
    stale, fine = corpus["first"].claim, corpus["second"].claim
    Claim.objects.filter(pk=stale.pk).update(agreement_label=AgreementLabel.REFUTED, origin_count=7)

    report, error = verify()

    assert error is not None
    assert (
        f"Claim {stale.pk}: stored agreement is stale: agreement_label stored 'refuted', "
        "recomputed 'corroborated'; origin_count stored 7, recomputed 2"
    ) in report
    assert f"Claim {fine.pk}:" not in report
    assert "1 claims with stale stored agreement" in str(error)


def test_stale_agreement_is_found_in_every_batch(corpus, monkeypatch):
    from factcheck.management.commands import verify_corpus

    monkeypatch.setattr(verify_corpus, "CLAIM_BATCH_SIZE", 1)
    ids = sorted([corpus["first"].claim_id, corpus["second"].claim_id])
    Claim.objects.filter(pk__in=ids).update(appearance_count=0)

    report, error = verify()

    assert error is not None
    for pk in ids:
        assert f"Claim {pk}: stored agreement is stale: appearance_count stored 0" in report


def test_wrong_stored_origin_is_named(corpus):
    retelling, chain_end = corpus["retellings"][1], corpus["chain_end"]
    Article.objects.filter(pk=retelling.pk).update(origin=retelling.pk)
    Article.objects.filter(pk=chain_end.pk).update(origin=None)

    report, error = verify()

    assert error is not None
    upstream = corpus["upstream"].pk
    assert (
        f"Article {retelling.pk}: stored origin {retelling.pk}, walking retells gives {upstream}"
    ) in report
    origin = corpus["independent"][2].pk
    assert f"Article {chain_end.pk}: stored origin None, walking retells gives {origin}" in report
    assert report.count("Article ") == 2


def test_retelling_cycle_is_named_with_what_retells_into_it(corpus):
    upstream, retellings = corpus["upstream"], corpus["retellings"]
    # The report now retells one of its own retellings: validation would refuse this.
    Article.objects.filter(pk=upstream.pk).update(retells=retellings[0].pk)

    report, error = verify()

    assert error is not None
    cycle = sorted([upstream.pk, retellings[0].pk])
    cycle_line = next(line for line in report.splitlines() if "retelling cycle" in line)
    assert cycle_line == (
        f"Articles in a retelling cycle: article {cycle[0]} → article {cycle[1]} "
        f"→ article {cycle[0]}"
    )
    for other in retellings[1:]:
        assert (
            f"Article {other.pk}: its retelling chain reaches no original "
            f"(stored origin {upstream.pk})"
        ) in report
    assert f"Article {corpus['chain_end'].pk}" not in report


def test_every_kind_of_bad_row_is_reported_in_one_run(corpus):
    first = corpus["first"]
    Appearance.objects.filter(pk=first.pk).update(start=0, end=len(first.quote))
    Claim.objects.filter(pk=corpus["second"].claim_id).update(supporting_origins=5)
    Article.objects.filter(pk=corpus["retellings"][2].pk).update(origin=None)

    report, error = verify()

    assert error is not None
    assert f"Appearance {first.pk}:" in report
    assert f"Claim {corpus['second'].claim_id}:" in report
    assert f"Article {corpus['retellings'][2].pk}:" in report
    assert (
        "1 appearances whose quote does not match their offsets; "
        "1 retelling problems (wrong origin, cycle, missing upstream); "
        "1 claims with stale stored agreement."
    ) in str(error)


def test_command_exits_zero_when_clean_and_non_zero_naming_bad_rows(tmp_path):
    """The run command's sequence on a fresh SQLite file, exit codes checked."""
    database = tmp_path / "verify.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}

    def manage(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )

    for command in (["migrate", "--verbosity=0"], ["loaddata", "seed_corpus"]):
        assert manage(*command).returncode == 0
    clean = manage("verify_corpus")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "corpus is consistent" in clean.stdout

    with sqlite3.connect(database) as raw:
        raw.execute(
            'UPDATE factcheck_appearance SET start = start + 1, "end" = "end" + 1 WHERE id = 1'
        )

    broken = manage("verify_corpus")
    assert broken.returncode == 1
    assert broken.stdout.startswith("Appearance 1: quote does not match article")
    assert "1 appearances whose quote does not match their offsets" in broken.stderr
