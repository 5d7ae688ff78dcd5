"""The editors' admin. Every save goes through the services, so derived state stays right.

Importing the modules registers their ModelAdmins.
"""

from factcheck.admin import claims, evidence, intake, pages, provenance, sources  # noqa: F401
