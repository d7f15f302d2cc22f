"""Loading the dataset again over records that someone changed since they were loaded.

The dataset owns a record only until someone changes it outside the loader; from then on the
record is left as it is, and a load that would have changed it says so.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from entities.models import Entity
from events.models import Event
from imports.dataset import DatasetError
from sources.models import Citation, Claim
from sources.review.services import entity_merge
from tests.dataset_tests.conftest import DATASET, edit_records, load, record, snapshot

LEFT = "changed in the admin since it was loaded; left as it is"
IDEOLOGY = "jund-al-khilafah-in-tunisia/ideology"
MEMBERS = "jund-al-khilafah-in-tunisia/member-count/2018"


def seed(directory=DATASET):
    """What every `make run` does first."""
    output = io.StringIO()
    call_command("seed", path=directory, stdout=output)
    return output.getvalue()


def save(obj, user, reason, **changes):
    """Save as the admin does: with the acting user and a reason."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user, obj._change_reason = user, reason
    obj.save()
    return obj


def test_seed_keeps_what_a_reviewer_rejected_or_unpublished(loaded, reviewer):
    claim = Claim.objects.get(import_key=IDEOLOGY)
    save(
        claim,
        reviewer,
        "Misread",
        status=Claim.Status.REJECTED,
        status_reason="The infobox says otherwise",
    )
    entity = save(Entity.objects.get(slug="bardo"), reviewer, "Not ready", published=False)
    # Saved from a shell or a script: no user and no reason, still not the loader's.
    event = Event.objects.get(slug="soon-soon-video")
    event.published = False
    event.save()
    before = snapshot()

    output = seed()

    assert snapshot() == before  # nothing written, no history added
    claim.refresh_from_db()
    entity.refresh_from_db()
    event.refresh_from_db()
    assert (
        claim.status == Claim.Status.REJECTED
        and claim.status_reason == "The infobox says otherwise"
    )
    assert not entity.published and not event.published
    # Publication is the reviewers' to decide: it changes no field the files still give.
    assert LEFT not in output
    assert "nothing changed" in output


def test_a_published_record_is_still_updated_from_the_files(loaded, reviewer, dataset_copy):
    claim = save(
        Claim.objects.get(import_key=IDEOLOGY),
        reviewer,
        "Not in the article",
        status=Claim.Status.REJECTED,
        status_reason="Misread",
    )
    edit_records(
        dataset_copy,
        "claims.yaml",
        lambda records: record(records, IDEOLOGY).update(note="From the infobox"),
    )

    result = load(dataset_copy)

    claim.refresh_from_db()
    assert result.updated == {"claims": 1} and result.changed_since_load == []
    assert (claim.note, claim.status, claim.status_reason) == (
        "From the infobox",
        Claim.Status.REJECTED,
        "Misread",
    )


def test_records_the_dataset_still_owns_are_updated_beside_those_left(
    loaded, reviewer, dataset_copy
):
    claim = save(
        Claim.objects.get(import_key=IDEOLOGY),
        reviewer,
        "Context",
        note="Checked against the 2016 report",
    )
    citation = claim.citations.get()

    def edit(records):
        ideology = record(records, IDEOLOGY)
        ideology["note"] = "From the infobox"
        ideology["citations"][0]["quote"] = "Ideology: Islamic Statism"

    edit_records(dataset_copy, "claims.yaml", edit)
    edit_records(
        dataset_copy,
        "entities.yaml",
        lambda records: record(records, "bardo").update(label="Le Bardo"),
    )
    claim_history = claim.history.count()

    result = load(dataset_copy)

    assert result.updated == {"entities": 1}
    assert result.changed_since_load == [f"claim “{IDEOLOGY}”"]
    assert Entity.objects.get(slug="bardo").label == "Le Bardo"
    claim.refresh_from_db()
    assert (
        claim.note == "Checked against the 2016 report" and claim.history.count() == claim_history
    )
    assert (
        Citation.objects.get(pk=citation.pk).quote == citation.quote
    )  # a claim's citations stay with it
    assert Citation.history.filter(id=citation.pk).count() == 1

    # Loading the same files again writes nothing.
    after = snapshot()
    again = load(dataset_copy)
    assert again.changed == 0 and again.changed_since_load == [f"claim “{IDEOLOGY}”"]
    assert snapshot() == after


def test_a_left_record_that_matches_the_files_is_not_reported(loaded, reviewer):
    claim = Claim.objects.get(import_key=IDEOLOGY)
    save(claim, reviewer, "Ranked", rank=Claim.Rank.PREFERRED, rank_reason="Primary source")
    save(claim, reviewer, "Ranked by mistake", rank=Claim.Rank.NORMAL, rank_reason="")

    result = load()

    assert result.changed == 0 and result.changed_since_load == []
    assert result.unchanged["claims"] == Claim.objects.count()


def test_words_the_files_correct_lose_their_verification_and_are_listed(
    loaded, reviewer, dataset_copy
):
    members = Citation.objects.filter(claim__import_key=MEMBERS).first()
    ideology = Citation.objects.get(claim__import_key=IDEOLOGY)
    for citation in (members, ideology):
        save(
            citation,
            reviewer,
            "Verified against the source",
            verified_by=reviewer,
            verified_at=timezone.now(),
        )
    edit_records(
        dataset_copy,
        "claims.yaml",
        lambda records: record(records, IDEOLOGY)["citations"][0].update(
            quote="Ideology: Islamic Statism"
        ),
    )

    result = load(dataset_copy)

    assert result.unverified == [f"citation {ideology.pk} (infobox) of claim “{IDEOLOGY}”"]
    assert result.changed_since_load == []
    ideology.refresh_from_db()
    members.refresh_from_db()
    assert ideology.quote == "Ideology: Islamic Statism" and not ideology.is_verified
    assert members.is_verified  # words the files did not change keep their verification


def test_a_citation_a_reviewer_corrected_is_not_rewritten(loaded, reviewer, dataset_copy):
    ideology = Citation.objects.get(claim__import_key=IDEOLOGY)
    save(ideology, reviewer, "Only the words that say it", quote="Ideology: Islamic Statism")
    edit_records(
        dataset_copy,
        "claims.yaml",
        lambda records: record(records, IDEOLOGY)["citations"][0].update(quote="Islamic Statism"),
    )
    before = snapshot()

    result = load(dataset_copy)

    assert snapshot() == before
    assert result.changed_since_load == [f"citation {ideology.pk} (infobox) of claim “{IDEOLOGY}”"]


def test_a_merge_is_not_undone_by_the_next_seed(loaded, reviewer):
    survivor, merged = (
        Entity.objects.get(slug="kasserine-governorate"),
        Entity.objects.get(slug="kasserine"),
    )
    moved = list(Claim.objects.filter(entity=merged).values_list("pk", flat=True))
    entity_merge(source=merged, target=survivor, user=reviewer, reason="One place")
    before = snapshot()

    output = seed()

    assert snapshot() == before
    merged.refresh_from_db()
    assert merged.merged_into == survivor
    assert set(Claim.objects.filter(pk__in=moved).values_list("entity", flat=True)) == {survivor.pk}
    assert "nothing changed" in output


def test_a_status_in_the_files_is_set_only_when_the_claim_is_created(loaded, dataset_copy):
    reason = "The infobox says otherwise"
    edit_records(
        dataset_copy,
        "claims.yaml",
        lambda records: record(records, IDEOLOGY).update(status="rejected", status_reason=reason),
    )
    result = load(dataset_copy)
    claim = Claim.objects.get(import_key=IDEOLOGY)
    assert result.changed == 0 and claim.status == Claim.Status.PUBLISHED

    def new_claims(records):
        added = {**record(records, IDEOLOGY), "key": "new/rejected", "text": "Takfirism"}
        records.append({**added, "status": "rejected", "status_reason": reason})
        records.append(
            {**added, "key": "new/unexplained", "text": "Salafism", "status": "rejected"}
        )
        records[-1]["status_reason"] = ""

    edit_records(dataset_copy, "claims.yaml", new_claims)
    with pytest.raises(DatasetError) as caught:
        load(dataset_copy)
    assert [e for e in caught.value.errors if "new/rejected" in e] == []
    assert [
        e
        for e in caught.value.errors
        if e.startswith("claims.yaml: claim “new/unexplained”: status_reason: ")
    ]


def test_which_history_rows_count_as_written_by_a_load(loaded, reviewer, dataset_copy):
    # What a load's change set holds is the dataset's, whatever its reason says.
    Entity.history.filter(slug="bardo").update(history_change_reason="")
    # A user who types what loads once wrote in their reasons is still a user.
    save(
        Entity.objects.get(slug="kasserine"),
        reviewer,
        "Tidied [dataset load]",
        description="A town",
    )

    def edit(records):
        record(records, "bardo")["label"] = "Le Bardo"
        record(records, "kasserine")["label"] = "Qasrin"

    edit_records(dataset_copy, "entities.yaml", edit)

    result = load(dataset_copy)

    assert result.updated == {"entities": 1}
    assert result.changed_since_load == ["entity “kasserine”"]
    assert Entity.objects.get(slug="bardo").label == "Le Bardo"
    assert Entity.objects.get(slug="kasserine").label == "Kasserine"
