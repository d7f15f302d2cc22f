"""Keep ``Event.sort_date``, the timeline's date, in step with what the public may see of
an event's date.

It is the earliest day of the event's best public date claim (``Claim.DATES_AN_EVENT``),
so it depends on those claims, their citations, whether the event is published and whether
the entity on whose word a date rests is: every save and delete of those (bulk deletes send
these signals too) recomputes it for each event concerned. A derived column, it is written
with update() and kept out of history.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from entities.models import Entity
from events.models import Event

from .models import Citation, Claim


def refresh_sort_date(event_id):
    best = (
        Claim.objects.public()
        .filter(event_id=event_id)
        .event_dates()
        .values_list("value_date_earliest", flat=True)
        .first()
    )
    Event.objects.filter(pk=event_id).update(sort_date=best)


@receiver(pre_save, sender=Claim)
def remember_previous_event(sender, instance, **kwargs):
    instance._previous_event_id = (
        Claim.objects.filter(pk=instance.pk).values_list("event_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Claim)
@receiver(post_delete, sender=Claim)
def claim_changed(sender, instance, **kwargs):
    for event_id in {instance.event_id, getattr(instance, "_previous_event_id", None)} - {None}:
        refresh_sort_date(event_id)


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def citation_changed(sender, instance, **kwargs):
    event_id = Claim.objects.filter(pk=instance.claim_id).values_list("event_id", flat=True).first()
    if event_id:
        refresh_sort_date(event_id)


@receiver(post_save, sender=Event)
def event_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_sort_date(instance.pk)


@receiver(post_save, sender=Entity)
def entity_saved(sender, instance, raw=False, **kwargs):
    """A date given on an entity's word is public only while that entity is."""
    if raw:
        return
    dated = Claim.objects.filter(Claim.DATES_AN_EVENT, according_to=instance)
    for event_id in dated.values_list("event_id", flat=True).distinct().order_by():
        refresh_sort_date(event_id)
