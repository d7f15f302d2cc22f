"""The background side of large imports: the worker (``manage.py db_worker``) previews and
applies batches too large to handle while the curator's page waits."""

from django.db import DatabaseError
from django_tasks import task

from . import progress, services
from .models import ImportBatch


def run(batch, *, apply_it):
    """Preview or apply a batch and keep its report; what the admin does for a small file
    in the request, and the tasks below for a large one."""
    state = ImportBatch.State

    def step(done, total):
        progress.report(batch.pk, done, total)

    try:
        if apply_it:
            return services.apply(batch, progress=step)
        report = services.preview(batch, progress=step)
    except services.ImportFailed as failure:
        # Something changed since the preview, or a name still waits for a choice: the
        # curator sees why on the batch's page, and nothing was written.
        report = failure.report
    except DatabaseError as error:
        # Refused by the database for a reason no check foresaw: nothing was written, and
        # the batch says so rather than the page failing.
        report = {**batch.report, "errors": [f"The database refused the import: {error}"]}
        batch.state = state.FAILED
        batch.report = report
        batch.save(update_fields=["state", "report"])
        return report
    batch.state = state.PREVIEWED
    batch.report = report
    batch.save(update_fields=["state", "report"])
    return report


def _in_background(batch_pk, apply_it):
    batch = ImportBatch.objects.get(pk=batch_pk)
    try:
        run(batch, apply_it=apply_it)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_pk).update(
            state=ImportBatch.State.FAILED,
            report={**batch.report, "errors": [f"The import stopped: {error}"]},
        )
        raise


@task()
def preview_batch(batch_pk):
    _in_background(batch_pk, apply_it=False)


@task()
def apply_batch(batch_pk):
    _in_background(batch_pk, apply_it=True)
