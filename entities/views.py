from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.views import generic

from core.views import (
    AsOfMixin,
    PastState,
    PublicMixin,
    bad_request,
    date_claims,
    events_of,
    relations_of,
    shown_claims,
)

from .models import Entity


class ListView(PublicMixin, generic.ListView):
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.kind = request.GET.get("kind", "")
        if self.kind and self.kind not in Entity.Kind.values:
            return bad_request(request, f"“{self.kind}” is not a kind of entity.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        entities = Entity.objects.public()
        return entities.filter(kind=self.kind) if self.kind else entities

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=Entity.Kind.choices, kind=self.kind, **kwargs)


class DetailView(PublicMixin, AsOfMixin, generic.DetailView):
    """An entity's infobox from its claims, the events it appears in, the entities that
    point at it, and the citations behind each of them. A merged entity's slug redirects."""

    def get_queryset(self):
        return Entity.objects.public().prefetch_related(
            Prefetch("claims", queryset=shown_claims(), to_attr="own_claims"),
            Prefetch(
                "referencing_claims",
                queryset=shown_claims().prefetch_related(
                    Prefetch("event__claims", queryset=date_claims(), to_attr="date_claims")
                ),
                to_attr="pointing_claims",
            ),
        )

    def get_past_object(self, state):
        entity = state.entity(slug=self.kwargs["slug"])
        if entity is None or not entity.published or entity.merged_into_id:
            return None
        claims = state.claims(Q(entity_id=entity.pk) | Q(value_entity_id=entity.pk))
        entity.own_claims = [claim for claim in claims if claim.entity_id == entity.pk]
        entity.pointing_claims = [claim for claim in claims if claim.value_entity_id == entity.pk]
        state.add_dates({claim.event for claim in entity.pointing_claims if claim.event_id})
        return entity

    def printed_claims(self, entity):
        return entity.own_claims + entity.pointing_claims

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            survivor = self.survivor(kwargs["slug"])
            if survivor is None:
                raise
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(survivor.get_absolute_url() + query)

    def survivor(self, slug):
        """The public entity a merged one was folded into (following merges), or None."""
        state = PastState(self.as_of) if self.as_of else None

        def find(**filters):
            return state.entity(**filters) if state else Entity.objects.filter(**filters).first()

        entity, seen = find(slug=slug), set()
        if entity is None or not entity.published:
            return None  # an address readers never had does not redirect either
        while entity is not None and entity.merged_into_id and entity.pk not in seen:
            seen.add(entity.pk)
            entity = find(id=entity.merged_into_id)
        if not seen or entity is None or not entity.published or entity.merged_into_id:
            return None
        return entity

    def get_context_data(self, **kwargs):
        entity = self.object
        return super().get_context_data(
            names=[claim for claim in entity.own_claims if claim.property.is_name],
            facts=[claim for claim in entity.own_claims if not claim.property.is_name],
            events=events_of(entity.pointing_claims),
            relations=relations_of([claim for claim in entity.pointing_claims if claim.entity_id]),
            **kwargs,
        )
