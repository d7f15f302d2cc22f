"""History, built on django-simple-history: saving with a reason, the change sets that
group one merge's or one load's writes, comparing revisions and reverting to one."""

import functools

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from core import stamp


@functools.cache
def tracked_models():
    """Every model whose history is kept, found through the app registry, in a stable order."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if hasattr(model._meta, "simple_history_manager_attribute")
        ),
        key=lambda model: model._meta.label,
    )


def save_with_reason(obj, *, user, reason, change_set=None):
    """Save ``obj`` so that its revision says who changed it, why, and as part of what."""
    obj._history_user = user
    obj._change_reason = reason
    obj._change_set = change_set
    obj.save()
    return obj


def delete_with_reason(obj, *, user, reason, change_set=None):
    obj._history_user = user
    obj._change_reason = reason
    obj._change_set = change_set
    obj.delete()


def record_created(model, pks, *, user, reason, change_set=None):
    """Write the first revision of each of ``pks``, rows of ``model`` just inserted in bulk,
    as saving each would: copied by the database from the rows themselves, in one statement
    per batch, with who, why, when and the change set."""
    history = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type"}
    own |= {"history_user", "change_set"}
    columns = [field.column for field in history._meta.concrete_fields if field.name not in own]
    quote = connection.ops.quote_name
    copied = ", ".join(quote(column) for column in columns)
    pks = sorted(pks)
    for start in range(0, len(pks), 500):
        batch = pks[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({copied}, history_date, "
                "history_change_reason, history_type, history_user_id, change_set_id) "
                f"SELECT {copied}, %s, %s, '+', %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))}) "
                f"ORDER BY {quote(model._meta.pk.column)}",
                [
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    reason,
                    getattr(user, "pk", None),
                    getattr(change_set, "pk", None),
                    *batch,
                ],
            )
    stamp.touch_if_public(model, pks)


def attach_change_set(sender, instance, history_instance, **kwargs):
    """Receiver of simple-history's pre_create_historical_record: the revision belongs to the
    change set its object was saved in (``save_with_reason(..., change_set=...)``)."""
    history_instance.change_set = getattr(instance, "_change_set", None)


def connect():
    pre_create_historical_record.connect(attach_change_set, dispatch_uid="core.attach_change_set")


# Newest revision first. Two revisions can share a history_date; the later id wins.
LATEST_FIRST = ("-history_date", "-history_id")


def latest_revision(obj):
    return obj.history.order_by(*LATEST_FIRST).first()


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
        save_with_reason(
            current,
            user=user,
            reason=f"Reverted to the revision of {record.history_date:%Y-%m-%d %H:%M} UTC: "
            f"{reason}",
        )
    return current


def compare(old, new):
    """Field-by-field changes from one historical record to another, oldest first."""
    if old.history_date > new.history_date:
        old, new = new, old
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    fields = {
        field.name: field
        for field in new.instance_type._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    return [
        {
            "field": fields[change.field].verbose_name if change.field in fields else change.field,
            "old": change.old,
            "new": change.new,
        }
        for change in delta.changes
        if change.field != "version"
    ]
