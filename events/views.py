from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views import generic

from core.views import AsOfMixin, PublicMixin, bad_request, date_claims, relations_of, shown_claims
from entities.models import Entity
from sources.models import Claim, Datatype

from .models import Event

# Place properties go with the date under "When and where".
PLACE_PROPERTIES = {"location", "country", "located_in"}


def section_of(prop):
    """Which part of an event page a property's claims go in."""
    if prop.is_name:
        return "names"
    if prop.code == "date":
        return "when"
    if prop.code in PLACE_PROPERTIES:
        return "where"
    if prop.datatype == Datatype.ENTITY:
        return "participants"  # by role: perpetrator, target, claimed by...
    if prop.datatype == Datatype.QUANTITY:
        return "figures"  # killed, injured, people charged
    return "other"


class ListView(PublicMixin, generic.ListView):
    """The timeline: public events in date order, filtered by year, kind and entity."""

    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.year, self.kind, self.entity = None, request.GET.get("kind", ""), None
        year = request.GET.get("year", "")
        if year:
            if not (year.isdigit() and len(year) == 4):
                return bad_request(
                    request, f"“{year}” is not a year; give it as four digits, e.g. year=2015."
                )
            self.year = int(year)
        if self.kind and self.kind not in Event.Kind.values:
            return bad_request(request, f"“{self.kind}” is not a kind of event.")
        slug = request.GET.get("entity", "")
        if slug:
            self.entity = get_object_or_404(Entity.objects.public(), slug=slug)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        events = Event.objects.public()
        if self.year:
            events = events.filter(sort_date__year=self.year)
        if self.kind:
            events = events.filter(kind=self.kind)
        if self.entity:
            events = events.filter(
                Exists(
                    Claim.objects.public().filter(event=OuterRef("pk"), value_entity=self.entity)
                )
            )
        return events.order_by(F("sort_date").asc(nulls_last=True), "label", "pk").prefetch_related(
            Prefetch("claims", queryset=date_claims(), to_attr="date_claims")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=Event.Kind.choices, year=self.year, kind=self.kind, entity=self.entity, **kwargs
        )


class DetailView(PublicMixin, AsOfMixin, generic.DetailView):
    """An event: its date at the precision known, place, participants by role,
    casualties, and the citations behind each of them."""

    def get_queryset(self):
        return Event.objects.public().prefetch_related(
            Prefetch("claims", queryset=shown_claims(), to_attr="own_claims"),
            Prefetch("referencing_claims", queryset=shown_claims(), to_attr="pointing_claims"),
        )

    def get_past_object(self, state):
        event = state.event(slug=self.kwargs["slug"])
        if event is None or not event.published:
            return None
        claims = state.claims(Q(event_id=event.pk) | Q(value_event_id=event.pk))
        event.own_claims = [claim for claim in claims if claim.event_id == event.pk]
        event.pointing_claims = [claim for claim in claims if claim.value_event_id == event.pk]
        return event

    def printed_claims(self, event):
        return event.own_claims + event.pointing_claims

    def get_context_data(self, **kwargs):
        event = self.object
        sections = {
            "names": [],
            "when": [],
            "where": [],
            "participants": [],
            "figures": [],
            "other": [],
        }
        for claim in event.own_claims:
            sections[section_of(claim.property)].append(claim)
        event.date_claims = [
            claim
            for claim in sections["when"]
            if claim.value_kind == Claim.ValueKind.VALUE and claim.rank != Claim.Rank.DEPRECATED
        ]
        return super().get_context_data(
            **sections,
            relations=relations_of(event.pointing_claims),
            **kwargs,
        )
