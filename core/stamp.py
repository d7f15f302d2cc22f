"""The change stamp: a number that moves whenever something a reader can see changes, and
only then. Public ETags and the page cache are keyed on it, so a conditional GET costs one
small query and a draft being edited changes nothing a reader can observe.

What counts as public is each model's own rule: its manager's ``public()`` when it has one
(entities, events, claims, citations, sources); a model without one (the property
vocabulary) is public as a whole. A save or delete moves the stamp when the record was
public before it or is public after it. Writes that bypass ``save()`` (rows inserted in bulk,
derived columns written with ``update()``) call ``touch_if_public``.
"""

import dataclasses
import datetime

from django.db import connection, transaction
from django.db.models import Max, Sum
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from core.models import PublicChange

# Old rows are folded into one once the table holds about this many.
COMPACT_EVERY = 1000


@dataclasses.dataclass(frozen=True)
class Stamp:
    value: int
    at: datetime.datetime | None


def current():
    """The stamp as committed now, in one query on a table of a few rows."""
    totals = PublicChange.objects.aggregate(value=Sum("weight"), at=Max("at"))
    return Stamp(totals["value"] or 0, totals["at"])


def for_request(request):
    """``current()``, read once per request."""
    if not hasattr(request, "_stamp"):
        request._stamp = current()
    return request._stamp


def touch():
    """Record one public change, in the caller's transaction."""
    change = PublicChange.objects.create()
    if change.pk % COMPACT_EVERY == 0:
        transaction.on_commit(compact)


def touch_if_public(model, pks):
    """``touch()`` when any of ``pks``, rows of ``model`` written without ``save()``, is
    public now."""
    pks = list(pks)
    if pks and any(
        _public(model).filter(pk__in=pks[start : start + 500]).exists()
        for start in range(0, len(pks), 500)
    ):
        touch()


def compact():
    """Fold every row but the newest into one of the same total weight.

    Only the rows this transaction deleted are summed (DELETE … RETURNING), so two
    compactions at once cannot count a row twice, and a change committed meanwhile is kept.
    """
    newest = PublicChange.objects.order_by("-pk").values("pk", "at").first()
    if newest is None:
        return
    table = connection.ops.quote_name(PublicChange._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id < %s RETURNING weight", [newest["pk"]])
        folded = sum(weight for (weight,) in cursor.fetchall())
        if folded:
            PublicChange.objects.create(weight=folded, at=newest["at"])


def _public(model):
    manager = model._default_manager
    return manager.public() if hasattr(manager, "public") else manager.all()


def _is_public(instance):
    return _public(type(instance)).filter(pk=instance.pk).exists()


def _before_save(sender, instance, raw=False, **kwargs):
    instance._was_public = instance.pk is not None and _is_public(instance)


def _after_save(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_was_public", False) or _is_public(instance):
        touch()


def _before_delete(sender, instance, **kwargs):
    instance._was_public = _is_public(instance)


def _after_delete(sender, instance, **kwargs):
    if instance._was_public:
        touch()


def connect(models):
    for model in models:
        uid = f"core.stamp.{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
