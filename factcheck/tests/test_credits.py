"""Credited sources: attribution phrases found in the text, names resolved by alias."""

import pytest
from django.core.management import call_command

from factcheck.intake.credits import credits_find
from factcheck.models import Article, Outlet, OutletAlias, OutletAliasKind
from factcheck.tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    call_command("loaddata", "seed_corpus", verbosity=0)


def found(text: str) -> list[tuple[str, str | None, str]]:
    credits = credits_find(text)
    for credit in credits:
        assert text[credit.start : credit.end] == credit.phrase
    return [
        (credit.name, credit.outlet.name if credit.outlet else None, credit.phrase)
        for credit in credits
    ]


def test_seed_000_credits_the_financial_times_three_times(corpus):
    text = Article.objects.get(pk=3).text
    credits = credits_find(text, language="it")

    assert [(credit.phrase, credit.outlet.name) for credit in credits] == [
        ("scrive il Financial Times", "Financial Times"),
        ("A scriverlo è il Financial Times", "Financial Times"),
        ("racconta FT", "Financial Times"),
    ]
    for credit in credits:
        assert text[credit.start : credit.end] == credit.phrase
    assert [credit.name for credit in credits] == ["Financial Times", "Financial Times", "FT"]
    # The offsets are those of the first occurrence in the text, not a later copy.
    assert credits[0].start == text.index("scrive il Financial Times")
    assert credits[2].start == text.index("racconta FT")


def test_seed_004_credits_the_wsj_and_the_ft(corpus):
    text = Article.objects.get(pk=7).text
    credits = credits_find(text, language="it")

    assert [(credit.phrase, credit.outlet.name) for credit in credits] == [
        ("riporta il Wall Street Journal", "Wall Street Journal"),
        ("come riporta il WSJ", "Wall Street Journal"),
        ("secondo il WSJ", "Wall Street Journal"),
        ("Secondo il WSJ", "Wall Street Journal"),
        ("riporta il Financial Times", "Financial Times"),
    ]
    for credit in credits:
        assert text[credit.start : credit.end] == credit.phrase
    ft = credits[-1]
    assert text[ft.start : ft.end + 1] == "riporta il Financial Times."
    assert text.index("riporta il Financial Times") == ft.start


def test_seed_001_credits_informed_sources_without_an_outlet(corpus):
    text = Article.objects.get(pk=4).text
    assert found(text) == [("ben informati", None, "Secondo i ben informati")]


def test_the_articles_that_name_no_source_credit_none(corpus):
    assert found(Article.objects.get(pk=5).text) == []
    assert found(Article.objects.get(pk=6).text) == []


@pytest.fixture
def outlets(db):
    ft = OutletFactory(name="Financial Times", slug="ft")
    wsj = OutletFactory(name="The Wall Street Journal", slug="wsj")
    reuters = OutletFactory(name="Reuters", slug="reuters")
    for outlet, alias in [(ft, "FT"), (wsj, "WSJ")]:
        OutletAlias.objects.create(
            outlet=outlet, kind=OutletAliasKind.NAME, alias=alias, key=alias.casefold()
        )
    return {"ft": ft, "wsj": wsj, "reuters": reuters}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chip sales rose, according to the Financial Times.",
            [("Financial Times", "Financial Times", "according to the Financial Times")],
        ),
        (
            "Chip sales rose, the FT reported on Monday.",
            [("FT", "Financial Times", "the FT reported")],
        ),
        (
            "The group denied it, a spokesman told Reuters.",
            [("Reuters", "Reuters", "told Reuters")],
        ),
        (
            "The deal closed, as reported by The Wall Street Journal.",
            [
                (
                    "Wall Street Journal",
                    "The Wall Street Journal",
                    "as reported by The Wall Street Journal",
                )
            ],
        ),
        (
            "The talks stalled, the WSJ said, citing people familiar with the matter.",
            [("people familiar with the matter", None, "citing people familiar with the matter")],
        ),
        (
            "Lo ha confermato l'azienda, stando al Financial Times.",
            [("Financial Times", "Financial Times", "stando al Financial Times")],
        ),
        (
            "Le vendite crescono, come riportato dal Wall Street Journal.",
            [
                (
                    "Wall Street Journal",
                    "The Wall Street Journal",
                    "come riportato dal Wall Street Journal",
                )
            ],
        ),
        (
            "Secondo fonti informate, l'accordo è vicino.",
            [("fonti informate", None, "Secondo fonti informate")],
        ),
        (
            "L'accordo è vicino, secondo Bloomberg.",
            [("Bloomberg", None, "secondo Bloomberg")],
        ),
    ],
)
def test_attribution_phrases(outlets, text, expected):
    assert found(text) == expected


def test_a_name_before_its_verb_counts_only_for_a_known_outlet(outlets):
    """ "Trump said", "the company reported" are not reports being retold."""
    assert found("Trump reported strong numbers. Nvidia told investors to wait.") == []


def test_a_name_running_into_the_next_capitalised_word_resolves_to_the_outlet(outlets):
    text = "Lo scrive il Financial Times Londra, in un lungo articolo."
    (credit,) = credits_find(text)
    assert credit.outlet == outlets["ft"]
    assert credit.phrase == "Lo scrive il Financial Times"


def test_a_sentence_end_stops_the_name(outlets):
    (credit,) = credits_find("Ne scrive il Financial Times. Un altro caso.")
    assert credit.name == "Financial Times"


def test_names_are_resolved_once_per_text(outlets, django_assert_max_num_queries):
    text = " ".join(["Secondo il WSJ, le vendite crescono."] * 20)
    with django_assert_max_num_queries(3):
        credits = credits_find(text)
    assert len(credits) == 20
    assert {credit.outlet for credit in credits} == {Outlet.objects.get(slug="wsj")}
