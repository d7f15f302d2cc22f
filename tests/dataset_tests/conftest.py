import shutil

import pytest
import yaml
from django.conf import settings
from django.db import transaction

from entities.models import Entity
from events.models import Event
from imports.dataset import load_dataset
from sources.models import Citation, Claim, Source

FIXTURES = settings.BASE_DIR / "fixtures"
DATASET = FIXTURES / "tunisia-province"
ARTICLE = FIXTURES / "sources" / "islamic-state-tunisia-province.txt"

# One broken record each: the claim key, how to break it, and what the error must say.
BREAKAGES = {
    "a bad date": (
        "bardo-museum-attack/date",
        lambda claim: claim.update(date="2015-13-45"),
        "2015-13-45",
    ),
    "an unknown property": (
        "jund-al-khilafah-in-tunisia/ideology",
        lambda claim: claim.update(property="creed"),
        "unknown property “creed”",
    ),
    "a quote not in the article": (
        "jund-al-khilafah-in-tunisia/member-count/2018",
        lambda claim: claim["citations"][0].update(quote="- Size: 200 (2018)"),
        "do not occur in the archived text",
    ),
    "a number that is not one": (
        "bardo-museum-attack/killed",
        lambda claim: claim.update(quantity="many"),
        "expected a number",
    ),
    "a quantity that is not a number": (
        "chambi-ambush-2013/killed",
        lambda claim: claim.update(quantity=float("nan"), low=1),
        "quantity: expected a number, not “nan”",
    ),
    "an infinite estimate": (
        "national-guard-attack-2020/killed",
        lambda claim: claim.update(high=float("inf")),
        "high: expected a number, not “inf”",
    ),
    "text where the property takes an entity": (
        "jund-al-khilafah-in-tunisia/leader/ashraf-al-qizani",
        lambda claim: (claim.pop("entity"), claim.update(text="Ashraf al-Qizani")),
        "takes a value of type “Entity”, not text",
    ),
    "an unknown entity": (
        "jund-al-khilafah-in-tunisia/opponent/tunisia",
        lambda claim: claim.update(entity="tunisian-republic"),
        "unknown entity “tunisian-republic”",
    ),
}


def load(directory=DATASET):
    return load_dataset(
        directory=directory, reason="Loaded for a test", status=Claim.Status.PUBLISHED
    )


def article_text():
    with open(ARTICLE, encoding="utf-8", newline="") as file:
        return file.read()


@pytest.fixture(scope="module")
def module_dataset(django_db_setup, django_db_blocker):
    """The dataset loaded once for all the tests of a module, and rolled back after them.

    A load validates every record with full_clean(), which takes seconds; the tests that
    only read the data share one load. Each test still runs in its own savepoint.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(module_dataset, db):
    """The dataset, loaded. A module using it must not also test an empty database."""
    return module_dataset


@pytest.fixture
def dataset_copy(tmp_path):
    """A copy of the fixtures folder, so a test can break or change one record."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    return tmp_path / "fixtures" / "tunisia-province"


def edit_records(directory, filename, edit):
    """Rewrite one dataset file after ``edit(records)`` has changed its list of records."""
    path = directory / filename
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(records)
    path.write_text(
        yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def record(records, key):
    return next(item for item in records if item.get("key", item.get("slug")) == key)


def snapshot():
    """Every row, and the number of history rows, of each model a dataset writes."""
    return {
        model.__name__: (list(model.objects.order_by("pk").values()), model.history.count())
        for model in (Source, Entity, Event, Claim, Citation)
    }
