def ids(response):
    assert response.status_code == 200
    return [item["id"] for item in response.json()["result"]]


def test_suggest_entity_finds_by_any_public_name(site, client):
    response = client.get("/reconcile/suggest/entity", {"prefix": "Jund al-Khil"})
    assert ids(response)[0] == site.org.slug
    first = response.json()["result"][0]
    assert first == {
        "id": site.org.slug,
        "name": "Jund al-Khilafah in Tunisia",
        "description": site.org.description,
    }
    assert ids(client.get("/reconcile/suggest/entity", {"prefix": "Qasrin"})) == [
        site.kasserine.slug
    ]


def test_suggest_entity_by_type_and_page(site, client):
    places = ids(client.get("/reconcile/suggest/entity", {"prefix": "Tunisia", "type": "country"}))
    assert places == ["tunisia"]
    everything = ids(client.get("/reconcile/suggest/entity", {"prefix": "Islamic"}))
    assert len(everything) > 1
    rest = ids(client.get("/reconcile/suggest/entity", {"prefix": "Islamic", "cursor": "1"}))
    assert rest == everything[1:]


def test_suggest_entity_without_a_prefix_suggests_nothing(site, client):
    assert ids(client.get("/reconcile/suggest/entity")) == []


def test_suggest_type(db, client):
    assert ids(client.get("/reconcile/suggest/type", {"prefix": "org"})) == ["organization"]
    assert ids(client.get("/reconcile/suggest/type", {"prefix": "Pl"})) == ["place"]
    assert ids(client.get("/reconcile/suggest/type", {"prefix": "galaxy"})) == []
    assert len(ids(client.get("/reconcile/suggest/type", {"prefix": ""}))) == 5


def test_suggest_property_by_label_or_code(db, client):
    assert "inception" in ids(client.get("/reconcile/suggest/property", {"prefix": "found"}))
    assert "inception" in ids(client.get("/reconcile/suggest/property", {"prefix": "incep"}))
    assert "area_of_operations" in ids(
        client.get("/reconcile/suggest/property", {"prefix": "operations"})
    )
    # Properties of events only are not properties of what this service reconciles.
    assert ids(client.get("/reconcile/suggest/property", {"prefix": "killed"})) == []
    item = client.get("/reconcile/suggest/property", {"prefix": "found"}).json()["result"][0]
    assert item["id"] == "inception" and item["name"] == "founded"


def test_propose_properties_for_a_type(db, client):
    answer = client.get("/reconcile/extend/propose", {"type": "organization"}).json()
    assert answer["type"] == "organization"
    proposed = {item["id"]: item["name"] for item in answer["properties"]}
    assert proposed["inception"] == "founded"
    assert proposed["allegiance"] == "allegiance"
    assert "killed" not in proposed and "perpetrator" not in proposed
    limited = client.get("/reconcile/extend/propose", {"type": "person", "limit": "3"}).json()
    assert len(limited["properties"]) == 3 and limited["limit"] == 3
    assert client.get("/reconcile/extend/propose").status_code == 200
