from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sources", "0008_vocabulary_for_weighing_evidence")]

    operations = [
        migrations.RemoveField(
            model_name="historicalproperty",
            name="single_valued",
        ),
        migrations.RemoveField(
            model_name="property",
            name="single_valued",
        ),
    ]
