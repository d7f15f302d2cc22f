"""Curation as services: publish, reject, deprecate, verify, merge and undo a merge, each
over many rows at once.

Each is a keyword-only function that checks the user's power (``sources.roles``), writes
every row through ``Model.save()`` with the user and the reason, all in one transaction,
and says what it did and what it skipped. The admin's bulk actions and the review queue's
buttons call these. Editing one claim in its admin page stays plain CRUD, held to the same
rules by the same roles, the form's checks and the database's constraints.
"""

from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.history import LATEST_FIRST, delete_with_reason, save_with_reason
from core.models import ChangeSet
from core.names import normalize
from entities.models import Entity

from .. import roles
from ..models import Citation, Claim, Property


class CurationError(ValueError):
    """The change cannot be made as asked; nothing was written."""


class Done(NamedTuple):
    done: list  # the rows changed
    skipped: list  # the rows left as they were, for the reason the function names


def _require(allowed, user):
    # The admin offers an action only to those allowed; a crafted request is refused here too.
    if not allowed(user):
        raise PermissionDenied


def _reason(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise CurationError(f"Give the reason {what}.")
    return reason


# Claims and citations


def publish(*, claims, user, reason="Published after review"):
    """Publish the claims that are not published yet; skipped: those no citation supports."""
    _require(roles.can_publish, user)
    pending = (
        claims.exclude(status=Claim.Status.PUBLISHED)
        .annotate(
            is_cited=Exists(Citation.objects.filter(Citation.SUPPORTING, claim=OuterRef("pk")))
        )
        .order_by("pk")
    )
    done, uncited = [], []
    with transaction.atomic():
        for claim in pending:
            if not claim.is_cited:
                uncited.append(claim)
                continue
            claim.status, claim.status_reason = Claim.Status.PUBLISHED, ""
            done.append(save_with_reason(claim, user=user, reason=reason))
    return Done(done, uncited)


def combine(*, claims, user, reason="Several sources for one value are one claim"):
    """Fold each selected claim and the claims that are the same claim (``Claim.same_claim``)
    into one: the published one if any, else the oldest, keeps its status, takes the others'
    citations and notes (internal if any of them was) and a preferred rank with its reason;
    the others are deleted, their history kept.
    Returns the claims kept; skipped: selected claims with no same claim."""
    _require(roles.can_publish, user)
    reason = _reason(reason, "for combining the claims")
    done, skipped, gone = [], [], set()
    with transaction.atomic():
        for claim in claims.exclude(status=Claim.Status.REJECTED).order_by("pk"):
            if claim.pk in gone:
                continue
            same = claim.same_claims().select_for_update()
            keeper, *others = sorted(same, key=lambda c: (c.status != Claim.Status.PUBLISHED, c.pk))
            if not others:
                skipped.append(claim)
                continue
            for other in others:
                for citation in other.citations.order_by("pk"):
                    citation.claim = keeper
                    save_with_reason(citation, user=user, reason=f"Moved to #{keeper.pk}: {reason}")
                if other.note.strip() and other.note not in keeper.note:
                    keeper.note = "\n\n".join(filter(None, [keeper.note, other.note]))
                    # A note kept internal on either claim stays internal.
                    keeper.note_is_public = keeper.note_is_public and other.note_is_public
                if other.rank == Claim.Rank.PREFERRED and keeper.rank != Claim.Rank.PREFERRED:
                    keeper.rank, keeper.rank_reason = other.rank, other.rank_reason
                gone.add(other.pk)
            save_with_reason(keeper, user=user, reason=f"Combined with {_pks(others)}: {reason}")
            for other in others:
                delete_with_reason(other, user=user, reason=f"Combined into #{keeper.pk}: {reason}")
            done.append(keeper)
    return Done(done, skipped)


def _pks(claims):
    return ", ".join(f"#{claim.pk}" for claim in claims)


def reject(*, claims, user, reason):
    """Reject the claims not rejected yet, with the reason editors will read."""
    _require(roles.can_publish, user)
    reason = _reason(reason, "for the rejection")
    pending = claims.exclude(status=Claim.Status.REJECTED)
    fields = {"status": Claim.Status.REJECTED, "status_reason": reason}
    return _set_each(pending, fields, user=user, reason=f"Rejected: {reason}")


def deprecate(*, claims, user, reason):
    """Deprecate the claims not deprecated yet, with the reason readers will see."""
    _require(roles.can_rank, user)
    reason = _reason(reason, "for deprecating them")
    pending = claims.exclude(rank=Claim.Rank.DEPRECATED)
    fields = {"rank": Claim.Rank.DEPRECATED, "rank_reason": reason}
    return _set_each(pending, fields, user=user, reason=f"Deprecated: {reason}")


def _set_each(claims, fields, *, user, reason):
    done = []
    with transaction.atomic():
        for claim in claims.order_by("pk"):
            for name, value in fields.items():
                setattr(claim, name, value)
            done.append(save_with_reason(claim, user=user, reason=reason))
    return Done(done, [])


def verify(*, citations, user, reason="Verified against the source"):
    """Verify the unverified citations; skipped: those the user added."""
    _require(roles.can_verify, user)
    done, own = [], []
    with transaction.atomic():
        for citation in citations.filter(verified_at__isnull=True).order_by("pk"):
            if citation.added_by_id == user.pk:
                own.append(citation)
                continue
            citation.verified_by, citation.verified_at = user, timezone.now()
            done.append(save_with_reason(citation, user=user, reason=reason))
    return Done(done, own)


# Merging entities

# The fields a merge may change on a claim, and so the ones its undo restores.
_MOVED_FIELDS = ["entity_id", "value_entity_id", "according_to_id", "property_id"]


class Merged(NamedTuple):
    moved: int  # claims about or pointing at the merged entity, now on the survivor
    alias: object  # the draft alias claim made for an uncited label, or None
    change_set: ChangeSet


class Unmerged(NamedTuple):
    restored: int  # claims put back on the entity
    removed: int  # claims the merge had added, deleted
    kept: int  # claims changed again since the merge, left as they are


def entity_merge(*, source, target, user, reason):
    """Fold ``source`` into ``target``: they are one entity and ``target`` survives.

    Every claim about ``source``, pointing at it or on its word moves to ``target``;
    its names become aliases of ``target``, and its label too: as the cited name claim
    that carries it, or else as a draft alias with an internal note, so that nothing is
    lost and nothing uncited is published. ``source`` keeps its row, with ``merged_into``
    set, so its public URL redirects to ``target``. Every row is saved in one change set,
    which ``entity_unmerge`` reads back.
    """
    _require(roles.can_merge, user)
    reason = _reason(reason, "for the merge: why these are one entity")
    with transaction.atomic():
        locked = Entity.objects.select_for_update().in_bulk([source.pk, target.pk])
        source, target = locked[source.pk], locked[target.pk]
        if source.pk == target.pk:
            raise CurationError("An entity cannot be merged into itself.")
        if source.merged_into_id or target.merged_into_id:
            merged = source if source.merged_into_id else target
            raise CurationError(
                f"“{merged}” is already merged into another entity; undo that merge first."
            )
        change_set = ChangeSet.objects.create(
            kind=ChangeSet.Kind.MERGE,
            description=f"Merged “{source}” (#{source.pk}) into “{target}” (#{target.pk})",
            reason=reason,
            user=user,
        )

        def save(obj, what):
            save_with_reason(obj, user=user, reason=f"{what}: {reason}", change_set=change_set)

        alias = Property.objects.get(code="alias")
        moved = 0
        claims = Claim.objects.filter(
            Q(entity=source) | Q(value_entity=source) | Q(according_to=source)
        )
        for claim in claims.select_related("property").order_by("pk"):
            if claim.entity_id == source.pk:
                claim.entity = target
                if claim.property.is_name and claim.property.datatype == alias.datatype:
                    claim.property = alias
            if claim.value_entity_id == source.pk:
                claim.value_entity = target
            if claim.according_to_id == source.pk:
                claim.according_to = target
            save(claim, f"Moved from “{source}” to “{target}” by a merge")
            moved += 1

        label_key = normalize(source.label)
        cited_names = (
            Claim.objects.names()
            .filter(entity=target, citations__isnull=False)
            .exclude(status=Claim.Status.REJECTED)
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
                    f"The label of “{source}” (#{source.pk}), kept when it was merged into "
                    f"“{target}”. No cited name claim carried it: cite a source that uses this "
                    "name and set its language before publishing it."
                ),
                note_is_public=False,
            )
            save(label_alias, f"Label of “{source}” kept as an alias by a merge")

        # Entities merged into the loser earlier now redirect to the survivor directly.
        for earlier in Entity.objects.filter(merged_into=source).order_by("pk"):
            earlier.merged_into = target
            save(earlier, f"Redirected to “{target}” by a merge")

        source.merged_into = target
        save(source, f"Merged into “{target}”")
    return Merged(moved=moved, alias=label_alias, change_set=change_set)


def entity_unmerge(*, merged, user, reason):
    """Undo the merge that folded ``merged`` into its survivor, from the rows it wrote.

    Claims go back where they were, unless someone changed them again since (those are
    left as they are, and counted); the alias the merge made for the label is deleted if it
    is still as the merge wrote it and uncited, and otherwise (a reviewer cited, published or
    edited it) left as it is and counted as kept; ``merged`` stops redirecting.
    """
    _require(roles.can_merge, user)
    reason = _reason(reason, "for undoing the merge")
    with transaction.atomic():
        merged = Entity.objects.select_for_update().get(pk=merged.pk)
        if merged.merged_into_id is None:
            raise CurationError(f"“{merged}” is not merged into another entity.")
        merge_set = _merge_of(merged)
        survivor = merged.merged_into
        change_set = ChangeSet.objects.create(
            kind=ChangeSet.Kind.UNMERGE,
            description=f"Undid the merge of “{merged}” (#{merged.pk}) into “{survivor}” "
            f"(#{survivor.pk}), change set #{merge_set.pk}",
            reason=reason,
            user=user,
        )
        note = f"Merge of “{merged}” into “{survivor}” undone: {reason}"

        def save(obj):
            save_with_reason(obj, user=user, reason=note, change_set=change_set)

        records = list(
            Claim.history.filter(change_set=merge_set).order_by("history_date", "history_id")
        )
        previous = _previous_records(Claim, records)
        current = Claim.objects.in_bulk({record.id for record in records})
        restored = removed = kept = 0
        for record in records:
            claim = current.get(record.id)
            if claim is None:
                continue
            if record.history_type == "+":
                if claim.citations.exists() or _changed_since(claim, record):
                    kept += 1
                    continue
                delete_with_reason(claim, user=user, reason=note, change_set=change_set)
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
            save(claim)
            restored += 1

        redirected = Entity.history.filter(change_set=merge_set).exclude(id=merged.pk)
        for record in redirected:
            earlier = Entity.objects.filter(pk=record.id, merged_into=survivor).first()
            if earlier is not None:
                earlier.merged_into = merged
                save(earlier)

        merged.merged_into = None
        save(merged)
    return Unmerged(restored=restored, removed=removed, kept=kept)


def _merge_of(merged):
    """The change set of the merge that folded ``merged`` into where it redirects now.

    When it redirects there because the entity it was merged into was merged in turn, that
    later merge is not its own to undo: undo that one first.
    """
    record = (
        merged.history.filter(
            merged_into_id=merged.merged_into_id, change_set__kind=ChangeSet.Kind.MERGE
        )
        .select_related("change_set")
        .order_by(*LATEST_FIRST)
        .first()
    )
    if record is None:
        raise CurationError(f"No merge of “{merged}” was found in the history; edit it by hand.")
    before = record.prev_record
    if before is not None and before.merged_into_id is not None:
        via = Entity.objects.filter(pk=before.merged_into_id).first() or f"#{before.merged_into_id}"
        raise CurationError(
            f"“{merged}” redirects to “{merged.merged_into}” because “{via}”, which it was "
            f"merged into, was merged there in turn; undo the merge of “{via}” first."
        )
    return record.change_set


def _changed_since(obj, record):
    """Whether ``obj`` differs, in any field its history keeps, from the history row ``record``."""
    return any(
        getattr(obj, field.attname) != getattr(record, field.attname)
        for field in record.tracked_fields
    )


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
