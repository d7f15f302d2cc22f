"""Shared fixtures and small factories. Every factory saves through the model, so history
records what it makes, as it would for an editor."""

import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Property, Source

_counter = itertools.count(1)


def make_entity(**overrides):
    n = next(_counter)
    fields = {
        "label": f"Entity {n}",
        "slug": f"entity-{n}",
        "kind": Entity.Kind.ORGANIZATION,
        "published": True,
    }
    fields.update(overrides)
    return Entity.objects.create(**fields)


def make_event(**overrides):
    n = next(_counter)
    fields = {
        "label": f"Event {n}",
        "slug": f"event-{n}",
        "kind": Event.Kind.ATTACK,
        "published": True,
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def make_source(**overrides):
    n = next(_counter)
    fields = {
        "kind": Source.Kind.NEWS,
        "title": f"Source {n}",
        "publisher": "A Publisher",
        "published_on": "2020-01-02",
    }
    fields.update(overrides)
    return Source.objects.create(**fields)


def make_claim(*, property="inception", cite=True, **overrides):
    """A claim, published and cited unless told otherwise. Give the value as the column it fills."""
    prop = Property.objects.get(code=property) if isinstance(property, str) else property
    fields = {"property": prop, "status": Claim.Status.PUBLISHED}
    if "entity" not in overrides and "event" not in overrides:
        fields["entity" if prop.applies_to != "event" else "event"] = (
            make_entity() if prop.applies_to != "event" else make_event()
        )
    if overrides.get("value_kind", Claim.ValueKind.VALUE) == Claim.ValueKind.VALUE and not any(
        key.startswith("value_") and key != "value_kind" for key in overrides
    ):
        fields.update(_default_value(prop))
    fields.update(overrides)
    claim = Claim.objects.create(**fields)
    if cite:
        make_citation(claim=claim)
    return claim


def _default_value(prop):
    return {
        "entity": lambda: {"value_entity": make_entity()},
        "event": lambda: {"value_event": make_event()},
        "date": lambda: {"value_date": "2014-09"},
        "quantity": lambda: {"value_quantity": 100},
        "text": lambda: {"value_text": "Some text"},
        "monolingual": lambda: {"value_text": "A name", "value_language": "en"},
        "url": lambda: {"value_url": "https://example.org/"},
    }[prop.datatype]()


def make_citation(**overrides):
    fields = {
        "source": overrides.pop("source", None) or make_source(),
        "locator": "p. 1",
        "quote": "A supporting quote.",
    }
    fields.update(overrides)
    return Citation.objects.create(**fields)


def make_user(username, *, role=None, superuser=False):
    user = User.objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached page: the database is rolled back between tests, and
    the change stamp with it, so a page kept by one test could answer another."""
    caches["pages"].clear()


@pytest.fixture
def editor(db):
    return make_user("edith", role="Editor")


@pytest.fixture
def reviewer(db):
    return make_user("rafael", role="Reviewer")


@pytest.fixture
def second_reviewer(db):
    return make_user("rosa", role="Reviewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
