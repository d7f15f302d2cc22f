"""The public, read-only site: home, search, entity and event pages, the timeline and sources.

Each view says what it selects; what a page makes of its claims is in ``reading``. The search
page is the search app's. Entity and event pages can be read as published at the end of a
past day (``?as_of=YYYY-MM-DD``).
"""

from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from core import stamp
from core.http import PublicMixin, bad_request, parse_as_of
from entities.models import Entity
from events.models import Event

from . import reading
from .models import Citation, Claim, Property, Source

# What pages share


class AsOfMixin:
    """A detail page that can also be read as published at the end of a past day
    (``?as_of=YYYY-MM-DD``), with its footnotes, its last change and its permanent link.

    Views define ``get_past_object(state)``, returning the object as their ``get_queryset()``
    dresses it (with ``own_claims`` and ``pointing_claims``), or None.
    """

    as_of = None

    def get(self, request, *args, **kwargs):
        try:
            self.as_of = parse_as_of(request.GET.get("as_of"))
        except ValueError as error:
            return bad_request(request, str(error))
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if self.as_of is None:
            return super().get_object(queryset)
        obj = self.get_past_object(reading.PastState(self.as_of))
        if obj is None:
            raise Http404(f"Nothing was published at this address on {self.as_of:%Y-%m-%d}.")
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subject = self.object
        day = self.as_of or timezone.localdate()
        context.update(
            as_of=self.as_of,
            footnotes=reading.Footnotes(),
            last_changed=reading.last_changed(
                subject, subject.own_claims + subject.pointing_claims
            ),
            permalink=f"{self.request.path}?as_of={day.isoformat()}",
            permalink_day=day,
            # A page of the past lists every value (history is read whole).
            long_groups={} if self.as_of else reading.long_groups(subject),
        )
        return context


# Home and search


class HomeView(PublicMixin, generic.TemplateView):
    template_name = "home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=self.counts(), recent_changes=self.recent_changes(), **kwargs
        )

    def counts(self):
        """How many of each are public. Counting a million claims takes seconds, so the
        counts are kept in the page cache until something public changes."""
        return caches["pages"].get_or_set(
            f"public-counts:{stamp.for_request(self.request).value}",
            lambda: {
                "entities": Entity.objects.public().count(),
                "events": Event.objects.public().count(),
                "sources": Source.objects.public().count(),
                "claims": Claim.objects.public().count(),
            },
            timeout=24 * 3600,
        )

    def recent_changes(self):
        """The latest revisions of what is public now, newest first, as
        {"changed": when, "claim" or "subject": what}.

        Revisions are read only for their dates; what is printed is the record as it is
        published now, so no unpublished wording and no editor ever shows. They are read
        newest first, a batch at a time, until enough records public now are found.
        """
        feeds = [
            ("claim", Claim.objects.public(), Claim.PUBLISHED, Claim.objects.shown()),
            ("subject", Entity.objects.public(), Entity.PUBLIC, Entity.objects.public()),
            ("subject", Event.objects.public(), Event.PUBLIC, Event.objects.public()),
        ]
        changes = []
        for role, public, published_then, shown in feeds:
            dated = self.latest_revisions(public, published_then)
            changes += [{"changed": dated[obj.pk], role: obj} for obj in shown.filter(pk__in=dated)]
        changes.sort(key=lambda change: change["changed"], reverse=True)
        return changes[: self.recent_count]

    def latest_revisions(self, public, published_then, batch=200, most=2000):
        """{id: date of its latest revision} of the records of ``public`` changed last."""
        revisions = (
            public.model.history.filter(published_then)
            .order_by("-history_date")  # by its index alone: ties may come in any order
            .values_list("id", "history_date")
        )
        dated = {}
        for start in range(0, most, batch):
            rows = list(revisions[start : start + batch])
            newest = {}
            for pk, changed in rows:
                if pk not in dated:
                    newest.setdefault(pk, changed)
            for pk in public.filter(pk__in=newest).values_list("pk", flat=True):
                dated[pk] = newest[pk]
            if len(dated) >= self.recent_count or len(rows) < batch:
                break
        return dict(
            sorted(dated.items(), key=lambda item: item[1], reverse=True)[: self.recent_count]
        )


# Entities


class EntityListView(PublicMixin, generic.ListView):
    template_name = "entities/entity_list.html"
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


class EntityDetailView(PublicMixin, AsOfMixin, generic.DetailView):
    """An entity's infobox from its claims, the events it appears in, the entities that
    point at it, and the citations behind each of them. A merged entity's slug redirects."""

    template_name = "entities/entity_detail.html"
    context_object_name = "entity"
    extra_context = {"relations_heading": "Related entities"}

    def get_queryset(self):
        return reading.entities_with_claims()

    def get_past_object(self, state):
        return state.entity(self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            state = reading.PastState(self.as_of) if self.as_of else None
            survivor = reading.merge_survivor(kwargs["slug"], state=state)
            if survivor is None:
                raise
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return HttpResponsePermanentRedirect(survivor.get_absolute_url() + query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**reading.entity_sections(self.object), **kwargs)


class ValuesView(PublicMixin, generic.ListView):
    """Every public value of one property of a subject, a page at a time, with their
    citations: where a subject page sends readers when it lists only the first
    ``reading.LONGEST`` of them."""

    template_name = "sources/values.html"
    subject_model = None  # Entity or Event

    def get_paginate_by(self, queryset):
        return reading.LONGEST

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.subject_model.objects.public(), slug=kwargs["slug"])
        self.property = get_object_or_404(Property, code=kwargs["property"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        about = "entity" if self.subject_model is Entity else "event"
        return Claim.objects.shown().filter(**{about: self.subject}, property=self.property)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            property=self.property,
            footnotes=reading.Footnotes(),
            **kwargs,
        )


# Events


class EventListView(PublicMixin, generic.ListView):
    """The timeline: public events in date order, filtered by year, kind and entity."""

    template_name = "events/event_list.html"
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
            naming = Claim.objects.public().filter(event=OuterRef("pk"), value_entity=self.entity)
            events = events.filter(Exists(naming))
        timeline_order = (F("sort_date").asc(nulls_last=True), "label", "pk")
        return events.order_by(*timeline_order).prefetch_related(reading.event_dates())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=Event.Kind.choices, year=self.year, kind=self.kind, entity=self.entity, **kwargs
        )


class EventDetailView(PublicMixin, AsOfMixin, generic.DetailView):
    """An event: its date at the precision known, place, participants by role,
    casualties, and the citations behind each of them."""

    template_name = "events/event_detail.html"
    context_object_name = "event"
    extra_context = {"relations_heading": "Related"}

    def get_queryset(self):
        return reading.events_with_claims()

    def get_past_object(self, state):
        return state.event(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**reading.event_sections(self.object), **kwargs)


# Sources


class SourceListView(PublicMixin, generic.ListView):
    template_name = "sources/source_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.public()


class SourceDetailView(PublicMixin, generic.DetailView):
    """A source's bibliographic record and every public claim that cites it, a page at a time.

    ``?citation=<pk>`` (what footnotes link to) opens the page that holds that citation.
    """

    template_name = "sources/source_detail.html"
    citations_per_page = 100

    def get_queryset(self):
        return Source.objects.public()

    def citing(self):
        return (
            Citation.objects.filter(source=self.object, claim__in=Claim.objects.public())
            .select_related(
                "source",
                "claim__property",
                "claim__entity",
                "claim__event",
                "claim__value_entity",
                "claim__value_event",
                "claim__according_to",
            )
            .annotate(subject_label=Coalesce("claim__entity__label", "claim__event__label"))
            .order_by("subject_label", "pk")
        )

    def page_number(self, citations):
        citation = self.request.GET.get("citation", "")
        wanted = citations.filter(pk=citation).first() if citation.isdigit() else None
        if wanted is None:
            return self.request.GET.get("page") or 1
        before = citations.filter(
            Q(subject_label__lt=wanted.subject_label)
            | Q(subject_label=wanted.subject_label, pk__lt=wanted.pk)
        ).count()
        return before // self.citations_per_page + 1

    def get_context_data(self, **kwargs):
        citations = self.citing()
        page = Paginator(citations, self.citations_per_page).get_page(self.page_number(citations))
        stamps = [self.object.updated_at]
        for citation in page:
            stamps += [citation.updated_at, citation.claim.updated_at]
        return super().get_context_data(
            citations=page,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            last_changed=max(stamps),
            **kwargs,
        )
