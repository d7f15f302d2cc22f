"""Loading the dataset again over what an earlier load wrote."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from core.models import ChangeSet
from entities.models import Entity
from events.models import Event
from imports.dataset import DatasetError
from sources.models import Citation, Claim
from tests.dataset_tests.conftest import BREAKAGES, edit_records, load, record, snapshot


def test_loaded_records_are_published_with_unverified_citations_and_a_change_reason(loaded):
    assert not Entity.objects.filter(published=False).exists()
    assert not Event.objects.filter(published=False).exists()
    assert not Claim.objects.exclude(status=Claim.Status.PUBLISHED).exists()
    assert not Citation.objects.filter(verified_at__isnull=False).exists()
    reasons = set(Claim.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Loaded for a test"}
    # One load, one change set, which every revision it wrote belongs to.
    load = ChangeSet.objects.get()
    assert (load.kind, load.description) == (
        ChangeSet.Kind.LOAD,
        "Loaded the tunisia-province dataset",
    )
    for model in (Entity, Event, Claim, Citation):
        assert set(model.history.values_list("change_set", flat=True)) == {load.pk}
    assert Claim.objects.public().count() == Claim.objects.count()


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_broken_record_stops_the_load_and_leaves_the_database_as_it_was(
    loaded, dataset_copy, breakage
):
    key, breaking, problem = breakage
    edit_records(dataset_copy, "claims.yaml", lambda records: breaking(record(records, key)))
    # A valid change elsewhere must not be written either.
    edit_records(
        dataset_copy,
        "entities.yaml",
        lambda records: record(records, "bardo").update(label="Le Bardo"),
    )
    before = snapshot()

    with pytest.raises(DatasetError) as caught:
        load(dataset_copy)

    assert [
        e
        for e in caught.value.errors
        if e.startswith(f"claims.yaml: claim “{key}”: ") and problem in e
    ]
    assert snapshot() == before


def test_a_claim_dropped_from_the_dataset_is_left_alone_and_reported(loaded, dataset_copy):
    key = "bardo/name"
    edit_records(dataset_copy, "claims.yaml", lambda records: records.remove(record(records, key)))

    result = load(dataset_copy)

    assert Claim.objects.filter(import_key=key).exists()
    assert result.not_in_dataset == [f"claim “{key}”"]
    assert result.changed == 0


def test_dates_in_words_load_as_edtf_and_reload_unchanged(loaded, dataset_copy):
    def in_words(records):
        record(records, "bardo-museum-attack/date")["date"] = "March 18, 2015"
        record(records, "jund-al-khilafah-in-tunisia/member-count/2018")["point_in_time"] = (
            "mid-2018"
        )

    edit_records(dataset_copy, "claims.yaml", in_words)

    assert load(dataset_copy).updated == {"claims": 1}
    assert Claim.objects.get(import_key="bardo-museum-attack/date").value_date == "2015-03-18"
    count = Claim.objects.get(import_key="jund-al-khilafah-in-tunisia/member-count/2018")
    assert count.point_in_time == "2018-05~/2018-08~"
    assert load(dataset_copy).changed == 0


def test_a_corrected_record_updates_the_row_it_corrects(loaded, dataset_copy):
    claim = Claim.objects.get(import_key="jund-al-khilafah-in-tunisia/ideology")
    citation = claim.citations.get()
    Citation.objects.filter(pk=citation.pk).update(
        verified_by=User.objects.create_user("rosa"), verified_at=timezone.now()
    )
    edit_records(
        dataset_copy,
        "claims.yaml",
        lambda records: record(records, claim.import_key)["citations"][0].update(
            quote="Ideology: Islamic Statism"
        ),
    )
    edit_records(
        dataset_copy,
        "entities.yaml",
        lambda records: record(records, "bardo").update(label="Le Bardo"),
    )

    result = load(dataset_copy)

    assert result.updated == {"citations": 1, "entities": 1}
    citation.refresh_from_db()
    assert citation.quote == "Ideology: Islamic Statism"
    assert not citation.is_verified  # nobody has checked the new words yet
    assert Entity.objects.get(slug="bardo").label == "Le Bardo"
    assert Entity.history.filter(slug="bardo").count() == 2
