"""Writes that span models: folding a duplicate entity into the one that survives, and
undoing that from the history the merge wrote."""

import re
import uuid
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from core.names import normalize
from sources.models import Citation, Claim, Property

from .models import Entity

# Every row a merge writes carries this mark in its change reason, so that the merge
# can be found again in the history and undone row by row.
_MARK = "[merge {token}: #{source} → #{target}]"
_MARK_PATTERN = re.compile(r"\[merge (?P<token>[0-9a-f]{12}): #(?P<source>\d+) → #(?P<target>\d+)\]")
# The fields a merge may change on a claim, and so the ones an undo restores.
_MOVED_FIELDS = ["entity_id", "value_entity_id", "property_id"]


class MergeError(ValueError):
    """The merge (or its undo) cannot be done as asked; nothing was written."""


class Merged(NamedTuple):
    moved: int  # claims about or pointing at the merged entity, now on the survivor
    alias: object  # the draft alias claim made for an uncited label, or None


class Unmerged(NamedTuple):
    restored: int  # claims put back on the entity
    removed: int  # claims the merge had added, deleted
    kept: int  # claims changed again since the merge, left as they are


def entity_merge(*, source, target, user, reason):
    """Fold ``source`` into ``target``: they are one entity and ``target`` survives.

    Every claim about ``source`` and every claim pointing at it moves to ``target``;
    its names become aliases of ``target``, and its label too: as the cited name claim
    that carries it, or else as a draft alias with an internal note, so that nothing is
    lost and nothing uncited is published. ``source`` keeps its row, with ``merged_into``
    set, so its public URL redirects to ``target``. Every row is saved with the reason
    and a mark that ``entity_unmerge`` finds again.
    """
    reason = (reason or "").strip()
    if not reason:
        raise MergeError("Give the reason for the merge: why these are one entity.")
    with transaction.atomic():
        locked = Entity.objects.select_for_update().in_bulk([source.pk, target.pk])
        source, target = locked[source.pk], locked[target.pk]
        if source.pk == target.pk:
            raise MergeError("An entity cannot be merged into itself.")
        if source.merged_into_id or target.merged_into_id:
            merged = source if source.merged_into_id else target
            raise MergeError(f"“{merged}” is already merged into another entity; undo that merge first.")
        mark = _MARK.format(token=uuid.uuid4().hex[:12], source=source.pk, target=target.pk)
        alias = Property.objects.get(code="alias")

        moved = 0
        claims = Claim.objects.filter(Q(entity=source) | Q(value_entity=source)).select_related("property")
        for claim in claims.order_by("pk"):
            if claim.entity_id == source.pk:
                claim.entity = target
                if claim.property.is_name and claim.property.datatype == alias.datatype:
                    claim.property = alias
            if claim.value_entity_id == source.pk:
                claim.value_entity = target
            _save(claim, user, f"Moved from “{source}” to “{target}” by a merge {mark}: {reason}")
            moved += 1

        label_key = normalize(source.label)
        cited_names = (
            Claim.objects.filter(entity=target, property__is_name=True)
            .exclude(status=Claim.Status.REJECTED)
            .filter(Exists(Citation.objects.filter(claim=OuterRef("pk"))))
            .values_list("value_text", flat=True)
        )
        label_alias = None
        if not any(normalize(name) == label_key for name in cited_names):
            label_alias = Claim(
                entity=target,
                property=alias,
                value_text=source.label,
                value_language="und",
                status=Claim.Status.DRAFT,
                note=(
                    f"The label of “{source}” (#{source.pk}), kept when it was merged into “{target}”. "
                    "No cited name claim carried it: cite a source that uses this name and set its "
                    "language before publishing it."
                ),
                note_is_public=False,
            )
            _save(label_alias, user, f"Label of “{source}” kept as an alias by a merge {mark}: {reason}")

        # Entities merged into the loser earlier now redirect to the survivor directly.
        for earlier in Entity.objects.filter(merged_into=source).order_by("pk"):
            earlier.merged_into = target
            _save(earlier, user, f"Redirected to “{target}” by a merge {mark}: {reason}")

        source.merged_into = target
        _save(source, user, f"Merged into “{target}” {mark}: {reason}")
    return Merged(moved=moved, alias=label_alias)


def entity_unmerge(*, merged, user, reason):
    """Undo the merge that folded ``merged`` into its survivor, from the rows it wrote.

    Claims go back where they were, unless someone changed them again since (those are
    left as they are, and counted); the alias the merge made for the label is deleted if it
    is still as the merge wrote it and uncited, and otherwise (a reviewer cited, published or
    edited it) left as it is and counted as kept; ``merged`` stops redirecting.
    """
    reason = (reason or "").strip()
    if not reason:
        raise MergeError("Give the reason for undoing the merge.")
    with transaction.atomic():
        merged = Entity.objects.select_for_update().get(pk=merged.pk)
        if merged.merged_into_id is None:
            raise MergeError(f"“{merged}” is not merged into another entity.")
        mark = _last_merge_mark(merged)
        survivor = merged.merged_into
        note = f"Merge of “{merged}” into “{survivor}” undone {mark}: {reason}"

        records = list(Claim.history.filter(history_change_reason__contains=mark).order_by("history_date", "history_id"))
        previous = _previous_records(Claim, records)
        current = Claim.objects.select_related("property").in_bulk({record.id for record in records})
        restored = removed = kept = 0
        for record in records:
            claim = current.get(record.id)
            if claim is None:
                continue
            if record.history_type == "+":
                if claim.citations.exists() or _changed_since(claim, record):
                    kept += 1
                    continue
                claim._change_reason, claim._history_user = note, user
                claim.delete()
                removed += 1
                continue
            before = previous.get(record.history_id)
            changes = {
                field: getattr(before, field)
                for field in _MOVED_FIELDS
                if before is not None and getattr(before, field) != getattr(record, field)
            }
            if any(getattr(claim, field) != getattr(record, field) for field in changes):
                kept += 1
                continue
            for field, value in changes.items():
                setattr(claim, field, value)
            _save(claim, user, note)
            restored += 1

        for record in Entity.history.filter(history_change_reason__contains=mark).exclude(id=merged.pk):
            earlier = Entity.objects.filter(pk=record.id, merged_into=survivor).first()
            if earlier is not None:
                earlier.merged_into = merged
                _save(earlier, user, note)

        merged.merged_into = None
        _save(merged, user, note)
    return Unmerged(restored=restored, removed=removed, kept=kept)


def _save(obj, user, reason):
    obj._change_reason = reason
    obj._history_user = user
    obj.save()


def _changed_since(obj, record):
    """Whether ``obj`` differs, in any field its history keeps, from the history row ``record``."""
    return any(
        getattr(obj, field.attname) != getattr(record, field.attname) for field in record.tracked_fields
    )


def _last_merge_mark(merged):
    """The mark of the merge that made ``merged`` redirect where it does now."""
    records = merged.history.filter(
        merged_into_id=merged.merged_into_id, history_change_reason__contains=f": #{merged.pk} → #"
    ).order_by("-history_date", "-history_id")
    for record in records:
        match = _MARK_PATTERN.search(record.history_change_reason or "")
        if match and match["source"] == str(merged.pk):
            return match[0]
    raise MergeError(f"No merge of “{merged}” was found in the history; edit it by hand.")


def _previous_records(model, records):
    """For each history row, the row of the same object just before it (one query)."""
    ids = {record.id for record in records}
    wanted = {record.history_id for record in records}
    previous, last = {}, {}
    for row in model.history.filter(id__in=ids).order_by("history_date", "history_id"):
        if row.history_id in wanted:
            previous[row.history_id] = last.get(row.id)
        last[row.id] = row
    return previous
