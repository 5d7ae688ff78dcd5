"""Claimants: the person or organisation who made a claim."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from factcheck.models.base import Timestamped, Versioned
from factcheck.models.sources import WEB_URL_VALIDATORS, Outlet, web_address


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organisation"


class ClaimantQuerySet(models.QuerySet):
    def public(self):
        """Claimants readers may see: those of at least one published or retracted claim."""
        from factcheck.models.claims import Claim

        return self.filter(Exists(Claim.objects.public().filter(claimant=OuterRef("pk"))))


class Claimant(Timestamped, Versioned):
    """Who made a claim, so the same speaker's claims can be found and credited together.

    The outlets where a claimant's claims appeared are not stored: they follow from the
    reviewed appearances of the claimant's public claims (see `outlets()`).
    """

    name = models.CharField(max_length=200, help_text="As the person or body is usually named.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="A stable identifier for data users."
    )
    kind = models.CharField(
        max_length=20, choices=ClaimantKind.choices, default=ClaimantKind.PERSON
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Public: who this is, enough to tell namesakes apart (role, country).",
    )
    url = models.URLField(
        max_length=1000,
        blank=True,
        validators=WEB_URL_VALIDATORS,
        help_text="Public: an authoritative page about the claimant; blank if none.",
    )

    objects = ClaimantQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ClaimantKind.values), name="claimant_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="claimant_name_not_empty"),
            models.CheckConstraint(
                condition=web_address("url"), name="claimant_url_is_web_address"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.description})" if self.description else self.name

    @property
    def schema_type(self) -> str:
        return "Person" if self.kind == ClaimantKind.PERSON else "Organization"

    def outlets(self):
        """The public outlets that published reporting of this claimant's public claims."""
        from factcheck.models.evidence import Appearance

        quoted = Appearance.objects.public().filter(
            claim__claimant=self, article__outlet=OuterRef("pk")
        )
        return Outlet.objects.public().filter(Exists(quoted)).order_by("name", "pk")
