"""Outlets and articles: where the evidence comes from."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from factcheck import services
from factcheck.admin.base import ArticleAppearanceInline, HistoryAdmin
from factcheck.models import (
    Article,
    Outlet,
)


@admin.register(Outlet)
class OutletAdmin(HistoryAdmin):
    list_display = ["name", "kind", "country", "language", "article_total"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_total(self, outlet):
        return outlet.article_total


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
class ArticleAdmin(HistoryAdmin):
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
