"""Claims and their review workflow: states, roles, corrections, the review queue."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from factcheck import services, workflow
from factcheck.admin.base import ClaimAppearanceInline, HistoryAdmin
from factcheck.agreement import claim_agreement_breakdown
from factcheck.models import (
    Appearance,
    Claim,
    ClaimTransition,
    Contradiction,
    ContradictionStatus,
    Correction,
    Outlet,
    ReviewStatus,
)
from factcheck.selectors import article_languages, claim_appearances


class ClaimAdminForm(forms.ModelForm):
    """The claim form, with the workflow's rules checked as part of validation.

    `user` is set by ClaimAdmin.get_form; the workflow decides what that user may change.
    """

    user = None

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Public. Required when you change the statement or verdict of a published "
        "claim: readers see it as a dated correction.",
    )

    class Meta:
        model = Claim
        fields = ["statement", "slug", "context", "verdict", "verdict_summary", "editor_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A revert form's instance is historical: take version and status as stored now,
            # since a revert restores content, not a place in the review workflow.
            stored = Claim.objects.filter(pk=self.instance.pk).values("version", "status").first()
            if stored is not None:
                self.fields["expected_version"].initial = stored["version"]
                self.instance.status = stored["status"]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None or self.errors:
            return
        current = Claim.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin's change view is atomic: hold the row until this save commits.
            current = current.select_for_update()
        try:
            workflow.claim_check_save(
                claim=self.instance,
                current=current.get(),
                user=self.user,
                expected_version=self.cleaned_data.get("expected_version"),
                correction_note=self.cleaned_data.get("correction_note", ""),
            )
        except ValidationError as error:
            self._update_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))


class ClaimTransitionInline(admin.TabularInline):
    model = ClaimTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "verdict", "user", "note"]
    readonly_fields = fields
    verbose_name = "review step"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CorrectionInline(ClaimTransitionInline):
    model = Correction
    fields = ["created_at", "previous_verdict", "new_verdict", "previous_statement", "user", "note"]
    readonly_fields = fields
    verbose_name = "public correction"


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", "Awaiting review"),
            ("agreement_changed", "Agreement changed since review"),
            ("contradicted", "In an open contradiction"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_review()
        if self.value() == "agreement_changed":
            return queryset.agreement_changed_since_review()
        if self.value() == "contradicted":
            return queryset.in_open_contradiction()
        return queryset


class QuotedByFilter(admin.SimpleListFilter):
    """Claims quoted by an article matching `appearance_filter(value)`.

    The choices come from a small table and the filter is an EXISTS per claim, so neither
    reads the appearances of every claim on each request.
    """

    def appearance_filter(self, value) -> dict:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        quoted = Appearance.objects.filter(
            claim=OuterRef("pk"), **self.appearance_filter(self.value())
        )
        return queryset.filter(Exists(quoted))


class QuotedByOutletFilter(QuotedByFilter):
    title = "quoted by outlet"
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        return Outlet.objects.order_by("name").values_list("pk", "name")

    def appearance_filter(self, value):
        return {"article__outlet_id": value}


class QuotedInLanguageFilter(QuotedByFilter):
    title = "quoted in language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, code) for code in article_languages()]

    def appearance_filter(self, value):
        return {"article__language": value}


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    form = ClaimAdminForm
    change_form_template = "admin/factcheck/claim/change_form.html"
    change_list_template = "admin/factcheck/claim/change_list.html"
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
        ReviewQueueFilter,
        "status",
        "verdict",
        "agreement_label",
        QuotedByOutletFilter,
        "appearances__stance",
        QuotedInLanguageFilter,
    ]
    # Counting every claim a second time, unfiltered, is not worth it on each page view.
    show_full_result_count = False
    search_fields = ["statement", "context", "slug"]
    prepopulated_fields = {"slug": ["statement"]}
    always_read_only = [
        "status",
        "retraction_note",
        "agreement_label",
        "agreement_score",
        "agreement_breakdown",
        "reviewed_at",
        "reviewed_by",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "context"]}),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "verdict",
                    "verdict_summary",
                    "correction_note",
                    "retraction_note",
                    "editor_note",
                    "expected_version",
                ]
            },
        ),
        (
            "Agreement (computed from the appearances)",
            {"fields": ["agreement_label", "agreement_score", "agreement_breakdown"]},
        ),
        (
            "Record",
            {
                "fields": ["reviewed_at", "reviewed_by", "version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ClaimAppearanceInline, CorrectionInline, ClaimTransitionInline]
    actions = ["submit_for_review", "return_to_draft", "publish", "mark_reviewed"]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return type(form_class.__name__, (form_class,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            locked = workflow.claim_fields_locked_for(claim=Claim(), user=request.user)
        else:
            locked = workflow.claim_fields_locked_for(claim=obj, user=request.user)
        return [*self.always_read_only, *locked]

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != ReviewStatus.DRAFT:
            # Claims readers have seen are retracted, never deleted.
            return request.user.has_perm(
                workflow.PUBLISH_PERMISSION
            ) and super().has_delete_permission(request, obj)
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

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
        workflow.claim_save(
            claim=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            correction_note=form.cleaned_data.get("correction_note", ""),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.claims_refresh_agreement(claim_ids=[form.instance.pk])

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves like the change view does, so it gets the same transaction.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    # --- Review steps ----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        steps = []
        if claim is not None and self.has_change_permission(request, claim):
            steps = workflow.transitions_available(claim=claim, user=request.user)
        extra_context = {**(extra_context or {}), "review_steps": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "review-queue/",
                self.admin_site.admin_view(self.review_queue_view),
                name="{}_{}_review_queue".format(*info),
            ),
            path(
                "<path:object_id>/review/<slug:step>/",
                self.admin_site.admin_view(self.review_step_view),
                name="{}_{}_review_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def review_step_view(self, request, object_id, step):
        claim = self.get_object(request, object_id)
        transition = workflow.TRANSITIONS_BY_NAME.get(step)
        if claim is None or transition is None:
            raise Http404("No such claim or review step.")
        if not self.has_change_permission(request, claim) or not request.user.has_perm(
            transition.permission
        ):
            raise PermissionDenied
        errors = []
        if request.method == "POST":
            try:
                workflow.claim_transition(
                    claim=claim, name=step, user=request.user, note=request.POST.get("note", "")
                )
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(request, f"{transition.label}: done for “{claim}”.")
                return redirect(reverse("admin:factcheck_claim_change", args=[claim.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: {claim}",
            "claim": claim,
            "transition": transition,
            "target_label": ReviewStatus(transition.target).label.lower(),
            "errors": errors,
            "note": request.POST.get("note", ""),
        }
        return TemplateResponse(request, "admin/factcheck/claim/review_step.html", context)

    def review_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review queue",
            "awaiting": Claim.objects.awaiting_review().order_by("updated_at"),
            "agreement_changed": Claim.objects.agreement_changed_since_review().order_by(
                "reviewed_at"
            ),
            "contradictions": Contradiction.objects.filter(status=ContradictionStatus.OPEN)
            .for_list()
            .order_by("created_at"),
        }
        return TemplateResponse(request, "admin/factcheck/claim/review_queue.html", context)

    def _run_step(self, request, queryset, step):
        done, refused = 0, []
        for claim in queryset:
            try:
                workflow.claim_transition(claim=claim, name=step, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                reason = "; ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"“{claim}”: {reason}")
        label = workflow.TRANSITIONS_BY_NAME[step].label
        if done:
            self.message_user(request, f"{label}: {done} claim(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"{label} refused for {line}", messages.ERROR)

    @admin.action(description="Submit selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_step(request, queryset, "submit")

    @admin.action(description="Return selected claims to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._run_step(request, queryset, "return_to_draft")

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._run_step(request, queryset, "publish")

    @admin.action(
        description="Sign off selected claims again (agreement changed)", permissions=["publish"]
    )
    def mark_reviewed(self, request, queryset):
        done = 0
        for claim in queryset:
            try:
                workflow.claim_mark_reviewed(claim=claim, user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"“{claim}”: {error.messages[0]}", messages.ERROR)
        if done:
            self.message_user(request, f"Signed off {done} claim(s) again.", messages.SUCCESS)
