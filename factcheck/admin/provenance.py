"""Provenance suggestions: the machine's findings, each decided by an editor in one click.

The Article change page shows the article's suggestions in a panel (ProvenancePanelMixin);
every button posts to one decide view here, which calls services.provenance. The
suggestions also have their own list, filtered to the open ones, with actions.
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from factcheck.admin.base import excerpt
from factcheck.models import (
    Article,
    ProvenanceSuggestion,
    Relation,
    SuggestionKind,
    SuggestionStatus,
)
from factcheck.services import provenance

PANEL_DECIDED_SHOWN = 20
PANEL_REPORTS_PER_OUTLET = 5


def _error_text(error) -> str:
    return "; ".join(getattr(error, "messages", None) or [str(error)])


def _decide(request, suggestion: ProvenanceSuggestion, decision: str, upstream_id: str = ""):
    """Apply one decision and tell the editor what happened; errors become messages."""
    try:
        if decision in ("reject", Relation.UNRELATED):
            provenance.suggestion_reject(suggestion=suggestion, user=request.user)
            messages.success(request, f"Recorded: {suggestion} No.")
            return
        upstream = None
        if upstream_id:
            upstream = (
                Article.objects.filter(pk=int(upstream_id)).first()
                if upstream_id.isdigit()
                else None
            )
            if upstream is None:
                raise ValidationError("The report chosen no longer exists.")
        if decision in (Relation.RETELLS, Relation.SAME_ORIGIN, "accept"):
            relation = Relation.RETELLS if decision == "accept" else decision
            decided = provenance.suggestion_accept(
                suggestion=suggestion, user=request.user, relation=relation, upstream=upstream
            )
        else:
            raise ValidationError(f"Unknown decision “{decision}”.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return
    article = Article.objects.get(pk=decided.article_id)
    if article.retells_id != decided.upstream_id:
        messages.warning(
            request,
            "Accepted. The new retelling link changes the agreement of public claims, so it "
            "waits for a Reviewer.",
        )
    else:
        messages.success(request, f"Accepted: “{article}” now retells “{decided.upstream}”.")


def panel_context(*, article_id: int) -> dict:
    """The article's suggestions for the panel: open ones with what each button does,
    then the latest decisions. Four queries."""
    suggestions = list(
        ProvenanceSuggestion.objects.filter(article_id=article_id)
        .for_panel()
        .order_by("-status", "kind", "-similarity", "start", "pk")
    )
    open_ones = [item for item in suggestions if item.status == SuggestionStatus.OPEN]
    decided = [item for item in suggestions if item.status != SuggestionStatus.OPEN]
    decided.sort(key=lambda item: item.decided_at, reverse=True)
    text = Article.objects.filter(pk=article_id).values_list("text", flat=True).first() or ""
    outlets = {item.outlet_id for item in open_ones if item.kind == SuggestionKind.CREDIT}
    reports = defaultdict(list)
    if outlets:
        known = (
            Article.objects.filter(outlet_id__in=outlets, is_archived=False)
            .exclude(pk=article_id)
            .select_related("outlet")
            .order_by("-published_on", "-pk")
        )
        for report in known:
            if len(reports[report.outlet_id]) < PANEL_REPORTS_PER_OUTLET:
                reports[report.outlet_id].append(report)
    rows = []
    for item in open_ones:
        passages = [
            excerpt(text[passage["start"] : passage["end"]], 160) for passage in item.shared[:3]
        ]
        rows.append(
            {
                "suggestion": item,
                "passages": passages,
                "more_passages": max(0, len(item.shared) - 3),
                "reports": reports.get(item.outlet_id, []),
            }
        )
    return {"open": rows, "decided": decided[:PANEL_DECIDED_SHOWN]}


class ProvenancePanelMixin:
    """For the Article admin: the provenance panel above the change form."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if (
            object_id
            and str(object_id).isdigit()
            and request.user.has_perm(provenance.DECIDE_PERMISSION)
        ):
            extra_context["provenance"] = panel_context(article_id=int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        # After the article and its quotes are saved: look for where the text comes from.
        super().save_related(request, form, formsets, change)
        if request.user.has_perm(provenance.DECIDE_PERMISSION):
            provenance.article_suggestions_refresh(article=form.instance)


@admin.register(ProvenanceSuggestion)
class ProvenanceSuggestionAdmin(SimpleHistoryAdmin):
    list_display = [
        "article",
        "kind",
        "suggested",
        "similarity_shown",
        "phrase",
        "status",
        "relation",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind", "relation"]
    list_select_related = ["article__outlet", "other__outlet", "outlet", "decided_by"]
    search_fields = ["article__title", "other__title", "outlet__name", "name", "phrase"]
    actions = ["accept_retells", "accept_same_origin", "reject"]
    fields = [
        "article",
        "kind",
        "other",
        "similarity",
        "outlet",
        "name",
        "phrase",
        "start",
        "end",
        "status",
        "relation",
        "upstream",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # the machine proposes; editors decide

    def has_delete_permission(self, request, obj=None):
        return False  # decisions are the record of why a link was or was not made

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: decisions go through the buttons and actions

    @admin.display(description="Suggested")
    def suggested(self, suggestion):
        if suggestion.kind == SuggestionKind.CREDIT:
            return format_html("retells a report by {}", suggestion.outlet)
        return format_html("resembles “{}”", suggestion.other)

    @admin.display(description="Similarity", ordering="similarity")
    def similarity_shown(self, suggestion):
        return "—" if suggestion.similarity is None else f"{suggestion.similarity:.0%}"

    def _apply(self, request, queryset, decision: str, *, kind: str | None = None) -> None:
        for suggestion in queryset.filter(status=SuggestionStatus.OPEN).order_by("pk"):
            if kind and suggestion.kind != kind:
                messages.warning(
                    request, f"Skipped “{suggestion}”: that decision is for near-duplicates."
                )
                continue
            _decide(request, suggestion, decision)

    @admin.action(
        description="Accept: the article retells the suggested one (or the credited outlet's report)",
        permissions=["change"],
    )
    def accept_retells(self, request, queryset):
        self._apply(request, queryset, Relation.RETELLS)

    @admin.action(description="Accept near-duplicates: same origin", permissions=["change"])
    def accept_same_origin(self, request, queryset):
        self._apply(request, queryset, Relation.SAME_ORIGIN, kind=SuggestionKind.NEAR_DUPLICATE)

    @admin.action(description="Reject (near-duplicates: unrelated)", permissions=["change"])
    def reject(self, request, queryset):
        self._apply(request, queryset, "reject")

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="factcheck_provenancesuggestion_decide",
            ),
            path(
                "refresh/<int:article_id>/",
                self.admin_site.admin_view(self.refresh_view),
                name="factcheck_provenancesuggestion_refresh",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        suggestion = get_object_or_404(ProvenanceSuggestion, pk=pk)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        upstream_id = request.POST.get("upstream", "")
        # A button naming one of the outlet's known reports accepts with that report.
        decision = request.POST.get("decision") or ("accept" if upstream_id else "")
        _decide(request, suggestion, decision, upstream_id)
        return HttpResponseRedirect(
            reverse("admin:factcheck_article_change", args=[suggestion.article_id])
        )

    def refresh_view(self, request, article_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        found = provenance.article_suggestions_refresh(article=article)
        messages.info(request, f"{len(found)} open provenance suggestion(s) for this article.")
        return HttpResponseRedirect(reverse("admin:factcheck_article_change", args=[article.pk]))
