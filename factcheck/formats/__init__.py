"""Date and number formats per language (FORMAT_MODULE_PATH), and the month names.

Django's Italian catalogue capitalises month names ("5 Marzo 2026"); running Italian
writes them in lower case. Naming them here puts them in the project's catalogue, which
Django reads before its own, with the lower-case names.
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
