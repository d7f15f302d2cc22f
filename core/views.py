"""The public read-only site: what its pages share, the home page and search.

Every public page starts from the models' ``public()`` querysets. Entity and event pages
can also be read as they were published at the end of a past day (``?as_of=YYYY-MM-DD``),
rebuilt from revision history by ``PastState`` under the same publication rule.
"""

import datetime
import hashlib
import re

from django.db.models import CharField, Count, Exists, Max, OuterRef, Prefetch, Q, Value
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import generic
from django.views.decorators.http import condition

from core import dates
from core.names import normalize
from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Property, Source

CURATED_MODELS = (Entity, Event, Source, Claim, Citation, Property)


# Querysets the pages share. Each starts from Claim.objects.public().


def shown_claims():
    """Public claims with everything a page prints about them, preferred first."""
    return (
        Claim.objects.public()
        .by_rank()
        .select_related("property", "entity", "event", "value_entity", "value_event")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source"),
                to_attr="shown_citations",
            )
        )
    )


def date_claims():
    """The public dates of events, best first: what a timeline shows for each event."""
    return (
        Claim.objects.public()
        .filter(property__code="date", value_kind=Claim.ValueKind.VALUE)
        .exclude(rank=Claim.Rank.DEPRECATED)
        .by_rank()
    )


# Conditional GET.


def content_etag(request, *args, **kwargs):
    """An ETag that changes whenever any curated record changes.

    Every save and delete of a curated model appends a revision, and revisions are never
    removed, so the number of rows in each history table grows with every committed change.
    The newest id alone would not do: ids are taken when a transaction writes, not when it
    commits, so a change committed after a later one can leave the newest id as it was.
    Both the count and the newest id of each table are read in one query. The URL and
    today's date complete it: each page links to today's permanent version.
    """
    stamps = [
        model.history.order_by()
        .annotate(model=Value(model.__name__, output_field=CharField()))
        .values("model")
        .annotate(rows=Count("history_id"), newest=Max("history_id"))
        .values_list("model", "rows", "newest")
        for model in CURATED_MODELS
    ]
    stamps = sorted(stamps[0].union(*stamps[1:], all=True), key=lambda row: row[0])
    text = f"{stamps}|{request.get_full_path()}|{timezone.localdate()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PublicMixin:
    """A public page: read-only (GET and HEAD; even OPTIONS is refused with 405),
    answering a conditional GET with 304 Not Modified."""

    http_method_names = ["get", "head"]

    @method_decorator(condition(etag_func=content_etag))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def bad_request(request, message):
    return render(request, "includes/bad_request.html", {"message": message}, status=400)


# Pages as they were published on a past day.

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(value):
    """The day of ``?as_of=``, or None when absent; ValueError with a reader's message otherwise."""
    if value is None:
        return None
    example = "for example ?as_of=2024-04-30"
    if not _ISO_DAY.match(value):
        raise ValueError(f"“{value}” is not a date. Give as_of as YYYY-MM-DD, {example}.")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"“{value}” is not a day of the calendar. Give as_of as YYYY-MM-DD, {example}."
        ) from None
    if day > timezone.localdate():
        raise ValueError(
            f"{value} is in the future; as_of shows a page as it was published on a past day."
        )
    return day


class PastState:
    """What a reader could see at the end of a past day, rebuilt from revision history.

    It applies the rule of ``ClaimQuerySet.public()`` to the historical rows: a claim
    shows when, at that moment, it was published, had a citation, its subject was
    published (an entity also not merged) and so was any entity or event it points at.
    """

    def __init__(self, day):
        self.day = day
        next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        self.moment = timezone.make_aware(next_day) - datetime.timedelta(microseconds=1)
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

    def published_entities(self, **filters):
        return self.instances(
            self.records(Entity).filter(published=True, merged_into__isnull=True, **filters)
        )

    def published_events(self, **filters):
        return self.instances(self.records(Event).filter(published=True, **filters))

    def entity(self, **filters):
        """The entity as it stood at the moment, published or not (None if it did not exist)."""
        return next(iter(self.instances(self.records(Entity).filter(**filters)).values()), None)

    def event(self, **filters):
        return next(iter(self.instances(self.records(Event).filter(**filters)).values()), None)

    @property
    def properties(self):
        if self._properties is None:
            self._properties = Property.objects.in_bulk()
        return self._properties

    def claims(self, condition):
        """Public claims matching ``condition`` then, dressed as shown_claims() dresses them."""
        claim_records = self.records(Claim).filter(condition, status=Claim.Status.PUBLISHED)
        claims = self.instances(claim_records)
        citations = self.instances(
            self.records(Citation).filter(claim_id__in=claim_records.values("id"))
        )
        entity_ids = {
            pk for claim in claims.values() for pk in (claim.entity_id, claim.value_entity_id) if pk
        }
        event_ids = {
            pk for claim in claims.values() for pk in (claim.event_id, claim.value_event_id) if pk
        }
        entities = self.published_entities(id__in=entity_ids)
        events = self.published_events(id__in=event_ids)
        sources = self.instances(
            self.records(Source).filter(id__in={c.source_id for c in citations.values()})
        )

        cited = {}
        for citation in sorted(citations.values(), key=lambda c: c.pk):
            if citation.source_id in sources:
                citation.source = sources[citation.source_id]
                cited.setdefault(citation.claim_id, []).append(citation)
        shown = []
        for claim in claims.values():
            subject_public = entities.get(claim.entity_id) or events.get(claim.event_id)
            value_public = all(
                pk is None or pk in table
                for pk, table in ((claim.value_entity_id, entities), (claim.value_event_id, events))
            )
            if not (subject_public and value_public and claim.pk in cited):
                continue
            claim.property = self.properties[claim.property_id]
            claim.entity = entities.get(claim.entity_id)
            claim.event = events.get(claim.event_id)
            claim.value_entity = entities.get(claim.value_entity_id)
            claim.value_event = events.get(claim.value_event_id)
            claim.shown_citations = cited[claim.pk]
            shown.append(claim)
        return sorted(shown, key=rank_order)

    def add_dates(self, events):
        """Give each event its date claims, and its timeline date, as they stood then."""
        events = {event.pk: event for event in events}
        date_property = next(p for p in self.properties.values() if p.code == "date")
        by_event = {}
        for claim in self.claims(Q(event_id__in=list(events), property_id=date_property.pk)):
            if claim.value_kind == Claim.ValueKind.VALUE and claim.rank != Claim.Rank.DEPRECATED:
                by_event.setdefault(claim.event_id, []).append(claim)
        for pk, event in events.items():
            event.date_claims = by_event.get(pk, [])
            event.sort_date = (
                dates.bounds(event.date_claims[0].value_date)[0] if event.date_claims else None
            )


_RANK_ORDER = {Claim.Rank.PREFERRED: 0, Claim.Rank.NORMAL: 1, Claim.Rank.DEPRECATED: 2}


def rank_order(claim):
    """The order of ClaimQuerySet.by_rank(), for claims already in memory."""
    return (
        claim.property.display_order,
        claim.property.code,
        _RANK_ORDER.get(claim.rank, 2),
        claim.pk,
    )


class Footnotes:
    """The citations a page refers to, numbered in the order the page first cites them.

    Citations of the same passage (same source, locator, quote and translation) share
    one footnote, as a printed book would cite one passage once.
    """

    def __init__(self):
        self.citations = []
        self._numbers = {}

    def number(self, citation):
        """(footnote number, whether this is the first reference to it)."""
        key = (citation.source_id, citation.locator, citation.quote, citation.translation)
        if key in self._numbers:
            return self._numbers[key], False
        self.citations.append(citation)
        self._numbers[key] = len(self.citations)
        return len(self.citations), True


class AsOfMixin:
    """A detail page that can also be read as published at the end of a past day
    (``?as_of=YYYY-MM-DD``), with its footnotes, its last change and its permanent link.

    Views define ``get_past_object(state)``, returning the object dressed as their
    ``get_queryset()`` dresses it, and ``printed_claims(obj)``, the claims the page prints.
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
        obj = self.get_past_object(PastState(self.as_of))
        if obj is None:
            raise Http404(f"Nothing was published at this address on {self.as_of:%Y-%m-%d}.")
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.as_of or timezone.localdate()
        context.update(
            as_of=self.as_of,
            footnotes=Footnotes(),
            last_changed=last_changed(self.object, self.printed_claims(self.object)),
            permalink=f"{self.request.path}?as_of={day.isoformat()}",
            permalink_day=day,
        )
        return context


def last_changed(subject, claims):
    """When the newest of the records a page shows was saved."""
    stamps = [subject.updated_at]
    for claim in claims:
        stamps.append(claim.updated_at)
        for related in (claim.entity, claim.event, claim.value_entity, claim.value_event):
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


# Home and search.


class HomeView(PublicMixin, generic.TemplateView):
    template_name = "home.html"
    recent_count = 10

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts={
                "entities": Entity.objects.public().count(),
                "events": Event.objects.public().count(),
                "sources": Source.objects.public().count(),
                "claims": Claim.objects.public().count(),
            },
            recent_changes=self.recent_changes(),
            **kwargs,
        )

    def recent_changes(self):
        """The latest revisions of what is public now, newest first, as
        {"changed": when, "claim" or "subject": what}.

        Revisions are read only for their dates; what is printed is the record as it is
        published now, so no unpublished wording and no editor ever shows.
        """
        feeds = [
            ("claim", Claim.objects.public(), {"status": Claim.Status.PUBLISHED}, shown_claims()),
            ("subject", Entity.objects.public(), {"published": True}, Entity.objects.public()),
            ("subject", Event.objects.public(), {"published": True}, Event.objects.public()),
        ]
        changes = []
        for role, public, published_then, shown in feeds:
            latest = (
                public.model.history.filter(id__in=public.values("id"), **published_then)
                .order_by("id")
                .values("id")
                .annotate(changed=Max("history_date"))
                .order_by("-changed", "-id")[: self.recent_count]
            )
            dated = {row["id"]: row["changed"] for row in latest}
            changes += [{"changed": dated[obj.pk], role: obj} for obj in shown.filter(pk__in=dated)]
        changes.sort(key=lambda change: change["changed"], reverse=True)
        return changes[: self.recent_count]


class SearchView(PublicMixin, generic.ListView):
    """Entities and events whose label or any public name has a word starting with the query.

    Matching compares the stored normalized keys (core.names), the same way on every
    database; ranking and ordering are done here, so results are identical everywhere.
    """

    template_name = "search.html"
    paginate_by = 25
    EXACT_LABEL, LABEL_WORD, EXACT_NAME, NAME_WORD = range(4)
    SUBJECTS = ((Entity, "entity"), (Event, "event"))

    def get_queryset(self):
        """(rank, label key, subject kind, pk) of every match, best first."""
        self.query = self.request.GET.get("q", "").strip()
        self.needle = f" {normalize(self.query)}"
        if not self.needle.strip():
            return []
        names = Claim.objects.public().names()
        hits = []
        for kind, (model, subject) in enumerate(self.SUBJECTS):
            matching = model.objects.public().filter(
                Q(label_key__contains=self.needle)
                | Exists(
                    names.filter(**{subject: OuterRef("pk"), "value_key__contains": self.needle})
                )
            )
            rows = matching.annotate(
                exact_name=Exists(
                    names.filter(**{subject: OuterRef("pk"), "value_key": self.needle})
                )
            ).values_list("pk", "label_key", "exact_name")
            for pk, label_key, exact_name in rows:
                if label_key == self.needle:
                    rank = self.EXACT_LABEL
                elif self.needle in label_key:
                    rank = self.LABEL_WORD
                else:
                    rank = self.EXACT_NAME if exact_name else self.NAME_WORD
                hits.append((rank, label_key, kind, pk))
        return sorted(hits)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        hits = context["object_list"]
        matching_names = Prefetch(
            "claims",
            queryset=shown_claims().names().filter(value_key__contains=self.needle),
            to_attr="matching_names",
        )
        subjects = [
            Entity.objects.public().prefetch_related(matching_names),
            Event.objects.public().prefetch_related(
                matching_names, Prefetch("claims", queryset=date_claims(), to_attr="date_claims")
            ),
        ]
        found = [
            queryset.in_bulk([pk for _, _, k, pk in hits if k == kind]) if hits else {}
            for kind, queryset in enumerate(subjects)
        ]
        context["results"] = [
            {
                "object": found[kind][pk],
                "is_event": kind == 1,
                # Say which name matched when the label did not.
                "matched_name": found[kind][pk].matching_names[0]
                if rank > self.LABEL_WORD
                else None,
            }
            for rank, _, kind, pk in hits
            if pk in found[kind]
        ]
        return context
