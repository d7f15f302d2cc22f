"""The property vocabulary the first dataset needs. Reviewers extend it in the admin."""

from django.db import migrations

E, V, A = "entity", "event", "any"

# code, label, inverse label, datatype, applies to, single-valued, is a name
PROPERTIES = [
    ("name", "name", "", "monolingual", A, False, True),
    ("native_name", "native name", "", "monolingual", A, False, True),
    ("short_name", "abbreviation", "", "monolingual", A, False, True),
    ("alias", "also known as", "", "monolingual", A, False, True),
    ("title", "title", "", "monolingual", V, False, True),
    ("inception", "founded", "", "date", E, True, False),
    ("dissolution", "ended", "", "date", E, True, False),
    ("date", "date", "", "date", V, True, False),
    ("leader", "leader", "leader of", "entity", E, False, False),
    ("position_held", "position held", "", "text", E, False, False),
    ("member_of", "member of", "member", "entity", E, False, False),
    ("allegiance", "allegiance", "allegiance pledged by", "entity", E, False, False),
    ("ally", "ally", "ally of", "entity", E, False, False),
    ("opponent", "opponent", "opponent of", "entity", E, False, False),
    ("split_from", "split from", "splinter group", "entity", E, False, False),
    ("part_of", "part of", "has part", "entity", A, False, False),
    ("conflict", "conflict", "combatant", "entity", E, False, False),
    ("ideology", "ideology", "", "text", E, False, False),
    ("member_count", "members", "", "quantity", E, False, False),
    (
        "area_of_operations",
        "area of operations",
        "area of operations of",
        "entity",
        E,
        False,
        False,
    ),
    ("headquarters", "headquarters", "headquarters of", "entity", E, False, False),
    ("country", "country", "country of", "entity", A, True, False),
    ("located_in", "located in", "contains", "entity", E, False, False),
    ("location", "location", "location of", "entity", A, False, False),
    ("described_at_url", "described at", "", "url", A, False, False),
    ("perpetrator", "perpetrator", "perpetrator of", "entity", V, False, False),
    ("claimed_by", "claimed by", "claimed responsibility for", "entity", V, False, False),
    ("target", "target", "targeted in", "entity", V, False, False),
    ("participant", "participant", "took part in", "entity", V, False, False),
    ("released_by", "released by", "released", "entity", V, False, False),
    ("pledged_to", "allegiance pledged to", "received pledge in", "entity", V, False, False),
    ("designated_by", "designated by", "designated", "entity", V, False, False),
    ("designee", "designated party", "designated in", "entity", V, False, False),
    ("designation", "designation", "", "text", V, False, False),
    ("arrested_by", "arrested by", "made arrests in", "entity", V, False, False),
    ("detainee", "arrested", "arrested in", "entity", V, False, False),
    ("defendant", "defendant", "defendant in", "entity", V, False, False),
    ("charge", "charge", "", "text", V, False, False),
    ("sentence", "sentence", "", "text", V, False, False),
    ("concerns", "concerns", "subject of", "event", V, False, False),
    ("medium", "medium", "", "text", V, False, False),
    ("killed", "killed", "", "quantity", V, True, False),
    ("injured", "injured", "", "quantity", V, True, False),
    ("people_charged", "people charged", "", "quantity", V, True, False),
]


def add_properties(apps, schema_editor):
    Property = apps.get_model("sources", "Property")
    HistoricalProperty = apps.get_model("sources", "HistoricalProperty")
    for order, (code, label, inverse, datatype, applies_to, single, is_name) in enumerate(
        PROPERTIES, start=1
    ):
        prop, created = Property.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "inverse_label": inverse,
                "datatype": datatype,
                "applies_to": applies_to,
                "single_valued": single,
                "is_name": is_name,
                "display_order": order * 10,
            },
        )
        if created:
            HistoricalProperty.objects.create(
                id=prop.id,
                code=code,
                label=label,
                inverse_label=inverse,
                description="",
                datatype=datatype,
                applies_to=applies_to,
                single_valued=single,
                is_name=is_name,
                display_order=order * 10,
                version=prop.version,
                history_date=prop.updated_at,
                history_type="+",
                history_change_reason="Seeded with the first vocabulary",
            )


def remove_properties(apps, schema_editor):
    apps.get_model("sources", "Property").objects.filter(
        code__in=[row[0] for row in PROPERTIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunPython(add_properties, remove_properties)]
