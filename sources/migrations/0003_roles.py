"""The two curation roles. Give a person staff status and one of these groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {"entities": ["entity"], "events": ["event"], "sources": ["source", "claim", "citation"]}

EDITOR = [
    *[
        f"{action}_{model}"
        for models in CURATED.values()
        for model in models
        for action in ("add", "change", "view")
    ],
    "view_property",
]
REVIEWER = [
    *EDITOR,
    *[f"delete_{model}" for models in CURATED.values() for model in models],
    "add_property",
    "change_property",
    "publish_claim",
    "rank_claim",
    "verify_citation",
]


def add_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editor", EDITOR), ("Reviewer", REVIEWER)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label__in=CURATED, codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for the {name} role: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_seed_properties"),
        ("entities", "0001_initial"),
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(add_roles, remove_roles)]
