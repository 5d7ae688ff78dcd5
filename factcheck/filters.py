"""Filters of the claims index. Each narrows published claims; none can widen them."""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Q
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from factcheck.models import AgreementLabel, Appearance, Claim, Outlet, Verdict
from factcheck.selectors import counted, quoted_article_languages
from factcheck.templatetags.reader import escaped

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


class WrittenSelect(forms.Select):
    """A select with each option written in Python: the same markup as Django's Select.

    Django's Select renders every option through an included template; for the outlet
    filter, which offers every outlet, that was most of the claims index's rendering time,
    and the other selects' dozen options cost more than the table's rows.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Flat choices only (no option groups), as every filter here offers them; like
        # Django's, a single select marks only the first option with the chosen value.
        chosen = set(self.format_value(value))
        options = []
        for key, label in self.choices:
            selected = str(key) in chosen
            if selected and not self.allow_multiple_selected:
                chosen = set()
            options.append(
                f'<option value="{escaped(key)}"{" selected" if selected else ""}>'
                f"{escaped(label)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            widget_attrs(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # every value escaped above
        )


def widget_attrs(attrs: dict) -> SafeString:
    """Attributes as Django's widgets/attrs.html writes them: in their order, a True value
    as a bare name, a False one left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
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
        label=_("Verdict"),
        choices=Verdict.choices,
        empty_label=_("Any verdict"),
        widget=WrittenSelect,
    )
    agreement_label = django_filters.ChoiceFilter(
        label=_("Agreement"),
        choices=AgreementLabel.choices,
        empty_label=_("Any agreement"),
        widget=WrittenSelect,
    )
    outlet = django_filters.ModelChoiceFilter(
        label=_("Quoted by outlet"),
        queryset=Outlet.objects.public().only("pk", "name", "slug"),
        to_field_name="slug",
        method="filter_outlet",
        empty_label=ANY_OUTLET,
        widget=WrittenSelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Article language"),
        choices=article_language_choices,
        method="filter_language",
        empty_label=_("Any language"),
        widget=WrittenSelect,
    )
    has_contradictions = django_filters.BooleanFilter(
        label=_("Open contradictions"),
        method="filter_has_contradictions",
        widget=WrittenSelect(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
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
