"""Filters of the claims index. Each narrows published claims; none can widen them."""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from factcheck.models import AgreementLabel, Appearance, Claim, Outlet, Verdict
from factcheck.selectors import counted, quoted_article_languages

LANGUAGE_NAMES = {"it": _("Italian"), "en": _("English")}
ANY_OUTLET = _("Any outlet")


def read_filter_choices(using: str = "default") -> tuple[list, list]:
    """The outlets (slug, name) and the language codes the filters offer."""
    outlets = list(Outlet.objects.using(using).public().values_list("slug", "name"))
    return outlets, list(quoted_article_languages(using))


def filter_choices() -> tuple[list, list]:
    # What is public changes only on writes: read once per content generation, not on
    # every rendering of the index (the outlets' EXISTS over the public evidence).
    return counted("claim-filter-choices", read_filter_choices)


def language_choices(codes) -> list[tuple[str, str]]:
    # Codes are what is kept between requests; names follow each reader's language.
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in codes]


def article_language_choices():
    return language_choices(filter_choices()[1])


class LongSelect(forms.Select):
    """A select for hundreds of options, each written in Python.

    Django's Select renders every option through an included template; for the outlet
    filter, which offers every outlet, that was most of the claims index's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), " selected" if str(key) in selected else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class OutletChoices(BaseChoiceIterator):
    """The outlet select's options, read from the filter's kept choices when iterated
    (a choice iterator, so that Django keeps it as it is instead of listing it at once)."""

    def __init__(self, claim_filter):
        self.claim_filter = claim_filter

    def __iter__(self):
        yield ("", ANY_OUTLET)
        yield from self.claim_filter.choices[0]


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    verdict = django_filters.ChoiceFilter(
        label=_("Verdict"), choices=Verdict.choices, empty_label=_("Any verdict")
    )
    agreement_label = django_filters.ChoiceFilter(
        label=_("Agreement"), choices=AgreementLabel.choices, empty_label=_("Any agreement")
    )
    outlet = django_filters.ModelChoiceFilter(
        label=_("Quoted by outlet"),
        queryset=Outlet.objects.public().only("pk", "name", "slug"),
        to_field_name="slug",
        method="filter_outlet",
        empty_label=ANY_OUTLET,
        widget=LongSelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Article language"),
        choices=article_language_choices,
        method="filter_language",
        empty_label=_("Any language"),
    )
    has_contradictions = django_filters.BooleanFilter(
        label=_("Open contradictions"),
        method="filter_has_contradictions",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Claim
        fields = ["q", "verdict", "agreement_label", "outlet", "language", "has_contradictions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the choices at most once, and only if needed: validating a language and
        # rendering the form list them, an export does neither.
        self.filters["language"].extra["choices"] = lambda: language_choices(self.choices[1])

    @cached_property
    def choices(self) -> tuple[list, list]:
        return filter_choices()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # The select offers the kept list of outlets, read when it is rendered; a chosen
            # one is still looked up in the field's queryset, which is what validates it.
            form.fields["outlet"].widget.choices = OutletChoices(self)
        return self._form

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(statement__icontains=value)
            | Q(context__icontains=value)
            | Q(verdict_summary__icontains=value)
            | Q(statement_it__icontains=value)
            | Q(context_it__icontains=value)
            | Q(verdict_summary_it__icontains=value)
        )

    # Evidence filters use a subquery, not a join, so a claim quoted twice is listed once.
    def filter_outlet(self, queryset, name, value):
        quoted = Appearance.objects.published().filter(article__outlet=value)
        return queryset.filter(pk__in=quoted.values("claim_id"))

    def filter_language(self, queryset, name, value):
        quoted = Appearance.objects.published().filter(article__language=value)
        return queryset.filter(pk__in=quoted.values("claim_id"))

    def filter_has_contradictions(self, queryset, name, value):
        if value:
            return queryset.filter(open_contradictions__gt=0)
        return queryset.filter(open_contradictions=0)
