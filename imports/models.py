from django.conf import settings
from django.db import models

from core.models import ChangeSet
from sources.models import Claim


class ImportBatch(models.Model):
    """One import of a claims file with its sources and archived texts: the files as read,
    the curator's choices for names that matched weakly, what the preview found and what
    applying it did. Every history row the import writes points at its change set."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWING = "previewing", "Preview running"
        PREVIEWED = "previewed", "Previewed"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    # What imported claims arrive as; publishing on import is a reviewer's choice.
    ARRIVES_AS = [
        (Claim.Status.DRAFT, "Drafts"),
        (Claim.Status.IN_REVIEW, "In review"),
        (Claim.Status.PUBLISHED, "Published (reviewers only)"),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(help_text="Why these claims are imported; kept in their history.")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.UPLOADED)
    arrives_as = models.CharField(
        "imported claims arrive as",
        max_length=12,
        choices=ARRIVES_AS,
        default=Claim.Status.DRAFT,
    )
    claims_name = models.CharField("claims file", max_length=255)
    claims_data = models.BinaryField()
    sources_name = models.CharField("sources file", max_length=255, blank=True)
    sources_data = models.BinaryField(default=b"")
    texts = models.JSONField(
        default=dict, blank=True, help_text="Archived texts of sources, by source key."
    )
    subjects = models.JSONField(
        default=dict,
        blank=True,
        help_text="The entities and events a Data Package describes (its entities.csv and "
        "events.csv), by “type:slug”: each is created as described unless its slug is taken.",
    )
    choices = models.JSONField(
        default=dict,
        blank=True,
        help_text="For each name that matched weakly or ambiguously: the slug it means, or "
        "“create”.",
    )
    create_unmatched = models.BooleanField(
        default=False,
        help_text="Create a new subject for every name that matches only weakly or ambiguously.",
    )
    report = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    change_set = models.OneToOneField(
        ChangeSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batch",
        help_text="The writes of the applied import; empty if it changed nothing.",
    )

    class Meta:
        verbose_name_plural = "import batches"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=[
                        "uploaded",
                        "previewing",
                        "previewed",
                        "applying",
                        "applied",
                        "failed",
                    ]
                ),
                name="import_batch_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(arrives_as__in=["draft", "in_review", "published"]),
                name="import_batch_arrives_as_valid",
            ),
        ]

    def __str__(self):
        return f"Import #{self.pk} of {self.claims_name}"

    @property
    def files(self):
        return ", ".join(name for name in (self.claims_name, self.sources_name) if name)

    @property
    def finished(self):
        return self.state in (self.State.PREVIEWED, self.State.APPLIED, self.State.FAILED)
