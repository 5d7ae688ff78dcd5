"""The editors' admin. Every save goes through the services, so derived state stays right.

Importing the modules registers their ModelAdmins.
"""

from factcheck.admin import claims, evidence, pages, sources  # noqa: F401
