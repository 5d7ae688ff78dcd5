"""Transparency pages: the corrections log, the methodology, the organisation's own pages.

The methodology is written from the code's own scales (the verdicts and their ratings,
the agreement labels and their rules, the score's weights), so it cannot drift from what
the code does. The corrections policy, funding, organisation and contact pages are
flatpages edited in the admin and shown as plain text (see templates/flatpages/).
"""

from dataclasses import dataclass

from django.contrib.flatpages.views import flatpage
from django.core.paginator import Paginator
from django.db.models import F, Value
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from factcheck import agreement
from factcheck.models import ClaimTransition, Correction, ReviewStatus, Stance, Verdict
from factcheck.models import claims as claim_models

PUBLIC_STATUSES = [ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED]
CORRECTIONS_PER_PAGE = 25

# The organisation's pages, by address under /about/, with the titles of the flatpages a
# data migration creates (content editors write, not interface text to translate).
ABOUT_PAGES = {
    "corrections-policy": "Corrections policy",
    "funding": "Funding",
    "organisation": "Organisation",
    "contact": "Contact",
}


# --- The corrections log --------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """A correction or a retraction, as readers are told of it."""

    kind: str  # "correction" or "retraction"
    at: object
    claim: object
    note: str
    correction: Correction | None = None
    verdict: str = ""

    @property
    def anchor(self) -> str:
        if self.correction is not None:
            return f"correction-{self.correction.pk}"
        return "retraction-heading"

    @property
    def url(self) -> str:
        return f"{self.claim.get_absolute_url()}#{self.anchor}"


def public_corrections():
    return Correction.objects.filter(claim__status__in=PUBLIC_STATUSES)


def public_retractions():
    """Retractions of claims whose page still answers (a reopened claim's does not)."""
    return ClaimTransition.objects.filter(
        to_status=ReviewStatus.RETRACTED, claim__status__in=PUBLIC_STATUSES
    ).exclude(from_status=F("to_status"))


def corrections_log_keys():
    """(created_at, id, kind) of every public correction and retraction, newest first.

    One union, so a page of the log is one indexed read whatever the mix of the two.
    """
    corrections = (
        public_corrections()
        .annotate(kind=Value("correction"))
        .values_list("created_at", "id", "kind")
    )
    retractions = (
        public_retractions()
        .annotate(kind=Value("retraction"))
        .values_list("created_at", "id", "kind")
    )
    return (
        corrections.order_by()
        .union(retractions.order_by(), all=True)
        .order_by("-created_at", "-kind", "-id")
    )


CLAIM_FIELDS = [
    "claim__id",
    "claim__slug",
    "claim__statement",
    "claim__statement_it",
    "claim__status",
]


def log_entries(keys) -> list[LogEntry]:
    """The entries for these keys, in their order: two queries, whatever the page size."""
    keys = list(keys)
    correction_ids = [pk for _, pk, kind in keys if kind == "correction"]
    retraction_ids = [pk for _, pk, kind in keys if kind == "retraction"]
    corrections = Correction.objects.filter(pk__in=correction_ids).select_related("claim")
    corrections = corrections.only(
        "id",
        "note",
        "created_at",
        "previous_statement",
        "new_statement",
        "previous_verdict",
        "new_verdict",
        *CLAIM_FIELDS,
    )
    retractions = ClaimTransition.objects.filter(pk__in=retraction_ids).select_related("claim")
    retractions = retractions.only("id", "note", "created_at", "verdict", *CLAIM_FIELDS)
    found = {("correction", c.pk): c for c in corrections}
    found.update({("retraction", r.pk): r for r in retractions})
    entries = []
    for _created_at, pk, kind in keys:
        row = found.get((kind, pk))
        if row is None:
            continue  # removed between the two reads
        if kind == "correction":
            entries.append(LogEntry(kind, row.created_at, row.claim, row.note, correction=row))
        else:
            entries.append(
                LogEntry(
                    kind, row.created_at, row.claim, row.note, verdict=row.get_verdict_display()
                )
            )
    return entries


def corrections_log(request):
    paginator = Paginator(corrections_log_keys(), CORRECTIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/corrections_log.html",
        {"entries": log_entries(page.object_list), "page": page},
    )


# --- Methodology ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleRow:
    value: str
    label: str
    rating: int | None


def verdict_scale() -> list[ScaleRow]:
    """The verdicts readers can meet, best first, with their schema.org ratingValue."""
    scale = claim_models.VERDICT_SCALE
    rows = [
        ScaleRow(verdict.value, verdict.label, scale.get(verdict))
        for verdict in Verdict
        if verdict != Verdict.UNRATED
    ]
    return sorted(rows, key=lambda row: (row.rating is None, -(row.rating or 0)))


def score_examples() -> list[tuple[str, float | None]]:
    """What the score gives for a few typical cases, computed by the code itself."""
    cases = [
        (_("One supporting origin"), {"supporting": 1}),
        (_("Two supporting origins"), {"supporting": 2}),
        (_("Three supporting origins"), {"supporting": 3}),
        (_("One supporting and one qualifying origin"), {"supporting": 1, "qualifying": 1}),
        (_("One supporting and one refuting origin"), {"supporting": 1, "refuting": 1}),
        (_("One refuting origin"), {"refuting": 1}),
    ]
    blank = {"supporting": 0, "refuting": 0, "qualifying": 0, "mentioning": 0}
    return [
        (
            description,
            agreement.Agreement(**{**blank, **counts}, appearances=0, articles=0, origins=0).score,
        )
        for description, counts in cases
    ]


def methodology(request):
    return render(
        request,
        "factcheck/methodology.html",
        {
            "verdicts": verdict_scale(),
            "best_rating": claim_models.VERDICT_BEST_RATING,
            "worst_rating": claim_models.VERDICT_WORST_RATING,
            "labels": [
                (label.label, agreement.LABEL_REASONS[label])
                for label in claim_models.AgreementLabel
            ],
            "stances": [stance.label for stance in Stance],
            "qualifying_weight": agreement.QUALIFYING_WEIGHT,
            "doubt": agreement.DOUBT,
            "score_examples": score_examples(),
        },
    )


# --- The organisation's pages ---------------------------------------------------------


def about_page(request, name: str):
    if name not in ABOUT_PAGES:
        raise Http404("No such page.")
    return flatpage(request, f"/about/{name}/")
