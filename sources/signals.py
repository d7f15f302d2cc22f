"""Keep Event.sort_date in step with what the public may see of an event's date.

It depends on the event's date claims, their citations, and whether the event is
published, so every save and delete of those (bulk deletes send these signals too)
recomputes it for each event concerned.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from events.models import Event

from .models import Citation, Claim, refresh_sort_date


@receiver(pre_save, sender=Claim)
def remember_previous_event(sender, instance, **kwargs):
    instance._previous_event_id = (
        Claim.objects.filter(pk=instance.pk).values_list("event_id", flat=True).first() if instance.pk else None
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
