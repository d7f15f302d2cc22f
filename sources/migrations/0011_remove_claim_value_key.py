"""The search index (the search app's ``Name``) replaces the normalized key kept here.

The key is given a default first, so that undoing this migration on a filled database adds
the column back (empty; ``manage.py reindex_names`` is what search reads now)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0010_disputes_of_existing_claims"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="value_key",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=1000
            ),
        ),
        migrations.RemoveField(
            model_name="claim",
            name="value_key",
        ),
    ]
