"""Mark the disputes among the claims already in the database (``Claim.in_dispute``).

From now on ``sources.disputes`` keeps the flag on every save; the claims saved before it
existed, and the properties whose cardinality the previous migration set, are assessed here
once, by the same rule (``sources.disputes.assess``, which reads only fields these claims
have), one subject's claims of one property at a time.
"""

from itertools import groupby

from django.db import migrations
from django.db.models import Exists, OuterRef

from sources.disputes import assess


def mark_disputes(apps, schema_editor):
    Claim = apps.get_model("sources", "Claim")
    Citation = apps.get_model("sources", "Citation")
    claims = (
        Claim.objects.exclude(status="rejected")
        .select_related("property")
        .annotate(
            is_contested=Exists(Citation.objects.filter(claim=OuterRef("pk"), stance="disputes"))
        )
        .order_by("entity_id", "event_id", "property_id", "pk")
    )
    in_dispute = []
    group_of = lambda claim: (claim.entity_id, claim.event_id, claim.property_id)  # noqa: E731
    for _, group in groupby(claims.iterator(chunk_size=2000), key=group_of):
        group = list(group)
        verdicts = assess(group, {claim.pk for claim in group if claim.is_contested})
        in_dispute += [pk for pk, verdict in verdicts.items() if verdict.open]
    Claim.objects.update(in_dispute=False)
    for start in range(0, len(in_dispute), 500):
        Claim.objects.filter(pk__in=in_dispute[start : start + 500]).update(in_dispute=True)


class Migration(migrations.Migration):
    dependencies = [("sources", "0009_remove_single_valued")]

    operations = [migrations.RunPython(mark_disputes, migrations.RunPython.noop)]
