"""Files to article text and metadata: saved web pages (HTML) and plain text (.txt, .md).

Only what the file states is kept. Trafilatura finds the main text, headline, author, site
name and canonical address; the publication date is read here from the page's own
metadata, with the precision it is written in ("2025-03" is a month), because
trafilatura's date finder guesses from addresses and file dates when the page is silent.
The language comes from the page (`<html lang>`, its metadata) and otherwise from the
text, by a detector limited to the newsroom's languages.
"""

import codecs
import datetime
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from factcheck.admin.forms import control_characters, normalize_newlines
from factcheck.models import ARTICLE_TEXT_MAX_LENGTH, DatePrecision

HTML = "text/html"
PLAIN = "text/plain"
MARKDOWN = "text/markdown"
TEXT_SUFFIXES = {".txt": PLAIN, ".text": PLAIN, ".md": MARKDOWN, ".markdown": MARKDOWN, "": PLAIN}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}

# Languages the detector chooses among, when the page does not say: restricting it keeps
# it fast to load and avoids confusing close languages the newsroom never receives.
DETECTED_LANGUAGES = ("en", "it", "fr", "de", "es", "pt")
UNDETERMINED_LANGUAGE = "und"  # BCP 47 for "not known"; a detector's guess is not stored
TITLE_MAX_LENGTH = 200

# Leading bytes of formats that are neither text nor HTML: refused whatever the name says.
BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old office document",
    b"{\\rtf": "an RTF document",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "a program",
}
HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# Where pages state their publication date, most explicit first.
DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
)
LANGUAGE_META_KEYS = ("content-language", "og:locale", "language", "dc.language", "inlanguage")


class ExtractionError(ValueError):
    """A file that cannot become an article; the message says why, for the editor."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str
    author: str
    published: datetime.date | None
    precision: str  # a DatePrecision value; UNKNOWN exactly when `published` is None
    site_name: str
    canonical_url: str
    language: str
    media_type: str

    @property
    def iso_date(self) -> str | None:
        """The date written only as precisely as it is known (2025-03)."""
        if self.published is None:
            return None
        if self.precision == DatePrecision.YEAR:
            return f"{self.published:%Y}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.published:%Y-%m}"
        return self.published.isoformat()


def media_type_of(data: bytes, *, filename: str) -> str:
    """HTML or plain text by the bytes themselves; the name only tells Markdown from text."""
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ExtractionError(f"it is {kind}, not text or HTML")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExtractionError("it holds binary data, not text or HTML")
    suffix = PurePath(filename).suffix.lower()
    if HTML_START.match(data.removeprefix(codecs.BOM_UTF8)[:4096]):
        return HTML
    if suffix in HTML_SUFFIXES:
        # Named as a web page but without markup: its text is taken as written.
        return PLAIN
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    raise ExtractionError(
        f"files ending in {suffix} are not imported: give a saved web page (.html) or text "
        "(.txt, .md)"
    )


def decode(data: bytes, *, media_type: str) -> str:
    """The text in the encoding the file declares (byte-order mark, `<meta charset>`), else
    UTF-8. A file that does not decode is refused rather than read with a guessed encoding."""
    boms = {
        codecs.BOM_UTF8: "utf-8-sig",
        codecs.BOM_UTF16_LE: "utf-16",
        codecs.BOM_UTF16_BE: "utf-16",
    }
    encoding = next((name for bom, name in boms.items() if data.startswith(bom)), None)
    if encoding is None:
        encoding = "utf-8"
        if media_type == HTML:
            declared = CHARSET.search(data[:4096])
            if declared:
                encoding = declared.group(1).decode("ascii").lower()
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ExtractionError(f"it declares the unknown encoding {encoding!r}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ExtractionError(
            f"it is not valid {encoding} (byte {error.start} cannot be read); save it as UTF-8"
        ) from None


def extract(data: bytes, *, filename: str) -> Extracted:
    """The article a file holds. Raises ExtractionError naming the reason it cannot be one."""
    media_type = media_type_of(data, filename=filename)
    source = decode(data, media_type=media_type)
    if media_type == HTML:
        extracted = _from_html(source)
    else:
        extracted = _from_text(source, media_type=media_type)
    _check_text(extracted.text)
    for value in (extracted.title, extracted.author, extracted.site_name):
        found = control_characters(value)
        if found:
            raise ExtractionError(f"its metadata holds the control characters {', '.join(found)}")
    return extracted


def _check_text(text: str) -> None:
    if not text.strip():
        raise ExtractionError("no article text was found in it")
    found = control_characters(text)
    if found:
        raise ExtractionError(
            f"its text holds the control character{'s' if len(found) > 1 else ''} "
            f"{', '.join(found)}, which cannot be stored"
        )
    if len(text) > ARTICLE_TEXT_MAX_LENGTH:
        raise ExtractionError(
            f"its text has {len(text):,} characters, more than the {ARTICLE_TEXT_MAX_LENGTH:,} "
            "an article may have"
        )


# --- Plain text ------------------------------------------------------------------------


def _from_text(source: str, *, media_type: str) -> Extracted:
    text = normalize_newlines(source).strip("\n")
    title = ""
    first, _, rest = text.partition("\n")
    candidate = first.strip()
    if media_type == MARKDOWN:
        candidate = candidate.lstrip("#").strip()
    # A first line is a headline only when short and followed by the story itself.
    if candidate and len(candidate) <= TITLE_MAX_LENGTH and rest.strip():
        title, text = candidate, rest.strip("\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return Extracted(
        text=text,
        title=title,
        author="",
        published=None,
        precision=DatePrecision.UNKNOWN,
        site_name="",
        canonical_url="",
        language=detect_language(text),
        media_type=media_type,
    )


# --- HTML ------------------------------------------------------------------------------


def _from_html(source: str) -> Extracted:
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(source.encode("utf-8"), parser=_parser())
    except (ValueError, lxml.etree.ParserError):
        raise ExtractionError("its HTML cannot be read") from None
    stated = _stated_metadata(tree)
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
        # Without the fallback extractors: on a page with no story they return its
        # navigation as text, where "no article text" is the right answer.
        fast=True,
    )
    if document is None:
        raise ExtractionError("no article text was found in it")
    title = _clean_line(document.title or "")
    paragraphs = [
        " ".join(line.split()) for line in normalize_newlines(document.text or "").split("\n")
    ]
    paragraphs = [line for line in paragraphs if line]
    # Trafilatura keeps the headline as the first line; the title field holds it already.
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    url = _web_address(document.url or "")
    site_name = _clean_line(document.sitename or "")
    if site_name and (" " not in site_name and "." in site_name):
        # Trafilatura falls back to the host name: that is a domain, not a stated name.
        site_name = ""
    published, precision = stated["date"]
    return Extracted(
        text=text,
        title=title[:500],
        author=_clean_line(document.author or "")[:200],
        published=published,
        precision=precision,
        site_name=site_name[:200],
        canonical_url=url,
        language=stated["language"] or detect_language(text),
        media_type=HTML,
    )


@functools.cache
def _parser():
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _clean_line(value: str) -> str:
    return " ".join(value.split())


def _web_address(url: str) -> str:
    url = url.strip()
    if len(url) > 1000:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _stated_metadata(tree) -> dict:
    """The date and language the page itself states, in its meta tags and JSON-LD."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (
            meta.get("property")
            or meta.get("name")
            or meta.get("itemprop")
            or meta.get("http-equiv")
        )
        content = meta.get("content")
        if key and content and key.lower() not in metas:
            metas[key.lower()] = content
    for element in tree.xpath('//*[@itemprop="datePublished"][@datetime or @content]'):
        metas.setdefault("datepublished", element.get("datetime") or element.get("content"))
    linked = _json_ld(tree)
    date = None
    for key in DATE_META_KEYS:
        value = metas.get(key) or (linked.get(key) if key == "datepublished" else None)
        date = parse_stated_date(value or "")
        if date is not None:
            break
    language = ""
    html = tree if tree.tag == "html" else next(iter(tree.xpath("//html")), None)
    candidates = (
        [html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang")]
        if html is not None
        else []
    )
    candidates += [metas.get(key) for key in LANGUAGE_META_KEYS] + [linked.get("inlanguage")]
    for value in candidates:
        language = language_tag(value or "")
        if language:
            break
    return {"date": date or (None, DatePrecision.UNKNOWN), "language": language}


def _json_ld(tree) -> dict[str, str]:
    """datePublished and inLanguage of the page's article object, lower-cased keys."""
    found: dict[str, str] = {}

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            for key in ("datePublished", "inLanguage"):
                value = node.get(key)
                if isinstance(value, str) and key.lower() not in found:
                    found[key.lower()] = value
            visit(node.get("@graph", []))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            visit(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def parse_stated_date(value: str) -> tuple[datetime.date, str] | None:
    """A date as written, with its precision: "2025" year, "2025-03" month, "2025-03-14"
    (or a full timestamp) day. Anything else is not a date the page states."""
    match = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ]\d)", value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            return datetime.date(year, month, day), DatePrecision.DAY
        if month is not None:
            return datetime.date(year, month, 1), DatePrecision.MONTH
        return datetime.date(year, 1, 1), DatePrecision.YEAR
    except ValueError:
        return None


def language_tag(value: str) -> str:
    """The primary language subtag of a stated language ("it-IT", "en_GB" → "it", "en")."""
    primary = re.split(r"[-_\s,;]", value.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


# --- Language detection ----------------------------------------------------------------


@functools.cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in DETECTED_LANGUAGES
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str:
    """The language of a text the file does not label, or "und" when the detector is unsure."""
    sample = unicodedata.normalize("NFC", text[:2000])
    language = _detector().detect_language_of(sample)
    if language is None:
        return UNDETERMINED_LANGUAGE
    return language.iso_code_639_1.name.lower()
