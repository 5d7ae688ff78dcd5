"""Shared pieces of the editors' admin: history on every model, appearance inlines."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from factcheck import services
from factcheck.admin.forms import EditorForm
from factcheck.models import Appearance


class TolerantAutocompleteSelect(AutocompleteSelect):
    """Django's widget looks the submitted ids up to show them again, and a value that is
    no id at all (text, NUL) made that lookup fail with a 500 on the form's re-display.
    Such values are left out of the lookup; the field itself says they are invalid."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        valid = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class TolerantAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AutocompleteSelect:
            formfield.widget.__class__ = TolerantAutocompleteSelect
        return formfield


class HistoryAdmin(TolerantAutocompleteMixin, SimpleHistoryAdmin):
    """Every editorial model keeps its full history, viewable and revertible per object."""

    form = EditorForm
    history_list_display = ["changed_fields"]

    @admin.display(description="Changed")
    def changed_fields(self, record):
        previous = record.prev_record
        if previous is None:
            return "created"
        return ", ".join(change.field for change in record.diff_against(previous).changes) or "—"


def excerpt(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def report_held(model_admin, request, outcome) -> None:
    if outcome.held:
        model_admin.message_user(
            request,
            f"{len(outcome.held)} change(s) to the evidence of a public claim wait for a "
            "Reviewer: readers keep seeing the reviewed evidence until then.",
            messages.WARNING,
        )


class EvidenceFormsetsMixin:
    """Appearance inlines save through services.evidence_save, all in one call."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Appearance:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # builds the instances and the admin's change message
        versions = {
            id(item.instance): item.cleaned_data.get("expected_version")
            for item in formset.forms
            if getattr(item, "cleaned_data", None)
        }
        saved = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
        outcome = services.evidence_save(
            saves=[(obj, versions.get(id(obj))) for obj in saved],
            deletions=[(obj, versions.get(id(obj))) for obj in formset.deleted_objects],
            user=request.user,
        )
        report_held(self, request, outcome)


class AppearanceInlineForm(EditorForm):
    def _post_clean(self):
        if self.instance.pk is not None and not self.has_changed():
            # An unchanged quote is not saved from here. When the article's text is
            # corrected in the same form, article_save re-anchors it; checking it against
            # the new text here would refuse the correction for it.
            return
        super()._post_clean()


class AppearanceInlineBase(TolerantAutocompleteMixin, admin.StackedInline):
    model = Appearance
    form = AppearanceInlineForm
    extra = 0
    fields = [
        "quote",
        "start",
        "stance",
        "attribution",
        "credited_source",
        "translation",
        "editor_note",
        "anchor_status",
        "expected_version",
    ]
    readonly_fields = ["end", "anchor_status"]
    show_change_link = True


class ClaimAppearanceInline(AppearanceInlineBase):
    fields = ["article", *AppearanceInlineBase.fields]
    autocomplete_fields = ["article", "credited_source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article__outlet")


class ArticleAppearanceInline(AppearanceInlineBase):
    fk_name = "article"
    fields = ["claim", *AppearanceInlineBase.fields]
    autocomplete_fields = ["claim", "credited_source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")
