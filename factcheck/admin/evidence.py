"""Appearances and contradictions, each also editable on its own page."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from factcheck import services
from factcheck.admin.base import HistoryAdmin, excerpt, report_held
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
    autocomplete_fields = ["claim", "article", "credited_source"]
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
        "credited_source",
        "translation",
        "editor_note",
        "expected_version",
    ]
    readonly_fields = ["end", "prefix", "suffix"]

    @admin.display(description="Quote", ordering="quote")
    def quote_excerpt(self, appearance):
        return excerpt(appearance.quote)

    def save_model(self, request, obj, form, change):
        outcome = services.evidence_save(saves=[(obj, form.opened_version)], user=request.user)
        report_held(self, request, outcome)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:  # a held addition has no row yet
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(
                reverse("admin:factcheck_claim_change", args=[obj.claim_id])
            )
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request, obj):
        report_held(self, request, services.appearance_delete(appearance=obj, user=request.user))

    def delete_queryset(self, request, queryset):
        report_held(
            self, request, services.appearances_delete(appearances=queryset, user=request.user)
        )


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
        "expected_version",
    ]

    def save_model(self, request, obj, form, change):
        services.contradiction_save(
            contradiction=obj, user=request.user, expected_version=form.opened_version
        )
