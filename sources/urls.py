"""The public site's addresses, by the namespace each part answers to (``config/urls.py``
mounts each list): ``site:home``, ``entities:detail``, ``events:list``, ``sources:detail``."""

from django.urls import path

from entities.models import Entity
from events.models import Event
from search.views import SearchView

from . import views

site = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
]
entities = [
    path("", views.EntityListView.as_view(), name="list"),
    path("<slug:slug>/", views.EntityDetailView.as_view(), name="detail"),
    path(
        "<slug:slug>/values/<slug:property>/",
        views.ValuesView.as_view(subject_model=Entity),
        name="values",
    ),
]
events = [
    path("", views.EventListView.as_view(), name="list"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path(
        "<slug:slug>/values/<slug:property>/",
        views.ValuesView.as_view(subject_model=Event),
        name="values",
    ),
]
sources = [
    path("", views.SourceListView.as_view(), name="list"),
    path("<int:pk>/", views.SourceDetailView.as_view(), name="detail"),
]
