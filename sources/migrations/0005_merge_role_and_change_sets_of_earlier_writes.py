"""Merging becomes a permission of its own, and the merges and dataset loads written before
change sets existed get theirs.

Merging used to need the power to publish; whoever holds ``publish_claim`` (the Reviewer
group, any other group, any user) is given ``merge_entity`` too, so nobody loses it.

Those writes were told apart by marks in their change reasons: "[merge <token>: #a → #b]"
on every row a merge wrote (and on the rows that undid it, after "undone"), and "[dataset
load]" (or the plain "Loaded from the <folder> dataset") on a load's rows, which have no user.
This reads the marks once, so that undoing an earlier merge and reloading a dataset work as
they did; nothing parses change reasons after it. Loads with the same reason share one change
set: what matters of a load is which records it still owns.

It cannot be undone: the change sets of merges made after it exist nowhere else, and rolling
the ``change_set`` columns back would lose them, so going back past it is refused.
"""

import re
from collections import defaultdict

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

MERGE_MARK = re.compile(r"\[merge (?P<token>[0-9a-f]{12}): #(?P<source>\d+) → #(?P<target>\d+)\]")
PLAIN_LOAD_REASON = re.compile(r"Loaded from the \S+ dataset")
HISTORIES = [
    ("entities", "HistoricalEntity"),
    ("events", "HistoricalEvent"),
    ("sources", "HistoricalSource"),
    ("sources", "HistoricalProperty"),
    ("sources", "HistoricalClaim"),
    ("sources", "HistoricalCitation"),
]


def give_publishers_merge(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    Permission = apps.get_model("auth", "Permission")
    merge = Permission.objects.get(content_type__app_label="entities", codename="merge_entity")
    publish = Q(content_type__app_label="sources", codename="publish_claim")
    publishers = Permission.objects.filter(publish)
    for group in Group.objects.filter(permissions__in=publishers).distinct():
        group.permissions.add(merge)
    for user in User.objects.filter(user_permissions__in=publishers).distinct():
        user.user_permissions.add(merge)


def what_wrote(row):
    """(kind, key, description, reason) of the change set a history row belongs to, or None."""
    reason = row.history_change_reason or ""
    mark = MERGE_MARK.search(reason)
    if mark:
        said = reason[mark.end() :].removeprefix(":").strip()
        if "undone [merge" in reason:
            described = f"Undid the merge of #{mark['source']} into #{mark['target']}"
            return "unmerge", mark["token"], described, said
        return "merge", mark["token"], f"Merged #{mark['source']} into #{mark['target']}", said
    plain = PLAIN_LOAD_REASON.fullmatch(reason)
    if row.history_user_id is None and (reason.endswith("[dataset load]") or plain):
        said = reason.removesuffix("[dataset load]").strip()
        return "load", said, said, said
    return None


def change_sets_from_reasons(apps, schema_editor):
    ChangeSet = apps.get_model("core", "ChangeSet")
    found = {}  # (kind, key) -> {"first": row, "rows": {model: [history ids]}}
    for app_label, name in HISTORIES:
        model = apps.get_model(app_label, name)
        rows = model.objects.filter(change_set__isnull=True).order_by("history_date", "history_id")
        fields = ("history_id", "history_date", "history_user_id", "history_change_reason")
        for row in rows.only(*fields).iterator(chunk_size=2000):
            wrote = what_wrote(row)
            if wrote is None:
                continue
            kind, key, description, reason = wrote
            entry = found.setdefault(
                (kind, key), {"first": row, "wrote": wrote, "rows": defaultdict(list)}
            )
            if row.history_date < entry["first"].history_date:
                entry["first"] = row
            entry["rows"][model].append(row.history_id)
    for entry in sorted(found.values(), key=lambda entry: entry["first"].history_date):
        kind, _, description, reason = entry["wrote"]
        change_set = ChangeSet.objects.create(
            kind=kind,
            description=description,
            reason=reason,
            user_id=entry["first"].history_user_id,
        )
        # When it was made: when its first row was written, not when this migration ran.
        ChangeSet.objects.filter(pk=change_set.pk).update(created_at=entry["first"].history_date)
        for model, ids in entry["rows"].items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                model.objects.filter(history_id__in=chunk).update(change_set=change_set)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_change_sets"),
        ("entities", "0002_change_sets_and_merge_permission"),
        ("events", "0002_change_sets"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [
        migrations.RunPython(give_publishers_merge, migrations.RunPython.noop),
        migrations.RunPython(change_sets_from_reasons),
    ]
