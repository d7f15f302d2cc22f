from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Versioned
from core.names import search_key


class EntityQuerySet(models.QuerySet):
    def public(self):
        """Entities a reader may see: published and not merged into another."""
        return self.filter(published=True, merged_into__isnull=True)


class EntityKind(models.TextChoices):
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Person"
    PLACE = "place", "Place"
    COUNTRY = "country", "Country"
    OTHER = "other", "Other"


class Entity(Versioned):
    """A subject of claims: an organization, a person, a place, a country or another thing."""

    Kind = EntityKind

    label = models.CharField(
        max_length=255,
        help_text="The editorial name shown as the page title. Every other name, in every "
        "script, is a name claim with its source.",
    )
    slug = models.SlugField(max_length=255, unique=True, help_text="The stable public URL part.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(
        max_length=500, blank=True, help_text="One line that tells this entity from others."
    )
    published = models.BooleanField(
        default=False, help_text="If this is checked, readers can see the entity and its published claims."
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_entities",
        help_text="Set by a merge: this entity's public URL redirects to the survivor.",
    )
    label_key = models.CharField(max_length=300, editable=False, db_index=True)

    objects = EntityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "label_key"])

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EntityKind.values),
                name="entity_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="entity_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.label_key = search_key(self.label)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("entities:detail", kwargs={"slug": self.slug})
