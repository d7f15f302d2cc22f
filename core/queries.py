"""Rules written once as conditions on a model's own fields, and applied through a relation."""

from django.db.models import Q


def within(condition, relation):
    """``condition`` on the model at the end of ``relation``: within(Q(published=True), "entity")
    is Q(entity__published=True). Negations and nested conditions keep their shape."""
    moved = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            moved.children.append(within(child, relation))
        else:
            lookup, value = child
            moved.children.append((f"{relation}__{lookup}", value))
    return moved
