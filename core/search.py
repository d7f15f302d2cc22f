"""Name search shared by the admin and the public site."""

from django.db.models import Q

from core.names import normalize


def name_match(query, *, label_field="label_key", claims="claims"):
    """Q matching subjects whose label or any name claim has a word starting with the query.

    Only the name filter: the caller decides which claims count (all of them in the
    admin, public ones on the public site).
    """
    key = normalize(query)
    if not key:
        return None
    needle = f" {key}"
    return Q(**{f"{label_field}__contains": needle}) | Q(
        **{f"{claims}__property__is_name": True, f"{claims}__value_key__contains": needle}
    )
