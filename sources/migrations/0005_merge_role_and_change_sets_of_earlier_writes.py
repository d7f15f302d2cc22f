"""Reviewers may merge entities (a permission of its own now), and the merges and dataset
loads written before change sets existed get theirs.

Those writes were told apart by marks in their change reasons: "[merge <token>: #a → #b]"
on every row a merge wrote (and on the rows that undid it, after "undone"), and "[dataset
load]" (or the plain "Loaded from the <folder> dataset") on a load's rows, which have no user.
This reads the marks once, so that undoing an earlier merge and reloading a dataset work as
they did; nothing parses change reasons after it.
"""

import re

from django.contrib.auth.management import create_permissions
from django.db import migrations

MERGE_MARK = re.compile(r"\[merge (?P<token>[0-9a-f]{12}): #(?P<source>\d+) → #(?P<target>\d+)\]")
PLAIN_LOAD_REASON = re.compile(r"Loaded from the (?P<folder>\S+) dataset")
HISTORIES = [
    ("entities", "HistoricalEntity"),
    ("events", "HistoricalEvent"),
    ("sources", "HistoricalSource"),
    ("sources", "HistoricalProperty"),
    ("sources", "HistoricalClaim"),
    ("sources", "HistoricalCitation"),
]


def give_reviewers_merge(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    merge = Permission.objects.get(content_type__app_label="entities", codename="merge_entity")
    for group in Group.objects.filter(name="Reviewer"):
        group.permissions.add(merge)


def change_sets_from_reasons(apps, schema_editor):
    ChangeSet = apps.get_model("core", "ChangeSet")
    sets = {}

    def change_set_for(kind, key, description, row):
        if (kind, key) not in sets:
            sets[(kind, key)] = ChangeSet.objects.create(
                kind=kind, description=description, user_id=row.history_user_id
            )
        return sets[(kind, key)]

    for app_label, name in HISTORIES:
        model = apps.get_model(app_label, name)
        rows = model.objects.filter(change_set__isnull=True).order_by("history_date", "history_id")
        for row in rows.iterator():
            reason = row.history_change_reason or ""
            mark = MERGE_MARK.search(reason)
            plain = PLAIN_LOAD_REASON.fullmatch(reason)
            if mark and "undone [merge" in reason:
                change_set = change_set_for(
                    "unmerge",
                    mark["token"],
                    f"Undid the merge of #{mark['source']} into #{mark['target']}",
                    row,
                )
            elif mark:
                change_set = change_set_for(
                    "merge", mark["token"], f"Merged #{mark['source']} into #{mark['target']}", row
                )
            elif row.history_user_id is None and (reason.endswith("[dataset load]") or plain):
                change_set = change_set_for(
                    "load", reason, reason.removesuffix(" [dataset load]"), row
                )
            else:
                continue
            model.objects.filter(history_id=row.history_id).update(change_set=change_set)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_change_sets"),
        ("entities", "0002_change_sets_and_merge_permission"),
        ("events", "0002_change_sets"),
        ("core", "0001_initial"),
    ]
    operations = [
        migrations.RunPython(give_reviewers_merge, migrations.RunPython.noop),
        migrations.RunPython(change_sets_from_reasons, migrations.RunPython.noop),
    ]
