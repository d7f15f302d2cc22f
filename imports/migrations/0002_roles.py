"""Editors and reviewers import claims: they upload, preview and apply import batches."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_importbatch", "view_importbatch"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("imports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="imports", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="imports", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("sources", "0003_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
