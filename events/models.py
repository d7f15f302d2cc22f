from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.names import search_key


class EventQuerySet(models.QuerySet):
    def public(self):
        """Events a reader may see."""
        return self.filter(published=True)


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


class Event(Versioned):
    """A dated happening that entities take part in: an attack, an arrest, a trial, a designation."""

    Kind = EventKind

    label = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, help_text="The stable public URL part.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=500, blank=True)
    published = models.BooleanField(
        default=False, help_text="If this is checked, readers can see the event and its published claims."
    )
    # Derived from the event's best public date claim, kept for timelines; never edited.
    sort_date = models.DateField(null=True, blank=True, editable=False, db_index=True)
    label_key = models.CharField(max_length=300, editable=False, db_index=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "label_key", "sort_date"])

    class Meta:
        ordering = ["sort_date", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values),
                name="event_kind_valid",
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.label_key = search_key(self.label)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})
