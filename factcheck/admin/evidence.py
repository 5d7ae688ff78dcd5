"""Appearances and contradictions, each also editable on its own page."""

from django.contrib import admin

from factcheck import services
from factcheck.admin.base import HistoryAdmin, excerpt
from factcheck.models import Appearance, Contradiction


@admin.register(Appearance)
class AppearanceAdmin(HistoryAdmin):
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
class ContradictionAdmin(HistoryAdmin):
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
