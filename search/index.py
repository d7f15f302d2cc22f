"""Keeps the search index (``Name`` and its ``NameWord`` rows) in step with what it indexes:
the labels of entities and events, name claims, and the titles, authors and publishers of
sources.

A save rewrites the names of the saved record when they changed; a delete takes them along
(their foreign keys cascade). ``rebuild()`` writes the whole index again, as the migration
that created it and ``manage.py reindex_names`` do.
"""

from django.apps import apps as installed_apps
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from core.names import normalize, signature, words
from entities.models import Entity
from events.models import Event
from sources.models import Claim, Property, Source

from .models import Name, NameWord

BATCH = 2_000
# The fields of a source it is found by, each a ``Name.Role``.
SOURCE_ROLES = ("title", "author", "publisher")


def names_of(obj):
    """What ``obj`` is found by, as [(field, pk, role, text)]: ``field`` is the foreign key
    of ``Name`` that holds it."""
    if isinstance(obj, Entity | Event):
        return [(type(obj)._meta.model_name, obj.pk, "label", obj.label)]
    if isinstance(obj, Claim):
        return [("claim", obj.pk, "claim", obj.value_text)] if _is_name(obj) else []
    if isinstance(obj, Source):
        return [("source", obj.pk, role, getattr(obj, role)) for role in SOURCE_ROLES]
    raise TypeError(f"{type(obj).__name__} has no names to index")


def reindex(obj):
    """Rewrite the names of one record if they changed: one query when they did not."""
    field = {Entity: "entity", Event: "event", Claim: "claim", Source: "source"}[type(obj)]
    wanted = [row for row in names_of(obj) if normalize(row[3])]
    held = Name.objects.filter(**{field: obj})
    texts = sorted((role, text[:1000]) for _, _, role, text in wanted)
    if sorted(held.values_list("role", "text")) == texts:
        return
    held.delete()
    _create(Name, NameWord, wanted)


def index_names(objs):
    """Index the names of new records written in bulk, which no signal tells of (names with
    nothing to search by are left out, as ``_create`` leaves them)."""
    _create(Name, NameWord, [row for obj in objs for row in names_of(obj)])


def rebuild(apps=installed_apps):
    """Write the whole index again from the records (``apps``: a migration's registry)."""
    model = apps.get_model
    model("search", "NameWord").objects.all().delete()
    model("search", "Name").objects.all().delete()
    entities = model("entities", "Entity").objects.values_list("pk", "label")
    events = model("events", "Event").objects.values_list("pk", "label")
    claims = model("sources", "Claim").objects.filter(property__is_name=True)
    sources = model("sources", "Source").objects.values_list("pk", *SOURCE_ROLES)
    _create(
        model("search", "Name"),
        model("search", "NameWord"),
        [
            *(("entity", pk, "label", label) for pk, label in entities),
            *(("event", pk, "label", label) for pk, label in events),
            *(("claim", pk, "claim", text) for pk, text in claims.values_list("pk", "value_text")),
            *(
                ("source", pk, role, text)
                for pk, *texts in sources
                for role, text in zip(SOURCE_ROLES, texts, strict=True)
            ),
        ],
    )


def _create(Name, NameWord, rows):
    """Index ``rows`` of (field, pk, role, text), but names with nothing to search by."""
    rows = [row for row in rows if normalize(row[3])]
    for start in range(0, len(rows), BATCH):
        names = Name.objects.bulk_create(
            [
                Name(**{f"{field}_id": pk}, **_columns(role, text))
                for field, pk, role, text in rows[start : start + BATCH]
            ]
        )
        NameWord.objects.bulk_create(_words(NameWord, names))


def _columns(role, text):
    core, generic = signature(text)
    return {
        "role": role,
        "text": text[:1000],
        "key": normalize(text)[:1000],
        "core": core[:1000],
        "generic": generic[:100],
    }


def _words(NameWord, names):
    return [
        NameWord(name_id=name.pk, word=word.word, sound=word.sound, bones=word.bones)
        for name in names
        for word in words(name.text)
    ]


def _is_name(claim):
    return bool(claim.value_text) and claim.property.is_name


@receiver(post_save, sender=Entity)
@receiver(post_save, sender=Event)
@receiver(post_save, sender=Claim)
@receiver(post_save, sender=Source)
def _saved(sender, instance, **kwargs):
    reindex(instance)


@receiver(pre_save, sender=Property)
def _remember_is_name(sender, instance, **kwargs):
    instance._was_name = (
        Property.objects.filter(pk=instance.pk).values_list("is_name", flat=True).first()
    )


@receiver(post_save, sender=Property)
def _property_saved(sender, instance, **kwargs):
    """A property that becomes a name, or stops being one, adds or takes its claims' names."""
    if getattr(instance, "_was_name", None) in (None, instance.is_name):
        return
    Name.objects.filter(claim__property=instance).delete()
    if instance.is_name:
        claims = Claim.objects.filter(property=instance).values_list("pk", "value_text")
        _create(Name, NameWord, [("claim", pk, "claim", text) for pk, text in claims])
