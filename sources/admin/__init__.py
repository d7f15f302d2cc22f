"""The curation admin: claims, citations, sources and properties (``claims``), entities and
events (``subjects``), and the review queue linked from the admin index."""

from django.contrib import admin

from . import claims, subjects  # noqa: F401  (they register the model admins)

admin.site.index_template = "admin/sources/site_index.html"
