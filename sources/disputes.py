"""When claims dispute each other: the one rule, for the public pages and the review queue.

Claims of one subject and one property are compared as the property's cardinality says:

- different values of a property that holds one value ever (founded, died) dispute each
  other; two dates dispute only if they cannot be the same day ("2012" and "May 2012" agree);
- different values of a property that holds one value at a time (leader, allegiance) dispute
  each other when their periods overlap or are not known; successive ones do not;
- values of a property that holds many (ally, alias) never dispute each other;
- a claim that a source disputes (a citation with the stance "disputes") is disputed;
- counts of different parts (foreign nationals, the total) are not compared, and counts
  agree when their estimates meet ("22" and "20–25").

A reviewer settles a dispute by ranking: a preferred claim stands as the value and what
conflicts with it is shown as disputed beside it (two preferred values both stand, as the
perpetrators of a joint attack); a deprecated claim drops out. Until then
the dispute is open: every claim in it is shown as disputed and the review queue lists it.

A page applies the rule to the claims it shows (``assess``); the queue reads
``Claim.in_dispute``, which ``refresh`` keeps for every claim not rejected, on every save
and delete of a claim, a citation or a property.
"""

import datetime
from collections import Counter, defaultdict, namedtuple

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from core import dates, stamp

from .models import Cardinality, Citation, Claim, Datatype, Property

Verdict = namedtuple("Verdict", "shown open")  # shown: "value", "disputed" or "deprecated"

_NEVER, _EVER = datetime.date.min, datetime.date.max


def assess(claims, contested=frozenset()):
    """{claim pk: Verdict} for claims of one subject and one property. ``contested``: the
    pks of the claims a citation disputes."""
    verdicts, standing = {}, []
    for claim in claims:
        if claim.rank == Claim.Rank.DEPRECATED:
            verdicts[claim.pk] = Verdict("deprecated", False)
        else:
            standing.append(claim)
    disputed, open_ = set(), set()
    cardinality = standing[0].property.cardinality if standing else Cardinality.MANY
    for group in _comparable(standing, cardinality):
        preferred = [item for item in group if item[0].rank == Claim.Rank.PREFERRED]
        normal = [item for item in group if item[0].rank != Claim.Rank.PREFERRED]
        # Two preferred values both stand: the reviewer holds both (a joint attack). What
        # conflicts with a preferred value is settled against it ("lost"), and so is the
        # conflict between two such claims; a conflict between others is open.
        against_preferred = _Rivals(preferred, cardinality)
        against_normal = _Rivals(normal, cardinality)
        lost = {claim.pk for claim, facts in normal if against_preferred.any(facts)}
        against_free = _Rivals([item for item in normal if item[0].pk not in lost], cardinality)
        for claim, facts in normal:
            if claim.pk in lost or against_normal.any(facts):
                disputed.add(claim.pk)
            if (against_free if claim.pk in lost else against_normal).any(facts):
                open_.add(claim.pk)
    for claim in standing:
        if claim.pk in contested and claim.rank != Claim.Rank.PREFERRED:
            disputed.add(claim.pk)
            open_.add(claim.pk)
    for claim in standing:
        shown = "disputed" if claim.pk in disputed else "value"
        verdicts[claim.pk] = Verdict(shown, claim.pk in open_)
    return verdicts


def _comparable(standing, cardinality):
    """The standing claims whose values are compared, as groups of (claim, facts): none for
    a property of many values; else those of a known value ("there is one, not known" agrees
    with any), by the part they count."""
    if cardinality == Cardinality.MANY:
        return []
    groups = defaultdict(list)
    for claim in standing:
        if claim.value_kind != Claim.ValueKind.UNKNOWN:
            groups[claim.part].append((claim, _facts(claim, cardinality)))
    return groups.values()


class _Rivals:
    """Claims that a claim's facts are checked against: whether any of them conflicts.

    One value ever: a conflict is another value (for dates and counts: a span it cannot
    meet), found from a summary of all the values at once. One at a time: another value
    whose period overlaps, found by going through them.
    """

    def __init__(self, items, cardinality):
        self.items = items
        self.one_ever = cardinality == Cardinality.ONE
        spans = [value for _, (value, _) in items if value[0] == "span"]
        self.spans = len(spans)
        self.lowest_high = min((value[2] for value in spans), default=None)
        self.highest_low = max((value[1] for value in spans), default=None)
        self.others = Counter(value for _, (value, _) in items if value[0] != "span")
        self.other_count = sum(self.others.values())

    def any(self, facts):
        value, held = facts
        if not self.one_ever:
            return any(
                not _same(value, other) and overlap(held, other_held)
                for _, (other, other_held) in self.items
            )
        if value[0] == "span":
            # No span conflicts with itself, so its own presence among them does not count.
            apart = self.spans and (self.lowest_high < value[1] or self.highest_low > value[2])
            return bool(apart or self.other_count)
        return bool(self.spans or self.other_count - self.others[value])


def _facts(claim, cardinality):
    """(value, period held) of a claim, as the comparisons need them."""
    if claim.value_kind != Claim.ValueKind.VALUE:
        value = (claim.value_kind,)
    elif claim.property.datatype == Datatype.DATE:
        value = ("span", *_span(claim.value_date))  # two dates agree if they can be one day
    elif claim.property.datatype == Datatype.QUANTITY:
        # Two counts agree if their estimates meet: "22" and "20–25".
        low, best, high = claim.quantity_low, claim.value_quantity, claim.quantity_high
        value = ("span", best if low is None else low, best if high is None else high)
    else:
        value = (claim.value_kind, *(getattr(claim, name) for name in _VALUE_ATTNAMES))
    return value, None if cardinality == Cardinality.ONE else period(claim)


def _same(value, other):
    if value[0] == other[0] == "span":
        return overlap(value[1:], other[1:])
    return value == other


_VALUE_ATTNAMES = [Claim._meta.get_field(name).attname for name in Claim.VALUE_FIELDS]


def period(claim):
    """(first, last): the days the claim surely held. A point in time is its whole span; a
    period runs from the latest day it may have begun to the day before the earliest it may
    have ended, so that "until October 2019" and "from October 2019" follow one another; an
    open bound ("before 2013") counts as far as it is known. What is not known reaches as far
    as it can."""
    if claim.point_in_time:
        return _span(claim.point_in_time)
    first = last = None
    if claim.start:
        earliest, latest = dates.bounds(claim.start)
        first = latest or earliest
    if claim.end:
        earliest, latest = dates.bounds(claim.end)
        if earliest is not None and earliest > _NEVER:
            last = earliest - datetime.timedelta(days=1)
        else:
            last = latest  # "before 2013": it held no later than that
    return first or _NEVER, last or _EVER


def _span(value):
    """(earliest, latest) day of an EDTF date, an open end reaching as far as it can."""
    earliest, latest = dates.bounds(value)
    return earliest or _NEVER, latest or _EVER


def overlap(first, second):
    return first[0] <= second[1] and second[0] <= first[1]


def contested_pks(claims):
    """The pks of claims that a citation disputes, read from the ``shown_citations`` that
    ``Claim.objects.shown()`` and ``reading.PastState`` give each claim (no query)."""
    return {
        claim.pk
        for claim in claims
        if any(citation.stance == Citation.Stance.DISPUTES for citation in claim.shown_citations)
    }


# Upkeep of Claim.in_dispute


def refresh(entity_id, event_id, property_id, *, claim_id=None):
    """Recompute ``in_dispute`` for one subject's claims of one property; of a property
    with many values, whose claims do not dispute each other, only for ``claim_id`` if given."""
    group = Claim.objects.filter(entity_id=entity_id, event_id=event_id, property_id=property_id)
    if claim_id is not None:
        cardinality = Property.objects.filter(pk=property_id).values_list("cardinality", flat=True)
        if cardinality.first() == Cardinality.MANY:
            group = group.filter(pk=claim_id)
    claims = list(
        group.exclude(status=Claim.Status.REJECTED)
        .select_related("property")
        .annotate(
            is_contested=Exists(
                Citation.objects.filter(claim=OuterRef("pk"), stance=Citation.Stance.DISPUTES)
            )
        )
    )
    verdicts = assess(claims, {claim.pk for claim in claims if claim.is_contested})
    open_ = [pk for pk, verdict in verdicts.items() if verdict.open]
    changed = group.filter(pk__in=open_).exclude(in_dispute=True).update(in_dispute=True)
    changed += group.exclude(pk__in=open_).exclude(in_dispute=False).update(in_dispute=False)
    if changed:
        # Pages show the flag: a public claim's counts as a public change.
        stamp.touch_if_public(Claim, [claim.pk for claim in claims])


def refresh_groups(groups):
    """``refresh`` for many (entity_id, event_id, property_id) groups at once, in a few
    queries: after claims and citations are written in bulk."""
    groups = list(set(groups))
    for start in range(0, len(groups), 500):
        chunk = set(groups[start : start + 500])
        standing = _near(chunk).exclude(status=Claim.Status.REJECTED)
        # A claim alone in its group disputes nothing unless a citation disputes it.
        sizes = standing.values_list("entity_id", "event_id", "property_id").annotate(n=Count("pk"))
        crowded = {tuple(group) for *group, n in sizes.order_by() if n > 1} & chunk
        contested = Exists(
            Citation.objects.filter(claim=OuterRef("pk"), stance=Citation.Stance.DISPUTES)
        )
        # Claims of a property with many values dispute only when a citation disputes them.
        compared = _near(crowded).filter(~Q(property__cardinality=Cardinality.MANY))
        members = defaultdict(list)
        for claim in (
            standing.annotate(is_contested=contested)
            .filter(Q(pk__in=compared) | Q(is_contested=True) | Q(in_dispute=True))
            .select_related("property")
        ):
            if _group(claim) in chunk:
                members[_group(claim)].append(claim)
        open_, closed = [], []
        for claims in members.values():
            verdicts = assess(claims, {claim.pk for claim in claims if claim.is_contested})
            for claim in claims:
                wanted = verdicts[claim.pk].open
                if claim.in_dispute != wanted:
                    (open_ if wanted else closed).append(claim.pk)
        Claim.objects.filter(pk__in=open_).update(in_dispute=True)
        Claim.objects.filter(pk__in=closed).update(in_dispute=False)
        stamp.touch_if_public(Claim, [*open_, *closed])


def _group(claim):
    return (claim.entity_id, claim.event_id, claim.property_id)


def _near(groups):
    """The claims of the subjects and properties of ``groups``, and perhaps a few more."""
    return Claim.objects.filter(
        Q(entity_id__in={g[0] for g in groups} - {None})
        | Q(event_id__in={g[1] for g in groups} - {None}),
        property_id__in={g[2] for g in groups},
    )


@receiver(pre_save, sender=Claim)
def remember_previous_group(sender, instance, **kwargs):
    stored = Claim.objects.filter(pk=instance.pk) if instance.pk else Claim.objects.none()
    instance._previous_group = stored.values_list("entity_id", "event_id", "property_id").first()


@receiver(post_save, sender=Claim)
@receiver(post_delete, sender=Claim)
def claim_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_group", None)
    if previous in (None, _group(instance)):
        refresh(*_group(instance), claim_id=instance.pk)
    else:
        refresh(*previous)
        refresh(*_group(instance))


@receiver(pre_save, sender=Citation)
def remember_stance(sender, instance, **kwargs):
    stored = Citation.objects.filter(pk=instance.pk) if instance.pk else Citation.objects.none()
    instance._stored = stored.values_list("stance", "claim_id").first()


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def citation_changed(sender, instance, raw=False, **kwargs):
    stance, claim_id = getattr(instance, "_stored", None) or (None, None)
    # Only a citation that disputes its claim, or did, bears on a dispute.
    if raw or Citation.Stance.DISPUTES not in (instance.stance, stance):
        return
    claims = Claim.objects.filter(pk__in={instance.claim_id, claim_id} - {None})
    for pk, *group in claims.values_list("pk", "entity_id", "event_id", "property_id"):
        refresh(*group, claim_id=pk)


@receiver(pre_save, sender=Property)
def remember_cardinality(sender, instance, **kwargs):
    stored = Property.objects.filter(pk=instance.pk) if instance.pk else Property.objects.none()
    instance._previous_cardinality = stored.values_list("cardinality", flat=True).first()


@receiver(post_save, sender=Property)
def property_saved(sender, instance, raw=False, **kwargs):
    previous = getattr(instance, "_previous_cardinality", None)
    if raw or previous is None or previous == instance.cardinality:
        return
    groups = (
        Claim.objects.filter(property=instance)
        .values_list("entity_id", "event_id", "property_id")
        .distinct()
        .order_by()
    )
    for group in groups:
        refresh(*group)
