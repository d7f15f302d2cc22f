"""Likely duplicates: entities of one kind with names alike however they are spelt, the rule
the admin's warning on adding an entity and the consistency check share.

Two names are alike when their words have the same bones once articles and generic words
are set aside (``core.names.signature``), and they do not name different generic things:
"Chaambi", "Jebel Chaambi" and "Chambi mountains" are alike; "Jebel X" and "Wadi X" are not.
"""

import dataclasses
import itertools
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.names import signature

from .models import DistinctPair, Name

OWNER = Coalesce("entity_id", "claim__entity_id")
LIVE = Q(role=Name.Role.LABEL, entity__isnull=False, entity__merged_into__isnull=True) | Q(
    role=Name.Role.CLAIM, claim__entity__isnull=False, claim__entity__merged_into__isnull=True
) & ~Q(claim__status="rejected")


@dataclasses.dataclass(frozen=True)
class Alike:
    """An entity with a name alike another's: the entity, and the two names."""

    pk: int
    label: str
    kind: str
    name: str
    other_name: str

    @property
    def admin_url(self):
        return reverse("admin:entities_entity_change", args=[self.pk])


@dataclasses.dataclass(frozen=True)
class Pair:
    """Two entities that are probably one, with the names that make them look so."""

    first: Alike
    second: Alike
    names: tuple  # ((name of first, name of second), …)


def alike(text, *, kind="", exclude=None):
    """The entities (of ``kind``, if given) with a name alike ``text``, as ``Alike`` s."""
    core, generic = signature(text)
    if not core:
        return []
    rows = _rows(Name.objects.filter(LIVE, core=core))
    found = {}
    for row in rows:
        if row["owner"] == exclude or (kind and row["kind"] != kind):
            continue
        if _compatible(generic, row["generic"]) and row["owner"] not in found:
            found[row["owner"]] = Alike(row["owner"], row["label"], row["kind"], row["text"], text)
    return sorted(found.values(), key=lambda alike_: (alike_.label.casefold(), alike_.pk))


def likely_duplicates():
    """Every pair of live entities of one kind with names alike, but the pairs a reviewer
    judged not the same (``DistinctPair``)."""
    names = Name.objects.filter(LIVE).exclude(core="")
    shared = (
        names.values("core")
        .annotate(owners=Count(OWNER, distinct=True))
        .filter(owners__gt=1)
        .values("core")
    )
    by_core = defaultdict(list)
    for row in _rows(names.filter(core__in=shared)):
        by_core[row["core"]].append(row)
    judged = set(DistinctPair.objects.values_list("first_id", "second_id"))
    pairs = defaultdict(list)
    for rows in by_core.values():
        for a, b in itertools.combinations(sorted(rows, key=lambda row: row["owner"]), 2):
            if a["owner"] == b["owner"] or a["kind"] != b["kind"]:
                continue
            if (a["owner"], b["owner"]) in judged or not _compatible(a["generic"], b["generic"]):
                continue
            pairs[(a["owner"], b["owner"])].append((a, b))
    found = []
    for (first, second), matched in sorted(pairs.items()):
        a, b = matched[0]
        names = tuple(sorted({(x["text"], y["text"]) for x, y in matched}))
        found.append(
            Pair(
                Alike(first, a["label"], a["kind"], names[0][0], names[0][1]),
                Alike(second, b["label"], b["kind"], names[0][1], names[0][0]),
                names,
            )
        )
    return found


def _compatible(generic, other):
    """Names alike in their bones name one thing unless their generic words differ."""
    return generic == other or not generic or not other


def _rows(names):
    return list(
        names.annotate(
            owner=OWNER,
            label=Coalesce("entity__label", "claim__entity__label"),
            kind=Coalesce("entity__kind", "claim__entity__kind"),
        )
        .values("owner", "label", "kind", "text", "core", "generic")
        .order_by("owner", "pk")
    )
