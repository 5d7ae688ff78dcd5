"""The organisation's pages (flatpages): title and text only, shown to readers as plain text.

Django's flatpage admin also offers a template of the editor's choosing and a login
requirement; neither has a place on a public transparency page, so they are left out.
"""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.models import FlatPage


class AboutPageAdmin(FlatPageAdmin):
    fieldsets = [
        (
            None,
            {
                "fields": ["url", "title", "content", "sites"],
                "description": "Readers see the text as written: blank lines make paragraphs "
                "and web addresses become links; HTML is shown as text, not applied.",
            },
        )
    ]
    list_filter = ["sites"]


admin.site.unregister(FlatPage)
admin.site.register(FlatPage, AboutPageAdmin)
