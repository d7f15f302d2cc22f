from django.contrib import admin
from django.urls import include, path

from api.views import api, unknown_address
from sources import urls as pages

urlpatterns = [
    path("", include((pages.site, "site"))),
    path("admin/", admin.site.urls),
    path("entities/", include((pages.entities, "entities"))),
    path("events/", include((pages.events, "events"))),
    path("sources/", include((pages.sources, "sources"))),
    path("api/v1/", api.urls),
    path("api/<path:rest>", unknown_address),
    path("exports/", include("exports.urls")),
    path("reconcile", include("reconcile.urls")),
]
