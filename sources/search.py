"""One search for subjects by name, used by the public search page, the admin's search and
every admin autocomplete.

A subject matches when its label or one of its name claims has a word that starts with the
query, comparing the stored normalized keys (``core.names``) the same way on every database.
Which name claims count is the caller's: the public site passes ``Claim.objects.public()``,
the admin every claim.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q

from core.names import normalize
from entities.models import Entity
from events.models import Event

from .models import Claim
from .reading import event_dates

EXACT_LABEL, LABEL_WORD, EXACT_NAME, NAME_WORD = range(4)
SUBJECTS = (Entity, Event)


def needle(query):
    """The stored form of a query: what ``label_key`` and ``value_key`` contain ("" for none)."""
    key = normalize(query)
    return f" {key}" if key else ""


def matching(subjects, query, *, claims):
    """The subjects of a queryset (entities or events) whose label, or a name among
    ``claims``, has a word starting with ``query``; none for an empty query."""
    wanted = needle(query)
    if not wanted:
        return subjects.none()
    subject = subjects.model._meta.model_name
    names = claims.names().filter(**{subject: OuterRef("pk"), "value_key__contains": wanted})
    return subjects.filter(Q(label_key__contains=wanted) | Exists(names))


def ranked(query):
    """Every public match, best first, as (rank, label key, subject index, pk): an exact
    label, then a word of the label, then an exact name, then a word of a name."""
    wanted = needle(query)
    if not wanted:
        return []
    names = Claim.objects.public().names()
    hits = []
    for index, model in enumerate(SUBJECTS):
        subject = model._meta.model_name
        rows = (
            matching(model.objects.public(), query, claims=Claim.objects.public())
            .annotate(
                exact_name=Exists(names.filter(**{subject: OuterRef("pk"), "value_key": wanted}))
            )
            .values_list("pk", "label_key", "exact_name")
        )
        for pk, label_key, exact_name in rows:
            if label_key == wanted:
                rank = EXACT_LABEL
            elif wanted in label_key:
                rank = LABEL_WORD
            else:
                rank = EXACT_NAME if exact_name else NAME_WORD
            hits.append((rank, label_key, index, pk))
    return sorted(hits)


def results(hits, query):
    """One page of ``ranked()`` hits as {"object", "is_event", "matched_name"}: the subject,
    with an event's dates, and the name that matched when the label did not."""
    matching_names = Prefetch(
        "claims",
        queryset=Claim.objects.shown().names().filter(value_key__contains=needle(query)),
        to_attr="matching_names",
    )
    dressed = [
        Entity.objects.public().prefetch_related(matching_names),
        Event.objects.public().prefetch_related(matching_names, event_dates()),
    ]
    found = [
        queryset.in_bulk([pk for _, _, i, pk in hits if i == index]) if hits else {}
        for index, queryset in enumerate(dressed)
    ]
    return [
        {
            "object": found[index][pk],
            "is_event": SUBJECTS[index] is Event,
            "matched_name": found[index][pk].matching_names[0] if rank > LABEL_WORD else None,
        }
        for rank, _, index, pk in hits
        if pk in found[index]
    ]
