"""The shapes in which public records leave the database: plain dicts, the same for the read
API, the JSON Lines export and reconciliation's data extension.

A claim reads as a Wikidata user expects a statement to: a property, a value, a ``rank``,
``qualifiers`` (when it held, on whose word, which part) and ``references`` (the citations,
each with its passage and whether a reviewer has verified it). Dates are EDTF with their
earliest and latest days and the words the pages print. Only what pages show is shaped:
no internal note, no archived text, no editor's name.

Every function takes records the read model (``sources.reading``) dressed, so a claim brings
its property, subject, values and ``shown_citations`` with their sources.
"""

from django.conf import settings
from django.urls import reverse

from core import dates
from imports import exchange
from sources import reading
from sources.models import Claim, Datatype


def date(value):
    """An EDTF date with its bounds and its words; None when there is none."""
    if not value:
        return None
    earliest, latest = dates.bounds(value)
    return {
        "edtf": value,
        "earliest": earliest.isoformat() if earliest else None,
        "latest": latest.isoformat() if latest else None,
        "text": dates.humanize(value),
    }


def subject_type(subject):
    return subject._meta.model_name  # "entity" or "event"


def subject_ref(subject):
    """How a claim names an entity or an event: its type, slug, label and kind."""
    if subject is None:
        return None
    return {
        "type": subject_type(subject),
        "slug": subject.slug,
        "label": subject.label,
        "kind": subject.kind,
    }


def subject_summary(subject, request=None):
    """An entity or an event as a list shows it, with the addresses of its page and record."""
    type_ = subject_type(subject)
    return {
        **subject_ref(subject),
        "description": subject.description,
        "page_url": _absolute(request, subject.get_absolute_url()),
        "api_url": _absolute(request, reverse(f"api:{type_}", kwargs={"slug": subject.slug})),
        "updated_at": subject.updated_at,
    }


def event_summary(event, request=None):
    """An event as the timeline lists it: with its best public date."""
    date_claims = getattr(event, "date_claims", [])
    return {
        **subject_summary(event, request),
        "date": date(date_claims[0].value_date) if date_claims else None,
    }


def source(source, request=None):
    """A source's bibliographic record; its archived text stays in the database."""
    return {
        "id": source.pk,
        "key": exchange.source_key(source),
        "kind": source.kind,
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "published": date(source.published_on),
        "url": source.url,
        "archive_url": source.archive_url,
        "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
        "language": source.language,
        "reliability": {"grade": source.reliability, "label": source.get_reliability_display()},
        "page_url": _absolute(request, source.get_absolute_url()),
        "updated_at": source.updated_at,
    }


def reference(citation):
    """A citation: the source, where in it, the exact words, and whether they are verified."""
    cited = citation.source
    return {
        "source": {"id": cited.pk, "key": exchange.source_key(cited), "title": cited.title},
        "locator": citation.locator,
        "quote": citation.quote,
        "translation": citation.translation,
        "stance": citation.stance,
        "verified": citation.is_verified,
        "verified_on": citation.verified_at.date().isoformat() if citation.verified_at else None,
    }


def value(claim):
    """The claim's value in the form of its datatype; None for "unknown" and "no value"."""
    if claim.value_kind != Claim.ValueKind.VALUE:
        return None
    datatype = claim.property.datatype
    if datatype == Datatype.ENTITY:
        return subject_ref(claim.value_entity)
    if datatype == Datatype.EVENT:
        return subject_ref(claim.value_event)
    if datatype == Datatype.DATE:
        return date(claim.value_date)
    if datatype == Datatype.QUANTITY:
        return {
            "amount": _number(claim.value_quantity),
            "low": _number(claim.quantity_low),
            "high": _number(claim.quantity_high),
        }
    if datatype == Datatype.MONOLINGUAL:
        return {"text": claim.value_text, "language": claim.value_language}
    if datatype == Datatype.URL:
        return claim.value_url
    return claim.value_text


def qualifiers(claim):
    return {
        "start": date(claim.start),
        "end": date(claim.end),
        "point_in_time": date(claim.point_in_time),
        "according_to": subject_ref(claim.according_to),
        "statement": claim.statement,
        "part": claim.part,
        "text": "; ".join(t for t in (claim.on_whose_word(), claim.qualifiers_display()) if t),
    }


def claim(claim, verdict=None):
    """A public claim with its qualifiers and references; with its ``disputes.Verdict`` as
    its page weighs it (``reading.dispute_verdicts``), whether it is shown as disputed."""
    return {
        "id": claim.pk,
        "subject": subject_ref(claim.subject),
        "property": claim.property.code,
        "datatype": claim.property.datatype,
        "value_kind": claim.value_kind,
        "value": value(claim),
        "value_text": claim.value_display(),
        "rank": claim.rank,
        "rank_reason": claim.rank_reason if claim.rank != Claim.Rank.NORMAL else "",
        "disputed": verdict.shown == "disputed" if verdict else None,
        "dispute_open": verdict.open if verdict else None,
        "qualifiers": qualifiers(claim),
        "references": [reference(citation) for citation in claim.shown_citations],
        "note": claim.note if claim.note_is_public else "",
        "updated_at": claim.updated_at,
    }


def statements(claims):
    """A subject's claims grouped by property, in the order pages list them:
    [{property, values}], each weighed against the others as the page weighs it."""
    verdicts = reading.dispute_verdicts(claims, rivals=claims)
    groups = {}
    for one in claims:
        prop = one.property
        group = groups.setdefault(
            prop.pk,
            {
                "property": {"code": prop.code, "label": prop.label, "datatype": prop.datatype},
                "values": [],
            },
        )
        group["values"].append(claim(one, verdicts.get(one.pk)))
    return list(groups.values())


def best(claims):
    """The best values of each property (each part of a count apart) among ``claims`` of one
    subject (``reading.best``)."""
    by_property = {}
    for one in claims:
        by_property.setdefault((one.property_id, one.part), []).append(one)
    return [kept for group in by_property.values() for kept in reading.best(group)]


def subject_detail(subject, request=None, *, as_of=None):
    """An entity or an event with its statements and the claims of others that name it (those
    weighed against their own subject's claims now; not on a past day)."""
    detail = subject_summary(subject, request)
    if subject_type(subject) == "event":
        date_claims = getattr(subject, "date_claims", [])
        detail["date"] = date(date_claims[0].value_date) if date_claims else None
    detail["as_of"] = as_of.isoformat() if as_of else None
    detail["statements"] = statements(subject.own_claims)
    named_by = subject.pointing_claims
    verdicts = reading.dispute_verdicts(named_by) if as_of is None else {}
    detail["named_by"] = [claim(one, verdicts.get(one.pk)) for one in named_by]
    return detail


def _number(amount):
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _absolute(request, path):
    """The address of ``path`` as the request reached the site, or at ``SITE_URL``."""
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path
