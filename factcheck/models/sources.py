"""Where evidence comes from: outlets and their articles, with retelling chains."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords

from factcheck.models.base import Timestamped, Versioned

WEB_URL_VALIDATORS = [URLValidator(schemes=["http", "https"])]
# Longer than any news article, and small enough that PostgreSQL's full-text index (1 MB
# per tsvector) takes even a text of distinct words; see README "Rules the data keeps".
ARTICLE_TEXT_MAX_LENGTH = 200_000


def web_address(field: str) -> Q:
    """Blank or http(s): a stored `javascript:` or `data:` address must never become a link."""
    return (
        Q(**{field: ""})
        | Q(**{f"{field}__startswith": "http://"})
        | Q(**{f"{field}__startswith": "https://"})
    )


OPENING_WORDS = 9
OPENING_MAX_LENGTH = 80
# Bullets, dashes and quote marks a captured text may start with; the label is shown in
# quote marks of its own.
LEADING_MARKS = re.compile(r"[\s•·▪►*\-–—\"“”'‘’«»]*")
WORD = re.compile(r"\S+")


def opening_words(
    text: str, *, words: int = OPENING_WORDS, max_length: int = OPENING_MAX_LENGTH
) -> str:
    """The first words of a text, cut on a word boundary, with an ellipsis when there are more.

    At most `max_length` characters, the ellipsis included; a first word longer than that
    (an address) is cut. Only the start of the text is read, however long it is.
    """
    start = LEADING_MARKS.match(text).end()
    kept, length = [], 0
    for match in WORD.finditer(text, start):
        word = match.group()
        if len(kept) == words or length + len(word) >= max_length:
            break
        kept.append(word)
        length += len(word) + 1
    else:
        return " ".join(kept)
    if not kept:
        return text[start : start + max_length - 1] + "…"
    return " ".join(kept).rstrip(",;:–—-") + "…"


# --- Outlets -------------------------------------------------------------------------


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", "Newspaper"
    MAGAZINE = "magazine", "Magazine"
    WIRE = "wire", "Wire service"
    BROADCASTER = "broadcaster", "Broadcaster"
    DIGITAL = "digital", "Digital news site"
    BLOG = "blog", "Blog or column"
    AGGREGATOR = "aggregator", "Aggregator"
    OTHER = "other", "Other"


class OutletQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: outlets with at least one public article."""
        return self.filter(
            models.Exists(Article.objects.public().filter(outlet=models.OuterRef("pk")))
        )


class Outlet(Timestamped, Versioned):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(
        blank=True, validators=WEB_URL_VALIDATORS, help_text="Leave blank when unknown."
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. IT; blank if unknown."
    )
    language = models.CharField(
        max_length=12, blank=True, help_text="Main language as a BCP 47 tag, e.g. it or en."
    )
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    description = models.TextField(blank=True)

    objects = OutletQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
            models.CheckConstraint(
                condition=web_address("homepage"), name="outlet_homepage_is_web_address"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("factcheck:outlet_detail", kwargs={"slug": self.slug})


class OutletAliasKind(models.TextChoices):
    NAME = "name", "Name or abbreviation"
    DOMAIN = "domain", "Web domain"


def alias_key(value: str, *, kind: str) -> str:
    """The form aliases are compared in: case-folded, spaces collapsed, a leading "the"
    dropped from names ("The FT" is "ft"), "www." dropped from domains."""
    value = " ".join(value.split()).casefold()
    if kind == OutletAliasKind.DOMAIN:
        value = value.removeprefix("www.").rstrip(".")
    elif value.startswith("the "):
        value = value[4:]
    return value


class OutletAlias(Timestamped):
    """Another name an outlet goes by ("FT", "Financial Times") or a domain it publishes on.

    Importers and the credited-source finder resolve names and domains through these; a
    key belongs to one outlet only, so a name never resolves two ways.
    """

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(
        max_length=10, choices=OutletAliasKind.choices, default=OutletAliasKind.NAME
    )
    alias = models.CharField(
        max_length=200, help_text='As written in texts, e.g. "FT", or a domain such as ft.com.'
    )
    key = models.CharField(max_length=200, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["outlet", "kind", "alias"]
        verbose_name_plural = "outlet aliases"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="outlet_alias_key_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=OutletAliasKind.values), name="outlet_alias_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(key=""), name="outlet_alias_key_not_empty"),
        ]

    def __str__(self):
        return f"{self.alias} → {self.outlet}"

    def clean(self):
        super().clean()
        self.key = alias_key(self.alias, kind=self.kind)
        if not self.key:
            raise ValidationError({"alias": "An alias needs at least one character."})


# --- Articles ------------------------------------------------------------------------


# Whether some article down the retelling chains from this one is quoted by a public
# claim, or credited as the source of such a quote (it, or a report retelling it): the
# walk goes down from the article in hand, so each probe reads only its own retellings
# (article `retells` index), and stops at the first quoted one.
RETOLD_INTO_PUBLIC_SQL = """
EXISTS (
    WITH RECURSIVE retold(id) AS (
        SELECT retelling.id FROM factcheck_article AS retelling
        WHERE retelling.retells_id = {article_id}
        UNION
        SELECT retelling.id FROM factcheck_article AS retelling
        JOIN retold ON retelling.retells_id = retold.id
    )
    SELECT 1 FROM retold
    JOIN factcheck_appearance AS appearance ON appearance.article_id = retold.id
    JOIN factcheck_claim AS claim ON claim.id = appearance.claim_id
    WHERE claim.status IN (%s, %s) AND appearance.anchor_status <> %s
    UNION ALL
    SELECT 1 FROM factcheck_appearance AS appearance
    JOIN factcheck_claim AS claim ON claim.id = appearance.claim_id
    WHERE appearance.credited_source_id = {article_id} AND claim.status IN (%s, %s)
      AND appearance.anchor_status <> %s
    UNION ALL
    SELECT 1 FROM retold
    JOIN factcheck_appearance AS appearance ON appearance.credited_source_id = retold.id
    JOIN factcheck_claim AS claim ON claim.id = appearance.claim_id
    WHERE claim.status IN (%s, %s) AND appearance.anchor_status <> %s
)
"""


# AnchorStatus.ORPHANED (models/evidence.py imports this module): a quote lost to a
# correction makes no article public.
ORPHANED = "orphaned"


class RetoldIntoPublic(models.Expression):
    """True for an article upstream of one a public claim quotes, however far up.

    An expression over the article's own id rather than raw SQL, so the id is written
    with whatever alias the query gives the table, inside subqueries too.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, statuses):
        super().__init__()
        self.statuses = list(statuses)
        self.article_id = F("pk")

    def get_source_expressions(self):
        return [self.article_id]

    def set_source_expressions(self, exprs):
        [self.article_id] = exprs

    def as_sql(self, compiler, connection):
        article_id, params = compiler.compile(self.article_id)
        # The article id appears twice: walking down its retellings, and as a credited source.
        return RETOLD_INTO_PUBLIC_SQL.replace("{article_id}", article_id), [
            *params,
            *self.statuses,
            ORPHANED,
            *params,
            *self.statuses,
            ORPHANED,
            *self.statuses,
            ORPHANED,
        ]


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: articles a published or retracted claim stands on.

        An article is public when an appearance of a public claim quotes it, or when it
        is upstream of such an article (its origin, or any report on the way there), so
        a retelling's chain never leads to a missing page. Everything else (a test paste,
        an article only drafts quote) has no page and counts in no figure.
        """
        from factcheck.models.claims import ReviewStatus
        from factcheck.models.evidence import Appearance

        public_statuses = [ReviewStatus.PUBLISHED.value, ReviewStatus.RETRACTED.value]
        quoted = Appearance.objects.public()
        # Quoted, or upstream of a quoted article. Most articles are quoted themselves,
        # so the walk down the chains runs only for the few that are not.
        return self.filter(
            models.Exists(quoted.filter(article=models.OuterRef("pk")))
            | RetoldIntoPublic(public_statuses)
        )

    def archived(self):
        return self.filter(is_archived=True)

    def for_detail(self):
        return self.select_related("outlet", "origin__outlet", "retells__outlet")


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class Article(Timestamped, Versioned):
    """A news text, or an upstream report we know of but have not archived."""

    outlet = models.ForeignKey(
        Outlet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Leave empty when the text does not say who published it.",
    )
    title = models.CharField(max_length=500, blank=True, help_text="Blank when unknown.")
    url = models.URLField(
        max_length=1000, blank=True, validators=WEB_URL_VALIDATORS, help_text="Blank when unknown."
    )
    author = models.CharField(max_length=200, blank=True, help_text="Blank when unknown.")
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="With month precision store the 1st of the month; with year precision, 1 January.",
    )
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    language = models.CharField(max_length=12, help_text="BCP 47 tag of the text, e.g. it.")
    text = models.TextField(
        blank=True,
        validators=[
            MaxLengthValidator(
                ARTICLE_TEXT_MAX_LENGTH,
                message="An article text may have at most %(limit_value)s characters; this "
                "one has %(show_value)s. Keep the part of the article that is quoted.",
            )
        ],
        help_text=f"The full text, verbatim, at most {ARTICLE_TEXT_MAX_LENGTH:,} characters. "
        "Quotes are checked against it.",
    )
    is_archived = models.BooleanField(
        default=True,
        help_text="Off for an upstream report we know of but whose text we do not hold.",
    )
    opening = models.CharField(
        max_length=OPENING_MAX_LENGTH,
        blank=True,
        editable=False,
        help_text="The first words of the text, which name an untitled article in lists.",
    )
    retells = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retellings",
        help_text="The upstream report this article retells, if any.",
    )
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        # An original is its own origin; PROTECT here would make it undeletable. Deleting
        # an origin that others retell is refused by `retells` anyway.
        on_delete=models.SET_NULL,
        related_name="descendants",
        help_text="First report up the retelling chain; the article itself if original.",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["origin", "opening", "version"])

    class Meta:
        ordering = ["-published_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(retells=F("pk")), name="article_does_not_retell_itself"
            ),
            models.CheckConstraint(
                condition=Q(is_archived=False) | ~Q(text=""),
                name="article_archived_has_text",
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_precision="unknown", published_on__isnull=True)
                    | (
                        Q(date_precision__in=["day", "month", "year"])
                        & Q(published_on__isnull=False)
                    )
                ),
                name="article_date_matches_precision",
            ),
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_known"
            ),
            models.CheckConstraint(condition=web_address("url"), name="article_url_is_web_address"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), ARTICLE_TEXT_MAX_LENGTH),
                name="article_text_within_limit",
            ),
        ]
        indexes = [
            models.Index(fields=["origin"], name="article_origin_idx"),
            # Lets the language filters list the few languages without reading every article.
            models.Index(fields=["language"], name="article_language_idx"),
            # The home page's figures count archived articles and their distinct origins.
            models.Index(
                fields=["origin"], condition=Q(is_archived=True), name="article_archived_origin_idx"
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("factcheck:article_detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        """The headline, or for an untitled text its opening words, so lists tell them apart.

        The title itself stays blank: an unknown headline is not invented. The opening is
        stored with the row (see clean), so a list names its articles without their texts;
        a report we hold no text of is named by its outlet and date.
        """
        if self.title:
            return self.title
        if self.opening:
            return f"“{self.opening}”"
        if self.outlet_id:
            return gettext("Report by %(outlet)s, %(date)s") % {
                "outlet": self.outlet.name,
                "date": self.display_date,
            }
        return gettext("Report by an unnamed outlet, %(date)s") % {"date": self.display_date}

    @property
    def origin_or_self(self) -> "Article":
        """The origin agreement counts this article under (itself until its origin is set)."""
        return self.origin if self.origin_id else self

    @property
    def display_date(self) -> str:
        """The publication date written only as precisely as it is known."""
        if self.published_on is None:
            return "date unknown"
        if self.date_precision == DatePrecision.YEAR:
            return self.published_on.strftime("%Y")
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.strftime("%B %Y")
        return self.published_on.strftime("%-d %B %Y")

    @property
    def iso_date(self) -> str:
        """The date for `<time datetime>` and schema.org, cut to its precision (2025-11)."""
        if self.published_on is None:
            return ""
        if self.date_precision == DatePrecision.YEAR:
            return self.published_on.strftime("%Y")
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.strftime("%Y-%m")
        return self.published_on.isoformat()

    def clean(self):
        super().clean()
        if self.is_archived and not self.text:
            raise ValidationError({"text": "An archived article needs its full text."})
        # Every write validates first, so a corrected text renews its label here.
        self.opening = opening_words(self.text)
        if (self.published_on is None) != (self.date_precision == DatePrecision.UNKNOWN):
            raise ValidationError(
                {"date_precision": "Give a date with its precision, or neither (unknown)."}
            )
        if self.published_on is not None:
            # Store imprecise dates on their first day so sorting and display agree.
            if self.date_precision == DatePrecision.MONTH:
                self.published_on = self.published_on.replace(day=1)
            elif self.date_precision == DatePrecision.YEAR:
                self.published_on = self.published_on.replace(month=1, day=1)
        self.find_origin()

    def find_origin(self) -> "Article":
        """Walk the retelling links up to the first report; refuse a chain with a cycle."""
        upstream, seen = self, set()
        while upstream.retells_id is not None:
            if upstream.pk is not None:
                seen.add(upstream.pk)
            upstream = upstream.retells
            if upstream.pk in seen:
                raise ValidationError(
                    {"retells": "This link would make the retelling chain a cycle."}
                )
        return upstream
