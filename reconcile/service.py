"""The reconciliation service: what OpenRefine and other clients of the W3C Entity
Reconciliation API (version 0.2) are answered. The views read the request and write the
response; everything here works on plain values.

Candidates are found by the one matcher (``search.matcher``), among public entities only,
and everything said about them comes from public claims (``Claim.objects.public()``).

How a candidate is scored, from 0 to 100:

- by how its best name matched the query (``TIER_SCORES``): the whole name 100, every word of
  the query a word of the name 90, words that start words of the name 75, a tolerant match
  (as transliteration or a slip may spell it) 60; less ``SPARE_PENALTY`` for each word of
  the name the query left unmatched, for at most ``MOST_SPARE`` of them;
- then, for each property constraint of the query, more when one of the candidate's best
  values of that property is the value asked for (``AGREES``), less when it has no such value
  (``SILENT``), less still when it has values and none is that one (``DIFFERS``).

A candidate is a sure ``match`` only when it is the one candidate whose whole name (once
normalized) is the query, and no constraint finds it a different value.
"""

import dataclasses
import datetime
import decimal
import json
import re

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from core import dates
from core.names import normalize
from entities.models import Entity
from search import matcher
from search.matcher import Tier
from sources import disputes, reading
from sources.models import Claim, Datatype, Property

NAME = "Armed groups database"
TYPES = dict(Entity.Kind.choices)
LONGEST_QUERY = 200
DEFAULT_LIMIT, MOST_RESULTS = 5, 25
# Queries in one batch and records in one extension; OpenRefine sends ten at a time.
LARGEST_BATCH = 100
MOST_IDS = 500
SUGGESTIONS = 10

TIER_SCORES = {Tier.EXACT: 100, Tier.WORDS: 90, Tier.PREFIX: 75, Tier.TOLERANT: 60}
SPARE_PENALTY, MOST_SPARE = 5, 3
AGREES, SILENT, DIFFERS = 10, -5, -20

# What a preview shows beside the label and description, in this order.
PREVIEW_PROPERTIES = ("native_name", "inception", "dissolution", "country", "allegiance")

ENTITY_PROPERTIES = Q(applies_to__in=[Property.AppliesTo.ENTITY, Property.AppliesTo.ANY])
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class BadRequest(Exception):
    """A request the service cannot read: ``message`` says what is wrong with ``parameter``."""

    def __init__(self, message, parameter):
        super().__init__(message)
        self.message, self.parameter = message, parameter


# The service's description


def manifest(absolute):
    """The service manifest; ``absolute`` turns a path into a URL of this site."""
    service = reverse("reconcile:service")

    def endpoint(name):
        return {"service_url": absolute(service), "service_path": reverse(name)[len(service) :]}

    return {
        "versions": ["0.2"],
        "name": NAME,
        "identifierSpace": absolute(reverse("entities:list")),
        "schemaSpace": absolute(reverse("api:index")),
        "view": {"url": absolute(reverse("entities:list")) + "{{id}}/"},
        "defaultTypes": types(),
        "preview": {
            "url": absolute(reverse("reconcile:preview")) + "?id={{id}}",
            "width": 430,
            "height": 300,
        },
        "suggest": {
            "entity": endpoint("reconcile:suggest-entity"),
            "type": endpoint("reconcile:suggest-type"),
            "property": endpoint("reconcile:suggest-property"),
        },
        "extend": {
            "propose_properties": endpoint("reconcile:propose-properties"),
            "property_settings": [],
        },
    }


def types():
    """One type per kind of entity."""
    return [{"id": kind, "name": label} for kind, label in TYPES.items()]


# Reconciliation


@dataclasses.dataclass
class Query:
    """One query of a batch, as read from the request."""

    key: str
    text: str
    kinds: tuple = ()
    limit: int = DEFAULT_LIMIT
    constraints: list = dataclasses.field(default_factory=list)  # (property code, [values])


def read_queries(text):
    """The batch of queries in the ``queries`` parameter, as ``Query`` s; BadRequest naming
    what is wrong when it cannot be read."""
    batch = _json(text, "queries")
    if not isinstance(batch, dict):
        raise BadRequest("queries must be a JSON object of queries by key.", "queries")
    if len(batch) > LARGEST_BATCH:
        raise BadRequest(f"Send at most {LARGEST_BATCH} queries at a time.", "queries")
    return [_read_query(key, query) for key, query in batch.items()]


def _read_query(key, query):
    def bad(message):
        return BadRequest(f"Query “{key}”: {message}", "queries")

    if not isinstance(query, dict):
        raise bad("each query must be an object.")
    text = query.get("query", "")
    if not isinstance(text, str):
        raise bad("“query” must be a string.")
    if len(text) > LONGEST_QUERY:
        raise bad(f"“query” must be at most {LONGEST_QUERY} characters.")
    limit = query.get("limit")
    if limit is None:
        limit = DEFAULT_LIMIT
    elif isinstance(limit, bool) or not isinstance(limit, int | float) or not 1 <= limit < 1e9:
        raise bad("“limit” must be a positive number.")
    limit = int(limit)
    kinds = query.get("type")
    kinds = [] if kinds is None else [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise bad("“type” must be a type id or a list of them.")
    unknown = [kind for kind in kinds if kind not in TYPES]
    if unknown:
        raise bad(f"unknown type “{unknown[0]}”; the types are {', '.join(TYPES)}.")
    properties = query.get("properties") or []
    if not isinstance(properties, list):
        raise bad("“properties” must be a list of {pid, v} objects.")
    constraints = []
    for constraint in properties:
        if not isinstance(constraint, dict) or not isinstance(constraint.get("pid"), str):
            raise bad("each property must be an object with a string “pid”.")
        values = _read_values(constraint.get("v"), bad)
        if values:
            constraints.append((constraint["pid"], values))
    return Query(str(key), text, tuple(kinds), min(limit, MOST_RESULTS), constraints)


def _read_values(value, bad):
    """The values a constraint asks for: strings, numbers and ``{"id": slug}`` objects."""
    values = value if isinstance(value, list) else [value]
    read = []
    for item in values:
        if item is None or item == "":
            continue
        if isinstance(item, dict):
            if not isinstance(item.get("id"), str):
                raise bad("a property value given as an object must have a string “id”.")
            read.append({"id": item["id"]})
        elif isinstance(item, str) and len(item) > LONGEST_QUERY:
            raise bad(f"a property value must be at most {LONGEST_QUERY} characters.")
        elif isinstance(item, bool):
            read.append("true" if item else "false")
        elif isinstance(item, str | int | float):
            read.append(item)
        else:
            raise bad(
                "a property value must be a string, a number, a boolean or an object with an “id”."
            )
    return read


def reconcile(queries):
    """The answer to a batch of ``Query`` s: each query's candidates, best first."""
    codes = {code for query in queries for code, _ in query.constraints}
    properties = {
        prop.code: prop
        for prop in Property.objects.filter(ENTITY_PROPERTIES, code__in=_slugs(codes))
    }
    values = _ValueReader()
    return {query.key: {"result": _candidates(query, properties, values)} for query in queries}


def _candidates(query, properties, values):
    """One query's candidates as the API writes them, best first, at most ``query.limit``."""
    kind = query.kinds[0] if len(query.kinds) == 1 else ""
    matches = matcher.find(query.text, public=True, types=("entity",), kind=kind)
    matches = [match for match in matches if not query.kinds or match.kind in query.kinds]
    constraints = [
        (properties[code], wanted) for code, wanted in query.constraints if code in properties
    ]
    best = best_claims([match.pk for match in matches], [prop for prop, _ in constraints])
    scored = sorted(
        (-score, position, match, differs)
        for position, match in enumerate(matches)
        for score, differs in [_score(match, constraints, best, values)]
    )
    exact = [match for match in matches if match.tier == Tier.EXACT]
    sure = exact[0].pk if len(exact) == 1 else None

    shown = scored[: query.limit]
    entities = Entity.objects.public().in_bulk([match.pk for _, _, match, _ in shown])
    result = []
    for negative_score, _, match, differs in shown:
        entity = entities.get(match.pk)
        if entity is None:
            continue
        result.append(
            {
                "id": entity.slug,
                "name": entity.label,
                "type": [{"id": entity.kind, "name": TYPES[entity.kind]}],
                "score": max(0, min(100, -negative_score)),
                "match": match.pk == sure and not differs,
                "description": entity.description,
            }
        )
    return result


def _score(match, constraints, best, values):
    """A match's score before it is held between 0 and 100, and whether a constraint found
    it a different value."""
    score, differs = name_score(match), False
    for prop, wanted in constraints:
        found = [
            claim
            for claim in best.get((match.pk, prop.pk), [])
            if claim.value_kind == Claim.ValueKind.VALUE
        ]
        agrees = any(values.agrees(claim, wanted) for claim in found)
        differs = differs or bool(found and not agrees)
        score += AGREES if agrees else DIFFERS if found else SILENT
    return score, differs


def name_score(match):
    """How well a match's best name matched the query, from ``TIER_SCORES``."""
    return TIER_SCORES.get(match.tier, 0) - SPARE_PENALTY * min(match.spare, MOST_SPARE)


class _ValueReader:
    """Tells whether a claim's value is one a constraint asks for; remembers, for one batch,
    which entities each name given as a value stands for."""

    def __init__(self):
        self.named = {}

    def agrees(self, claim, wanted):
        return any(self._same(claim, value) for value in wanted)

    def _same(self, claim, value):
        datatype = claim.datatype
        if datatype in (Datatype.ENTITY, Datatype.EVENT):
            target = claim.value_entity if datatype == Datatype.ENTITY else claim.value_event
            if isinstance(value, dict):
                return target.slug == value["id"]
            if target.slug == str(value) or normalize(target.label) == normalize(str(value)):
                return True
            return datatype == Datatype.ENTITY and target.pk in self.entities_named(str(value))
        if isinstance(value, dict):
            return False
        if datatype == Datatype.DATE:
            # As disputes compare dates: "2014" and "September 2014" can be the same day.
            asked = _edtf(str(value))
            return asked is not None and disputes.overlap(_days(claim.value_date), _days(asked))
        if datatype == Datatype.QUANTITY:
            number = _number(value)
            if number is None:
                return False
            low = claim.quantity_low if claim.quantity_low is not None else claim.value_quantity
            high = claim.quantity_high if claim.quantity_high is not None else claim.value_quantity
            return low <= number <= high
        return normalize(str(claim.value)) == normalize(str(value))

    def entities_named(self, text):
        """The public entities that a name given as a value best matches: those of the
        matcher's first tier with the fewest spare words."""
        if text not in self.named:
            matches = matcher.find(text, public=True, types=("entity",))
            closest = (matches[0].tier, matches[0].spare) if matches else None
            self.named[text] = {m.pk for m in matches if (m.tier, m.spare) == closest}
        return self.named[text]


def _days(edtf):
    earliest, latest = dates.bounds(edtf)
    return earliest or datetime.date.min, latest or datetime.date.max


def _edtf(text):
    try:
        return dates.to_edtf(text)
    except ValidationError:
        return text.strip()


def _number(value):
    try:
        number = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        return None
    return number if number.is_finite() else None


# What the service says about entities


def best_claims(entity_ids, properties):
    """{(entity pk, property pk): claims} of the public claims about these entities of these
    properties that stand for their property (``best``); counts of a part are left out."""
    if not entity_ids or not properties:
        return {}
    claims = (
        Claim.objects.public()
        .filter(entity__in=entity_ids, property__in=properties, part="")
        .select_related("property", "value_entity", "value_event")
        .by_rank()
    )
    grouped = {}
    for claim in claims:
        grouped.setdefault((claim.entity_id, claim.property_id), []).append(claim)
    return {key: reading.best(group) for key, group in grouped.items()}


def preview(slug):
    """The public entity at ``slug`` with ``facts``, (property, claims) for the
    ``PREVIEW_PROPERTIES`` it has; None if there is none."""
    entity = Entity.objects.public().filter(slug=slug).first() if _SLUG.match(slug) else None
    if entity is None:
        return None
    properties = sorted(
        Property.objects.filter(code__in=PREVIEW_PROPERTIES),
        key=lambda prop: PREVIEW_PROPERTIES.index(prop.code),
    )
    found = best_claims([entity.pk], properties)
    entity.facts = []
    for prop in properties:
        claims = [
            claim
            for claim in found.get((entity.pk, prop.pk), [])
            if claim.value_kind == Claim.ValueKind.VALUE
        ]
        if claims:
            entity.facts.append((prop, claims))
    return entity


# Suggest


def suggest_entities(prefix, *, kind="", cursor=0):
    """Public entities the matcher finds for what has been typed so far, best first."""
    matches = matcher.find(prefix, public=True, types=("entity",), kind=kind)
    page = [match.pk for match in matches[cursor : cursor + SUGGESTIONS]]
    entities = Entity.objects.public().in_bulk(page)
    return {
        "result": [
            {"id": entity.slug, "name": entity.label, "description": entity.description}
            for entity in (entities.get(pk) for pk in page)
            if entity is not None
        ]
    }


def suggest_types(prefix):
    """The kinds of entity whose name or id has a word starting with ``prefix``."""
    return {
        "result": [
            {"id": kind, "name": label}
            for kind, label in TYPES.items()
            if _starts_a_word(prefix, label, kind)
        ]
    }


def suggest_properties(prefix):
    """The properties of entities whose label or code has a word starting with ``prefix``."""
    return {
        "result": [
            {"id": prop.code, "name": prop.label, "description": prop.description}
            for prop in Property.objects.filter(ENTITY_PROPERTIES)
            if _starts_a_word(prefix, prop.label, prop.code)
        ]
    }


def _starts_a_word(prefix, *texts):
    wanted = normalize(prefix)
    if not wanted:
        return True
    return any(
        name.startswith(wanted) or any(word.startswith(wanted) for word in name.split())
        for name in (normalize(text) for text in texts)
    )


# Data extension


def propose_properties(kind, limit=None):
    """The properties a column of entities (of one ``kind``, or any) can be extended with."""
    if kind and kind not in TYPES:
        raise BadRequest(f"Unknown type “{kind}”; the types are {', '.join(TYPES)}.", "type")
    properties = [
        {"id": prop.code, "name": prop.label} for prop in Property.objects.filter(ENTITY_PROPERTIES)
    ]
    answer = {"type": kind, "properties": properties[:limit]}
    if limit is not None:
        answer["limit"] = limit
    return answer


def read_extension(text):
    """The ``extend`` parameter as (ids, property codes); BadRequest when it cannot be read."""
    request = _json(text, "extend")
    if not isinstance(request, dict):
        raise BadRequest("extend must be a JSON object with “ids” and “properties”.", "extend")
    ids, properties = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(pk, str) for pk in ids):
        raise BadRequest("“ids” must be a list of entity ids.", "extend")
    if len(ids) > MOST_IDS:
        raise BadRequest(f"Ask for at most {MOST_IDS} ids at a time.", "extend")
    if not isinstance(properties, list) or not all(
        isinstance(prop, dict) and isinstance(prop.get("id"), str) for prop in properties
    ):
        raise BadRequest("“properties” must be a list of objects with a string “id”.", "extend")
    return ids, [prop["id"] for prop in properties]


def extend(ids, codes):
    """The best public values of these properties for these entities: the ``meta`` of each
    property asked for and a row of values for each id asked for (empty when unknown)."""
    entities = {
        entity.slug: entity.pk
        for entity in Entity.objects.public().filter(slug__in=_slugs(ids)).only("pk", "slug")
    }
    properties = {
        prop.code: prop
        for prop in Property.objects.filter(ENTITY_PROPERTIES, code__in=_slugs(codes))
    }
    found = best_claims(list(entities.values()), list(properties.values()))
    kinds = _value_kinds([prop for prop in properties.values() if prop.datatype == "entity"])
    meta = []
    for code in codes:
        prop = properties.get(code)
        column = {"id": code, "name": prop.label if prop else code}
        if prop is not None and prop.pk in kinds:
            column["type"] = {"id": kinds[prop.pk], "name": TYPES[kinds[prop.pk]]}
        meta.append(column)
    rows = {}
    for slug in ids:
        row = rows[slug] = {}
        for code in codes:
            prop = properties.get(code)
            claims = found.get((entities.get(slug), prop.pk), []) if prop else []
            row[code] = [
                cell(claim) for claim in claims if claim.value_kind == Claim.ValueKind.VALUE
            ]
    return {"meta": meta, "rows": rows}


def _value_kinds(properties):
    """{property pk: the kind of entity most of its public values are}, for the type of a
    column of entity values."""
    if not properties:
        return {}
    counts = (
        Claim.objects.public()
        .filter(property__in=properties, value_entity__isnull=False)
        .exclude(rank=Claim.Rank.DEPRECATED)
        .values("property_id", "value_entity__kind")
        .annotate(claims=Count("pk"))
        .order_by("property_id", "-claims", "value_entity__kind")
    )
    kinds = {}
    for row in counts:
        kinds.setdefault(row["property_id"], row["value_entity__kind"])
    return kinds


def cell(claim):
    """A claim's value as a cell of the data extension protocol: an entity as a reconciled
    ``{"id", "name"}``, a quantity as ``{"float"}``, a date in the words the pages print as
    ``{"str"}`` (the protocol's cells take no other key), anything else as ``{"str"}``."""
    datatype = claim.datatype
    if datatype == Datatype.ENTITY:
        return {"id": claim.value_entity.slug, "name": claim.value_entity.label}
    if datatype == Datatype.EVENT:
        return {"str": claim.value_event.label}
    if datatype == Datatype.DATE:
        return {"str": dates.humanize(claim.value_date)}
    if datatype == Datatype.QUANTITY:
        return {"float": float(claim.value_quantity)}
    return {"str": str(claim.value)}


# Reading parameters


def _json(text, parameter):
    """The JSON in a parameter; BadRequest unless it is strict JSON of valid Unicode."""
    try:
        value = json.loads(text, parse_constant=_not_a_number)
    except (ValueError, RecursionError):
        raise BadRequest(f"{parameter} is not valid JSON.", parameter) from None
    try:
        # Escapes can spell half a character ("\ud800"), which no database stores.
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise BadRequest(f"{parameter} holds text that is not valid Unicode.", parameter) from None
    return value


def _not_a_number(constant):
    raise ValueError(f"{constant} is not a JSON number.")


def _slugs(texts):
    """The texts that could be a slug or a code; the others name nothing."""
    return [text for text in texts if _SLUG.match(text)]
