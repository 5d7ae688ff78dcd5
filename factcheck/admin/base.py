"""Shared pieces of the editors' admin: history on every model, appearance inlines."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from factcheck.models import (
    Appearance,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every editorial model keeps its full history, viewable and revertible per object."""

    history_list_display = ["changed_fields"]

    @admin.display(description="Changed")
    def changed_fields(self, record):
        previous = record.prev_record
        if previous is None:
            return "created"
        return ", ".join(change.field for change in record.diff_against(previous).changes) or "—"


def excerpt(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


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
