"""The API's endpoints: each chooses a public queryset, checks its parameters, serializes.

Anonymous and read-only: no authentication runs (a signed-in editor reads what everyone
reads; previews are the reader pages' business), only GET, HEAD and OPTIONS are allowed,
and the answer is JSON. Requests are throttled per client address (ReaderRateThrottle).
"""

from django.conf import settings
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Value, When
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from factcheck import selectors
from factcheck.agreement import claim_agreement_breakdown
from factcheck.api import serializers
from factcheck.api.caching import cached_answer
from factcheck.api.filters import ApiClaimFilter
from factcheck.api.pagination import KeysetPagination, Ordering, SortKey
from factcheck.api.throttling import ReaderRateThrottle
from factcheck.models import (
    Article,
    Claim,
    ContradictionKind,
    ContradictionStatus,
    Correction,
    Outlet,
)
from factcheck.models.claims import CLAIM_LIST_FIELDS

CLAIMANT_FIELDS = tuple(
    f"claimant__{name}" for name in ("id", "name", "slug", "kind", "description", "url")
)

# --- What every endpoint shares ----------------------------------------------------------


ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="A parameter is not valid."),
    429: OpenApiResponse(serializers.ErrorSerializer, description="Too many requests."),
}
NOT_FOUND = {404: OpenApiResponse(serializers.ErrorSerializer, description="No such record.")}


class PublicEndpoint(generics.GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ReaderRateThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]
    # The query parameters the endpoint reads; any other is refused, so that a typo is
    # told rather than silently ignored (and random parameters fill no cache).
    parameters: tuple[str, ...] = ()

    def check_parameters(self, request) -> None:
        unknown = sorted(set(request.query_params) - set(self.parameters))
        if unknown:
            allowed = ", ".join(self.parameters) or "none"
            raise ValidationError(
                {
                    "detail": f"Unknown parameter {', '.join(unknown)}: this endpoint reads {allowed}."
                }
            )
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise ValidationError({"detail": f"Give {', '.join(repeated)} once."})

    def get(self, request, *args, **kwargs):
        self.check_parameters(request)
        return cached_answer(request, lambda: self.answer(request, *args, **kwargs))


class PublicList(PublicEndpoint):
    pagination_class = KeysetPagination
    orderings: dict[str, Ordering] = {}
    default_sort = ""

    @property
    def ordering(self) -> Ordering:
        return self.orderings[self.sort]

    def check_parameters(self, request) -> None:
        super().check_parameters(request)
        self.sort = request.query_params.get("sort", self.default_sort)
        if self.sort not in self.orderings:
            choices = ", ".join(sorted(self.orderings, key=lambda name: name.lstrip("-")))
            raise ValidationError({"sort": [f"Sort by one of: {choices}."]})

    def answer(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data).data


def ascending_and_descending(name: str, *fields: str, nulls_last: bool = False) -> dict:
    """An order and its reverse, as the claims table offers them (sort=x, sort=-x)."""
    keys = [SortKey(field, nulls_last=nulls_last and field != "id") for field in fields]
    reverse_keys = [SortKey(key.field, descending=True, nulls_last=key.nulls_last) for key in keys]
    return {
        name: Ordering(name, tuple(keys)),
        f"-{name}": Ordering(f"-{name}", tuple(reverse_keys)),
    }


def sort_parameter(orderings: dict, default: str) -> OpenApiParameter:
    return OpenApiParameter(
        "sort",
        str,
        enum=sorted(orderings),
        default=default,
        description="The order of the list; a leading - reverses it.",
    )


# --- Claims --------------------------------------------------------------------------------

# The claims index's sorts (tables.ClaimTable), key for key, so a cursor page is read
# from the same indexes the reader index uses.
CLAIM_ORDERINGS = {
    **ascending_and_descending("statement", "statement", "id"),
    **ascending_and_descending("verdict", "verdict", "id"),
    **ascending_and_descending("agreement", "agreement_score", "id", nulls_last=True),
    **ascending_and_descending("article_count", "article_count", "id"),
    **ascending_and_descending("origin_count", "origin_count", "id"),
    **ascending_and_descending("open_contradictions", "open_contradictions", "id"),
    **ascending_and_descending("reviewed_at", "reviewed_at", "id", nulls_last=True),
}


@extend_schema(
    summary="Published claims",
    description="The claims index: its filters and sorts, a page at a time (follow `next`).",
    parameters=[
        sort_parameter(CLAIM_ORDERINGS, "statement"),
        OpenApiParameter("outlet", str, description="Quoted by this outlet (its slug)."),
        OpenApiParameter("language", str, description="Quoted in articles in this language."),
    ],
    responses={200: serializers.ClaimListSerializer(many=True), **ERRORS},
)
class ClaimList(PublicList):
    serializer_class = serializers.ClaimListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiClaimFilter
    orderings = CLAIM_ORDERINGS
    default_sort = "statement"
    parameters = ("sort", "cursor", "page_size", *ApiClaimFilter.base_filters)

    def get_queryset(self):
        return (
            selectors.claim_table_rows()
            .select_related("claimant")
            .only(*CLAIM_LIST_FIELDS, *CLAIMANT_FIELDS)
        )

    def check_parameters(self, request) -> None:
        super().check_parameters(request)
        # The index's select offers only these; anything else would be read as "either".
        value = request.query_params.get("has_contradictions")
        if value is not None and value not in ("true", "false"):
            raise ValidationError({"has_contradictions": ["Give true or false."]})


@extend_schema(
    summary="One claim and its public record",
    description="What the claim page shows: verdict, agreement explained by independent "
    "origin, every appearance, contradictions, corrections and history. A retracted claim "
    "answers too, with its retraction note; a renamed claim's old slug redirects (301).",
    responses={200: serializers.ClaimDetailSerializer, 301: None, **NOT_FOUND, **ERRORS},
)
class ClaimDetail(PublicEndpoint):
    serializer_class = serializers.ClaimDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        # The claim page's own queryset (views.ClaimDetailView), without the staff preview.
        return (
            Claim.objects.public()
            .with_open_contradictions()
            .annotate(
                reporting_under_review=ExpressionWrapper(
                    selectors.reporting_under_review(), output_field=BooleanField()
                )
            )
            .select_related("claimant")
            .defer("editor_note")
        )

    def answer(self, request, slug):
        claim = self.get_queryset().filter(slug=slug).first()
        if claim is None:
            renamed = selectors.claim_for_old_slug(slug=slug, claims=self.get_queryset())
            if renamed is None:
                raise NotFound("No published claim has this slug.")
            return HttpResponsePermanentRedirect(
                reverse("api:claim-detail", kwargs={"slug": renamed.slug})
            )
        appearances = selectors.claim_detail_appearances(claim=claim)
        corrections = selectors.claim_corrections(claim=claim)
        claim.api_appearances = appearances
        claim.api_breakdown = claim_agreement_breakdown(claim=claim, appearances=appearances)
        claim.api_corrections = corrections
        claim.api_history = selectors.claim_public_history(claim=claim, corrections=corrections)
        # As on the claim page: a retracted claim's conflicts are no longer argued.
        claim.api_contradictions = (
            [
                contradiction_from(claim, contradiction)
                for contradiction in selectors.claim_contradictions(claim=claim)
            ]
            if claim.is_published
            else []
        )
        claim.reporting_under_review = claim.is_published and claim.reporting_under_review
        return self.get_serializer(claim).data


def contradiction_from(claim, contradiction):
    contradiction.other_claim = contradiction.other_claim(claim)
    return contradiction


# --- Articles and outlets --------------------------------------------------------------------

BY_ID = {"id": Ordering("id", (SortKey("id"),))}


@extend_schema(
    summary="Public articles",
    description="Articles a public claim quotes, and the reports upstream of them, by id.",
    parameters=[
        OpenApiParameter("outlet", str, description="Only this outlet's articles (its slug).")
    ],
    responses={200: serializers.ArticleSerializer(many=True), **ERRORS},
)
class ArticleList(PublicList):
    serializer_class = serializers.ArticleSerializer
    orderings = BY_ID
    default_sort = "id"
    parameters = ("cursor", "page_size", "outlet")

    def get_queryset(self):
        articles = (
            Article.objects.public().select_related("outlet").defer("text", "outlet__description")
        )
        slug = self.request.query_params.get("outlet")
        if slug is not None:
            outlet = Outlet.objects.public().filter(slug=slug).only("pk").first()
            if outlet is None:
                raise ValidationError({"outlet": [f"No public outlet has the slug “{slug[:60]}”."]})
            articles = articles.filter(outlet=outlet)
        return articles


@extend_schema(
    summary="One article with its quotes",
    description="Metadata and the quotes of published claims in it; the full text only where "
    "the licence allows it (the API_ARTICLE_TEXT setting), otherwise null.",
    responses={200: serializers.ArticleDetailSerializer, **NOT_FOUND, **ERRORS},
)
class ArticleDetail(PublicEndpoint):
    serializer_class = serializers.ArticleDetailSerializer

    def answer(self, request, pk):
        articles = Article.objects.public().select_related("outlet")
        if not settings.API_ARTICLE_TEXT:
            articles = articles.defer("text")
        article = articles.filter(pk=pk).first()
        if article is None:
            raise NotFound("No public article has this id.")
        article.api_quotes = list(selectors.article_quoted_appearances(article=article))
        return self.get_serializer(article).data


OUTLET_ORDERINGS = {"name": Ordering("name", (SortKey("name"), SortKey("id")))}


@extend_schema(
    summary="Public outlets",
    description="Outlets with at least one public article, by name.",
    responses={200: serializers.OutletSerializer(many=True), **ERRORS},
)
class OutletList(PublicList):
    serializer_class = serializers.OutletSerializer
    orderings = OUTLET_ORDERINGS
    default_sort = "name"
    parameters = ("cursor", "page_size")

    def get_queryset(self):
        return Outlet.objects.public()


@extend_schema(
    summary="One outlet",
    description="List its articles with /api/v1/articles/?outlet=<slug>.",
    responses={200: serializers.OutletSerializer, **NOT_FOUND, **ERRORS},
)
class OutletDetail(PublicEndpoint):
    serializer_class = serializers.OutletSerializer

    def answer(self, request, slug):
        outlet = Outlet.objects.public().filter(slug=slug).first()
        if outlet is None:
            raise NotFound("No public outlet has this slug.")
        return self.get_serializer(outlet).data


# --- Contradictions and corrections ----------------------------------------------------------

OPEN_FIRST = {
    "open_first": Ordering(
        "open_first",
        (SortKey("open_rank"), SortKey("updated_at", descending=True), SortKey("id")),
    )
}


@extend_schema(
    summary="Contradictions between published claims",
    description="Open ones first, then the latest changed, as on the contradictions page.",
    parameters=[
        OpenApiParameter("status", str, enum=ContradictionStatus.values),
        OpenApiParameter("kind", str, enum=ContradictionKind.values),
    ],
    responses={200: serializers.ContradictionSerializer(many=True), **ERRORS},
)
class ContradictionList(PublicList):
    serializer_class = serializers.ContradictionSerializer
    orderings = OPEN_FIRST
    default_sort = "open_first"
    parameters = ("cursor", "page_size", "status", "kind")

    def get_queryset(self):
        contradictions = selectors.contradictions_for_index().annotate(
            open_rank=Case(
                When(status=ContradictionStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        for name, choices in (("status", ContradictionStatus), ("kind", ContradictionKind)):
            value = self.request.query_params.get(name)
            if value is None:
                continue
            if value not in choices.values:
                raise ValidationError({name: [f"Give one of: {', '.join(choices.values)}."]})
            contradictions = contradictions.filter(**{name: value})
        return contradictions


NEWEST_FIRST = {
    "newest": Ordering(
        "newest", (SortKey("created_at", descending=True), SortKey("id", descending=True))
    )
}


@extend_schema(
    summary="Corrections",
    description="Every public correction of a published (or since retracted) claim, newest first.",
    responses={200: serializers.CorrectionListSerializer(many=True), **ERRORS},
)
class CorrectionList(PublicList):
    serializer_class = serializers.CorrectionListSerializer
    orderings = NEWEST_FIRST
    default_sort = "newest"
    parameters = ("cursor", "page_size")

    def get_queryset(self):
        return (
            Correction.objects.filter(claim__in=Claim.objects.public().values("pk"))
            .select_related("claim")
            .only(
                "pk",
                "note",
                "previous_statement",
                "new_statement",
                "previous_verdict",
                "new_verdict",
                "created_at",
                "claim__id",
                "claim__slug",
                "claim__statement",
                "claim__verdict",
            )
        )


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the reader site's page."""
    return JsonResponse({"detail": "No such endpoint: see /api/v1/docs/."}, status=404)
