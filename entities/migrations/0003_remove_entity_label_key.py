"""The search index (the search app's ``Name``) replaces the normalized key kept here.

The key is given a default first, so that undoing this migration on a filled database adds
the column back (empty; ``manage.py reindex_names`` is what search reads now)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0002_change_sets_and_merge_permission"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entity",
            name="label_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=300),
        ),
        migrations.RemoveField(
            model_name="entity",
            name="label_key",
        ),
    ]
