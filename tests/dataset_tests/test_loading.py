"""Loading the dataset into an empty database."""

import io

import pytest
from django.core.management import call_command

from entities.models import Entity
from imports.dataset import DatasetError
from search.models import DistinctPair
from sources.models import Claim
from tests.dataset_tests.conftest import BREAKAGES, edit_records, load, record, snapshot


def test_dataset_loads_into_an_empty_database_and_a_second_load_changes_nothing(db):
    first = load()
    after_first = snapshot()
    second = load()

    assert first.created["claims"] == Claim.objects.count() > 100
    assert first.created["entities"] == Entity.objects.count()
    assert second.changed == 0
    assert second.unchanged["claims"] == Claim.objects.count()
    assert snapshot() == after_first


def test_seed_command_says_nothing_changed_on_its_second_run(db):
    first, second = io.StringIO(), io.StringIO()
    call_command("seed", stdout=first)
    call_command("seed", stdout=second)

    assert "record(s) written" in first.getvalue()
    assert "nothing changed" in second.getvalue()
    assert "0 created, 0 updated" in second.getvalue()


def test_broken_records_are_all_reported_with_file_and_record_and_nothing_is_written(
    db, dataset_copy
):
    def break_claims(records):
        for key, breaking, _problem in BREAKAGES.values():
            breaking(record(records, key))

    edit_records(dataset_copy, "claims.yaml", break_claims)
    edit_records(
        dataset_copy, "entities.yaml", lambda records: record(records, "bardo").update(kind="town")
    )
    edit_records(
        dataset_copy,
        "events.yaml",
        lambda records: record(records, "soon-soon-video").update(colour="red"),
    )

    with pytest.raises(DatasetError) as caught:
        load(dataset_copy)

    errors = caught.value.errors
    for key, _breaking, problem in BREAKAGES.values():
        assert any(
            e.startswith(f"claims.yaml: claim “{key}”: ") and problem in e for e in errors
        ), (key, errors)
    assert any(e.startswith("entities.yaml: entity “bardo”: kind: ") for e in errors), errors
    assert any(
        e.startswith("events.yaml: event “soon-soon-video”: unknown field “colour”") for e in errors
    ), errors
    assert snapshot() == {name: ([], 0) for name in snapshot()}


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}"])
def test_a_field_name_that_is_not_text_is_reported_as_a_yaml_error(db, dataset_copy, key):
    path = dataset_copy / "entities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"\n- ? {key}\n  : x\n  slug: zz\n  label: Z\n  kind: other\n",
        encoding="utf-8",
    )

    with pytest.raises(DatasetError) as caught:
        load(dataset_copy)

    [error] = [e for e in caught.value.errors if e.startswith("entities.yaml: ")]
    assert error.startswith("entities.yaml: not readable as YAML: a field name must be text")
    assert "line " in error  # where the record is
    assert snapshot() == {name: ([], 0) for name in snapshot()}


def test_a_broken_not_the_same_is_reported_and_nothing_is_written(db, dataset_copy):
    def break_pairs(records):
        record(records, "kasserine")["not_the_same"] = [
            {"entity": "nowhere", "reason": "Another place."},
            {"entity": "kasserine", "reason": "Itself."},
            {"entity": "bardo"},
            "kasserine-governorate",
        ]
        record(records, "bardo")["not_the_same"] = "tunisia"

    edit_records(dataset_copy, "entities.yaml", break_pairs)

    with pytest.raises(DatasetError) as caught:
        load(dataset_copy)

    errors = [e for e in caught.value.errors if e.startswith("entities.yaml: ")]
    prefix = "entities.yaml: entity “kasserine”: not_the_same "
    assert f"{prefix}1: entity: unknown entity “nowhere”" in errors, errors
    assert any(e.startswith(prefix + "2: ") and "same as itself" in e for e in errors), errors
    assert f"{prefix}3: expected an entity and a reason" in errors
    assert f"{prefix}4: expected an entity and a reason" in errors
    assert (
        "entities.yaml: entity “bardo”: not_the_same: expected a list of entity and reason"
        in errors
    )
    assert snapshot() == {name: ([], 0) for name in snapshot()}
    assert not DistinctPair.objects.exists()
