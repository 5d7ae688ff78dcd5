"""Appearances and contradictions, each also editable on its own page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from factcheck import services
from factcheck.admin.base import HistoryAdmin, excerpt, report_held
from factcheck.models import AnchorStatus, Appearance, Contradiction


class QuoteAnchorFilter(admin.SimpleListFilter):
    """Articles by what corrections of their text did to their quotes."""

    title = "quotes after corrections"
    parameter_name = "quote_anchor"

    def lookups(self, request, model_admin):
        return [
            (AnchorStatus.NEEDS_CHECK, "With a quote to check"),
            (AnchorStatus.ORPHANED, "With an orphaned quote"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in (AnchorStatus.NEEDS_CHECK, AnchorStatus.ORPHANED):
            return queryset
        flagged = Appearance.objects.filter(article=OuterRef("pk"), anchor_status=self.value())
        return queryset.filter(Exists(flagged))


def report_quotes_to_check(model_admin, request, *, article) -> None:
    """After a correction of the text: say which quotes it left for an editor to look at."""
    counts = article.appearances.aggregate(
        needs_check=Count("pk", filter=Q(anchor_status=AnchorStatus.NEEDS_CHECK)),
        orphaned=Count("pk", filter=Q(anchor_status=AnchorStatus.ORPHANED)),
    )
    if not counts["needs_check"] and not counts["orphaned"]:
        return
    address = reverse("admin:factcheck_appearance_changelist")
    model_admin.message_user(
        request,
        format_html(
            "The text is saved. Its quotes: {} updated to corrected words and waiting for "
            "a check, {} orphaned (not found, hidden from readers). "
            '<a href="{}?article={}&amp;anchor_status__exact={}">Quotes to check</a>, '
            '<a href="{}?article={}&amp;anchor_status__exact={}">orphaned quotes</a>.',
            counts["needs_check"],
            counts["orphaned"],
            address,
            article.pk,
            AnchorStatus.NEEDS_CHECK,
            address,
            article.pk,
            AnchorStatus.ORPHANED,
        ),
        messages.WARNING,
    )


@admin.register(Appearance)
class AppearanceAdmin(HistoryAdmin):
    list_display = ["quote_excerpt", "claim", "article", "stance", "anchor_status", "attribution"]
    list_filter = [
        "anchor_status",
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
        "anchor_status",
        "expected_version",
    ]
    readonly_fields = ["end", "prefix", "suffix", "anchor_status"]
    actions = ["mark_checked"]

    @admin.display(description="Quote", ordering="quote")
    def quote_excerpt(self, appearance):
        return excerpt(appearance.quote)

    def save_model(self, request, obj, form, change):
        outcome = services.evidence_save(saves=[(obj, form.opened_version)], user=request.user)
        report_held(self, request, outcome)

    @admin.action(
        description="Mark the selected quotes checked (they still state the claim)",
        permissions=["change"],
    )
    def mark_checked(self, request, queryset):
        done, refused = 0, []
        skipped = queryset.exclude(anchor_status=AnchorStatus.NEEDS_CHECK).count()
        for appearance in queryset.filter(anchor_status=AnchorStatus.NEEDS_CHECK):
            try:
                services.appearance_check(appearance=appearance, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                reason = "; ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"“{excerpt(appearance.quote, 60)}”: {reason}")
        if done:
            self.message_user(request, f"Checked {done} quote(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected quote(s) were not flagged for a check and were left as they "
                "are; an orphaned quote is anchored again by editing its quote.",
                messages.WARNING,
            )
        for line in refused:
            self.message_user(request, f"Not checked: {line}", messages.ERROR)

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
