"""The schema.org ClaimReview shape, written from schema.org's definitions, as a checker.

Each type lists the properties schema.org defines on it (and that this site may use), with
the types their values may take; Google's and Data Commons' ingestion requires some of
them (REQUIRED) and recommends others (RECOMMENDED). The checker returns the problems it
finds, as readable strings, so a failing test says what is wrong and where.
"""

import re
from urllib.parse import urlsplit

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# type -> property -> allowed kinds of value ("Text", "URL", "Date", "Number" or a type)
TYPES = {
    "ClaimReview": {
        "url": {"URL"},
        "claimReviewed": {"Text"},
        "reviewRating": {"Rating"},
        "author": {"Organization", "Person"},
        "datePublished": {"Date"},
        "itemReviewed": {"Claim"},
    },
    "Rating": {
        "ratingValue": {"Number", "Text"},
        "bestRating": {"Number", "Text"},
        "worstRating": {"Number", "Text"},
        "alternateName": {"Text"},
    },
    "Claim": {
        "author": {"Organization", "Person"},
        "datePublished": {"Date"},
        "appearance": {"CreativeWork"},
        "firstAppearance": {"CreativeWork"},
    },
    "CreativeWork": {
        "url": {"URL"},
        "headline": {"Text"},
        "datePublished": {"Date"},
        "publisher": {"Organization", "Person"},
        "inLanguage": {"Text"},
    },
    "Organization": {"name": {"Text"}, "url": {"URL"}, "description": {"Text"}},
    "Person": {"name": {"Text"}, "url": {"URL"}, "description": {"Text"}},
}
REPEATABLE = {("Claim", "appearance")}

REQUIRED = {
    "ClaimReview": ["url", "claimReviewed", "reviewRating", "author", "datePublished"],
    "Organization": ["name"],
    "Person": ["name"],
    "CreativeWork": ["url"],
    "Claim": [],
    "Rating": [],
}
RECOMMENDED = {"ClaimReview": ["itemReviewed"], "Claim": ["appearance"]}


def _value_problems(value, kinds: set[str], where: str) -> list[str]:
    if isinstance(value, dict):
        kind = value.get("@type")
        if kind not in kinds:
            return [f"{where}: a {kind!r}, expected one of {sorted(kinds)}"]
        return thing_problems(value, where=where)
    if isinstance(value, bool):
        return [f"{where}: a boolean"]
    if isinstance(value, int | float):
        return [] if "Number" in kinds else [f"{where}: a number, expected {sorted(kinds)}"]
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: empty or not text"]
    if "URL" in kinds:
        parts = urlsplit(value)
        return (
            []
            if parts.scheme in ("http", "https") and parts.netloc
            else [f"{where}: not a web address"]
        )
    if "Date" in kinds:
        return [] if DATE.match(value) else [f"{where}: not an ISO 8601 date"]
    if kinds & {"Text"}:
        return []
    return [f"{where}: text, expected {sorted(kinds)}"]


def thing_problems(thing: dict, *, where: str) -> list[str]:
    kind = thing.get("@type")
    if kind not in TYPES:
        return [f"{where}: unknown @type {kind!r}"]
    properties = TYPES[kind]
    problems = [
        f"{where}.{name}: required on {kind}, missing"
        for name in REQUIRED.get(kind, [])
        if name not in thing
    ]
    for name, value in thing.items():
        if name in ("@type", "@context"):
            continue
        if name not in properties:
            problems.append(f"{where}.{name}: not a property of {kind}")
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and (kind, name) not in REPEATABLE:
            problems.append(f"{where}.{name}: a list where one value is expected")
        for index, item in enumerate(values):
            problems += _value_problems(item, properties[name], f"{where}.{name}[{index}]")
    if kind == "Rating":
        problems += _rating_problems(thing, where)
    return problems


def _rating_problems(rating: dict, where: str) -> list[str]:
    if "ratingValue" not in rating and "alternateName" not in rating:
        return [f"{where}: needs ratingValue or alternateName"]
    if "ratingValue" in rating:
        missing = [name for name in ("bestRating", "worstRating") if name not in rating]
        if missing:
            return [f"{where}: ratingValue without {', '.join(missing)}"]
        if not rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]:
            return [f"{where}: ratingValue outside worstRating..bestRating"]
    return []


def claim_review_problems(review: dict, *, standalone: bool = True) -> list[str]:
    """What is wrong with a ClaimReview; standalone ones (a page's) carry the @context."""
    problems = []
    if standalone and review.get("@context") != "https://schema.org":
        problems.append("@context: not https://schema.org")
    if review.get("@type") != "ClaimReview":
        return [*problems, f"@type: {review.get('@type')!r}, not ClaimReview"]
    problems += thing_problems(review, where="ClaimReview")
    problems += [
        f"ClaimReview.{name}: recommended, missing"
        for name in RECOMMENDED["ClaimReview"]
        if name not in review
    ]
    item = review.get("itemReviewed", {})
    problems += [
        f"ClaimReview.itemReviewed.{name}: recommended, missing"
        for name in RECOMMENDED["Claim"]
        if name not in item
    ]
    return problems


def data_feed_problems(feed: dict) -> list[str]:
    problems = []
    if feed.get("@context") != "https://schema.org":
        problems.append("@context: not https://schema.org")
    if feed.get("@type") != "DataFeed":
        problems.append(f"@type: {feed.get('@type')!r}, not DataFeed")
    elements = feed.get("dataFeedElement")
    if not isinstance(elements, list):
        return [*problems, "dataFeedElement: missing or not a list"]
    for index, element in enumerate(elements):
        if element.get("@type") != "DataFeedItem":
            problems.append(f"dataFeedElement[{index}]: not a DataFeedItem")
            continue
        problems += [
            f"dataFeedElement[{index}].{problem}"
            for problem in claim_review_problems(element.get("item", {}), standalone=False)
        ]
    return problems
