"""Organizations, people and their memberships in Popolo JSON (popoloproject.com), the
shape parliamentary and security-force datasets share.

Leaders (an organization's ``leader`` claims) and members (a person's ``member_of`` claims)
become memberships with their dates and the sources behind them. Only public claims count,
and never a deprecated one; the other names are the public name claims. Dates are given as
Popolo writes them (2014, 2014-09, 2014-09-18); an uncertain or approximate EDTF date is
written as its earliest day for a start and its latest for an end.
"""

import re

from django.conf import settings
from django.db.models import Q

from api import shapes
from entities.models import Entity
from sources.models import Citation, Claim

from . import tables

POPOLO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
LIFE = {
    Entity.Kind.ORGANIZATION: {"inception": "founding_date", "dissolution": "dissolution_date"},
    Entity.Kind.PERSON: {"date_of_birth": "birth_date", "date_of_death": "death_date"},
}
LIFE_CODES = [code for fields in LIFE.values() for code in fields]
# (property, which side is the person, the role)
MEMBERSHIPS = {"leader": ("value", "leader"), "member_of": ("subject", "member")}


def organizations():
    return _records(Entity.Kind.ORGANIZATION)


def persons():
    return _records(Entity.Kind.PERSON)


def memberships():
    """Leaders and members, from the claims that say so, with their supporting sources."""
    claims = (
        Claim.objects.shown()
        .prefetch_related(None)
        .filter(property__code__in=MEMBERSHIPS, value_kind=Claim.ValueKind.VALUE)
        .exclude(rank=Claim.Rank.DEPRECATED)
        .order_by("pk")
    )
    citations = Citation.objects.filter(Citation.SUPPORTING).select_related("source")
    chunks = tables.in_chunks(
        claims, citations, "claim_id", "shown_citations", dress=tables.Weigher()
    )
    for claim in chunks:
        membership = _membership(claim)
        if membership is not None:
            yield membership


# The parts of the document, each written as it is read.
SECTIONS = {"organizations": organizations, "persons": persons, "memberships": memberships}


def document():
    """The whole Popolo document, in memory: {"organizations", "persons", "memberships"}."""
    return {name: list(records()) for name, records in SECTIONS.items()}


def _records(kind):
    entities = Entity.objects.public().filter(kind=kind).order_by("slug")
    wanted = Q(property__is_name=True) | Q(property__code__in=LIFE_CODES)
    claims = (
        Claim.objects.shown()
        .prefetch_related(None)
        .filter(wanted)
        .exclude(rank=Claim.Rank.DEPRECATED)
        .order_by("pk")
    )
    for entity in tables.in_chunks(entities, claims, "entity_id", "popolo_claims"):
        yield _record(entity, entity.popolo_claims)


def _record(entity, claims):
    record = {
        "id": entity.slug,
        "name": entity.label,
        "other_names": [
            {"name": claim.value_text, "lang": claim.value_language, "note": claim.property.label}
            for claim in claims
            if claim.property.is_name and claim.value_text != entity.label
        ],
        "identifiers": [{"scheme": "slug", "identifier": entity.slug}],
        "links": [{"url": _absolute(entity.get_absolute_url()), "note": "page"}],
    }
    if entity.description:
        record["summary" if entity.kind == Entity.Kind.PERSON else "description"] = (
            entity.description
        )
    life, days = LIFE[entity.kind], {}
    for claim in shapes.best(claims):
        field = life.get(claim.property.code)
        if field and claim.value_kind == Claim.ValueKind.VALUE:
            end = field in ("dissolution_date", "death_date")
            days.setdefault(field, set()).add(_date(claim.value_date, end=end))
    # A date the best claims disagree on is left out, as is one with no day to give.
    for field, found in days.items():
        if len(found) == 1 and (day := found.pop()):
            record[field] = day
    return record


def _membership(claim):
    code = claim.property.code
    if code not in MEMBERSHIPS or claim.value_kind != Claim.ValueKind.VALUE:
        return None
    side, role = MEMBERSHIPS[code]
    person, organization = (
        (claim.value_entity, claim.entity)
        if side == "value"
        else (claim.entity, claim.value_entity)
    )
    if person.kind != Entity.Kind.PERSON or organization.kind != Entity.Kind.ORGANIZATION:
        return None
    membership = {
        "id": f"claim-{claim.pk}",
        "person_id": person.slug,
        "organization_id": organization.slug,
        "role": role,
        "sources": [
            {
                "url": citation.source.url or _absolute(citation.source.get_absolute_url()),
                "note": ", ".join(p for p in (citation.source.title, citation.locator) if p),
                "quote": citation.quote,
            }
            for citation in claim.shown_citations
        ],
    }
    for field, edtf, end in (("start_date", claim.start, False), ("end_date", claim.end, True)):
        if day := _date(edtf, end=end):
            membership[field] = day
    disputed = claim.verdict is not None and claim.verdict.shown == "disputed"
    if claim.rank == Claim.Rank.PREFERRED or disputed:
        membership["note"] = "disputed" if disputed else "preferred"
    return membership


def _date(edtf, *, end):
    """A Popolo date for an EDTF one: as it is when Popolo can say it, else its earliest
    (for an end, latest) day; "" for none, or an open end."""
    if not edtf or POPOLO_DATE.match(edtf):
        return edtf or ""
    shaped = shapes.date(edtf)
    return shaped["latest" if end else "earliest"] or ""


def _absolute(path):
    return settings.SITE_URL + path
