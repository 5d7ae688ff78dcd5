"""What every editor's form does before a service sees its data.

Browsers send line breaks as CRLF; the stored texts use LF. Normalising every text field
once, here at the boundary, keeps an unchanged text unchanged on save and lets a quote
typed across a paragraph break match the text. Control characters have no place in an
article or a claim (PostgreSQL refuses NUL outright), so they are refused with a message
that keeps what was typed.
"""

import unicodedata

from django import forms
from django.db import transaction

ALLOWED_CONTROLS = {"\n", "\t"}


def normalize_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def control_characters(value: str) -> list[str]:
    return sorted(
        {
            f"U+{ord(character):04X}"
            for character in value
            if character not in ALLOWED_CONTROLS and unicodedata.category(character) == "Cc"
        }
    )


def stored_row(instance):
    """The row as stored. A history revert form's instance is an old copy, not loaded from
    the database, and its version and status are not the ones that count."""
    if instance._state.db is not None:
        return instance
    return type(instance)._default_manager.get(pk=instance.pk)


class EditorForm(forms.ModelForm):
    """Clean text, and refuse a save based on a copy someone else has saved over since.

    `expected_version` carries the version the form was opened at. The check locks the
    row for the rest of the admin's transaction, so nobody can slip in between the check
    and the save; the service checks again (for callers without a form).
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = stored_row(self.instance).version

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            # The model's constraints were just checked against the database; the service
            # that saves this instance need not ask again (the database enforces them).
            self.instance.constraints_validated = True

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if not isinstance(value, str):
                continue
            value = normalize_newlines(value)
            cleaned_data[name] = value
            found = control_characters(value)
            if found:
                self.add_error(
                    name,
                    f"Remove the control character{'s' if len(found) > 1 else ''} "
                    f"{', '.join(found)}: they cannot be stored or shown.",
                )
        self.check_version()
        return cleaned_data

    def check_version(self):
        if self.instance.pk is None or self.errors:
            return
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            stored = stored.select_for_update()
        current = stored.first()
        if current is None:
            self.add_error(None, "This record has been deleted since you opened it.")
            return
        try:
            current.check_version(self.cleaned_data.get("expected_version"))
        except forms.ValidationError as error:
            self.add_error(None, error)

    @property
    def opened_version(self) -> int | None:
        """The version this form was opened at, once cleaned."""
        return self.cleaned_data.get("expected_version")
