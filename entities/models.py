from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import ChangeSetHistory, Subject


class EntityKind(models.TextChoices):
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Person"
    PLACE = "place", "Place"
    COUNTRY = "country", "Country"
    OTHER = "other", "Other"


class Entity(Subject):
    """A subject of claims: an organization, a person, a place, a country or another thing."""

    # A merged entity is read at the address of the one it was merged into.
    PUBLIC = Subject.PUBLIC & Q(merged_into__isnull=True)
    Kind = EntityKind

    label = models.CharField(
        max_length=255,
        help_text="The editorial name shown as the page title. Every other name, in every "
        "script, is a name claim with its source.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(
        max_length=500, blank=True, help_text="One line that tells this entity from others."
    )
    published = models.BooleanField(
        default=False,
        help_text="If this is checked, readers can see the entity and its published claims.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_entities",
        help_text="Set by a merge: this entity's public URL redirects to the survivor.",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ChangeSetHistory])

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["label"]
        # The list's order, alone and within a kind, so a late page is read from an index.
        indexes = [models.Index(fields=["label"]), models.Index(fields=["kind", "label"])]
        permissions = [("merge_entity", "Can merge entities and undo merges")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EntityKind.values),
                name="entity_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="entity_not_merged_into_itself",
            ),
        ]

    def get_absolute_url(self):
        return reverse("entities:detail", kwargs={"slug": self.slug})
