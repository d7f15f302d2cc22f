from django.contrib import admin
from django.urls import include, path

from sources import urls as pages

urlpatterns = [
    path("", include((pages.site, "site"))),
    path("admin/", admin.site.urls),
    path("entities/", include((pages.entities, "entities"))),
    path("events/", include((pages.events, "events"))),
    path("sources/", include((pages.sources, "sources"))),
]
