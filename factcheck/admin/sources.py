"""Outlets and articles: where the evidence comes from."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count

from factcheck import services
from factcheck.admin.base import ArticleAppearanceInline, EvidenceFormsetsMixin, HistoryAdmin
from factcheck.admin.desk import DeskViewsMixin
from factcheck.admin.evidence import QuoteAnchorFilter, report_quotes_to_check
from factcheck.admin.forms import EditorForm
from factcheck.admin.intake import OutletAliasFormsetMixin, OutletAliasInline
from factcheck.admin.provenance import ProvenancePanelMixin
from factcheck.models import Article, Outlet


class RecordDeleteMixin:
    """Deleting goes through the service, which refuses while evidence depends on a row."""

    def delete_model(self, request, obj):
        services.record_delete(record=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.record_delete(record=obj, user=request.user)


@admin.register(Outlet)
class OutletAdmin(OutletAliasFormsetMixin, RecordDeleteMixin, HistoryAdmin):
    list_display = ["name", "kind", "country", "language", "article_total"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "homepage", "country", "language", "kind", "description"]
    inlines = [OutletAliasInline]

    def get_inlines(self, request, obj):
        # Aliases are added once the outlet exists: the add page stays the plain form
        # other tools (and tests) post to.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_total(self, outlet):
        return outlet.article_total

    def save_model(self, request, obj, form, change):
        services.outlet_save(outlet=obj, user=request.user, expected_version=form.opened_version)


class ArticleAdminForm(EditorForm):
    # Kept exactly as pasted: quotes are checked against every character.
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=Article._meta.get_field("text").help_text,
    )

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


@admin.register(Article)
class ArticleAdmin(
    ProvenancePanelMixin, DeskViewsMixin, RecordDeleteMixin, EvidenceFormsetsMixin, HistoryAdmin
):
    form = ArticleAdminForm
    # Adds the "Import articles" link to the list.
    change_list_template = "admin/factcheck/import_article_change_list.html"
    change_form_template = "admin/factcheck/article/change_form.html"
    list_display = [
        "display_title",
        "outlet",
        "display_date",
        "language",
        "is_archived",
        "retells",
        "origin",
        "appearance_total",
        "desk_link",
    ]
    list_filter = ["outlet", "language", "is_archived", "date_precision", QuoteAnchorFilter]
    list_select_related = ["outlet", "retells__outlet", "origin__outlet"]
    search_fields = ["title", "author", "url", "outlet__name", "text"]
    autocomplete_fields = ["outlet", "retells"]
    readonly_fields = ["desk_link", "origin", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["desk_link", "title", "outlet", "author", "url", "language"]}),
        ("Date", {"fields": ["published_on", "date_precision"]}),
        ("Provenance", {"fields": ["retells", "origin", "is_archived"]}),
        ("Text", {"fields": ["text"]}),
        (
            "Record",
            {"fields": ["created_at", "updated_at", "expected_version"], "classes": ["collapse"]},
        ),
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
        asked = obj.retells_id
        services.article_save(article=obj, user=request.user, expected_version=form.opened_version)
        if change and "text" in form.changed_data:
            report_quotes_to_check(self, request, article=obj)
        if obj.retells_id != asked:
            self.message_user(
                request,
                "The new retelling link changes the agreement of public claims, so it waits "
                "for a Reviewer; the rest of your changes are saved.",
                messages.WARNING,
            )
