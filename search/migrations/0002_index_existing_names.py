"""Index the names of what the database already holds."""

from django.db import migrations


def index_names(apps, schema_editor):
    from search.index import rebuild

    rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("entities", "0003_remove_entity_label_key"),
        ("events", "0003_remove_event_label_key"),
        ("sources", "0011_remove_claim_value_key"),
    ]
    operations = [migrations.RunPython(index_names, migrations.RunPython.noop)]
