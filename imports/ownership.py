"""Which records a load or an import may still write: the one rule both ways in follow.

A dataset or an import owns the fields it gives of a record it wrote, until someone changes
one of them outside loads and imports. A reviewer who publishes a claim or verifies a
citation changes no field the files give, so the files keep the record; one who corrects its
value, its rank or its note takes it over, and the next load leaves it as it is and lists it.
"""

from core.history import LATEST_FIRST
from core.models import ChangeSet

WRITERS = (ChangeSet.Kind.LOAD, ChangeSet.Kind.IMPORT)


def last_written(obj):
    """The latest revision of ``obj`` that a load or an import wrote; None if none did."""
    return (
        obj.history.filter(change_set__kind__in=WRITERS)
        .select_related("change_set")
        .order_by(*LATEST_FIRST)
        .first()
    )


def owns(obj, fields, *, writer=None):
    """Whether the files still own ``obj``: a load or an import wrote it (the one whose
    change sets are described as ``writer``, if given), and nobody has since changed any of
    ``fields`` (model field names) outside loads and imports."""
    revision = last_written(obj)
    if revision is None or (writer is not None and revision.change_set.description != writer):
        return False
    return not any(
        getattr(revision, attname) != getattr(obj, attname)
        for attname in (obj._meta.get_field(name).attname for name in fields)
    )
