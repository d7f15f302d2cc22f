"""The ground floor every curated model stands on: optimistic locking, the change sets that
group the writes of one merge or one load, and what subjects (entities, events) share."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone


class ConcurrentEditError(Exception):
    """Raised when a save would overwrite a change someone else saved first."""

    def __init__(self, obj, current_version):
        self.obj = obj
        self.current_version = current_version
        super().__init__(
            f"{obj._meta.verbose_name.capitalize()} “{obj}” was changed by someone else "
            f"(now at version {current_version}, you edited version {obj.version})."
        )


class Versioned(models.Model):
    """Optimistic locking: every save checks and bumps a version number.

    An edit that started from an older version is refused with ConcurrentEditError,
    so no save silently overwrites a concurrent one. The check reads the row with
    SELECT ... FOR UPDATE inside the save's transaction (SQLite's IMMEDIATE
    transactions serialise writers the same way), and the save itself is an ordinary
    ``Model.save()``, so history records it.
    """

    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves; an edit that started from an older version is refused."
    )
    # Indexed: harvesters ask for what changed since a moment (the API's updated_since).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            current = None
            if self.pk is not None:
                current = (
                    type(self)
                    ._base_manager.select_for_update()
                    .filter(pk=self.pk)
                    .values_list("version", flat=True)
                    .first()
                )
            if current is not None:
                if current != self.version:
                    raise ConcurrentEditError(self, current)
                self.version = current + 1
            try:
                super().save(*args, **kwargs)
            except Exception:
                if current is not None:
                    self.version = current
                raise


class ChangeSet(models.Model):
    """The writes of one merge, one undone merge, one dataset load or one import, grouped.

    Every history row such a write makes points at its change set, so the merge can be
    found again and undone row by row, and a load or an import can tell the records it still
    owns from those a curator has changed since (``imports.ownership``).
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Merge"
        UNMERGE = "unmerge", "Undone merge"
        LOAD = "load", "Dataset load"
        IMPORT = "import", "Import"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(help_text="What was done, e.g. “Merged #12 into #4”.")
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["merge", "unmerge", "load", "import"]),
                name="change_set_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}: {self.description}"


class ChangeSetHistory(models.Model):
    """The base of every historical model: a revision may belong to a change set."""

    change_set = models.ForeignKey(
        ChangeSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class PublicChange(models.Model):
    """One committed change that readers can see: a record published or unpublished, a
    published record edited, a merge. ``core.stamp`` sums the weights into the change stamp
    that public ETags and the page cache are keyed on.

    Writers only insert, so two editors never wait on each other for it, and the sum counts
    each committed change once whatever order transactions commit in. Old rows are folded
    into one of the same total weight (``core.stamp.compact``), so the table stays small.
    """

    weight = models.PositiveBigIntegerField(default=1)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.weight} change(s) up to {self.at:%Y-%m-%d %H:%M:%S}"


class SubjectQuerySet(models.QuerySet):
    def public(self):
        """Subjects a reader may see: those that meet their model's ``PUBLIC`` rule."""
        return self.filter(self.model.PUBLIC)


class Subject(Versioned):
    """What entities and events share: an editorial label, a stable public address, a line
    of description, and the flag that publishes them."""

    # Who may see a subject, as a condition on its own fields. The claim rule and the
    # past-state rebuild apply it as it stands (see core.queries.within).
    PUBLIC = Q(published=True)

    label = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, help_text="The stable public URL part.")
    description = models.CharField(max_length=500, blank=True)
    published = models.BooleanField(default=False)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.label
