"""Saved news pages for the import benchmark: synthetic stories inside page furniture.

Three layouts like the ones newsrooms save (a newspaper with navigation, cookie banner,
adverts and comments; a wire story with JSON-LD metadata; a blog with Open Graph tags and
related links), in Italian and English, from the synthetic corpus's vocabulary. Each page
is different, so none is a duplicate of another.
"""

import datetime
import json
import random
from collections.abc import Iterator
from html import escape

from factcheck.bench.synthetic import vocabulary as words

LAYOUTS = ("newspaper", "wire", "blog")


def outlet_names(*, seed: int, language: str, count: int) -> list[str]:
    """The outlets whose pages a seed's run saves, the same for the generator and the
    benchmark (which registers some of them beforehand)."""
    rng = random.Random(f"{seed}-{language}")
    heads, links = words.OUTLET_WORDS[language]
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(heads)} {rng.choice(links)} {rng.choice(words.PLACES)}"
        if name not in names:
            names.append(name)
    return names


def domain_for(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum()) + ".example.org"


def _story(rng: random.Random, language: str, fillers: list[str], n: int) -> tuple[str, list[str]]:
    actor = rng.choice(words.ACTORS)[0 if language == "en" else 1]
    topic = rng.choice(words.TOPICS)[0 if language == "en" else 1]
    headline = rng.choice(words.HEADLINES[language]).format(
        Actor=words.capitalized(actor), actor=actor, Topic=words.capitalized(topic), topic=topic
    )
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        paragraphs.append(" ".join(rng.choice(fillers) for _ in range(rng.randint(3, 6))))
    # A number unique to the page keeps every story distinct.
    paragraphs[0] = f"{paragraphs[0]} ({n})"
    return f"{headline} ({n})", paragraphs


def _date(rng: random.Random) -> str:
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
    return rng.choice([day.isoformat() + "T08:00:00+01:00", day.isoformat(), f"{day:%Y-%m}"])


def _paragraphs(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def newspaper(*, language, outlet, headline, paragraphs, date, author, path) -> str:
    middle = len(paragraphs) // 2
    comments = "\n".join(
        f'<div class="comment"><p>{escape(name)}: {"Ottimo articolo" if language == "it" else "Good piece"}, {i}.</p></div>'
        for i, name in enumerate(["Marco72", "Reader_9", "LiguriaLibera"])
    )
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8">
<title>{escape(headline)} | {escape(outlet)}</title>
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="article:published_time" content="{date}">
<meta name="author" content="{escape(author)}">
<link rel="canonical" href="https://www.{domain_for(outlet)}/{path}">
<link rel="stylesheet" href="/static/site.css"><script src="/static/ads.js"></script>
</head><body>
<div id="cookie-banner"><p>Questo sito utilizza cookie di profilazione. Accetta tutti i cookie per continuare.</p><button>Accetta</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/cronaca">Cronaca</a></li><li><a href="/economia">Economia</a></li><li><a href="/sport">Sport</a></li><li><a href="/abbonati">Abbonati</a></li></ul></nav></header>
<div class="adv-leaderboard"><a href="https://ads.example.net/c">PUBBLICITÀ: offerta speciale</a></div>
<main><article><h1>{escape(headline)}</h1><p class="byline">{escape(author)}</p>
{_paragraphs(paragraphs[:middle])}
<div class="adv-inline">Pubblicità — scopri l'offerta</div>
{_paragraphs(paragraphs[middle:])}
</article>
<section class="comments"><h3>Commenti</h3>{comments}<form><textarea>Scrivi</textarea></form></section></main>
<aside class="newsletter">Iscriviti alla newsletter.</aside>
<footer><p>© 2025 {escape(outlet)} — Tutti i diritti riservati</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def wire(*, language, outlet, headline, paragraphs, date, author, path) -> str:
    metadata = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": date,
        "inLanguage": language,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": outlet},
    }
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(headline)} - {escape(outlet)}</title>
<script type="application/ld+json">{json.dumps(metadata, ensure_ascii=False)}</script>
<meta property="og:site_name" content="{escape(outlet)}">
<link rel="canonical" href="https://{domain_for(outlet)}/world/{path}">
</head><body>
<div class="topbar"><a href="/">{escape(outlet)}</a> | <a href="/markets">Markets</a> | <a href="/world">World</a> | <a href="/login">Sign in</a></div>
<div class="ticker">BREAKING: Markets open higher • Oil steady • Gold slips</div>
<div class="story"><h1>{escape(headline)}</h1><div class="dateline">{escape(rng_place(path))} ({escape(outlet)})</div>
<div class="story-body">{_paragraphs(paragraphs)}</div>
<div class="related"><h4>Related coverage</h4><ul><li><a href="/a">Other story</a></li><li><a href="/b">Another story</a></li></ul></div></div>
<p class="trust">Our Standards: The Trust Principles.</p>
<div class="footer">{escape(outlet)}, all quotes delayed a minimum of 15 minutes.</div>
</body></html>"""


def blog(*, language, outlet, headline, paragraphs, date, author, path) -> str:
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{escape(headline)}</title>
<meta property="og:title" content="{escape(headline)}">
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="og:type" content="article">
<meta property="og:url" content="https://{domain_for(outlet)}/{path}">
<meta property="article:published_time" content="{date}">
</head><body>
<div class="site-header"><span class="logo">{escape(outlet)}</span> <a href="/about">About</a> <a href="/archive">Archive</a></div>
<div class="post"><h2 class="post-title">{escape(headline)}</h2>
<div class="entry-content">{_paragraphs(paragraphs)}</div>
<div class="share-buttons">Share this post: Twitter Facebook Email</div>
<div class="related-posts"><h3>You might also like</h3><ul><li><a href="/x">Older post</a></li><li><a href="/y">Another post</a></li></ul></div></div>
<div class="sidebar"><h4>Popular posts</h4><ul><li><a href="/z">Ten years of this blog</a></li></ul></div>
<div class="blog-footer">Comments are closed.</div>
</body></html>"""


def rng_place(path: str) -> str:
    return words.PLACES[sum(map(ord, path)) % len(words.PLACES)].upper()


RENDER = {"newspaper": newspaper, "wire": wire, "blog": blog}


def saved_pages(*, count: int, seed: int = 1, outlets: int = 20) -> Iterator[tuple[str, bytes]]:
    """`count` saved pages as (file name, bytes), from `outlets` outlets per language."""
    rng = random.Random(seed)
    pools = {language: words.filler_pool(rng, language, 400) for language in words.LANGUAGES}
    names = {
        language: outlet_names(seed=seed, language=language, count=outlets)
        for language in words.LANGUAGES
    }
    for n in range(count):
        language = rng.choice(words.LANGUAGES)
        layout = LAYOUTS[n % len(LAYOUTS)]
        headline, paragraphs = _story(rng, language, pools[language], n)
        html = RENDER[layout](
            language=language,
            outlet=rng.choice(names[language]),
            headline=headline,
            paragraphs=paragraphs,
            date=_date(rng),
            author=f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
            path=f"{n}/story-{n}",
        )
        yield f"{n:05d}_{layout}_{language}.html", html.encode("utf-8")
