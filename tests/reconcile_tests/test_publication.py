"""Nothing a reader may not see reaches any answer of the service."""

import json

from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_source, make_user

MARKER = "zzyzxqar"


def hide_things(site):
    """Records carrying the marker that the publication rule keeps from readers."""
    editor = make_user(f"{MARKER}-editor", role="Editor")
    hidden = make_entity(
        label="Zzyzxqar Hidden Brigade",
        slug="hidden-brigade",
        description="Zzyzxqar unpublished description",
        published=False,
    )
    make_claim(entity=hidden, property="country", value_entity=site.tunisia)
    merged = make_entity(label="Zzyzxqar Merged Front", slug="merged-front", merged_into=site.org)
    make_claim(entity=merged, property="inception", value_date="2001")
    make_claim(
        entity=site.org,
        property="alias",
        value_text="Zzyzxqar Draft Alias",
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    make_claim(
        entity=site.org,
        property="alias",
        value_text="Zzyzxqar Rejected Alias",
        value_language="en",
        status=Claim.Status.REJECTED,
        status_reason="Not a name of the group.",
    )
    make_claim(
        entity=site.org,
        property="alias",
        value_text="Zzyzxqar Uncited Alias",
        value_language="en",
        cite=False,
    )
    make_claim(entity=site.org, property="allegiance", value_entity=hidden)
    make_claim(
        entity=site.org,
        property="ideology",
        value_text="Zzyzxqar draft doctrine",
        status=Claim.Status.DRAFT,
    )
    make_claim(
        entity=site.org,
        property="ideology",
        value_text="Jihadism",
        note="Zzyzxqar internal note",
        according_to=site.org,
    )
    make_claim(
        entity=site.ansar,
        property="ideology",
        value_text="Zzyzxqar on a hidden word",
        according_to=hidden,
    )
    # A published claim whose source, quote and citing editor readers never get from here.
    source = make_source(title="Zzyzxqar secret report", archived_text="Zzyzxqar archived text")
    cited = make_claim(entity=site.org, property="inception", value_date="2014-10", cite=False)
    make_citation(claim=cited, source=source, quote="Zzyzxqar archived text", added_by=editor)
    return hidden, merged


def test_hidden_records_never_reach_any_answer(site, client):
    hidden, merged = hide_things(site)
    names = [
        "Zzyzxqar",
        "Zzyzxqar Hidden Brigade",
        "Zzyzxqar Merged Front",
        "Zzyzxqar Draft Alias",
        "Zzyzxqar Rejected Alias",
        "Zzyzxqar Uncited Alias",
        "Zzyxqar Hiden Brigade",
    ]
    queries = {f"q{n}": {"query": name} for n, name in enumerate(names)}
    queries["constrained"] = {
        "query": "Jund al-Khilafah in Tunisia",
        "properties": [{"pid": "allegiance", "v": "Zzyzxqar Hidden Brigade"}],
    }
    answer = client.get("/reconcile", {"queries": json.dumps(queries)}).json()
    assert all(answer[f"q{n}"]["result"] == [] for n in range(len(names)))
    # The allegiance to the hidden entity is not public: the constraint finds another value.
    constrained = answer["constrained"]["result"][0]
    assert constrained["score"] < 100 and constrained["match"] is False

    all_codes = [
        item["id"] for item in client.get("/reconcile/extend/propose").json()["properties"]
    ]
    extension = {
        "ids": [site.org.slug, site.ansar.slug, hidden.slug, merged.slug],
        "properties": [{"id": code} for code in all_codes],
    }
    extended = client.get("/reconcile", {"extend": json.dumps(extension)}).json()
    assert extended["rows"][hidden.slug] == {code: [] for code in all_codes}
    assert extended["rows"][merged.slug] == {code: [] for code in all_codes}
    assert {"str": "Jihadism"} in extended["rows"][site.org.slug]["ideology"]

    bodies = [
        json.dumps(answer),
        json.dumps(extended),
        client.get("/reconcile").content.decode(),
        client.get("/reconcile/preview", {"id": site.org.slug}).content.decode(),
        client.get("/reconcile/preview", {"id": site.ansar.slug}).content.decode(),
    ]
    for prefix in ("Zzyzxqar", "Zzyz", "Jund"):
        bodies.append(client.get("/reconcile/suggest/entity", {"prefix": prefix}).content.decode())
    for prefix in ("", "zzy", "ideo"):
        bodies.append(
            client.get("/reconcile/suggest/property", {"prefix": prefix}).content.decode()
        )
    for body in bodies:
        assert MARKER not in body.casefold()
    assert client.get("/reconcile/preview", {"id": hidden.slug}).status_code == 404
    assert client.get("/reconcile/preview", {"id": merged.slug}).status_code == 404
