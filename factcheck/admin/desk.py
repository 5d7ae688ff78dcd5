"""The reading desk: an article's text with the claims its passages state, for linking.

The page works without JavaScript as a reading list (the text, its matched passages and
their suggested claims); desk.js adds the selection of any span, by mouse or keyboard, and
the forms that link it. The browser only ever sends offsets: the quote is cut from the
stored text by services.desk.span_link.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from factcheck import matching
from factcheck.admin.forms import control_characters, normalize_newlines
from factcheck.models import ARTICLE_TEXT_MAX_LENGTH, Appearance, Claim, Stance
from factcheck.selectors.desk import contradiction_candidates, contradiction_candidates_by_claim
from factcheck.services.desk import span_claim_create, span_link, span_trimmed

# A numeric reference survives HTML parsing as a carriage return, where a literal one would
# be turned into a line feed and shift every offset after it.
CARRIAGE_RETURN = mark_safe("&#13;")
# Under a suggestion lifted by claims stated together (Candidate.stated_together), in the
# passage lists and, through the page's data, in the lists desk.js builds.
STATED_TOGETHER_NOTE = "Quoted in another article with a claim linked here."


class SpanForm(forms.Form):
    """A span of the article's text, in code points, and how it states the claim."""

    start = forms.IntegerField(min_value=0, max_value=ARTICLE_TEXT_MAX_LENGTH)
    end = forms.IntegerField(min_value=0, max_value=ARTICLE_TEXT_MAX_LENGTH)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.SUPPORTS)
    attribution = forms.CharField(
        max_length=300,
        required=False,
        help_text=Appearance._meta.get_field("attribution").help_text,
    )
    translation = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Appearance._meta.get_field("translation").help_text,
    )

    def clean(self):
        cleaned_data = super().clean()
        for name in ("attribution", "translation", "statement"):
            value = cleaned_data.get(name)
            if not value:
                continue
            cleaned_data[name] = value = normalize_newlines(value).strip()
            found = control_characters(value)
            if found:
                self.add_error(name, f"Remove the control characters {', '.join(found)}.")
        return cleaned_data


class SuggestionForm(forms.Form):
    start = forms.IntegerField(min_value=0, max_value=ARTICLE_TEXT_MAX_LENGTH)
    end = forms.IntegerField(min_value=0, max_value=ARTICLE_TEXT_MAX_LENGTH)


class LinkForm(SpanForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="link_%s", **kwargs)

    claim = forms.ModelChoiceField(
        queryset=Claim.objects.only("pk", "statement", "slug", "status"),
        error_messages={
            "required": "Choose the claim this span states.",
            "invalid_choice": "No such claim: choose a suggested claim or search for one.",
        },
    )


class NewClaimForm(SpanForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="new_%s", **kwargs)

    statement = forms.CharField(
        max_length=Claim._meta.get_field("statement").max_length,
        help_text=Claim._meta.get_field("statement").help_text,
    )


@dataclass(frozen=True)
class DeskPassage:
    number: int
    passage: matching.Passage
    conflicts: dict  # claim id -> contradiction candidates if linked as supports
    linked: bool  # an appearance already quotes part of it

    @property
    def candidates(self):
        return [
            (candidate, self.conflicts.get(candidate.claim.pk, []))
            for candidate in self.passage.candidates
        ]


def _plain(text: str) -> SafeString:
    return format_html_join(CARRIAGE_RETURN, "{}", ((part,) for part in text.split("\r")))


def desk_text_html(text: str, passages: list[DeskPassage]) -> SafeString:
    """The whole text, every character once and in order, with each passage in a span.

    desk.js counts offsets over this element's text, so nothing may be added between
    the pieces, not even whitespace.
    """
    pieces, position = [], 0
    for item in passages:
        start, end = item.passage.start, item.passage.end
        if start < position or end <= start:
            continue  # overlapping or empty passages cannot be marked without nesting
        pieces.append(_plain(text[position:start]))
        classes = "desk-passage"
        if item.passage.candidates:
            classes += " desk-passage--matched"
        if item.linked:
            classes += " desk-passage--linked"
        pieces.append(
            format_html(
                '<span class="{}" id="passage-{}" data-passage="{}" data-start="{}" '
                'data-end="{}" tabindex="0">{}</span>',
                classes,
                item.number,
                item.number,
                start,
                end,
                _plain(text[start:end]),
            )
        )
        position = end
    pieces.append(_plain(text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


class DeskViewsMixin:
    """For ArticleAdmin: the reading desk and the links to it."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/desk/",
                self.admin_site.admin_view(self.desk_view),
                name="{}_{}_desk".format(*info),
            ),
            path(
                "<path:object_id>/desk/suggestions/",
                self.admin_site.admin_view(self.desk_suggestions_view),
                name="{}_{}_desk_suggestions".format(*info),
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def desk_url(article) -> str:
        return reverse("admin:factcheck_article_desk", args=[article.pk])

    @admin.display(description="Reading desk")
    def desk_link(self, article):
        if article is None or article.pk is None or not article.is_archived:
            return "—"
        return format_html('<a href="{}">Open the reading desk</a>', self.desk_url(article))

    def desk_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        may_link = request.user.has_perm("factcheck.add_appearance")
        may_create = may_link and request.user.has_perm("factcheck.add_claim")
        link_form = new_claim_form = None
        if request.method == "POST":
            action = request.POST.get("_action")
            if action == "link" and may_link:
                link_form = LinkForm(request.POST)
                done = self._link(request, article, link_form)
            elif action == "new_claim" and may_create:
                new_claim_form = NewClaimForm(request.POST)
                done = self._create_claim(request, article, new_claim_form)
            else:
                raise PermissionDenied
            if done is not None:
                return done
        return self._desk_page(
            request,
            article,
            link_form=link_form or LinkForm(initial={"version": article.version}),
            new_claim_form=new_claim_form or NewClaimForm(initial={"version": article.version}),
            may_link=may_link,
            may_create=may_create,
        )

    def desk_suggestions_view(self, request, object_id):
        """The claims a selected span states, for a span that is no passage of its own."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        form = SuggestionForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        try:
            start, end = span_trimmed(
                text=article.text, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            return JsonResponse({"errors": {"__all__": error.messages}}, status=400)
        linked = article.appearances.filter(start__lt=end, end__gt=start).values("claim_id")
        candidates = matching.passage_candidates(
            article.text[start:end],
            language=article.language,
            exclude_claims=[row["claim_id"] for row in linked],
            article_id=article.pk,
        )
        return JsonResponse(
            {
                "start": start,
                "end": end,
                "candidates": [
                    {
                        "claim": candidate.claim.pk,
                        "statement": candidate.claim.statement,
                        "status": candidate.claim.get_status_display(),
                        "score": round(candidate.score, 2),
                        "stated_together": candidate.stated_together,
                    }
                    for candidate in candidates
                ],
            }
        )

    def _link(self, request, article, form):
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            appearance, outcome = span_link(
                article=article,
                claim=data["claim"],
                start=data["start"],
                end=data["end"],
                stance=data["stance"],
                attribution=data["attribution"],
                translation=data["translation"],
                expected_version=data["version"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return None
        if outcome.held:
            self.message_user(
                request,
                f"“{data['claim']}” is public, so the quote “{appearance.quote}” waits for a "
                "Reviewer before readers see it.",
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                f"Linked “{appearance.quote}” to “{data['claim']}” as "
                f"{appearance.get_stance_display().lower()}.",
                messages.SUCCESS,
            )
        query = urlencode({"linked": data["claim"].pk, "stance": data["stance"]})
        return redirect(f"{self.desk_url(article)}?{query}#desk-linked")

    def _create_claim(self, request, article, form):
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            claim, appearance = span_claim_create(
                article=article,
                statement=data["statement"],
                start=data["start"],
                end=data["end"],
                stance=data["stance"],
                attribution=data["attribution"],
                translation=data["translation"],
                expected_version=data["version"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return None
        self.message_user(
            request,
            format_html(
                'Created the draft claim <a href="{}">“{}”</a>, stated by “{}”.',
                reverse("admin:factcheck_claim_change", args=[claim.pk]),
                claim,
                appearance.quote,
            ),
            messages.SUCCESS,
        )
        query = urlencode({"linked": claim.pk, "stance": data["stance"]})
        return redirect(f"{self.desk_url(article)}?{query}#desk-linked")

    def _desk_page(self, request, article, *, link_form, new_claim_form, may_link, may_create):
        suggestions = matching.article_suggestions(article=article)
        suggested = {c.claim.pk: c.claim for p in suggestions for c in p.candidates}
        conflicts = contradiction_candidates_by_claim(
            article=article, claims=suggested.values(), stance=Stance.SUPPORTS
        )
        appearances = list(article.appearances.select_related("claim").order_by("start", "pk"))
        passages = [
            DeskPassage(
                number=number,
                passage=passage,
                conflicts=conflicts,
                # A quote a correction lost (no offsets) marks no passage.
                linked=any(
                    a.start is not None and a.start < passage.end and passage.start < a.end
                    for a in appearances
                ),
            )
            for number, passage in enumerate(suggestions, start=1)
        ]
        linked_claim, linked_stance, linked_conflicts = self._linked(request, article)
        status = 400 if (link_form.errors or new_claim_form.errors) else 200
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reading desk: {article}",
            "article": article,
            "text_html": desk_text_html(article.text, passages),
            "passages": passages,
            "matched": [item for item in passages if item.passage.candidates],
            "appearances": appearances,
            "threshold": matching.current_threshold(),
            "stated_together_note": STATED_TOGETHER_NOTE,
            "link_form": link_form,
            "new_claim_form": new_claim_form,
            "may_link": may_link and article.is_archived,
            "may_create": may_create and article.is_archived,
            "linked_claim": linked_claim,
            "linked_stance": linked_stance,
            "linked_conflicts": linked_conflicts,
            "suggestions_url": reverse(
                "admin:factcheck_article_desk_suggestions", args=[article.pk]
            ),
            "autocomplete_url": reverse("admin:autocomplete")
            + "?"
            + urlencode(
                {"app_label": "factcheck", "model_name": "appearance", "field_name": "claim"}
            ),
        }
        return TemplateResponse(
            request, "admin/factcheck/article/desk.html", context, status=status
        )

    def _linked(self, request, article):
        """After a link: the claim just linked and what it may contradict."""
        claim_id, stance = request.GET.get("linked", ""), request.GET.get("stance", "")
        if not claim_id.isascii() or not claim_id.isdigit() or stance not in Stance.values:
            return None, "", []
        claim = Claim.objects.filter(pk=int(claim_id[:18])).first()
        if claim is None:
            return None, "", []
        return claim, stance, contradiction_candidates(article=article, claim=claim, stance=stance)
