"""The reader interface in Italian and English: catalogues, addresses, pages and cache."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from factcheck import page_cache
from factcheck.models import (
    Appearance,
    Article,
    Claim,
    Claimant,
    ClaimTransition,
    Contradiction,
    Correction,
    EvidenceReview,
    Outlet,
)
from factcheck.tests.factories import ClaimFactory
from factcheck.tests.test_reader_seed import every_public_url, seed  # noqa: F401

REPO = Path(settings.BASE_DIR)
LOCALE = REPO / "locale"
# The command .ci/run runs and README.md gives (Translations): keep the three the same.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "it",
    "-l",
    "en",
    "--no-obsolete",
    "--add-location=file",
    "--ignore=node_modules",
    "--ignore=factcheck/bench",
    "--ignore=factcheck/tests",
    "--ignore=artifacts",
    "--ignore=mutants",
    "--ignore=staticfiles",
]


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request activates its language in this thread and leaves it active; addresses
    reversed after an Italian request would be Italian ones."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def plain_url(url_of) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return url_of.get_absolute_url()


# --- The catalogues -------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), fuzzy."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"msgstr": {}, "fuzzy": False}
        if line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            match = re.fullmatch(r"msgstr\[(\d)\]", keyword)
            if match:
                field = ("msgstr", int(match.group(1)))
                entry["msgstr"][field[1]] = value
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[keyword] = value
    return [entry for entry in entries if entry["msgid"]]  # the header has an empty id


def italian_entries() -> list[dict]:
    return po_entries(LOCALE / "it" / "LC_MESSAGES" / "django.po")


def test_every_italian_message_is_translated_and_none_is_fuzzy():
    entries = italian_entries()
    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert untranslated == []
    assert fuzzy == []
    plural = [e for e in entries if "msgid_plural" in e]
    assert plural and all(len(e["msgstr"]) == 2 for e in plural)


def test_translations_keep_their_placeholders():
    for entry in italian_entries():
        wanted = set(re.findall(r"%\(\w+\)s", entry["msgid"]))
        for text in entry["msgstr"].values():
            assert set(re.findall(r"%\(\w+\)s", text)) == wanted, entry["msgid"]


def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (Debian's gettext) is missing")
        pytest.skip("msgfmt (Debian's gettext) is not installed")
    return found


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_compiled_catalogue_is_the_committed_po(tmp_path, language):
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt(), "--check", "-o", fresh, folder / "django.po"], check=True)
    with open(folder / "django.mo", "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        )


def test_makemessages_leaves_the_catalogues_unchanged(tmp_path):
    """A reader-visible string added without its catalogue entry fails here."""
    msgfmt()  # makemessages needs the gettext tools too
    copy = tmp_path / "repo"
    ignored = shutil.ignore_patterns("__pycache__", "tests", "bench", "*.mo")
    for name in ("factcheck", "templates", "locale"):
        shutil.copytree(REPO / name, copy / name, ignore=ignored)
    shutil.copy(REPO / "manage.py", copy / "manage.py")
    # The settings import the bench app only under the bench settings; tests need none.
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for language in ("it", "en"):
        po = Path("locale") / language / "LC_MESSAGES" / "django.po"
        assert (copy / po).read_text(encoding="utf-8") == (REPO / po).read_text(encoding="utf-8"), (
            f"{po} is out of date: run manage.py {' '.join(MAKEMESSAGES)}"
        )


# --- What a page shows ----------------------------------------------------------------

BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "div", "dt", "dd", "td", "th", "tr", "nav", "ul",
    "ol", "section", "article", "header", "footer", "main", "aside", "caption", "legend",
    "label", "button", "option", "select", "title", "blockquote", "form", "table", "br",
}  # fmt: skip
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


class VisibleText(HTMLParser):
    """The interface text of a page: text and labelling attributes.

    Elements with a `lang` of their own (quotes, article texts and titles, translations,
    the switcher's language names) are content in a stated language, and snippets are
    excerpts of content: both are left out. In `main` and the page title, the lines the
    editors wrote (`content`) are cut out; the header and footer are all interface.
    """

    def __init__(self, content: list[str]):
        super().__init__(convert_charrefs=True)
        self.content = content
        self.stack: list[tuple[str, bool]] = []
        self.chrome: list[str] = []
        self.main: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    @property
    def parts(self) -> list[str]:
        in_main = any(tag in ("main", "title") for tag, _ in self.stack)
        return self.main if in_main else self.chrome

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = ("lang" in attributes and tag != "html") or tag in ("script", "style")
        skip = skip or "snippet" in (attributes.get("class") or "").split()
        if tag in BLOCKS:
            self.parts.append(" ")
        if not (self.skipping or skip):
            self.parts.extend(
                f" {attributes[name]} " for name in SHOWN_ATTRIBUTES if attributes.get(name)
            )
        if tag not in ("br", "meta", "link", "input", "img", "hr"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append(" ")
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        main = " ".join("".join(self.main).split())
        for line in self.content:  # longest first, so a line is cut before its parts
            if line in main:
                main = main.replace(line, " ")
        return " ".join("".join(self.chrome).split()) + " " + main


def editorial_content() -> list[str]:
    """Every line editors wrote that pages show, normalised as VisibleText sees it."""
    values = []
    for claim in Claim.objects.all():
        values += [claim.statement, claim.statement_it, claim.context, claim.context_it]
        values += [claim.verdict_summary, claim.verdict_summary_it, claim.retraction_note]
    for correction in Correction.objects.all():
        values += [correction.note, correction.previous_statement, correction.new_statement]
    values += Contradiction.objects.values_list("explanation", flat=True)
    for outlet in Outlet.objects.all():
        values += [outlet.name, outlet.description, outlet.country, outlet.homepage]
    for article in Article.objects.all():
        values += [article.title, article.author, article.url, article.display_title]
    for appearance in Appearance.objects.all():
        values += [appearance.quote, appearance.attribution, appearance.translation]
    for claimant in Claimant.objects.all():
        values += [claimant.name, claimant.description, claimant.url]
    for page in FlatPage.objects.all():
        values += [page.title, page.content]
    values += EvidenceReview.objects.values_list("summary", flat=True)
    values += ClaimTransition.objects.values_list("note", flat=True)
    lines = {" ".join(line.split()) for value in values for line in (value or "").splitlines()}
    lines.discard("")
    return sorted(lines, key=len, reverse=True)


def visible_text(html: str, content: list[str]) -> str:
    parser = VisibleText(content)
    parser.feed(html)
    return parser.text()


def english_patterns() -> list[tuple[str, re.Pattern]]:
    """The English of every message Italian readers get in other words, as a pattern over
    visible text: tags dropped, placeholders standing for any text."""
    patterns = []
    for entry in italian_entries():
        pairs = [(entry["msgid"], entry["msgstr"][0])]
        if "msgid_plural" in entry:
            pairs.append((entry["msgid_plural"], entry["msgstr"][1]))
        for english, italian in pairs:
            if english == italian:
                continue  # the same in both languages ("Feed", "No", "URL")
            shown = " ".join(re.sub(r"<[^>]+>", "", english).split())
            pieces = [re.escape(piece) for piece in re.split(r"%\(\w+\)s", shown)]
            pattern = ".{1,80}?".join(pieces)
            if shown[:1].isalnum():
                pattern = r"(?<!\w)" + pattern
            if shown[-1:].isalnum():
                pattern += r"(?!\w)"
            patterns.append((english, re.compile(pattern)))
    return patterns


def untranslated(text: str, patterns) -> list[str]:
    return [english for english, pattern in patterns if pattern.search(text)]


def reader_pages() -> dict[str, str]:
    pages = {name: url for name, url in every_public_url().items() if name != "export"}
    pages["methodology"] = reverse("factcheck:methodology")
    pages["corrections"] = reverse("factcheck:corrections_log")
    for name in ("corrections-policy", "funding", "organisation", "contact"):
        pages[f"about {name}"] = reverse("factcheck:about_page", args=[name])
    pages["search empty"] = reverse("factcheck:search")
    pages["search nothing"] = reverse("factcheck:search") + "?q=zzzqqq"
    pages["claim filter no match"] = reverse("factcheck:claim_list") + "?q=zzzqqq"
    return pages


def test_every_reader_page_in_italian_shows_no_english_interface_string(client, seed):  # noqa: F811
    content = editorial_content()
    patterns = english_patterns()
    failures = {}
    for name, url in reader_pages().items():
        # A reader whose browser asks for Italian is sent to the Italian address.
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9,en;q=0.5", follow=True)
        assert response.status_code == 200, name
        assert response.redirect_chain and response.redirect_chain[-1][0].startswith("/it/"), name
        html = response.content.decode()
        assert '<html lang="it">' in html, name
        found = untranslated(visible_text(html, content), patterns)
        if found:
            failures[name] = found
    for name, url in {"404": "/it/claims/no-such-claim/", "400": "/it/search/?q=a%00b"}.items():
        response = client.get(url)
        assert response.status_code == int(name)
        found = untranslated(visible_text(response.content.decode(), content), patterns)
        if found:
            failures[name] = found
    assert failures == {}


def test_the_check_finds_an_english_string_on_an_italian_page(client, seed):  # noqa: F811
    """The walk above would pass with nothing translated if the check saw nothing."""
    html = client.get(reverse("factcheck:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    found = untranslated(visible_text(html, editorial_content()), english_patterns())
    assert {"Published claims", "Most contested", "Skip to the content", "Claims"} <= set(found)


def test_english_pages_stay_english(client, seed):  # noqa: F811
    content = editorial_content()
    italian = {
        text
        for entry in italian_entries()
        for text in entry["msgstr"].values()
        if len(text) > 12 and "%(" not in text and text not in entry["msgid"]
    }
    for name, url in reader_pages().items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        shown = visible_text(html, content)
        assert [text for text in italian if text in shown] == [], name


def test_every_reader_page_names_its_other_language(client, seed):  # noqa: F811
    for url in reader_pages().values():
        path, _, query = url.partition("?")
        suffix = f"?{query}" if query else ""
        for address, language in ((url, "en"), (f"/it{path}{suffix}", "it")):
            html = client.get(address).content.decode()
            assert f'<html lang="{language}">' in html, address
            assert (
                f'<link rel="alternate" hreflang="en" href="http://testserver{url}">'.replace(
                    "&", "&amp;"
                )
                in html
            ), address
            italian = f"http://testserver/it{path}{suffix}".replace("&", "&amp;")
            assert f'<link rel="alternate" hreflang="it" href="{italian}">' in html, address
            assert 'hreflang="x-default"' in html, address


# --- Addresses and the switcher -------------------------------------------------------


@pytest.mark.django_db
def test_plain_addresses_are_english_and_italian_ones_italian(client):
    claim = ClaimFactory(statement="Chips are scarce", statement_it="I chip scarseggiano")
    english = client.get(plain_url(claim))
    assert english.status_code == 200
    assert "Accept-Language" in english["Vary"] and "Cookie" in english["Vary"]
    with translation.override("it"):
        italian_url = claim.get_absolute_url()
    assert italian_url == f"/it{plain_url(claim)}"
    italian = client.get(italian_url).content.decode()
    assert "<h1>I chip scarseggiano</h1>" in italian
    assert "<h1>Chips are scarce</h1>" in english.content.decode()


@pytest.mark.django_db
def test_the_admin_api_and_feeds_keep_one_address(client):
    for url in ("/api/v1/claims/", "/feed/", "/sitemap.xml", "/robots.txt"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
        assert response.status_code == 200, url
    assert client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="it").status_code == 200
    assert client.get("/it/admin/login/").status_code == 404


@pytest.mark.django_db
def test_the_switcher_remembers_the_choice_without_a_form(client):
    claim = ClaimFactory(statement="Chips are scarce", statement_it="I chip scarseggiano")
    plain = plain_url(claim)
    page = client.get(plain).content.decode()
    # A link, so a cached page can hold it: no form, no CSRF token.
    assert f'href="/language/it/?next={plain}"' in page
    assert "csrfmiddlewaretoken" not in page
    # A browser asking for Italian, whose reader chose English, stays English.
    response = client.get(f"/language/en/?next=/it{plain}", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 302 and response["Location"] == plain
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(plain, HTTP_ACCEPT_LANGUAGE="it")
    assert english.status_code == 200 and "Chips are scarce" in english.content.decode()
    # And back to Italian.
    response = client.get(f"/language/it/?next={plain}")
    assert response["Location"] == f"/it{plain}"
    assert client.get(plain).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_switcher_never_leaves_the_site(client, next_url):
    response = client.get("/language/it/", {"next": next_url})
    assert response["Location"] == "/it/"


# --- Translated claims ----------------------------------------------------------------


@pytest.mark.django_db
def test_italian_readers_read_the_italian_text_and_the_english_when_there_is_none():
    claim = Claim(statement="English", statement_it="Italiano", verdict_summary="Because")
    with translation.override("it"):
        assert claim.reader_statement == "Italiano"
        assert claim.reader_verdict_summary == "Because"  # no Italian: the English
        assert claim.reader_context == ""
    with translation.override("en"):
        assert claim.reader_statement == "English"


@pytest.mark.django_db
def test_italian_lists_show_italian_statements_without_extra_queries(
    client, django_assert_max_num_queries
):
    for number in range(3):
        ClaimFactory(statement=f"Claim {number}", statement_it=f"Affermazione {number}")
    client.get("/it/claims/")  # warm the per-process caches
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(8):
        page = client.get("/it/claims/").content.decode()
    assert all(f"Affermazione {number}" in page for number in range(3))
    assert "Claim 0<" not in page


def test_the_seed_corpus_is_in_italian_too(client, seed):  # noqa: F811
    published = Claim.objects.published()
    assert published.exclude(statement_it="").count() == published.count()
    assert published.exclude(verdict_summary="").filter(verdict_summary_it="").count() == 0
    claim = published.exclude(statement_it="").first()
    with translation.override("it"):
        url = claim.get_absolute_url()
    assert claim.statement_it in client.get(url).content.decode()


# --- Dates and numbers ----------------------------------------------------------------


@pytest.mark.django_db
def test_dates_and_scores_are_written_per_language(client):
    claim = ClaimFactory(statement="Chips are scarce", statement_it="I chip scarseggiano")
    Claim.objects.filter(pk=claim.pk).update(
        reviewed_at="2026-03-05T10:00:00Z", agreement_score=0.5
    )
    english = client.get(plain_url(claim)).content.decode()
    italian = client.get(f"/it{plain_url(claim)}").content.decode()
    assert ">5 March 2026</time>" in english and "(+0.50)" in english
    assert ">5 marzo 2026</time>" in italian and "(+0,50)" in italian


# --- The page cache -------------------------------------------------------------------


@pytest.mark.django_db
def test_cached_pages_are_kept_per_language(client, each_cache, django_assert_num_queries):
    claim = ClaimFactory(statement="Chips are scarce", statement_it="I chip scarseggiano")
    english_url = plain_url(claim)
    italian_url = f"/it{english_url}"
    assert "Chips are scarce" in client.get(english_url).content.decode()
    assert "I chip scarseggiano" in client.get(italian_url).content.decode()
    # Both are now served from the cache (one query: the stamp), each in its language.
    with django_assert_num_queries(1):
        english = client.get(english_url).content.decode()
    with django_assert_num_queries(1):
        italian = client.get(italian_url).content.decode()
    assert "Chips are scarce</h1>" in english and "scarseggiano" not in english
    assert "I chip scarseggiano</h1>" in italian and '<html lang="it">' in italian
    # Italian readers of a plain address are sent on before the cache is read.
    response = client.get(english_url, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 302 and response["Location"] == italian_url


def test_the_cache_key_holds_the_language():
    request = RequestFactory().get("/feed/")
    keys = set()
    for language in ("en", "it"):
        with translation.override(language):
            keys.add(page_cache.page_key("site1", request, None))
    assert len(keys) == 2


# --- Valid HTML in Italian ------------------------------------------------------------


@pytest.mark.browser
def test_every_italian_page_type_is_valid_html(client, seed):  # noqa: F811
    from factcheck.tests.browser import VNU_JAR, artifact_dir, require_java_and_vnu
    from factcheck.tests.test_browser import reader_pages as page_types

    require_java_and_vnu()
    folder = artifact_dir("html")
    files = []
    for name, url in page_types().items():
        response = client.get(f"/it{url}")
        assert response.status_code == (404 if name == "not_found" else 200), name
        path = folder / f"it-{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr or run.stdout
