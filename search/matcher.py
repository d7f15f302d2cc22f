"""The one matcher: finds entities, events and sources by any of their names, however a
source spells them, for the public search, the admin's search, every autocomplete and the
import. The duplicate check (``search.duplicates``) compares names by the same word forms.

A query matches a name when each of its words matches a word of the name (``core.names``):
the same word, the start of one, or a tolerant match (same sound, same bones, one slip).
Results are ranked by how well their best name matched (``Tier``), then by how many words of
that name the query left unmatched, then by label. The database is asked for candidates
through the indexed word forms, the same way on every database; ranking and the publication
rule are applied to those few candidates.
"""

import dataclasses
import difflib
import enum

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from core.names import SHORTEST_BONES, normalize, words
from core.queries import within
from entities.models import Entity
from events.models import Event
from sources.models import Claim, Source

from .models import Name, NameWord

# Candidates read per stage: far more than anyone pages through, few enough to rank at once.
CANDIDATES = 500
# Properties whose value is where an event happened: an event is found by its place's names.
PLACES = ("location",)
TYPES = ("entity", "event", "source")


class Tier(enum.IntEnum):
    EXACT = 0  # the whole name
    WORDS = 1  # every word of the query is a word of the name
    PREFIX = 2  # every word of the query begins a word of the name
    TOLERANT = 3  # every word matches as transliteration or a slip may spell it
    PLACE = 4  # an event that happened at a place the query found


@dataclasses.dataclass(frozen=True)
class Match:
    """A thing found, with the name that matched it best."""

    type: str  # "entity", "event" or "source"
    pk: int
    tier: Tier
    label: str  # the thing's own label (a source's title)
    kind: str
    name: str  # the name that matched
    role: str  # ``Name.Role``, or "place"
    what: str  # what the name is: the property of a name claim ("also known as"), "author"…
    language: str = ""
    spare: int = 0  # words of the name that no word of the query matched

    @property
    def by_other_name(self):
        """Whether it was found by something other than its own label or title."""
        return self.name != self.label

    def sort_key(self):
        own = self.role in ("label", "title")
        return (self.tier, self.spare, not own, self.label.casefold(), self.pk)


def find(query, *, public=True, types=TYPES, kind=""):
    """What ``query`` finds, best first, as ``Match`` es; only what readers may see when
    ``public``. ``types`` limits it to entities, events or sources; ``kind`` to one kind."""
    asked = words(query)
    if not asked:
        return []
    query_key = normalize(query)
    hits = {}
    for row in _visible_names(_candidates(query_key, asked, types), public):
        matched = _tier(query_key, asked, row["key"])
        if matched is not None:
            _keep_best(hits, _Hit(*matched, row))
    if "event" in types:
        _add_places(hits, public)
    return sorted(_dressed(hits, public, types, kind), key=Match.sort_key)


def suggest(query, *, public=True, types=TYPES, limit=5):
    """The names nearest a query that found nothing, as ``Match`` es: names with a word whose
    sound starts as that of a word of the query (five letters alike, else four, else three),
    closest spelling first."""
    asked = [word for word in words(query) if not word.optional and len(word.sound) >= 2]
    if not asked:
        return []
    query_key = normalize(query)
    rows = []
    for length in (5, 4, 3):  # the longest start of a sound that some name shares
        near = Q()
        for word in asked:
            near |= _starts_with("sound", word.sound[:length])
        rows = _visible_names(_having(_scoped(types), [near])[0], public)
        if rows:
            break
    hits = {}
    for row in rows:
        closeness = difflib.SequenceMatcher(None, query_key, row["key"]).ratio()
        _keep_best(hits, _Hit(Tier.TOLERANT, 0, row, closeness))
    matches = _dressed(hits, public, types, "")
    closeness = {(hit.type, hit.pk): hit.closeness for hit in hits.values()}
    return sorted(matches, key=lambda m: (-closeness[(m.type, m.pk)], m.sort_key()))[:limit]


def matching(queryset, query):
    """The records of a queryset of entities or events that ``query`` finds by any name, and
    their pks in the matcher's order; for the admin's search and autocomplete."""
    type_ = queryset.model._meta.model_name
    ranked = [match.pk for match in find(query, public=False, types=(type_,))]
    return queryset.filter(pk__in=ranked), ranked


class _Hit:
    """A candidate name of one thing, as it matched."""

    def __init__(self, tier, spare, row, closeness=0.0, place=None):
        self.tier, self.spare, self.row = tier, spare, row
        self.closeness, self.place = closeness, place
        if place:
            self.type, self.pk, self.role = "event", row, "place"
        elif row["source_id"]:
            self.type, self.pk, self.role = "source", row["source_id"], row["role"]
        else:
            entity = row["entity_id"] or row["claim__entity_id"]
            event = row["event_id"] or row["claim__event_id"]
            self.type, self.pk = ("entity", entity) if entity else ("event", event)
            self.role = row["role"]

    def rank(self):
        return (self.tier, self.spare, self.role not in ("label", "title"), -self.closeness)


def _keep_best(hits, hit):
    kept = hits.get((hit.type, hit.pk))
    if kept is None or hit.rank() < kept.rank():
        hits[(hit.type, hit.pk)] = hit


def _candidates(query_key, asked, types):
    """The names the database offers for the query's words (``asked``): the exact name, then
    those with a word or the start of one for each word, then the tolerant matches."""
    scoped = _scoped(types)
    significant = [word for word in asked if not word.optional] or asked
    exact = _rows(Name.objects.filter(scoped, key=query_key))
    literal = [Q(word=word.word) | _starts_with("word", word.word) for word in significant]
    if len(significant) > 1:
        # The rarest word leads (see ``_having``): how rare, counted up to CANDIDATES.
        held = [NameWord.objects.filter(condition)[:CANDIDATES].count() for condition in literal]
        order = sorted(range(len(significant)), key=held.__getitem__)
        significant = [significant[i] for i in order]
        literal = [literal[i] for i in order] if all(held) else []
    found, overflow = _having(scoped, literal) if literal else ([], False)
    if overflow:
        return exact + found
    return exact + found + _having(scoped, [_like(word) for word in significant])[0]


def _having(scope, conditions):
    """The names in ``scope`` having, for each condition, a word that meets it, at most
    ``CANDIDATES`` of them; and whether there were more.

    The first condition, the rarest, leads: the database walks its index for it and checks
    the others on each name's few words, so that a common word such as "state" never makes it
    gather every name that has it."""
    lead, *others = conditions
    matching = NameWord.objects.filter(
        lead,
        within(scope, "name"),
        *(Exists(NameWord.objects.filter(other, name=OuterRef("name"))) for other in others),
    ).values_list("name_id", flat=True)
    ids = list(matching.order_by()[: CANDIDATES + 1])
    overflow = len(ids) > CANDIDATES  # rows, not names: a name may have two such words
    if overflow:
        # More than can be ranked: the oldest names, the same ones on every database.
        ids = set(matching.order_by("name_id").distinct()[:CANDIDATES])
    return _rows(Name.objects.filter(pk__in=ids)), overflow


def _like(word):
    """The database's side of ``Word.likeness``: a word row that may match ``word``."""
    condition = Q(word=word.word) | _starts_with("word", word.word)
    if word.sound:
        condition |= Q(sound=word.sound)
    if not word.optional:
        if len(word.bones) >= SHORTEST_BONES:
            condition |= Q(bones=word.bones)
        if word.slips:
            condition |= Q(word__in=sorted(word.slips))
    return condition


def _starts_with(field, prefix):
    """``field`` starts with ``prefix``, through the field's index on each database: LIKE on
    PostgreSQL (its ``_like`` index), a range on SQLite (whose LIKE ignores case and indexes)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def _scoped(types):
    """The names of the things of ``types``, as a condition on ``Name``."""
    owners = Q()
    if set(types) == set(TYPES):
        return owners
    if "entity" in types:
        owners |= Q(entity__isnull=False) | Q(claim__entity__isnull=False)
    if "event" in types:
        owners |= Q(event__isnull=False) | Q(claim__event__isnull=False)
    if "source" in types:
        owners |= Q(source__isnull=False)
    return owners


# What a candidate name is read with.
FIELDS = [
    "pk",
    "role",
    "text",
    "key",
    "entity_id",
    "event_id",
    "source_id",
    "claim_id",
    "claim__entity_id",
    "claim__event_id",
    "claim__value_language",
    "claim__property__label",
]


def _rows(names):
    return list(names.values(*FIELDS).order_by("pk")[:CANDIDATES])  # the exact names


def _visible_names(rows, public):
    """The rows whose claim a reader may see (all of them for the admin, but rejected claims)."""
    claim_ids = {row["claim_id"] for row in rows if row["claim_id"]}
    claims = Claim.objects.public() if public else Claim.objects.exclude(status="rejected")
    shown = set(claims.filter(pk__in=claim_ids).values_list("pk", flat=True)) if claim_ids else ()
    return [row for row in rows if not row["claim_id"] or row["claim_id"] in shown]


def _tier(query_key, asked, key):
    """How well a name (its normalized ``key``) matches the query's words, as its ``Tier`` and
    the number of its own words no query word matched; None if it does not match."""
    if key == query_key:
        return Tier.EXACT, 0
    held = words(key)
    generic = {word.sound for word in held if word.sound.startswith("@")}
    wanted = {word.sound for word in asked if word.sound.startswith("@")}
    if generic and wanted and not generic & wanted:
        return None  # "Wadi Chambi" is not "Chambi mountains"
    likeness = [[word.likeness(other) for other in held] for word in asked]
    best = [min((like for like in row if like is not None), default=None) for row in likeness]
    spare = sum(
        1
        for column, word in enumerate(held)
        if not word.optional and all(row[column] is None for row in likeness)
    )
    if all(like is not None and like <= 1 for like in best):
        return (Tier.WORDS if max(best) == 0 else Tier.PREFIX), spare
    required = [like for word, like in zip(asked, best, strict=True) if not word.optional] or best
    if all(like is not None for like in required):
        return Tier.TOLERANT, spare
    return None


def _add_places(hits, public):
    """Events that happened at a place found, as ``Tier.PLACE`` matches."""
    places = [pk for type_, pk in hits if type_ == "entity"]
    if not places:
        return
    claims = Claim.objects.public() if public else Claim.objects.exclude(status="rejected")
    located = claims.filter(
        property__code__in=PLACES, value_entity__in=places, event__isnull=False
    ).values_list("event_id", "value_entity_id")[:CANDIDATES]
    for event, place in located:
        _keep_best(hits, _Hit(Tier.PLACE, 0, event, place=place))


def _dressed(hits, public, types, kind):
    """The hits a reader may see (all for the admin), as ``Match`` es of ``kind`` if given."""
    models = {"entity": Entity, "event": Event, "source": Source}
    things = {}
    for type_, model in models.items():
        pks = [pk for hit_type, pk in hits if hit_type == type_]
        if type_ == "entity":
            pks += [hit.place for hit in hits.values() if hit.place]
        if not pks:
            continue
        records = model.objects.public() if public else model.objects.all()
        label = "title" if model is Source else "label"
        for pk, text, kind_ in records.filter(pk__in=pks).values_list("pk", label, "kind"):
            things[(type_, pk)] = (text, kind_)
    matches = []
    for (type_, pk), hit in hits.items():
        if type_ not in types or (type_, pk) not in things:
            continue
        label, kind_ = things[(type_, pk)]
        if kind and kind_ != kind:
            continue
        if hit.place:
            if ("entity", hit.place) not in things:
                continue
            name, what, language = things[("entity", hit.place)][0], "at", ""
        else:
            name, language = hit.row["text"], hit.row["claim__value_language"] or ""
            what = hit.row["claim__property__label"] or hit.role
        matches.append(
            Match(type_, pk, hit.tier, label, kind_, name, hit.role, what, language, hit.spare)
        )
    return matches
