"""Revert and compare, built on django-simple-history's records."""

from django.db import transaction

from core.models import ConcurrentEditError


def tracked_field_names(record):
    return [field.attname for field in record.tracked_fields if field.attname not in ("version",)]


def revert(*, record, user, reason, keep=()):
    """Restore the object to a historical record, as a new revision with its reason.

    The restored values are written onto the current row (so fields history does not
    track stay as they are) and saved with the current version number, so the revert
    is not mistaken for a conflicting edit; it is refused only if someone saved in between.
    Fields named in ``keep`` keep their current value (what the user may not edit, a
    revert does not change either). The result is validated as a form would validate
    it (ValidationError: a slug now taken, an entity since deleted).
    """
    model = record.instance_type
    kept = {model._meta.pk.attname, *(model._meta.get_field(name).attname for name in keep)}
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=record.instance.pk)
        if record.next_record is None and current.version == record.version:
            raise ValueError("This is already the current version.")
        for name in tracked_field_names(record):
            if name not in kept:
                setattr(current, name, getattr(record, name))
        current.full_clean()
        current._history_user = user
        current._change_reason = (
            f"Reverted to the revision of {record.history_date:%Y-%m-%d %H:%M} UTC: {reason}"
        )
        current.save()
    return current


def compare(old, new):
    """Field-by-field changes from one historical record to another, oldest first."""
    if old.history_date > new.history_date:
        old, new = new, old
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    fields = {field.name: field for field in new.instance_type._meta.get_fields() if hasattr(field, "verbose_name")}
    return [
        {
            "field": fields[change.field].verbose_name if change.field in fields else change.field,
            "old": change.old,
            "new": change.new,
        }
        for change in delta.changes
        if change.field != "version"
    ]


__all__ = ["ConcurrentEditError", "compare", "revert"]
