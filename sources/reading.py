"""The read model: what a public page of claims shows, now or as it was published at the end
of a past day, and how its claims are grouped (infobox rows and their disputes, events,
relations) and footnoted.

Everything here starts from the publication rule: ``Claim.objects.public()`` for pages read
now, and ``PastState``, which applies the same definitions (``Entity.PUBLIC``,
``Event.PUBLIC``, ``Claim.PUBLISHED``, ``Claim.DATES_AN_EVENT``) to revision history.
"""

import datetime

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from core import dates
from entities.models import Entity
from events.models import Event

from . import disputes
from .models import Citation, Claim, Datatype, Property, Source

# Now


def event_dates(lookup="claims"):
    """Prefetch each event's public date claims, best first, as ``date_claims``: what a
    timeline shows for an event. ``lookup`` leads from the queryset's rows to the claims."""
    return Prefetch(lookup, queryset=Claim.objects.public().event_dates(), to_attr="date_claims")


# A page lists at most this many values of one property of its subject; all of them are on
# pages of their own (``long_groups``), so a subject with thousands of aliases or allies
# costs what a subject with a few hundred does.
LONGEST = 100


def first_of_each_property(claims):
    """``claims`` (``by_rank()``-ordered) cut to the first ``LONGEST`` of each property of
    each subject, counted in the database."""
    position = Window(
        RowNumber(),
        partition_by=[F("entity_id"), F("event_id"), F("property_id")],
        order_by=[F("part").asc(), F("rank_position").asc(), F("pk").asc()],
    )
    return claims.annotate(position=position).filter(position__lte=LONGEST)


def long_groups(subject):
    """{property id: how many public values} of the subject's properties that have more
    values than a page lists."""
    about = {"entity": subject} if isinstance(subject, Entity) else {"event": subject}
    return dict(
        Claim.objects.public()
        .filter(**about)
        .order_by()
        .values("property")
        .annotate(values=Count("pk"))
        .filter(values__gt=LONGEST)
        .values_list("property", "values")
    )


def entities_with_claims():
    """Public entities with the claims their page prints: ``own_claims`` about them (the
    first ``LONGEST`` of each property) and ``pointing_claims`` that name them (with each
    event's ``date_claims``)."""
    return Entity.objects.public().prefetch_related(
        Prefetch(
            "claims",
            queryset=first_of_each_property(Claim.objects.shown()),
            to_attr="own_claims",
        ),
        Prefetch(
            "referencing_claims",
            queryset=Claim.objects.shown().prefetch_related(event_dates("event__claims")),
            to_attr="pointing_claims",
        ),
    )


def events_with_claims():
    """Public events with ``own_claims``, ``pointing_claims`` and ``date_claims``."""
    return Event.objects.public().prefetch_related(
        Prefetch(
            "claims",
            queryset=first_of_each_property(Claim.objects.shown()),
            to_attr="own_claims",
        ),
        Prefetch("referencing_claims", queryset=Claim.objects.shown(), to_attr="pointing_claims"),
        event_dates(),
    )


# Then


class PastState:
    """What a reader could see at the end of a past day, rebuilt from revision history.

    Historical rows carry the same fields as the rows they record, so the subjects' and
    claims' own rules filter them as they filter the live tables. What joins them (a claim
    shows only with a public subject, public values and a citation) is checked here in
    Python, as ``ClaimQuerySet.public()`` checks it in SQL.
    """

    def __init__(self, day):
        self.day = day
        self.moment = dates.end_of_day(day)
        self._properties = None

    def records(self, model):
        """The last revision of each row of ``model`` at the moment, deleted rows left out.

        This is what ``model.history.as_of()`` selects; its records are turned into
        instances here by ``instances()``, without the query per row that as_of makes
        to fill in the fields history does not keep.
        """
        return (
            model.history.filter(history_date__lte=self.moment)
            .latest_of_each()
            .exclude(history_type="-")
            .order_by()
        )

    @staticmethod
    def instances(records):
        """Model instances from historical records, each dated by its revision."""
        result = {}
        for record in records:
            instance = record.history_object
            instance.updated_at = record.history_date
            # Two revisions saved at the same instant: keep the later one.
            kept = result.get(instance.pk)
            if kept is None or kept.updated_at <= record.history_date:
                result[instance.pk] = instance
        return result

    def public(self, model, **filters):
        """The rows of a subject model that were public then, by pk."""
        return self.instances(self.records(model).filter(model.PUBLIC, **filters))

    def record(self, model, **filters):
        """A row as it stood then, public or not (None if it did not exist)."""
        return next(iter(self.instances(self.records(model).filter(**filters)).values()), None)

    @property
    def properties(self):
        if self._properties is None:
            self._properties = Property.objects.in_bulk()
        return self._properties

    def claims(self, condition):
        """Claims matching ``condition`` that were public then, dressed as
        ``Claim.objects.shown()`` dresses them, in rank order."""
        claim_records = self.records(Claim).filter(condition, Claim.PUBLISHED)
        claims = self.instances(claim_records)
        citations = self.instances(
            self.records(Citation).filter(claim_id__in=claim_records.values("id"))
        )
        entity_ids = {
            pk
            for claim in claims.values()
            for pk in (claim.entity_id, claim.value_entity_id, claim.according_to_id)
            if pk
        }
        event_ids = {
            pk for claim in claims.values() for pk in (claim.event_id, claim.value_event_id) if pk
        }
        entities = self.public(Entity, id__in=entity_ids)
        events = self.public(Event, id__in=event_ids)
        sources = self.instances(
            self.records(Source).filter(id__in={c.source_id for c in citations.values()})
        )

        cited = {}
        supported = set()
        for citation in sorted(citations.values(), key=lambda c: c.pk):
            if citation.source_id in sources:
                citation.source = sources[citation.source_id]
                cited.setdefault(citation.claim_id, []).append(citation)
                if citation.stance == Citation.Stance.SUPPORTS:
                    supported.add(citation.claim_id)
        shown = []
        for claim in claims.values():
            subject_public = entities.get(claim.entity_id) or events.get(claim.event_id)
            value_public = all(
                pk is None or pk in table
                for pk, table in (
                    (claim.value_entity_id, entities),
                    (claim.value_event_id, events),
                    (claim.according_to_id, entities),
                )
            )
            if not (subject_public and value_public and claim.pk in supported):
                continue
            claim.property = self.properties[claim.property_id]
            claim.entity = entities.get(claim.entity_id)
            claim.event = events.get(claim.event_id)
            claim.value_entity = entities.get(claim.value_entity_id)
            claim.value_event = events.get(claim.value_event_id)
            claim.according_to = entities.get(claim.according_to_id)
            claim.shown_citations = cited[claim.pk]
            shown.append(claim)
        return sorted(shown, key=Claim.rank_key)

    def add_dates(self, events):
        """Give each event its date claims, and its timeline date, as they stood then."""
        events = {event.pk: event for event in events}
        by_event = {}
        for claim in self.claims(Q(event_id__in=list(events)) & Claim.DATES_AN_EVENT):
            by_event.setdefault(claim.event_id, []).append(claim)
        for pk, event in events.items():
            event.date_claims = by_event.get(pk, [])
            # History does not keep the derived day columns: read the day from the date.
            event.sort_date = (
                dates.bounds(event.date_claims[0].value_date)[0] if event.date_claims else None
            )

    def subject(self, model, slug):
        """The public entity or event at ``slug`` then, with its ``own_claims`` and the
        ``pointing_claims`` that name it; None if there was none."""
        subject = next(iter(self.public(model, slug=slug).values()), None)
        if subject is None:
            return None
        own, value = model._meta.model_name + "_id", f"value_{model._meta.model_name}_id"
        claims = self.claims(Q(**{own: subject.pk}) | Q(**{value: subject.pk}))
        subject.own_claims = [claim for claim in claims if getattr(claim, own) == subject.pk]
        subject.pointing_claims = [claim for claim in claims if getattr(claim, value) == subject.pk]
        return subject

    def entity(self, slug):
        """The entity at ``slug`` then, dressed as ``entities_with_claims()`` dresses it."""
        entity = self.subject(Entity, slug)
        if entity is not None:
            self.add_dates({claim.event for claim in entity.pointing_claims if claim.event_id})
        return entity

    def event(self, slug):
        """The event at ``slug`` then, dressed as ``events_with_claims()`` dresses it."""
        event = self.subject(Event, slug)
        if event is not None:
            self.add_dates([event])
        return event


def merge_survivor(slug, *, state=None):
    """The public entity that the entity once public at ``slug`` was merged into (following
    merges), now or as of ``state``; None if there is none. An address readers never had
    does not lead anywhere either."""

    def find(**filters):
        if state is not None:
            return state.record(Entity, **filters)
        return Entity.objects.filter(**filters).first()

    def public(pk):
        if state is not None:
            return next(iter(state.public(Entity, id=pk).values()), None)
        return Entity.objects.public().filter(pk=pk).first()

    entity, seen = find(slug=slug), set()
    if entity is None or not entity.published:
        return None
    while entity is not None and entity.merged_into_id and entity.pk not in seen:
        seen.add(entity.pk)
        entity = find(id=entity.merged_into_id)
    if not seen or entity is None:
        return None
    return public(entity.pk)


# What a page makes of its claims


class Footnotes:
    """The citations a page refers to, numbered in the order the page first cites them.

    Citations of the same passage (same source, locator, quote and translation) share
    one footnote, as a printed book would cite one passage once.
    """

    # A passage is the words a verification vouches for, whichever way a claim reads them.
    PASSAGE = [
        Citation._meta.get_field(name).attname
        for name in Citation.VOUCHED_FIELDS
        if name != "stance"
    ]

    def __init__(self):
        self.citations = []
        self._numbers = {}

    def number(self, citation):
        """(footnote number, whether this is the first reference to it)."""
        key = tuple(getattr(citation, attname) for attname in self.PASSAGE)
        if key in self._numbers:
            return self._numbers[key], False
        self.citations.append(citation)
        self._numbers[key] = len(self.citations)
        return len(self.citations), True


def infobox(claims):
    """Claims grouped by property, as an infobox shows them: each group's values, the
    disputed values beside them (``sources.disputes``), and the deprecated ones.

    A group is ``open`` while a dispute in it waits for a reviewer to rank its claims.
    """
    groups = {}
    for claim in claims:
        groups.setdefault(claim.property_id, (claim.property, []))[1].append(claim)
    contested = disputes.contested_pks(claims)
    rows = []
    for prop, group in groups.values():
        verdicts = disputes.assess(group, contested)
        shown = {"value": [], "disputed": [], "deprecated": []}
        for claim in group:
            shown[verdicts[claim.pk].shown].append(claim)
        rows.append(
            {
                "property": prop,
                "values": shown["value"],
                "disputed": shown["disputed"],
                "deprecated": shown["deprecated"],
                "open": any(verdict.open for verdict in verdicts.values()),
            }
        )
    return rows


def best(claims):
    """The claims of one property of one subject (and one part of a count) that stand for it
    where only the best values are wanted (the exports' best-values files, reconciliation):
    the preferred ones if there are any, else the normal ones; never a deprecated one."""
    preferred = [claim for claim in claims if claim.rank == Claim.Rank.PREFERRED]
    return preferred or [claim for claim in claims if claim.rank == Claim.Rank.NORMAL]


def dispute_verdicts(claims, *, rivals=None):
    """{claim pk: ``disputes.Verdict``} for public claims as their subject's page shows them:
    each weighed against the other public claims of its subject and property (``rivals``,
    dressed as ``shown()`` dresses them; read here when not given). ``Claim.in_dispute``
    would not do: it is kept for the review queue over every claim not rejected, drafts
    among them."""
    if rivals is None:
        rivals, contested = _public_rivals(claims)
    else:
        contested = disputes.contested_pks(rivals)
    groups = {}
    for claim in rivals:
        groups.setdefault(_group(claim), []).append(claim)
    verdicts = {}
    for group in groups.values():
        verdicts.update(disputes.assess(group, contested))
    return verdicts


def _group(claim):
    return claim.entity_id, claim.event_id, claim.property_id


def _public_rivals(claims):
    """The public claims of the subjects and properties of ``claims`` (with their property),
    and the pks of those a citation disputes."""
    wanted = {_group(claim) for claim in claims}
    if not wanted:
        return [], set()
    entities = {entity for entity, _, _ in wanted if entity}
    events = {event for _, event, _ in wanted if event}
    found = (
        Claim.objects.public()
        .filter(
            Q(entity__in=entities) | Q(event__in=events),
            property__in={prop for _, _, prop in wanted},
        )
        .select_related("property")
    )
    rivals = [claim for claim in found if _group(claim) in wanted]
    contested = set(
        Citation.objects.filter(
            claim__in=[claim.pk for claim in rivals], stance=Citation.Stance.DISPUTES
        ).values_list("claim_id", flat=True)
    )
    return rivals, contested


def last_changed(subject, claims):
    """When the newest of the records a page shows was saved."""
    stamps = [subject.updated_at]
    for claim in claims:
        stamps.append(claim.updated_at)
        for related in (
            claim.entity,
            claim.event,
            claim.value_entity,
            claim.value_event,
            claim.according_to,
        ):
            if related is not None:
                stamps.append(related.updated_at)
        for citation in claim.shown_citations:
            stamps += [citation.updated_at, citation.source.updated_at]
    return max(stamp for stamp in stamps if stamp is not None)


def events_of(claims):
    """(event, the claims naming the page's subject in it), in timeline order."""
    grouped = {}
    for claim in claims:
        if claim.event_id:
            grouped.setdefault(claim.event_id, (claim.event, []))[1].append(claim)
    return sorted(
        grouped.values(),
        key=lambda pair: (
            pair[0].sort_date is None,
            pair[0].sort_date or datetime.date.min,
            pair[0].label,
            pair[0].pk,
        ),
    )


def relations_of(claims):
    """(the relation as read from the value's side, e.g. "leader of", claims), in property order."""
    grouped = {}
    for claim in claims:
        label = claim.property.inverse_label or f"{claim.property.label} of"
        grouped.setdefault(label, []).append(claim)
    return list(grouped.items())


def entity_sections(entity):
    """The parts of an entity's page: its names, its facts, its events, who names it."""
    return {
        "names": [claim for claim in entity.own_claims if claim.property.is_name],
        "facts": [claim for claim in entity.own_claims if not claim.property.is_name],
        "events": events_of(entity.pointing_claims),
        "relations": relations_of([claim for claim in entity.pointing_claims if claim.entity_id]),
    }


# Place properties go with the date under "When and where".
PLACE_PROPERTIES = {"location", "country", "located_in"}
# Who carried it out, as claimed, attributed or established, side by side.
RESPONSIBILITY_PROPERTIES = {"perpetrator", "claimed_by"}


def event_section(prop):
    """Which part of an event page a property's claims go in."""
    if prop.is_name:
        return "names"
    if prop.code == "date":
        return "when"
    if prop.code in RESPONSIBILITY_PROPERTIES:
        return "responsibility"
    if prop.code in PLACE_PROPERTIES:
        return "where"
    if prop.datatype == Datatype.ENTITY:
        return "participants"  # by role: perpetrator, target, claimed by...
    if prop.datatype == Datatype.QUANTITY:
        return "figures"  # killed, injured, people charged
    return "other"


def event_sections(event):
    """The parts of an event's page, by ``event_section``, and who names it."""
    names = ("names", "when", "where", "responsibility", "participants", "figures", "other")
    sections = {name: [] for name in names}
    for claim in event.own_claims:
        sections[event_section(claim.property)].append(claim)
    return {**sections, "relations": relations_of(event.pointing_claims)}
