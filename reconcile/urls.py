"""The reconciliation service's addresses: ``/reconcile`` itself (``config/urls.py`` mounts
it without a trailing slash, as clients are given it) and the services under it."""

from django.urls import include, path

from . import views

app_name = "reconcile"
urlpatterns = [
    path("", views.reconcile, name="service"),
    path(
        "/",
        include(
            [
                path("preview", views.preview, name="preview"),
                path("suggest/entity", views.suggest_entity, name="suggest-entity"),
                path("suggest/type", views.suggest_type, name="suggest-type"),
                path("suggest/property", views.suggest_property, name="suggest-property"),
                path("extend/propose", views.propose_properties, name="propose-properties"),
            ]
        ),
    ),
]
