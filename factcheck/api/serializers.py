"""What the API writes for each record: the fields reader pages show, never editor notes.

Every serializer names its fields: a new model field reaches no client until it is added
here, so an internal column (editor_note, reviewed_by, pending evidence) cannot leak by
default. Related rows are read from what the selectors already loaded: no queries here.
"""

import functools

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factcheck.models import (
    AgreementLabel,
    Appearance,
    Article,
    Claim,
    ClaimantKind,
    ContradictionKind,
    ContradictionStatus,
    DatePrecision,
    Outlet,
    OutletKind,
    ReviewStatus,
    Stance,
    Verdict,
)
from factcheck.templatetags.reader import http_url


def absolute(serializer, path: str) -> str:
    """`path` on this site, absolute; the site's address is worked out once per answer."""
    context = serializer.context
    if "site" not in context:
        request = context.get("request")
        context["site"] = request.build_absolute_uri("/")[:-1] if request is not None else ""
    return context["site"] + path


# A value every URL pattern here accepts (int or slug), to reverse each pattern once: a
# claim quoted 500 times links 1,500 records, and reverse() per link was most of the cost.
PLACEHOLDER = "0000000000"


@functools.cache
def path_template(view_name: str, lookup: str) -> tuple[str, str]:
    path = reverse(view_name, kwargs={lookup: PLACEHOLDER})
    head, _, tail = path.partition(PLACEHOLDER)
    return head, tail


def path_to(view_name: str, lookup: str, value) -> str:
    head, tail = path_template(view_name, lookup)
    return f"{head}{value}{tail}"


# Each model's reader page, as its get_absolute_url() builds it.
READER_PAGES = {
    Claim: ("factcheck:claim_detail", "slug"),
    Article: ("factcheck:article_detail", "pk"),
    Outlet: ("factcheck:outlet_detail", "slug"),
}


def reader_path(record) -> str:
    if isinstance(record, Appearance):
        return f"{reader_path(record.article)}#{record.anchor_id}"
    view_name, lookup = READER_PAGES[type(record)]
    return path_to(view_name, lookup, getattr(record, lookup))


class WebAddressField(serializers.CharField):
    """A stored address only if it is safe to follow (http or https), else ""."""

    def to_representation(self, value):
        return http_url(value)


class ReaderPageField(serializers.Field):
    """The absolute address of the record's reader page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self, reader_path(value))


extend_schema_field({"type": "string", "format": "uri"})(ReaderPageField)


class ApiLinkField(serializers.Field):
    """The absolute address of the record in this API."""

    def __init__(self, view_name: str, lookup: str, **kwargs):
        self.view_name, self.lookup = view_name, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self, path_to(self.view_name, self.lookup, getattr(value, self.lookup)))


extend_schema_field({"type": "string", "format": "uri"})(ApiLinkField)


# --- Outlets and articles --------------------------------------------------------------


# The serializers of rows a claim page repeats hundreds of times write their dicts
# directly, field for field as declared (the declarations make the schema): DRF's
# field-by-field machinery was most of the time of a claim quoted 500 times.


class OutletRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    api_url = ApiLinkField("api:outlet-detail", "slug")

    def to_representation(self, outlet):
        return outlet_ref(self, outlet)


def outlet_ref(serializer, outlet) -> dict | None:
    if outlet is None:
        return None
    return {
        "slug": outlet.slug,
        "name": outlet.name,
        "api_url": absolute(serializer, path_to("api:outlet-detail", "slug", outlet.slug)),
    }


class OutletSerializer(OutletRefSerializer):
    to_representation = serializers.Serializer.to_representation

    page_url = ReaderPageField()
    homepage = WebAddressField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2, or empty when unknown.")
    language = serializers.CharField(help_text="BCP 47 tag, or empty when unknown.")
    kind = serializers.ChoiceField(choices=OutletKind.choices)
    description = serializers.CharField()


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="Empty when the headline is unknown.")
    url = WebAddressField(help_text="The original address, or empty when unknown.")
    published_on = serializers.CharField(
        source="iso_date",
        help_text="Written to its precision: 2025, 2025-11 or 2025-11-23; empty when unknown.",
    )
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    is_archived = serializers.BooleanField(
        help_text="False for an upstream report we know of but whose text we do not hold."
    )
    outlet = OutletRefSerializer(allow_null=True)
    api_url = ApiLinkField("api:article-detail", "pk")

    def to_representation(self, article):
        return article_ref(self, article)


def article_ref(serializer, article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": http_url(article.url),
        "published_on": article.iso_date,
        "date_precision": article.date_precision,
        "is_archived": article.is_archived,
        "outlet": outlet_ref(serializer, article.outlet) if article.outlet_id else None,
        "api_url": absolute(serializer, path_to("api:article-detail", "pk", article.pk)),
    }


class ArticleSerializer(ArticleRefSerializer):
    # The full machinery again: lists of articles are short pages.
    to_representation = serializers.Serializer.to_representation

    page_url = ReaderPageField()
    language = serializers.CharField()
    author = serializers.CharField()
    retells = serializers.IntegerField(
        source="retells_id", allow_null=True, help_text="The article this one retells."
    )
    origin = serializers.IntegerField(
        source="origin_id",
        allow_null=True,
        help_text="The first report up the retelling chain: the independent origin.",
    )


class ClaimRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    statement = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    api_url = ApiLinkField("api:claim-detail", "slug")

    def to_representation(self, claim):
        return {
            "slug": claim.slug,
            "statement": claim.statement,
            "verdict": claim.verdict,
            "api_url": absolute(self, path_to("api:claim-detail", "slug", claim.slug)),
        }


class QuoteSerializer(serializers.Serializer):
    """An appearance seen from its article: which claim the quote states."""

    id = serializers.IntegerField()
    claim = ClaimRefSerializer()
    quote = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset of the quote in the text, in code points.")
    end = serializers.IntegerField()
    stance = serializers.ChoiceField(choices=Stance.choices)
    attribution = serializers.CharField()
    translation = serializers.CharField()


class ArticleDetailSerializer(ArticleSerializer):
    quotes = QuoteSerializer(many=True, source="api_quotes")
    text = serializers.SerializerMethodField(
        help_text="The full text, only where the licence allows it (API_ARTICLE_TEXT); "
        "otherwise null."
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_text(self, article):
        return article.text if settings.API_ARTICLE_TEXT and article.is_archived else None


# --- Claims ----------------------------------------------------------------------------


class AgreementSummarySerializer(serializers.Serializer):
    label = serializers.ChoiceField(source="agreement_label", choices=AgreementLabel.choices)
    score = serializers.FloatField(
        source="agreement_score",
        allow_null=True,
        help_text="From -1 (refuted) to 1 (corroborated); null when no origin takes a position.",
    )
    supporting_origins = serializers.IntegerField()
    refuting_origins = serializers.IntegerField()


class ClaimantSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=ClaimantKind.choices)
    description = serializers.CharField()
    url = WebAddressField(help_text="An authoritative page about the claimant, or empty.")


class ClaimListSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    statement = serializers.CharField()
    claimant = ClaimantSerializer(
        allow_null=True, help_text="Who made the claim, when the editors know."
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_label = serializers.CharField(source="get_verdict_display")
    agreement = AgreementSummarySerializer(source="*")
    article_count = serializers.IntegerField()
    origin_count = serializers.IntegerField(help_text="Independent origins behind the articles.")
    open_contradictions = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    page_url = ReaderPageField()
    api_url = ApiLinkField("api:claim-detail", "slug")


class AgreementSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=AgreementLabel.choices)
    reason = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    supporting_origins = serializers.IntegerField(source="supporting")
    refuting_origins = serializers.IntegerField(source="refuting")
    qualifying_origins = serializers.IntegerField(source="qualifying")
    mentioning_origins = serializers.IntegerField(source="mentioning")
    appearances = serializers.IntegerField()
    articles = serializers.IntegerField()
    origins = serializers.IntegerField()


class OriginEvidenceSerializer(serializers.Serializer):
    origin = ArticleRefSerializer()
    stances = serializers.ListField(child=serializers.ChoiceField(choices=Stance.choices))
    articles = serializers.SerializerMethodField(help_text="Ids of the articles retelling it.")

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_articles(self, item):
        return [article.pk for article in item.articles]

    def to_representation(self, item):
        return {
            "origin": article_ref(self, item.origin),
            "stances": item.stances,
            "articles": self.get_articles(item),
        }


class AppearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = ArticleRefSerializer()
    quote = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset of the quote in the text, in code points.")
    end = serializers.IntegerField()
    stance = serializers.ChoiceField(choices=Stance.choices)
    attribution = serializers.CharField()
    translation = serializers.CharField()
    page_url = ReaderPageField(help_text="The quote marked in its article's page.")

    def to_representation(self, appearance):
        return {
            "id": appearance.pk,
            "article": article_ref(self, appearance.article),
            "quote": appearance.quote,
            "start": appearance.start,
            "end": appearance.end,
            "stance": appearance.stance,
            "attribution": appearance.attribution,
            "translation": appearance.translation,
            "page_url": absolute(self, reader_path(appearance)),
        }


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    note = serializers.CharField()
    previous_statement = serializers.CharField()
    new_statement = serializers.CharField()
    previous_verdict = serializers.ChoiceField(choices=Verdict.choices)
    new_verdict = serializers.ChoiceField(choices=Verdict.choices)


class CorrectionListSerializer(CorrectionSerializer):
    claim = ClaimRefSerializer()


class ClaimContradictionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ContradictionKind.choices)
    status = serializers.ChoiceField(choices=ContradictionStatus.choices)
    explanation = serializers.CharField()
    other_claim = ClaimRefSerializer()
    superseded_claim = serializers.SlugField(
        source="superseded_claim.slug", allow_null=True, default=None
    )
    updated_at = serializers.DateTimeField()


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=["published", "corrected", "retracted", "new_reporting", "verdict_kept"]
    )
    verdict = serializers.CharField(help_text="The verdict published or retracted, if any.")
    note = serializers.CharField()
    correction = serializers.IntegerField(source="correction.pk", allow_null=True, default=None)


class ClaimDetailSerializer(ClaimListSerializer):
    status = serializers.ChoiceField(
        choices=[(ReviewStatus.PUBLISHED, "Published"), (ReviewStatus.RETRACTED, "Retracted")],
        help_text="A retracted claim keeps its record, with the retraction note; its verdict "
        "no longer stands.",
    )
    context = serializers.CharField()
    verdict_summary = serializers.CharField()
    retraction_note = serializers.CharField()
    reporting_under_review = serializers.BooleanField(
        help_text="New reporting waits for a reviewer; what is shown is the reviewed evidence."
    )
    agreement = AgreementSerializer(source="api_breakdown.agreement")
    origins = OriginEvidenceSerializer(many=True, source="api_breakdown.origins")
    appearances = AppearanceSerializer(many=True, source="api_appearances")
    contradictions = ClaimContradictionSerializer(many=True, source="api_contradictions")
    corrections = CorrectionSerializer(many=True, source="api_corrections")
    history = HistoryEntrySerializer(many=True, source="api_history")


class ContradictionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ContradictionKind.choices)
    status = serializers.ChoiceField(choices=ContradictionStatus.choices)
    explanation = serializers.CharField()
    claim_a = ClaimRefSerializer()
    claim_b = ClaimRefSerializer()
    superseded_claim = serializers.SlugField(
        source="superseded_claim.slug", allow_null=True, default=None
    )
    updated_at = serializers.DateTimeField()


class ErrorSerializer(serializers.Serializer):
    """A refused request: `detail`, or one list of messages per parameter at fault."""

    detail = serializers.CharField(required=False)
