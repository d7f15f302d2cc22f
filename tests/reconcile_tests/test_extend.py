import json

from sources.models import Claim
from tests.conftest import make_claim, make_entity


def extend(client, ids, properties):
    extension = {"ids": ids, "properties": [{"id": code} for code in properties]}
    response = client.get("/reconcile", {"extend": json.dumps(extension)})
    assert response.status_code == 200, response.content
    return response.json()


def test_extend_gives_the_best_public_values(site, client):
    answer = extend(
        client,
        [site.org.slug],
        [
            "inception",
            "allegiance",
            "member_count",
            "ideology",
            "native_name",
            "area_of_operations",
        ],
    )
    row = answer["rows"][site.org.slug]
    assert row["inception"] == [{"str": "September 2014"}]  # not 2013
    assert row["allegiance"] == [{"id": "islamic-state", "name": "Islamic State"}]
    assert row["member_count"] == [{"float": 100.0}]
    assert row["ideology"] == [{"str": "Islamic Statism"}]
    assert row["native_name"] == [{"str": "جند الخلافة في تونس"}]
    assert {cell["id"] for cell in row["area_of_operations"]} == {
        "chambi-mountains",
        "kasserine-governorate",
    }


def test_extend_prefers_preferred_claims_and_drops_deprecated_ones(site, client):
    first, second, third = (make_entity(label=f"Front {n}") for n in range(3))
    ranked = make_entity(label="Ranked Brigade")
    unranked = make_entity(label="Unranked Brigade")
    for entity in (ranked, unranked):
        make_claim(entity=entity, property="allegiance", value_entity=second)
        make_claim(
            entity=entity,
            property="allegiance",
            value_entity=third,
            rank=Claim.Rank.DEPRECATED,
            rank_reason="A misreading.",
        )
    make_claim(
        entity=ranked,
        property="allegiance",
        value_entity=first,
        rank=Claim.Rank.PREFERRED,
        rank_reason="The group's own statement.",
    )
    rows = extend(client, [ranked.slug, unranked.slug], ["allegiance"])["rows"]
    assert rows[ranked.slug]["allegiance"] == [{"id": first.slug, "name": "Front 0"}]
    assert rows[unranked.slug]["allegiance"] == [{"id": second.slug, "name": "Front 1"}]


def test_extend_meta_follows_the_request(site, client):
    answer = extend(client, [site.org.slug], ["ideology", "allegiance", "no-such", "country"])
    assert answer["meta"] == [
        {"id": "ideology", "name": "ideology"},
        {
            "id": "allegiance",
            "name": "allegiance",
            "type": {"id": "organization", "name": "Organization"},
        },
        {"id": "no-such", "name": "no-such"},
        {"id": "country", "name": "country", "type": {"id": "country", "name": "Country"}},
    ]
    assert answer["rows"][site.org.slug]["no-such"] == []


def test_extend_answers_every_id_asked_for(site, client):
    hidden = make_entity(label="Unpublished Front", published=False)
    make_claim(entity=hidden, property="inception", value_date="2010")
    ids = [site.org.slug, "no-such-entity", hidden.slug, site.leader.slug]
    rows = extend(client, ids, ["inception", "killed"])["rows"]
    assert list(rows) == ids
    assert rows["no-such-entity"] == {"inception": [], "killed": []}
    assert rows[hidden.slug] == {"inception": [], "killed": []}
    assert rows[site.leader.slug] == {"inception": [], "killed": []}
    assert rows[site.org.slug]["killed"] == []  # a property of events
    # Unknown value ("headquarters": unknown) gives no cell.
    assert extend(client, [site.org.slug], ["headquarters"])["rows"][site.org.slug] == {
        "headquarters": []
    }


def test_extend_can_be_posted(site, client):
    extension = {"ids": [site.org.slug], "properties": [{"id": "dissolution"}]}
    response = client.post("/reconcile", {"extend": json.dumps(extension)})
    assert response.json()["rows"][site.org.slug]["dissolution"] == [{"str": "April 2024"}]


def test_extend_asks_the_database_the_same_for_one_id_as_for_five(
    site, client, django_assert_num_queries
):
    properties = ["inception", "allegiance", "member_count", "area_of_operations"]
    slugs = [site.org.slug, site.leader.slug, site.ansar.slug, site.tunisia.slug, site.chambi.slug]
    # Entities, properties, their claims, and the kinds of entity values.
    with django_assert_num_queries(4):
        extend(client, slugs[:1], properties)
    with django_assert_num_queries(4):
        answer = extend(client, slugs, properties)
    assert answer["rows"][site.org.slug]["allegiance"][0]["id"] == "islamic-state"
