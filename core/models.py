from django.db import models, transaction


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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            current = None
            if self.pk is not None:
                current = (
                    type(self)._base_manager.select_for_update()
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
