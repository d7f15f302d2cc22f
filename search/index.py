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

BATCH = 2_000


def names_of(obj):
    """What ``obj`` is found by, as [(owner, role, text)]: owner is the keyword of the foreign
    key that holds it on ``Name``."""
    if isinstance(obj, Entity | Event):
        return [(type(obj)._meta.model_name, "label", obj.label)]
    if isinstance(obj, Claim):
        return [("claim", "claim", obj.value_text)] if _is_name(obj) else []
    if isinstance(obj, Source):
        return [
            ("source", role, getattr(obj, role))
            for role in ("title", "author", "publisher")
            if getattr(obj, role).strip()
        ]
    raise TypeError(f"{type(obj).__name__} has no names to index")


def reindex(obj):
    """Rewrite the names of one record if they changed: one query when they did not."""
    from .models import Name

    owner = {"entity": Entity, "event": Event, "claim": Claim, "source": Source}
    field = next(key for key, model in owner.items() if isinstance(obj, model))
    wanted = sorted((role, text[:1000]) for _, role, text in names_of(obj) if normalize(text))
    held = Name.objects.filter(**{field: obj})
    if sorted(held.values_list("role", "text")) == wanted:
        return
    held.delete()
    _write(Name, installed_apps.get_model("search", "NameWord"), field, obj.pk, wanted)


def rebuild(apps=installed_apps):
    """Write the whole index again from the records (``apps``: a migration's registry)."""
    Name = apps.get_model("search", "Name")
    NameWord = apps.get_model("search", "NameWord")
    NameWord.objects.all().delete()
    Name.objects.all().delete()
    sources = apps.get_model("sources", "Source").objects.values_list(
        "pk", "title", "author", "publisher"
    )
    claims = (
        apps.get_model("sources", "Claim")
        .objects.filter(property__is_name=True)
        .exclude(value_text="")
        .values_list("pk", "value_text")
    )
    rows = [
        *(
            ("entity", pk, "label", label)
            for pk, label in apps.get_model("entities", "Entity").objects.values_list("pk", "label")
        ),
        *(
            ("event", pk, "label", label)
            for pk, label in apps.get_model("events", "Event").objects.values_list("pk", "label")
        ),
        *(("claim", pk, "claim", text) for pk, text in claims.iterator()),
        *(
            ("source", pk, role, text)
            for pk, *texts in sources
            for role, text in zip(("title", "author", "publisher"), texts, strict=True)
            if text.strip()
        ),
    ]
    for start in range(0, len(rows), BATCH):
        batch = [row for row in rows[start : start + BATCH] if normalize(row[3])]
        names = Name.objects.bulk_create(
            [Name(**{f"{field}_id": pk}, **_columns(role, text)) for field, pk, role, text in batch]
        )
        NameWord.objects.bulk_create(_words(NameWord, names))


def _write(Name, NameWord, field, pk, wanted):
    names = Name.objects.bulk_create(
        [Name(**{f"{field}_id": pk}, **_columns(role, text)) for role, text in wanted]
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
    from .models import Name, NameWord

    Name.objects.filter(claim__property=instance).delete()
    if instance.is_name:
        claims = Claim.objects.filter(property=instance).exclude(value_text="")
        for start in range(0, claims.count(), BATCH):
            batch = claims.order_by("pk").values_list("pk", "value_text")[start : start + BATCH]
            names = Name.objects.bulk_create(
                [Name(claim_id=pk, **_columns("claim", text)) for pk, text in batch]
            )
            NameWord.objects.bulk_create(_words(NameWord, names))
