"""Merges and loads are change sets, found by what they are, not by their reasons' wording;
the writes made before change sets existed are given theirs by a migration."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User

from core.models import ChangeSet
from entities.models import Entity
from sources.models import Claim
from sources.review.services import entity_merge, entity_unmerge
from tests.conftest import make_claim, make_entity, make_user

migration = importlib.import_module(
    "sources.migrations.0005_merge_role_and_change_sets_of_earlier_writes"
)
backfill = migration.change_sets_from_reasons


def test_a_merge_and_its_undo_are_two_change_sets(db, reviewer):
    survivor, merged = make_entity(), make_entity()
    claim = make_claim(entity=merged, property="leader")
    result = entity_merge(source=merged, target=survivor, user=reviewer, reason="Same group")
    assert claim.history.first().change_set == result.change_set
    entity_unmerge(merged=merged, user=reviewer, reason="Two groups")
    kinds = list(ChangeSet.objects.order_by("pk").values_list("kind", "user", "reason"))
    assert kinds == [("merge", reviewer.pk, "Same group"), ("unmerge", reviewer.pk, "Two groups")]
    assert Claim.objects.get(pk=claim.pk).entity == merged


def test_a_reason_that_reads_like_a_merge_is_not_one(db, reviewer):
    survivor, merged = make_entity(), make_entity()
    entity_merge(source=merged, target=survivor, user=reviewer, reason="Same group")
    # Someone quotes the merge in a later edit of the merged entity.
    merged = Entity.objects.get(pk=merged.pk)
    merged.description = "Merged"
    merged._change_reason = f"Noted [merge 0123456789ab: #{merged.pk} → #{survivor.pk}]"
    merged.save()
    entity_unmerge(merged=merged, user=reviewer, reason="Two groups")
    assert Entity.objects.get(pk=merged.pk).merged_into is None


def test_writes_from_before_change_sets_are_given_theirs(db, reviewer):
    survivor, merged = make_entity(), make_entity()
    claim = make_claim(entity=merged, property="leader")
    result = entity_merge(source=merged, target=survivor, user=reviewer, reason="Same group")
    # As the merge wrote it then: a mark in every reason, no change set.
    mark = f"[merge 0123456789ab: #{merged.pk} → #{survivor.pk}]"
    for model in (Claim, Entity):
        model.history.filter(change_set=result.change_set).update(
            change_set=None, history_change_reason=f"Moved by a merge {mark}: Same group"
        )
    result.change_set.delete()
    loaded = make_entity()
    loaded.history.update(
        history_user=None, history_change_reason="Loaded from the tunisia-province dataset"
    )
    typed = make_entity()
    typed.history.update(history_user=reviewer, history_change_reason="Tidied [dataset load]")

    backfill(apps, None)

    merge = ChangeSet.objects.get(kind="merge")
    assert claim.history.first().change_set == merge
    assert (merge.user, merge.reason) == (reviewer, "Same group")
    assert merge.created_at == claim.history.first().history_date
    assert loaded.history.get().change_set.kind == "load"
    assert typed.history.get().change_set is None  # a user wrote it
    undone = entity_unmerge(merged=merged, user=reviewer, reason="Two groups")
    assert undone.restored == 1
    assert Claim.objects.get(pk=claim.pk).entity_id == merged.pk


def test_whoever_could_publish_may_merge(db):
    publish = Permission.objects.get(codename="publish_claim")
    senior = Group.objects.create(name="Senior editors")
    senior.permissions.add(publish)
    make_user("senior").groups.add(senior)
    make_user("trusted").user_permissions.add(publish)
    make_user("plain", role="Editor")

    migration.give_publishers_merge(apps, None)

    def may_merge(name):
        return User.objects.get(username=name).has_perm("entities.merge_entity")

    assert may_merge("senior") and may_merge("trusted")
    assert not may_merge("plain")


def test_the_change_sets_cannot_be_rolled_back():
    """Merges made after the migration exist only as change sets: going back is refused."""
    backfill_step = migration.Migration.operations[1]
    assert not backfill_step.reversible
