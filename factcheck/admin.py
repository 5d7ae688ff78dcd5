"""The editors' admin. Every save goes through services.py, so derived state stays right."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from factcheck import services
from factcheck.agreement import claim_agreement_breakdown
from factcheck.models import Appearance, Article, Claim, Contradiction, Outlet
from factcheck.selectors import claim_appearances


def excerpt(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "language", "article_total"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_total(self, outlet):
        return outlet.article_total


class AppearanceInlineBase(admin.StackedInline):
    model = Appearance
    extra = 0
    fields = ["quote", "start", "stance", "attribution", "translation", "editor_note"]
    readonly_fields = ["end"]
    show_change_link = True


class ClaimAppearanceInline(AppearanceInlineBase):
    fields = ["article", *AppearanceInlineBase.fields]
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article__outlet")


class ArticleAppearanceInline(AppearanceInlineBase):
    fields = ["claim", *AppearanceInlineBase.fields]
    autocomplete_fields = ["claim"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "outlet",
            "author",
            "url",
            "language",
            "published_on",
            "date_precision",
            "retells",
            "is_archived",
            "text",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if "text" in cleaned_data and self.instance.pk is not None:
            reanchoring = services.article_reanchoring(
                article=self.instance, new_text=cleaned_data["text"]
            )
            if reanchoring.broken:
                self.add_error("text", reanchoring.error())
        return cleaned_data


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "display_title",
        "outlet",
        "display_date",
        "language",
        "is_archived",
        "retells",
        "origin",
        "appearance_total",
    ]
    list_filter = ["outlet", "language", "is_archived", "date_precision"]
    list_select_related = ["outlet", "retells__outlet", "origin__outlet"]
    search_fields = ["title", "author", "url", "outlet__name", "text"]
    autocomplete_fields = ["outlet", "retells"]
    readonly_fields = ["origin", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "author", "url", "language"]}),
        ("Date", {"fields": ["published_on", "date_precision"]}),
        ("Provenance", {"fields": ["retells", "origin", "is_archived"]}),
        ("Text", {"fields": ["text"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ArticleAppearanceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(appearance_total=Count("appearances"))

    @admin.display(description="Title", ordering="title")
    def display_title(self, article):
        return article.display_title

    @admin.display(description="Published", ordering="published_on")
    def display_date(self, article):
        return article.display_date

    @admin.display(description="Appearances", ordering="appearance_total")
    def appearance_total(self, article):
        return article.appearance_total

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj)

    def save_related(self, request, form, formsets, change):
        # An inline may move an appearance from one claim to another: refresh both sides.
        article = form.instance
        claims_before = services.claims_affected_by_articles([article.pk])
        super().save_related(request, form, formsets, change)
        claims_after = services.claims_affected_by_articles([article.pk])
        services.claims_refresh_agreement(claim_ids=claims_before | claims_after)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "statement",
        "status",
        "verdict",
        "agreement_label",
        "agreement_score",
        "appearance_count",
        "article_count",
        "origin_count",
        "updated_at",
    ]
    list_filter = [
        "status",
        "verdict",
        "agreement_label",
        ("appearances__article__outlet", admin.RelatedOnlyFieldListFilter),
        "appearances__stance",
        "appearances__article__language",
    ]
    search_fields = ["statement", "context", "slug"]
    prepopulated_fields = {"slug": ["statement"]}
    readonly_fields = [
        "agreement_label",
        "agreement_score",
        "agreement_breakdown",
        "reviewed_at",
        "reviewed_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "context"]}),
        ("Review", {"fields": ["status", "verdict", "verdict_summary", "editor_note"]}),
        (
            "Agreement (computed from the appearances)",
            {"fields": ["agreement_label", "agreement_score", "agreement_breakdown"]},
        ),
        (
            "Record",
            {
                "fields": ["reviewed_at", "reviewed_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ClaimAppearanceInline]

    @admin.display(description="Why this label")
    def agreement_breakdown(self, claim):
        if claim.pk is None:
            return "Computed once the claim has appearances."
        breakdown = claim_agreement_breakdown(
            claim=claim, appearances=claim_appearances(claim=claim)
        )
        agreement = breakdown.agreement
        summary = format_html(
            "<p>{} Origins: {} supporting, {} refuting, {} qualifying, {} mentioning; "
            "{} appearances in {} articles from {} independent origins.</p>",
            agreement.reason,
            agreement.supporting,
            agreement.refuting,
            agreement.qualifying,
            agreement.mentioning,
            agreement.appearances,
            agreement.articles,
            agreement.origins,
        )
        rows = format_html_join(
            "",
            "<li><strong>{}</strong> ({}): {}</li>",
            (
                (
                    origin.origin,
                    ", ".join(origin.stances),
                    "; ".join(str(article) for article in origin.articles),
                )
                for origin in breakdown.origins
            ),
        )
        return format_html("{}<ul>{}</ul>", summary, rows)

    def save_model(self, request, obj, form, change):
        services.claim_save(claim=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.claims_refresh_agreement(claim_ids=[form.instance.pk])


@admin.register(Appearance)
class AppearanceAdmin(admin.ModelAdmin):
    list_display = ["quote_excerpt", "claim", "article", "stance", "attribution"]
    list_filter = [
        "stance",
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
        "article__language",
        "claim__status",
    ]
    list_select_related = ["claim", "article__outlet"]
    search_fields = ["quote", "translation", "attribution", "claim__statement"]
    autocomplete_fields = ["claim", "article"]
    fields = [
        "claim",
        "article",
        "quote",
        "start",
        "end",
        "prefix",
        "suffix",
        "stance",
        "attribution",
        "translation",
        "editor_note",
    ]
    readonly_fields = ["end", "prefix", "suffix"]

    @admin.display(description="Quote", ordering="quote")
    def quote_excerpt(self, appearance):
        return excerpt(appearance.quote)

    def save_model(self, request, obj, form, change):
        services.appearance_save(appearance=obj)

    def delete_model(self, request, obj):
        services.appearance_delete(appearance=obj)

    def delete_queryset(self, request, queryset):
        services.appearances_delete(appearances=queryset)


@admin.register(Contradiction)
class ContradictionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "updated_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["claim_a", "claim_b"]
    search_fields = ["claim_a__statement", "claim_b__statement", "explanation"]
    autocomplete_fields = ["claim_a", "claim_b", "superseded_claim"]
    fields = [
        "claim_a",
        "claim_b",
        "kind",
        "superseded_claim",
        "status",
        "explanation",
        "editor_note",
    ]

    def save_model(self, request, obj, form, change):
        services.contradiction_save(contradiction=obj)
