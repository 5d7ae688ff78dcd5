"""What a new article text does to the quotes already anchored in it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from factcheck import quotes
from factcheck.models import Appearance, Article


@dataclass(frozen=True)
class Reanchoring:
    moved: list[tuple[Appearance, quotes.Span]]
    broken: list[Appearance]

    def error(self) -> ValidationError:
        lines = [
            f"appearance #{appearance.pk} of “{appearance.claim}”: “{appearance.quote}”"
            for appearance in self.broken
        ]
        return ValidationError(
            "This text change would break %(count)d stored quote(s); fix or remove them "
            "first: %(lines)s",
            code="quotes_broken",
            params={"count": len(self.broken), "lines": "; ".join(lines)},
        )


def article_reanchoring(*, article: Article, new_text: str) -> Reanchoring:
    """Check every stored quote of `article` against `new_text`."""
    moved, broken = [], []
    if article.pk is None:
        return Reanchoring(moved, broken)
    for appearance in article.appearances.select_related("claim").order_by("pk"):
        try:
            span = quotes.anchor(
                new_text,
                appearance.quote,
                start=appearance.start,
                prefix=appearance.prefix,
                suffix=appearance.suffix,
            )
        except quotes.QuoteNotFound:
            broken.append(appearance)
            continue
        if (span.start, span.end, span.prefix, span.suffix) != (
            appearance.start,
            appearance.end,
            appearance.prefix,
            appearance.suffix,
        ):
            moved.append((appearance, span))
    return Reanchoring(moved, broken)
