from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import ChangeSetHistory, Subject


class EventKind(models.TextChoices):
    ATTACK = "attack", "Attack"
    CLAIM_OF_RESPONSIBILITY = "claim_of_responsibility", "Claim of responsibility"
    DESIGNATION = "designation", "Designation"
    SANCTION = "sanction", "Sanction"
    ARREST = "arrest", "Arrest"
    TRIAL = "trial", "Trial or sentencing"
    PLEDGE = "pledge", "Pledge of allegiance"
    MEDIA_RELEASE = "media_release", "Media release"
    OTHER = "other", "Other"


class Event(Subject):
    """A dated happening that entities take part in: an attack, an arrest, a trial, a
    designation."""

    Kind = EventKind

    kind = models.CharField(max_length=30, choices=Kind.choices)
    published = models.BooleanField(
        default=False,
        help_text="If this is checked, readers can see the event and its published claims.",
    )
    # Derived from the event's best public date claim (sources.timeline), for timelines.
    sort_date = models.DateField(null=True, blank=True, editable=False, db_index=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "sort_date"], bases=[ChangeSetHistory]
    )

    class Meta:
        ordering = ["sort_date", "label"]
        indexes = [models.Index(fields=["sort_date", "label", "id"])]  # the timeline's order
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values),
                name="event_kind_valid",
            ),
        ]

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})
