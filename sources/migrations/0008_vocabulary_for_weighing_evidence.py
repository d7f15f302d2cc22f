"""The vocabulary for weighing evidence: how many values each property holds, the words its
relations read in, and what a militant-group profile records that the first vocabulary
lacked (status, successor and predecessor, rivals and sponsors, targets and tactics, a
person's birth and death, kidnappings).

Every property added or changed gets its revision, as an edit in the admin would. A property
a curator has already made under one of these codes is left as it is.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Vocabulary for weighing evidence: cardinality, responsibility, lives and ends"
E, V, A = "entity", "event", "any"
ONE, AT_A_TIME, MANY = "one", "one_at_a_time", "many"

# code: changed fields
CHANGES = {
    "leader": {"cardinality": AT_A_TIME},
    "allegiance": {"cardinality": AT_A_TIME},
    "headquarters": {"cardinality": AT_A_TIME},
    "member_count": {"cardinality": AT_A_TIME},
    "perpetrator": {
        "label": "responsible",
        "inverse_label": "held responsible for",
        "cardinality": ONE,
        "description": "Who carried it out: as claimed by a group, attributed by others "
        "(name on whose word) or established by a verdict.",
    },
    "claimed_by": {
        "label": "made by",
        "inverse_label": "claimed responsibility in",
        "description": "Who made a statement claiming responsibility; the claim itself is a "
        "“responsible” claim on the event claimed, on the group's own word.",
    },
    "concerns": {"inverse_label": "addressed in"},
    "killed": {"description": "How many were killed; a part (foreign nationals) beside the total."},
    "injured": {"description": "How many were wounded; a part beside the total."},
}

# code, label, inverse label, datatype, applies to, cardinality, display order
ADDED = [
    ("date_of_birth", "born", "", "date", E, ONE, 62),
    ("place_of_birth", "place of birth", "birthplace of", "entity", E, ONE, 63),
    ("date_of_death", "died", "", "date", E, ONE, 72),
    ("place_of_death", "place of death", "place of death of", "entity", E, ONE, 73),
    ("cause_of_death", "cause and circumstances of death", "", "text", E, ONE, 74),
    ("status", "status", "", "text", E, AT_A_TIME, 76),
    ("founder", "founder", "founded", "entity", E, MANY, 85),
    ("citizenship", "citizenship", "citizens", "entity", E, MANY, 105),
    ("rival", "rival", "rival of", "entity", E, MANY, 145),
    ("state_sponsor", "state sponsor", "sponsor of", "entity", E, MANY, 147),
    ("predecessor", "predecessor", "predecessor of", "entity", E, MANY, 152),
    ("successor", "successor", "successor of", "entity", E, MANY, 154),
    ("merged_into", "merged into", "absorbed", "entity", E, ONE, 156),
    ("target_type", "targets", "", "text", E, MANY, 185),
    ("tactic", "tactic", "", "text", A, MANY, 187),
    ("weapon", "weapon", "", "text", V, MANY, 285),
    ("kidnapped", "kidnapped", "", "quantity", V, ONE, 435),
]

FIELDS = [
    "code",
    "label",
    "inverse_label",
    "description",
    "datatype",
    "applies_to",
    "cardinality",
    "is_name",
    "display_order",
    "version",
]


def record(apps, prop, kind):
    apps.get_model("sources", "HistoricalProperty").objects.create(
        id=prop.id,
        **{name: getattr(prop, name) for name in FIELDS},
        history_date=prop.updated_at,
        history_type=kind,
        history_change_reason=REASON,
    )


def single_valued_to_cardinality(apps, schema_editor):
    """A single-valued property held one value; which hold one at a time is set below."""
    for name in ("Property", "HistoricalProperty"):
        model = apps.get_model("sources", name)
        model.objects.filter(single_valued=True).update(cardinality=ONE)
        model.objects.filter(single_valued=False).update(cardinality=MANY)


def extend_vocabulary(apps, schema_editor):
    Property = apps.get_model("sources", "Property")
    for code, changes in CHANGES.items():
        prop = Property.objects.filter(code=code).first()
        if prop is None or all(getattr(prop, name) == value for name, value in changes.items()):
            continue
        for name, value in changes.items():
            setattr(prop, name, value)
        prop.version += 1
        prop.updated_at = timezone.now()
        prop.save()
        record(apps, prop, "~")
    for code, label, inverse, datatype, applies_to, cardinality, order in ADDED:
        if Property.objects.filter(code=code).exists():
            continue
        prop = Property.objects.create(
            code=code,
            label=label,
            inverse_label=inverse,
            datatype=datatype,
            applies_to=applies_to,
            cardinality=cardinality,
            display_order=order,
        )
        record(apps, prop, "+")


def cardinality_to_single_valued(apps, schema_editor):
    for name in ("Property", "HistoricalProperty"):
        model = apps.get_model("sources", name)
        model.objects.update(single_valued=False)
        model.objects.exclude(cardinality=MANY).update(single_valued=True)


def remove_added(apps, schema_editor):
    """Remove the properties this migration made (not one a curator had made before it), if
    no claim uses them yet."""
    HistoricalProperty = apps.get_model("sources", "HistoricalProperty")
    made_here = HistoricalProperty.objects.filter(
        history_type="+", history_change_reason=REASON
    ).values("id")
    apps.get_model("sources", "Property").objects.filter(
        id__in=made_here, claims__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("sources", "0007_cardinality_stance_and_whose_word")]

    operations = [
        migrations.RunPython(single_valued_to_cardinality, cardinality_to_single_valued),
        migrations.RunPython(extend_vocabulary, remove_added),
    ]
