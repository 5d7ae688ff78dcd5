"""Filters of the claims index. Each narrows published claims; none can widen them."""

import functools

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from factcheck.models import AgreementLabel, Appearance, Claim, Outlet, Verdict
from factcheck.selectors import quoted_article_languages

LANGUAGE_NAMES = {"it": _("Italian"), "en": _("English")}


def article_language_choices():
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in quoted_article_languages()]


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
        empty_label=_("Any outlet"),
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
        # Read the languages at most once, and only if needed: validating a choice and
        # rendering the form both list them, an export does neither.
        self.filters["language"].extra["choices"] = functools.cache(article_language_choices)

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
