"""Outlets and articles: where the evidence comes from."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count

from factcheck import services
from factcheck.admin.base import ArticleAppearanceInline, EvidenceFormsetsMixin, HistoryAdmin
from factcheck.admin.forms import EditorForm
from factcheck.admin.provenance import ProvenancePanelMixin
from factcheck.models import Article, Outlet
from factcheck.reanchoring import article_reanchoring


class RecordDeleteMixin:
    """Deleting goes through the service, which refuses while evidence depends on a row."""

    def delete_model(self, request, obj):
        services.record_delete(record=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.record_delete(record=obj, user=request.user)


@admin.register(Outlet)
class OutletAdmin(RecordDeleteMixin, HistoryAdmin):
    list_display = ["name", "kind", "country", "language", "article_total"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "homepage", "country", "language", "kind", "description"]

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

    def clean(self):
        cleaned_data = super().clean()
        if "text" in cleaned_data and self.instance.pk is not None:
            reanchoring = article_reanchoring(article=self.instance, new_text=cleaned_data["text"])
            if reanchoring.broken:
                self.add_error("text", reanchoring.error())
        return cleaned_data


@admin.register(Article)
class ArticleAdmin(ProvenancePanelMixin, RecordDeleteMixin, EvidenceFormsetsMixin, HistoryAdmin):
    form = ArticleAdminForm
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
        if obj.retells_id != asked:
            self.message_user(
                request,
                "The new retelling link changes the agreement of public claims, so it waits "
                "for a Reviewer; the rest of your changes are saved.",
                messages.WARNING,
            )
