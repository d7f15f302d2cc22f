from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import ChangeSetHistory


class Name(models.Model):
    """One name by which something can be found: the label of an entity or an event, a name
    claim of one, or the title, the author or the publisher of a source. The search index,
    kept in step with those records by ``search.index``; who may see a name is decided when
    searching."""

    class Role(models.TextChoices):
        LABEL = "label", "Label"
        CLAIM = "claim", "Name"
        TITLE = "title", "Title"
        AUTHOR = "author", "Author"
        PUBLISHER = "publisher", "Publisher"

    role = models.CharField(max_length=10, choices=Role.choices)
    entity = models.ForeignKey(
        "entities.Entity", null=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey("events.Event", null=True, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(
        "sources.Claim", null=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(
        "sources.Source", null=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=1000)
    key = models.CharField(max_length=1000, db_index=True)  # core.names.normalize(text)
    core = models.CharField(max_length=1000, db_index=True)  # core.names.signature(text)
    generic = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="label", entity__isnull=False, event__isnull=True)
                    | Q(role="label", entity__isnull=True, event__isnull=False)
                )
                & Q(claim__isnull=True, source__isnull=True)
                | Q(role="claim", claim__isnull=False, source__isnull=True)
                & Q(entity__isnull=True, event__isnull=True)
                | Q(role__in=["title", "author", "publisher"], source__isnull=False)
                & Q(claim__isnull=True)
                & Q(entity__isnull=True, event__isnull=True),
                name="name_belongs_to_one_thing",
            ),
        ]

    def __str__(self):
        return self.text


class NameWord(models.Model):
    """One word of a ``Name`` in the three forms ``core.names.Word`` compares."""

    name = models.ForeignKey(Name, on_delete=models.CASCADE, related_name="words")
    word = models.CharField(max_length=200, db_index=True)
    sound = models.CharField(max_length=200, db_index=True)
    bones = models.CharField(max_length=200, db_index=True)

    def __str__(self):
        return self.word


class DistinctPair(models.Model):
    """Two entities a reviewer judged not to be one entity twice, although their names match:
    the duplicate check stops listing them."""

    first = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("entities.Entity", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(help_text="What tells them apart.")
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[ChangeSetHistory])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_pair_once"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="distinct_pair_in_order"
            ),
        ]

    def __str__(self):
        return f"#{self.first_id} is not #{self.second_id}"

    def save(self, *args, **kwargs):
        self.put_in_order()
        super().save(*args, **kwargs)

    def clean(self):
        if self.first_id is not None and self.first_id == self.second_id:
            raise ValidationError(
                {"second": "Choose another entity: an entity is always the same as itself."}
            )
        self.put_in_order()

    def put_in_order(self):
        """A pair is one pair whichever entity was named first."""
        if self.first_id and self.second_id and self.first_id > self.second_id:
            self.first, self.second = self.second, self.first
