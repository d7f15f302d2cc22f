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

# Candidates read per stage: more than anyone pages through, few enough to rank at once.
CANDIDATES = 200
# Words of a query the database is asked about; the others are checked on the candidates.
LONGEST_QUERY = 8
# Properties whose value is where an event happened: an event is found by its place's names.
PLACES = ("location",)
PLACE = Entity.Kind.PLACE
TYPES = ("entity", "event", "source")


class Found(list):
    """The matches of a search, best first; ``complete`` is false when more names matched
    than ``CANDIDATES``, so that only some of them were ranked."""

    complete = True


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
        return Found()
    query_key = normalize(query)
    # Events are also found by their place, so places are looked for with them.
    looked_for = {*types, "entity"} if "event" in types else set(types)
    candidates, complete = _candidates(query_key, asked, _scope(looked_for, public))
    hits = {}
    for row in _visible(candidates, public):
        matched = _tier(query_key, asked, row["key"])
        if matched is not None:
            _keep_best(hits, _Hit(*matched, row))
    found = Found(
        sorted(_dressed(hits, public, types, kind, places="event" in types), key=Match.sort_key)
    )
    found.complete = complete
    return found


def suggest(query, *, public=True, types=TYPES, limit=5):
    """The names nearest a query that found nothing, as ``Match`` es: names with a word whose
    sound starts as that of a word of the query (five letters alike, else four), closest
    spelling first."""
    asked = [word for word in _distinct(words(query)) if not word.optional][:LONGEST_QUERY]
    asked = [word for word in asked if len(word.sound) >= 2]
    if not asked:
        return []
    query_key = normalize(query)
    for length in (5, 4):  # the longest start of a sound that some name shares
        near = Q()
        for word in asked:
            near |= _starts_with("sound", word.sound[:length])
        hits = {}
        for row in _visible(_having(_scope(types, public), [near])[0], public):
            closeness = difflib.SequenceMatcher(None, query_key, row["key"]).ratio()
            _keep_best(hits, _Hit(Tier.TOLERANT, 0, row, closeness))
        matches = _dressed(hits, public, types, "")
        if matches:
            break
    closeness = {(hit.type, hit.pk): hit.closeness for hit in hits.values()}
    return sorted(matches, key=lambda m: (-closeness[(m.type, m.pk)], m.sort_key()))[:limit]


def matching(queryset, query):
    """The records of a queryset of entities, events or sources that ``query`` finds by any
    name, and their pks in the matcher's order; for the admin's search and autocomplete."""
    type_ = queryset.model._meta.model_name
    ranked = [match.pk for match in find(query, public=False, types=(type_,))]
    return queryset.filter(pk__in=ranked), ranked


class _Hit:
    """A candidate name of one thing (its ``row``), as it matched; or an event found at a
    place (``at_place``)."""

    place = None

    def __init__(self, tier, spare, row, closeness=0.0):
        self.tier, self.spare, self.row, self.closeness = tier, spare, row, closeness
        if row["source_id"]:
            self.type, self.pk, self.role = "source", row["source_id"], row["role"]
        else:
            entity = row["entity_id"] or row["claim__entity_id"]
            event = row["event_id"] or row["claim__event_id"]
            self.type, self.pk = ("entity", entity) if entity else ("event", event)
            self.role = row["role"]

    @classmethod
    def at_place(cls, event, place):
        hit = cls.__new__(cls)
        hit.tier, hit.spare, hit.row, hit.closeness = Tier.PLACE, 0, None, 0.0
        hit.type, hit.pk, hit.role, hit.place = "event", event, "place", place
        return hit

    def rank(self):
        return (self.tier, self.spare, self.role not in ("label", "title"), -self.closeness)


def _keep_best(hits, hit):
    kept = hits.get((hit.type, hit.pk))
    if kept is None or hit.rank() < kept.rank():
        hits[(hit.type, hit.pk)] = hit


def _candidates(query_key, asked, scope):
    """The names in ``scope`` the database offers for the query's words (``asked``): the
    exact name and every match, tolerant or not; and whether that is all of them. When there
    are more than ``CANDIDATES``, closer matches are looked for first (the very words, then
    words that start with them), so that looser ones never crowd them out."""
    significant = [word for word in _distinct(asked) if not word.optional] or _distinct(asked)
    significant = significant[:LONGEST_QUERY]
    starts = [Q(word=word.word) | _starts_with("word", word.word) for word in significant]
    # How many words are or start with each (up to CANDIDATES): the rarest leads (see
    # ``_having``), and a word that no name has is probably mistyped.
    counts = [NameWord.objects.filter(condition)[:CANDIDATES].count() for condition in starts]
    order = sorted(range(len(significant)), key=counts.__getitem__)
    significant = [significant[i] for i in order]
    starts = [starts[i] for i in order]
    counts = [counts[i] for i in order]
    literal = all(counts)
    found = _rows(Name.objects.filter(scope, key=query_key))
    # The words one slip away from a mistyped word that some name has, looked up alone:
    # beside a long list of slips nobody typed, a planner misjudges how rare the words are
    # and walks the whole table.
    mistyped = [word for word, count in zip(significant, counts, strict=True) if not count]
    slips = set().union(*(word.slips for word in mistyped))
    held = (
        set(NameWord.objects.filter(word__in=slips).values_list("word", flat=True))
        if slips
        else set()
    )
    like = [_like(word, held) for word in significant]
    tolerant, overflow = _having(scope, like, oldest=not literal)
    if not overflow or not literal:
        return found + tolerant, not overflow
    # Too many: closer matches first, those holding the very words, then those with words
    # that start with them, then the tolerant ones; the oldest of each when still too many.
    for conditions in ([Q(word=word.word) for word in significant], starts, like):
        rows, overflow = _having(scope, conditions)
        found += rows
        if overflow:
            break
    return found, False


def _distinct(asked):
    return list({word.word: word for word in asked}.values())


def _having(scope, conditions, *, oldest=True):
    """The names in ``scope`` having, for each condition, a word that meets it, at most
    ``CANDIDATES`` of them; and whether there were more (then the oldest, or none unless
    ``oldest``).

    The first condition, the rarest, leads: the database walks its index for it and checks
    the others on each name's few words, so that a common word such as "state" never makes it
    gather every name that has it."""
    lead, *others = conditions
    others_exist = [
        Exists(NameWord.objects.filter(other, name=OuterRef("name"))) for other in others
    ]
    matching = NameWord.objects.filter(lead, within(scope, "name"), *others_exist).values_list(
        "name_id", flat=True
    )
    ids = list(matching.order_by()[: CANDIDATES + 1])
    overflow = len(ids) > CANDIDATES  # rows, not names: a name may have two such words
    if overflow and not oldest:
        return [], True
    if overflow:
        # More than can be ranked: the oldest names, the same ones on every database, found
        # without the scope's joins (which then only leave some out).
        ids = set(
            NameWord.objects.filter(lead, *others_exist)
            .order_by("name_id")
            .values_list("name_id", flat=True)
            .distinct()[:CANDIDATES]
        )
    return _rows(Name.objects.filter(scope, pk__in=ids)), overflow


def _like(word, held):
    """The database's side of ``Word.likeness``: a word row that may match ``word`` (its
    slips among the ``held`` words)."""
    condition = Q(word=word.word) | _starts_with("word", word.word)
    if word.sound:
        condition |= Q(sound=word.sound)
    if not word.optional:
        if len(word.bones) >= SHORTEST_BONES:
            condition |= Q(bones=word.bones)
        if word.slips & held:
            condition |= Q(word__in=sorted(word.slips & held))
    return condition


def _starts_with(field, prefix):
    """``field`` starts with ``prefix``, through the field's index on each database: LIKE on
    PostgreSQL (its ``_like`` index), a range on SQLite (whose LIKE ignores case and indexes)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


def _scope(types, public):
    """The names to look in, as a condition on ``Name``: those of things of ``types``; and,
    when ``public``, of published things only (``_visible`` then applies the whole rule to
    the few found); for the admin, all but the names of rejected claims."""
    owners = Q()
    if set(types) != set(TYPES):
        if "entity" in types:
            owners |= Q(entity__isnull=False) | Q(claim__entity__isnull=False)
        if "event" in types:
            owners |= Q(event__isnull=False) | Q(claim__event__isnull=False)
        if "source" in types:
            owners |= Q(source__isnull=False)
    if not public:
        return owners & ~Q(claim__status=Claim.Status.REJECTED)
    published = (
        within(Entity.PUBLIC, "entity")
        | within(Event.PUBLIC, "event")
        | within(Claim.PUBLISHED, "claim")
        | Q(source__isnull=False)
    )
    return owners & published


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


def _visible(rows, public):
    """The rows whose claim a reader may see (``Claim.objects.public()``); all of them for
    the admin. Subjects and sources are checked with their own rule in ``_dressed``."""
    claim_ids = {row["claim_id"] for row in rows if row["claim_id"]}
    if not public or not claim_ids:
        return rows
    shown = set(Claim.objects.public().filter(pk__in=claim_ids).values_list("pk", flat=True))
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


def _add_places(hits, things, public):
    """Events that happened at a place found, as ``Tier.PLACE`` matches."""
    places = [
        pk for (type_, pk), (_, kind) in things.items() if type_ == "entity" and kind == PLACE
    ]
    if not places:
        return
    claims = Claim.objects.public() if public else Claim.objects.exclude(status="rejected")
    located = claims.filter(
        property__code__in=PLACES, value_entity__in=places, event__isnull=False
    ).values_list("event_id", "value_entity_id")[:CANDIDATES]
    for event, place in located:
        _keep_best(hits, _Hit.at_place(event, place))


def _records(hits, model, public):
    """{(type, pk): (label, kind)} of the hits of one model that a reader may see (all of
    them for the admin)."""
    type_ = model._meta.model_name
    pks = [pk for hit_type, pk in hits if hit_type == type_]
    if not pks:
        return {}
    records = model.objects.public() if public else model.objects.all()
    label = "title" if model is Source else "label"
    return {
        (type_, pk): (text, kind)
        for pk, text, kind in records.filter(pk__in=pks).values_list("pk", label, "kind")
    }


def _dressed(hits, public, types, kind, *, places=False):
    """The hits a reader may see, as ``Match`` es of ``types`` (and ``kind`` if given); with
    ``places``, also the events at the places among them."""
    things = _records(hits, Entity, public)
    if places:
        _add_places(hits, things, public)
    things |= _records(hits, Event, public) | _records(hits, Source, public)
    matches = []
    for (type_, pk), hit in hits.items():
        if type_ not in types or (type_, pk) not in things:
            continue
        label, kind_ = things[(type_, pk)]
        if kind and kind_ != kind:
            continue
        if hit.place:
            name, what, language = things[("entity", hit.place)][0], "at", ""
        else:
            name, language = hit.row["text"], hit.row["claim__value_language"] or ""
            what = hit.row["claim__property__label"] or hit.role
        matches.append(
            Match(type_, pk, hit.tier, label, kind_, name, hit.role, what, language, hit.spare)
        )
    return matches
