"""The read API at /api/v1/: entities, events, sources and claims, read-only, from the same
read model as the pages (``sources.reading``) and in the shapes of ``api.shapes``.

Lists are paged in a stable order, by id, the cursor being the last id of the page before,
so a harvester that walks them while records are added neither skips nor repeats one.
Every answer carries an ETag and a conditional GET is answered 304, as the pages are.
Errors are JSON: a message and the parameter at fault.
"""

import datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import NinjaAPI, Query, Swagger
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import Field

from core.http import parse_as_of, public_page
from entities.models import Entity
from events.models import Event
from search import matcher
from sources import reading
from sources.models import Citation, Claim, Property, Source

from . import schemas, shapes

api = NinjaAPI(
    title="Armed groups database",
    version="1",
    description=(
        "The public records of the database, read-only: entities and events with their "
        "claims, each claim with its qualifiers and its references (source, locator, exact "
        "quote, verified or not). Only what the public pages show is here: published, cited "
        "claims about published subjects. Lists are paged by `cursor`; every answer has an "
        "ETag. Errors are JSON objects with a `message` and the `parameter` at fault."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
)

PAGE_SIZE = 50
LARGEST_PAGE = 500
ERRORS = {400: schemas.Message, 404: schemas.Message}
cached = decorate_view(public_page)


class BadParameter(Exception):
    def __init__(self, parameter, message):
        self.parameter, self.message = parameter, message
        super().__init__(message)


@api.exception_handler(BadParameter)
def bad_parameter(request, error):
    return api.create_response(
        request, {"message": error.message, "parameter": error.parameter}, status=400
    )


@api.exception_handler(ValidationError)
def invalid(request, error):
    first = error.errors[0]
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path")]
    parameter = where[0] if where else None
    message = first.get("msg", "Invalid value")
    return api.create_response(
        request,
        {"message": f"{parameter}: {message}" if parameter else message, "parameter": parameter},
        status=400,
    )


@api.exception_handler(Http404)
def not_found(request, error):
    message = str(error) or "Nothing is published at this address."
    return api.create_response(request, {"message": message, "parameter": None}, status=404)


def unknown_address(request, rest=""):
    """Any other address under /api/: a JSON 404 pointing at the documentation."""
    docs = reverse("api:openapi-view")
    return JsonResponse(
        {"message": f"No such address in the API; see {docs}", "parameter": None}, status=404
    )


# Filters and pages


# Text a parameter may hold: no control characters (PostgreSQL refuses NUL in any text).
TEXT = r"^[^\x00-\x1f]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"


class Paging(schemas.Schema):
    cursor: int = Field(
        0, ge=0, le=2**62, description="Where the page starts: take it from `next`."
    )
    page_size: int = Field(PAGE_SIZE, ge=1, le=LARGEST_PAGE)


Moment = Annotated[
    str | None,
    Field(
        None,
        max_length=40,
        json_schema_extra={"format": "date-time"},
        description="Only records changed at or after this moment (ISO 8601, e.g. "
        "2025-01-31T00:00:00Z; UTC when no offset is given).",
    ),
]


class SubjectFilters(Paging):
    name: str | None = Field(
        None,
        max_length=200,
        pattern=TEXT,
        description="Any of its names, however transliterated.",
    )
    updated_since: Moment


class EntityFilters(SubjectFilters):
    kind: schemas.EntityKind | None = None


class EventFilters(SubjectFilters):
    kind: schemas.EventKind | None = None


class ClaimFilters(Paging):
    subject: str | None = Field(
        None, max_length=255, pattern=SLUG, description="The slug of an entity or an event."
    )
    subject_type: Literal["entity", "event"] | None = Field(
        None, description="Whether ``subject`` is an entity's slug or an event's."
    )
    property: str | None = Field(
        None, max_length=64, pattern=SLUG, description="A property's code."
    )
    rank: schemas.Rank | None = None
    updated_since: Moment


def page(request, queryset, filters):
    """A page of ``queryset`` in id order after the cursor, and the next page's address.

    The cursor is the last id of the page before: ids only grow, so a harvester walking
    the pages while records are added neither skips nor repeats one."""
    rows = list(queryset.filter(pk__gt=filters.cursor).order_by("pk")[: filters.page_size + 1])
    following = None
    if len(rows) > filters.page_size:
        rows = rows[: filters.page_size]
        query = request.GET.copy()
        query["cursor"] = rows[-1].pk
        following = request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")
    return rows, following


def _since(text):
    try:
        moment = parse_datetime(text)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        # In UTC, as the database compares it; a moment off the calendar's ends fails here.
        moment = moment.astimezone(datetime.UTC) if moment is not None else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise BadParameter(
            "updated_since", f"“{text}” is not a moment; write it as 2025-01-31T00:00:00Z."
        )
    return moment


def _named(queryset, name, type_):
    pks = [match.pk for match in matcher.find(name, types=(type_,))]
    return queryset.filter(pk__in=pks)


def _subjects(queryset, filters, type_):
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=_since(filters.updated_since))
    if filters.name:
        queryset = _named(queryset, filters.name, type_)
    return queryset


AsOf = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Read it as it was published at the end of this day (YYYY-MM-DD, not "
        "after today).",
    ),
]


def _as_of(value):
    try:
        return parse_as_of(value)
    except ValueError as error:
        raise BadParameter("as_of", str(error)) from None


@api.get("/", include_in_schema=False, url_name="index")
def index(request):
    """Where to start: the documentation, the schema and the lists."""
    lists = ("entities", "events", "sources", "claims")
    return {
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        **{name: request.build_absolute_uri(reverse(f"api:{name}")) for name in lists},
    }


# Entities


@api.api_operation(
    ["GET", "HEAD"], "/entities", response={200: schemas.Entities, **ERRORS}, url_name="entities"
)
@cached
def entities(request, filters: Query[EntityFilters]):
    """Public entities in id order; filter by kind, by name, by time of change."""
    rows, following = page(request, _subjects(Entity.objects.public(), filters, "entity"), filters)
    return {"next": following, "results": [shapes.subject_summary(e, request) for e in rows]}


@api.api_operation(
    ["GET", "HEAD"],
    "/entities/{slug:slug}",
    response={200: schemas.SubjectDetail, 301: None, **ERRORS},
    url_name="entity",
)
@cached
def entity(request, slug: str, as_of: AsOf = None):
    """An entity with its statements (per property: values, rank, qualifiers, references) and
    the claims that name it; as it was published at the end of a day with ``as_of``. A merged
    entity's slug redirects to the entity it was merged into."""
    day = _as_of(as_of)
    state = reading.PastState(day) if day else None
    if state:
        found = state.entity(slug)
    else:
        found = reading.entities_with_claims().filter(slug=slug).first()
    if found is None:
        survivor = reading.merge_survivor(slug, state=state)
        if survivor is None:
            raise Http404(f"No public entity has the slug “{slug}”.")
        target = reverse("api:entity", kwargs={"slug": survivor.slug})
        return HttpResponsePermanentRedirect(target + (f"?as_of={day}" if day else ""))
    return shapes.subject_detail(found, request, as_of=day)


# Events


@api.api_operation(
    ["GET", "HEAD"], "/events", response={200: schemas.Events, **ERRORS}, url_name="events"
)
@cached
def events(request, filters: Query[EventFilters]):
    """Public events in id order, each with its best date; filter by kind, name, change."""
    queryset = _subjects(Event.objects.public(), filters, "event")
    rows, following = page(request, queryset.prefetch_related(reading.event_dates()), filters)
    return {"next": following, "results": [shapes.event_summary(e, request) for e in rows]}


@api.api_operation(
    ["GET", "HEAD"],
    "/events/{slug:slug}",
    response={200: schemas.SubjectDetail, **ERRORS},
    url_name="event",
)
@cached
def event(request, slug: str, as_of: AsOf = None):
    """An event with its statements and the claims that name it; ``as_of`` as for entities."""
    day = _as_of(as_of)
    if day:
        found = reading.PastState(day).event(slug)
    else:
        found = reading.events_with_claims().filter(slug=slug).first()
    if found is None:
        raise Http404(f"No public event has the slug “{slug}”.")
    return shapes.subject_detail(found, request, as_of=day)


# Sources


@api.api_operation(
    ["GET", "HEAD"], "/sources", response={200: schemas.Sources, **ERRORS}, url_name="sources"
)
@cached
def sources(request, filters: Query[Paging]):
    """The sources that public claims cite, in id order."""
    rows, following = page(request, Source.objects.public(), filters)
    return {"next": following, "results": [shapes.source(s, request) for s in rows]}


@api.api_operation(
    ["GET", "HEAD"],
    "/sources/{int:source_id}",
    response={200: schemas.SourceOut, **ERRORS},
    url_name="source",
)
@cached
def source(request, source_id: int):
    """A source's bibliographic record and its reliability grade."""
    found = Source.objects.public().filter(pk=source_id).first()
    if found is None:
        raise Http404(f"No public source has the id {source_id}.")
    return shapes.source(found, request)


# Claims


@api.api_operation(
    ["GET", "HEAD"], "/claims", response={200: schemas.Claims, **ERRORS}, url_name="claims"
)
@cached
def claims(request, filters: Query[ClaimFilters]):
    """Public claims in id order, each with its citations; filter by subject, property, rank
    and time of change."""
    queryset = Claim.objects.shown()
    if filters.subject:
        types = [filters.subject_type] if filters.subject_type else ["entity", "event"]
        subject = Q()
        for type_ in types:
            subject |= Q(**{f"{type_}__slug": filters.subject})
        if not queryset.filter(subject).exists():
            models = {"entity": Entity, "event": Event}
            known = any(
                models[type_].objects.public().filter(slug=filters.subject).exists()
                for type_ in types
            )
            if not known:
                raise BadParameter(
                    "subject", f"No public entity or event has the slug “{filters.subject}”."
                )
        queryset = queryset.filter(subject)
    if filters.property:
        if not Property.objects.filter(code=filters.property).exists():
            raise BadParameter("property", f"“{filters.property}” is no property's code.")
        queryset = queryset.filter(property__code=filters.property)
    if filters.rank:
        queryset = queryset.filter(rank=filters.rank)
    if filters.updated_since is not None:
        since = _since(filters.updated_since)
        cited_since = Citation.objects.filter(
            Q(updated_at__gte=since) | Q(source__updated_at__gte=since), claim=OuterRef("pk")
        )
        changed = Q(updated_at__gte=since) | Exists(cited_since)
        # A claim also reads otherwise when what it names changes (or is published).
        for related in ("entity", "event", "value_entity", "value_event", "according_to"):
            changed |= Q(**{f"{related}__updated_at__gte": since})
        queryset = queryset.filter(changed)
    rows, following = page(request, queryset, filters)
    verdicts = reading.dispute_verdicts(rows)
    return {"next": following, "results": [shapes.claim(c, verdicts.get(c.pk)) for c in rows]}
