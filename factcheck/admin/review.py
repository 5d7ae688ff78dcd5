"""The review side of the claim admin: review steps, the queue, held evidence."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from factcheck import services, workflow
from factcheck.models import (
    Appearance,
    Article,
    ChangeKind,
    Claim,
    Contradiction,
    ContradictionStatus,
    ReviewStatus,
    VerdictAlert,
)
from factcheck.services.pending import claim_agreement_if_accepted


class ReviewViewsMixin:
    """For ClaimAdmin: the views and actions of the review workflow."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        steps, pending_count = [], 0
        if claim is not None and self.has_change_permission(request, claim):
            steps = workflow.transitions_available(claim=claim, user=request.user)
            pending_count = claim.evidence_changes.pending().count()
        extra_context = {
            **(extra_context or {}),
            "review_steps": steps,
            "pending_evidence": pending_count,
        }
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
                "<path:object_id>/evidence-review/",
                self.admin_site.admin_view(self.evidence_review_view),
                name="{}_{}_evidence_review".format(*info),
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

    def evidence_review_view(self, request, object_id):
        """One screen per claim: each held change before → after, and what it would do."""
        claim = self.get_object(request, object_id)
        if claim is None:
            raise Http404("No such claim.")
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        may_decide = request.user.has_perm(workflow.PUBLISH_PERMISSION)
        errors = []
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            decide = (
                services.evidence_accept if "_accept" in request.POST else services.evidence_reject
            )
            chosen = [value for value in request.POST.getlist("change") if value.isdigit()]
            try:
                if not chosen:
                    raise ValidationError("Select the changes to accept or reject.")
                decided = decide(
                    claim=claim,
                    user=request.user,
                    change_ids=chosen,
                    note=request.POST.get("note", ""),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                verb = "Accepted" if decide is services.evidence_accept else "Rejected"
                self.message_user(request, f"{verb} {len(decided)} change(s) to the evidence.")
                return redirect(reverse("admin:factcheck_claim_evidence_review", args=[claim.pk]))
        changes = list(
            claim.evidence_changes.pending()
            .select_related("article__outlet", "appearance", "proposed_by")
            .order_by("created_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Evidence waiting for review: {claim}",
            "claim": claim,
            "rows": [(change, change_rows(change)) for change in changes],
            "agreement_after": claim_agreement_if_accepted(claim=claim, changes=changes),
            "alert": VerdictAlert.objects.open().filter(claim=claim).first(),
            "may_decide": may_decide,
            "errors": errors,
            "note": request.POST.get("note", ""),
        }
        return TemplateResponse(request, "admin/factcheck/claim/evidence_review.html", context)

    def review_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review queue",
            "alerts": VerdictAlert.objects.open().select_related("claim").order_by("opened_at"),
            # Claims with an open alert are listed above, under the alerts.
            "pending_evidence": Claim.objects.with_pending_evidence()
            .exclude(verdict_alerts__closed_at__isnull=True)
            .order_by("statement"),
            "awaiting": Claim.objects.awaiting_review().order_by("updated_at"),
            "agreement_changed": Claim.objects.agreement_changed_since_review().order_by(
                "reviewed_at"
            ),
            "contradictions": Contradiction.objects.filter(status=ContradictionStatus.OPEN)
            .for_list()
            .order_by("created_at"),
            **quotes_after_corrections(),
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
            except (ValidationError, PermissionDenied) as error:
                reason = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"“{claim}”: {reason}", messages.ERROR)
        if done:
            self.message_user(request, f"Signed off {done} claim(s) again.", messages.SUCCESS)


def quotes_after_corrections() -> dict:
    """The quotes corrections of article texts left for editors: orphaned, then to check."""
    flagged = list(
        Appearance.objects.needing_attention()
        .select_related("claim", "article__outlet")
        .defer("article__text")
        .order_by("article__title", "article_id", "pk")
    )
    return {
        "orphaned_quotes": [item for item in flagged if item.is_orphaned],
        "quotes_to_check": [item for item in flagged if not item.is_orphaned],
    }


FIELD_ORDER = [
    "quote",
    "stance",
    "article_id",
    "claim_id",
    "retells_id",
    "start",
    "attribution",
    "credited_source_id",
    "translation",
    "editor_note",
]
FIELD_LABELS = {
    "article_id": "article",
    "claim_id": "claim",
    "retells_id": "retells",
    "credited_source_id": "credited source",
}


def change_rows(change) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the change sets differently, quote first."""
    previous, proposed = change.previous, change.proposed
    if change.kind == ChangeKind.REMOVE:
        names = ["quote", "stance", "article_id"]
    else:
        names = [
            name for name in FIELD_ORDER if (previous.get(name) or "") != (proposed.get(name) or "")
        ]
    return [
        (FIELD_LABELS.get(name, name), _shown(name, previous), _shown(name, proposed))
        for name in names
    ]


def _shown(name: str, values: dict) -> str:
    value = values.get(name)
    if value in (None, ""):
        return "—"
    if name in ("article_id", "retells_id", "credited_source_id"):
        article = Article.objects.filter(pk=value).first()
        return str(article) if article else f"article #{value}"
    if name == "claim_id":
        claim = Claim.objects.filter(pk=value).first()
        return str(claim) if claim else f"claim #{value}"
    return str(value)
