"""The floors of the house: ``core`` imports no app, the subjects know nothing of claims, and
nothing below the ways in (``imports``) and out (``api``, ``exports``, ``reconcile``) knows
them."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from core.history import tracked_models

APPS = {"entities", "events", "sources", "search", "imports", "api", "exports", "reconcile"}
WAYS_OUT = {"api", "exports", "reconcile"}


def imported_apps(package):
    """The project apps a package's modules import, as {(module, app)}."""
    found = set()
    for path in Path(settings.BASE_DIR, package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {(path.name, name.split(".")[0]) for name in names} & {
                (path.name, app) for app in APPS
            }
    return found


def test_core_imports_no_app():
    assert imported_apps("core") == set()


@pytest.mark.parametrize("package", ["entities", "events"])
def test_the_subjects_know_nothing_of_sources(package):
    assert {app for _, app in imported_apps(package)} <= {package}


@pytest.mark.parametrize("package", ["core", "entities", "events", "sources", "search"])
def test_the_ways_in_are_the_top_floor(package):
    assert "imports" not in {app for _, app in imported_apps(package)}


@pytest.mark.parametrize("package", ["core", "entities", "events", "sources", "search", "imports"])
def test_nothing_below_the_ways_out_knows_them(package):
    assert not WAYS_OUT & {app for _, app in imported_apps(package)}


def test_the_api_shapes_are_all_the_other_ways_out_share():
    assert {app for _, app in imported_apps("reconcile")} & WAYS_OUT <= {"reconcile"}
    assert {app for _, app in imported_apps("exports")} & WAYS_OUT <= {"exports", "api"}


def test_core_finds_the_tracked_models_through_the_app_registry():
    assert [model._meta.label for model in tracked_models()] == [
        "entities.Entity",
        "events.Event",
        "search.DistinctPair",
        "sources.Citation",
        "sources.Claim",
        "sources.Property",
        "sources.Source",
    ]
