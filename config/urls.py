from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("entities/", include("entities.urls")),
    path("events/", include("events.urls")),
    path("sources/", include("sources.urls")),
]
