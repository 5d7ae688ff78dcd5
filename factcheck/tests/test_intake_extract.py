"""Saved pages and text files become text and metadata; only what a file states is kept."""

import datetime
from pathlib import Path

import pytest

from factcheck.intake.extract import ExtractionError, extract, parse_stated_date
from factcheck.models import DatePrecision

FILES = Path(__file__).parent / "intake_files"


def extracted(name: str, data: bytes | None = None):
    return extract(data if data is not None else (FILES / name).read_bytes(), filename=name)


# Lines of page furniture around the stories; none may reach an article's text.
BOILERPLATE = {
    "newspaper_it.html": [
        "cookie",
        "Accetta tutti",
        "Prima pagina",
        "Abbonati",
        "PUBBLICITÀ",
        "Pubblicità",
        "SUV ibrido",
        "Commenti",
        "Marco72",
        "Scrivi un commento",
        "newsletter",
        "P.IVA",
        "privacy",
        "di Giulia Ferraro",
    ],
    "wire_en.html": [
        "Sign in",
        "BREAKING",
        "Related coverage",
        "Lithium miners",
        "Trust Principles",
        "All quotes delayed",
    ],
    "blog_en.html": [
        "Subscribe",
        "Share this post",
        "You might also like",
        "cycle lanes",
        "Popular posts",
        "Comments are closed",
    ],
}


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_no_boilerplate_line_reaches_the_text(name):
    text = extracted(name).text
    for line in BOILERPLATE[name]:
        assert line.casefold() not in text.casefold(), line


def test_newspaper_page_with_banner_adverts_and_comments():
    page = extracted("newspaper_it.html")
    assert page.title == "Porto di Genova, traffico container in calo del 12%"
    assert page.author == "Giulia Ferraro"
    assert (page.published, page.precision) == (datetime.date(2025, 3, 14), DatePrecision.DAY)
    assert page.language == "it"  # from <html lang="it-IT">
    assert page.site_name == "La Gazzetta del Porto"
    assert page.canonical_url == (
        "https://www.gazzettadelporto.it/economia/2025/03/14/porto-genova-container-calo"
    )
    assert page.media_type == "text/html"
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Il traffico di container nel porto di Genova è sceso")
    assert paragraphs[-1].endswith("quando entrerà in funzione la nuova diga foranea.")
    # The headline is the title, not the first line of the text.
    assert not page.text.startswith("Porto di Genova")


def test_wire_page_metadata_from_json_ld_and_language_from_the_text():
    page = extracted("wire_en.html")
    assert page.title == "Copper prices hit record as Chilean mines cut output"
    assert page.author == "Daniel Ortega-Reyes"
    assert (page.published, page.precision) == (datetime.date(2025, 5, 6), DatePrecision.DAY)
    assert page.site_name == "Global Wire"
    assert page.canonical_url == "https://globalwire.example.com/business/copper-record-chile"
    # The page states no language: the detector reads the text.
    assert page.language == "en"
    assert page.text.startswith("Copper prices rose to a record high on Tuesday")
    assert page.text.endswith("could temper the rise.")
    assert page.text.count("\n\n") == 3


def test_blog_page_with_open_graph_metadata_keeps_a_month_date_at_month_precision():
    page = extracted("blog_en.html")
    assert page.title == "Why the city's night buses matter more than the new tram"
    assert page.author == ""
    assert (page.published, page.precision) == (datetime.date(2025, 2, 1), DatePrecision.MONTH)
    assert page.iso_date == "2025-02"
    assert page.site_name == "Transit Notes"
    assert page.canonical_url == "https://transitnotes.example.org/2025/02/night-buses"
    assert page.language == "en"
    assert page.text.startswith("The council spent most of last year's transport debate")


def test_a_date_the_page_does_not_state_stays_unknown():
    # The page states no date; trafilatura's own finder guesses 2024-09-01 from a related
    # link's address (/2024/09/parking), which must not become the article's date.
    data = (
        (FILES / "blog_en.html")
        .read_bytes()
        .replace(b'<meta property="article:published_time" content="2025-02">', b"")
    )
    import trafilatura

    assert trafilatura.bare_extraction(data.decode(), with_metadata=True, fast=True).date
    page = extracted("2025-02-10-night-buses.html", data)
    assert (page.published, page.precision) == (None, DatePrecision.UNKNOWN)
    assert page.iso_date is None


def test_unstated_metadata_stays_blank():
    data = (
        b"<html><head><title>Council votes</title></head><body><article><p>"
        + b"The council voted on Monday to extend the night bus network to four more routes. " * 4
        + b"</p></article></body></html>"
    )
    page = extracted("council.html", data)
    assert page.title == "Council votes"
    assert (page.author, page.site_name, page.canonical_url) == ("", "", "")
    assert page.published is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025", (datetime.date(2025, 1, 1), DatePrecision.YEAR)),
        ("2025-03", (datetime.date(2025, 3, 1), DatePrecision.MONTH)),
        ("2025-03-14", (datetime.date(2025, 3, 14), DatePrecision.DAY)),
        ("2025-03-14T08:30:00+01:00", (datetime.date(2025, 3, 14), DatePrecision.DAY)),
        ("2025-02-30", None),
        ("March 2025", None),
        ("", None),
        ("20250314", None),
    ],
)
def test_stated_dates_keep_their_precision(value, expected):
    assert parse_stated_date(value) == expected


def test_plain_text_takes_its_first_short_line_as_title():
    page = extracted("bollette_it.txt")
    assert page.title == "Bollette, il gas scende sotto i 40 euro"
    assert page.text.startswith("Il prezzo del gas sul mercato di Amsterdam")
    assert page.language == "it"
    assert page.media_type == "text/plain"
    assert (page.published, page.author, page.site_name) == (None, "", "")


def test_markdown_heading_becomes_the_title_and_line_breaks_become_lf():
    page = extracted("rail_en.md")
    assert page.title == "Rail strike called off after late-night deal"
    assert "\r" not in page.text
    assert page.text == (
        "The rail unions called off Thursday's national strike after a late-night agreement "
        "with the operators on pay and rest periods.\n\n"
        "Trains will run to the normal timetable, the operators said."
    )
    assert page.media_type == "text/markdown"


def test_a_long_first_line_is_text_not_a_title():
    long_line = "Il governo ha approvato ieri sera il decreto sulle bollette " * 5
    page = extracted("nota.txt", f"{long_line}\n\nSecondo paragrafo.".encode())
    assert page.title == ""
    assert page.text.startswith("Il governo ha approvato")


def test_declared_charset_is_honoured():
    html = (
        '<html lang="it"><head><meta charset="windows-1252"><title>Caffè</title></head>'
        "<body><article><p>" + "Il caffè costa di più: è la terza volta quest’anno. " * 4
    ) + "</p></article></body></html>"
    page = extracted("caffe.html", html.encode("windows-1252"))
    assert "caffè costa di più" in page.text
    assert "quest’anno" in page.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("article.txt", b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        ("dump.txt", b"abc\x00\x00\x01\x02def", "binary data"),
        ("table.csv", b"a,b,c\n1,2,3\n", "files ending in .csv are not imported"),
        (
            "empty.html",
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            "no article text",
        ),
        ("blank.txt", b"   \n\n  \n", "no article text"),
        ("latin1.txt", "Perché è così".encode("latin-1"), "not valid utf-8"),
        (
            "odd.html",
            b'<html><head><meta charset="x-klingon"></head><body>x</body></html>',
            "unknown encoding",
        ),
        ("bell.txt", b"Title\n\nA text with a bell \x07 in it.", "U+0007"),
    ],
)
def test_bad_files_are_refused_with_the_reason(name, data, reason):
    with pytest.raises(ExtractionError) as error:
        extract(data, filename=name)
    assert reason.casefold() in str(error.value).casefold()


def test_text_over_the_article_limit_is_refused(settings):
    from factcheck.models import ARTICLE_TEXT_MAX_LENGTH

    data = ("Titolo\n\n" + "parola " * (ARTICLE_TEXT_MAX_LENGTH // 6)).encode()
    with pytest.raises(ExtractionError, match="more than the 200,000 an article may have"):
        extract(data, filename="long.txt")
