"""Build admin POST data the way the browser would send it."""

from sources.models import Claim

CLAIM_FIELDS = [
    *Claim.IDENTITY_FIELDS,
    "rank",
    "rank_reason",
    "status",
    "status_reason",
    "note",
]


def _plain(value):
    if value is None:
        return ""
    return getattr(value, "pk", value)


def claim_post_data(claim=None, *, reason="Test edit", citations=None, **changes):
    """POST data for the claim admin page: the claim's current fields, its citations, then
    ``changes``.

    ``citations`` is a list of dicts for the citation rows (existing rows carry "id").
    """
    data = {}
    if claim is not None:
        for name in CLAIM_FIELDS:
            field = Claim._meta.get_field(name)
            data[name] = _plain(getattr(claim, field.name))
        data["note_is_public"] = "on" if claim.note_is_public else ""
        data["version"] = claim.version
        if citations is None:
            citations = [
                {
                    "id": c.pk,
                    "source": c.source_id,
                    "locator": c.locator,
                    "stance": c.stance,
                    "quote": c.quote,
                    "translation": c.translation,
                    "version": c.version,
                    "verified": "on" if c.is_verified else "",
                }
                for c in claim.citations.all()
            ]
    else:
        data.update({name: "" for name in CLAIM_FIELDS})
        data.update({"value_kind": "value", "rank": "normal", "status": "draft"})
    citations = citations or []
    initial = sum(1 for row in citations if row.get("id"))
    data.update(
        {
            "citations-TOTAL_FORMS": len(citations),
            "citations-INITIAL_FORMS": initial,
            "citations-MIN_NUM_FORMS": 0,
            "citations-MAX_NUM_FORMS": 1000,
        }
    )
    for index, row in enumerate(citations):
        row = {
            "claim": claim.pk if claim else "",
            "locator": "",
            "stance": "supports",
            "translation": "",
            "version": "",
            "id": "",
            **row,
        }
        if not row.get("verified"):
            row.pop("verified", None)
        for key, value in row.items():
            data[f"citations-{index}-{key}"] = _plain(value)
    data["change_reason"] = reason
    data.update({key: _plain(value) for key, value in changes.items()})
    return {key: value for key, value in data.items() if value is not None}
