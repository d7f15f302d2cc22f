"""The rows of the exported tables, read from the public records a chunk at a time.

Each function yields plain rows (dicts of text) and never holds more than a chunk of records:
a database of a million claims exports in the memory of a few thousand. Everything starts
from the publication rule (``public()``, ``Claim.objects.shown()``).

``claim_rows`` writes the import's exchange format (``imports.exchange.COLUMNS``), one row per
citation, so that an export imports back.
"""

import itertools

from django.db.models import Exists, F, OuterRef, Q

from api import shapes
from entities.models import Entity
from events.models import Event
from imports import exchange, references
from sources import reading
from sources.models import Citation, Claim, Datatype, Source

CHUNK = 2000

ENTITY_COLUMNS = ("slug", "label", "kind", "description", "updated_at")
EVENT_COLUMNS = ("slug", "label", "kind", "description", "date", "updated_at")
# The columns of the sources file the import reads.
SOURCE_COLUMNS = references.SOURCE_COLUMNS
CITATION_COLUMNS = (
    "claim",
    "subject",
    "subject_type",
    "property",
    "source",
    "locator",
    "quote",
    "translation",
    "stance",
    "verified",
    "verified_on",
)


def public_entities():
    return Entity.objects.public().order_by("slug").iterator(chunk_size=CHUNK)


def public_events():
    """Public events, by slug, with their public date claims (``date_claims``)."""
    dates = Claim.objects.public().event_dates()
    return in_chunks(Event.objects.public().order_by("slug"), dates, "event_id", "date_claims")


def public_sources():
    return Source.objects.public().order_by("pk").iterator(chunk_size=CHUNK)


def entities():
    """Public entities, by slug."""
    for entity in public_entities():
        yield _subject_row(entity)


def events():
    """Public events, by slug, each with its best public date."""
    for event in public_events():
        date = event.date_claims[0].value_date if event.date_claims else ""
        yield {**_subject_row(event), "date": date}


def _subject_row(subject):
    return {
        "slug": subject.slug,
        "label": subject.label,
        "kind": subject.kind,
        "description": subject.description,
        "updated_at": subject.updated_at.isoformat(),
    }


def sources():
    """The sources public claims cite, as a sources file of the import reads them."""
    for source in public_sources():
        yield {
            "key": exchange.source_key(source),
            "kind": source.kind,
            "title": source.title,
            "author": source.author,
            "publisher": source.publisher,
            "published": source.published_on,
            "url": source.url,
            "archive_url": source.archive_url,
            "accessed": source.accessed_on.isoformat() if source.accessed_on else "",
            "language": source.language,
            "reliability": source.reliability,
        }


def claims(*, best=False, weighed=False):
    """Public claims with their citations, by subject and property in the order pages list
    them; with ``best``, only the best values of each property of each subject, chosen in
    the database as ``sources.reading.best`` chooses them in memory. With ``weighed``, each
    has the ``verdict`` its page gives it (``sources.reading.dispute_verdicts``)."""
    shown = Claim.objects.shown()
    if best:
        preferred = Claim.objects.public().filter(
            property=OuterRef("property"), part=OuterRef("part"), rank=Claim.Rank.PREFERRED
        )
        # One condition per kind of subject, so that each is looked up by its index.
        outranked = (
            Q(entity__isnull=False) & Exists(preferred.filter(entity=OuterRef("entity")))
        ) | (Q(event__isnull=False) & Exists(preferred.filter(event=OuterRef("event"))))
        shown = shown.filter(Q(rank=Claim.Rank.PREFERRED) | Q(rank=Claim.Rank.NORMAL) & ~outranked)
    ordered = shown.order_by(
        F("entity_id").asc(nulls_first=True),
        F("event_id").asc(nulls_first=True),
        "property__display_order",
        "property__code",
        "part",
        "rank_position",
        "pk",
    )
    citations = Citation.objects.select_related("source").order_by("pk")
    dress = Weigher() if weighed else None
    return in_chunks(
        ordered.prefetch_related(None), citations, "claim_id", "shown_citations", dress=dress
    )


class Weigher:
    """Gives each claim of a chunk the ``verdict`` its page gives it. Claims come grouped by
    subject and property, so only the group that runs on from one chunk into the next is
    met twice: it is weighed once."""

    def __init__(self):
        self.last, self.verdicts = None, {}

    def __call__(self, chunk):
        continued = [claim for claim in chunk if _group(claim) == self.last]
        kept = self.verdicts if continued else {}
        fresh = [claim for claim in chunk if _group(claim) != self.last]
        self.verdicts = {**kept, **reading.dispute_verdicts(fresh)} if fresh else kept
        self.last = _group(chunk[-1])
        for claim in chunk:
            claim.verdict = self.verdicts.get(claim.pk)


def _group(claim):
    return claim.entity_id, claim.event_id, claim.property_id


def in_chunks(queryset, related, key, attr, *, dress=None):
    """The rows of ``queryset`` a chunk at a time, each with its ``related`` rows (those whose
    ``key`` is its id) as ``attr``; ``dress``, if given, is called with each chunk.

    A prefetch would do the same, but it links each related row back to its record, and
    such cycles are freed only by the garbage collector, so memory would grow with the
    database; here each chunk is freed once it has been written.
    """
    rows = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        found = {}
        for item in related.filter(**{f"{key}__in": [row.pk for row in chunk]}):
            found.setdefault(getattr(item, key), []).append(item)
        for row in chunk:
            setattr(row, attr, found.get(row.pk, []))
        if dress is not None:
            dress(chunk)
        yield from chunk


def claim_rows(*, best=False):
    """The exchange format: one row per citation of each public claim."""
    for claim in claims(best=best):
        fields = _claim_cells(claim)
        for citation in claim.shown_citations:
            yield {
                **fields,
                "source": exchange.source_key(citation.source),
                "locator": citation.locator,
                "quote": citation.quote,
                "translation": citation.translation,
                "stance": citation.stance,
            }


def citation_rows():
    """One row per citation of a public claim, with whether a reviewer verified it."""
    for claim in claims():
        for citation in claim.shown_citations:
            yield {
                "claim": str(claim.pk),
                "subject": claim.subject.slug,
                "subject_type": shapes.subject_type(claim.subject),
                "property": claim.property.code,
                "source": exchange.source_key(citation.source),
                "locator": citation.locator,
                "quote": citation.quote,
                "translation": citation.translation,
                "stance": citation.stance,
                "verified": "true" if citation.is_verified else "false",
                "verified_on": citation.verified_at.date().isoformat()
                if citation.verified_at
                else "",
            }


def _claim_cells(claim):
    datatype = claim.property.datatype
    cells = dict.fromkeys(exchange.COLUMNS, "")
    cells.update(
        subject=claim.subject.slug,
        subject_type=shapes.subject_type(claim.subject),
        subject_kind=claim.subject.kind,
        property=claim.property.code,
        part=claim.part,
        start=claim.start,
        end=claim.end,
        point_in_time=claim.point_in_time,
        according_to=claim.according_to.slug if claim.according_to else "",
        statement=claim.statement,
        rank=claim.rank,
        rank_reason=claim.rank_reason if claim.rank != Claim.Rank.NORMAL else "",
    )
    if claim.note_is_public and claim.note:
        cells.update(note=claim.note, note_public=exchange.PUBLIC)
    if claim.value_kind == Claim.ValueKind.UNKNOWN:
        cells["value"] = exchange.UNKNOWN_VALUE
    elif claim.value_kind == Claim.ValueKind.NONE:
        cells["value"] = exchange.NO_VALUE
    elif datatype == Datatype.ENTITY:
        cells["value"] = claim.value_entity.slug
    elif datatype == Datatype.EVENT:
        cells["value"] = claim.value_event.slug
    elif datatype == Datatype.DATE:
        cells["value"] = claim.value_date
    elif datatype == Datatype.QUANTITY:
        cells.update(
            value=_number(claim.value_quantity),
            low=_number(claim.quantity_low),
            high=_number(claim.quantity_high),
        )
    elif datatype == Datatype.URL:
        cells["value"] = claim.value_url
    else:
        cells.update(value=claim.value_text, language=claim.value_language)
    return cells


def _number(amount):
    return "" if amount is None else format(amount.normalize(), "f")
