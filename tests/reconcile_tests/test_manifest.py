import json

import pytest

from entities.models import Entity


def test_manifest_describes_the_service(client, db):
    manifest = client.get("/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"] == "Armed groups database"
    assert manifest["identifierSpace"] == "http://testserver/entities/"
    assert manifest["schemaSpace"] == "http://testserver/api/v1/"
    assert manifest["view"] == {"url": "http://testserver/entities/{{id}}/"}
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview?id={{id}}"
    assert manifest["preview"]["width"] > 0 and manifest["preview"]["height"] > 0
    assert manifest["extend"]["property_settings"] == []


def test_default_types_are_the_kinds_of_entity(client, db):
    types = client.get("/reconcile").json()["defaultTypes"]
    assert types == [{"id": kind, "name": label} for kind, label in Entity.Kind.choices]
    assert {"id": "organization", "name": "Organization"} in types


@pytest.mark.parametrize(
    "service", [("suggest", "entity"), ("suggest", "type"), ("suggest", "property")]
)
def test_suggest_services_answer_where_the_manifest_says(client, db, service):
    group, name = service
    endpoint = client.get("/reconcile").json()[group][name]
    url = endpoint["service_url"] + endpoint["service_path"]
    assert url.startswith("http://testserver/reconcile/suggest/")
    response = client.get(url.removeprefix("http://testserver"), {"prefix": "a"})
    assert response.status_code == 200
    assert "result" in response.json()


def test_propose_properties_answers_where_the_manifest_says(client, db):
    endpoint = client.get("/reconcile").json()["extend"]["propose_properties"]
    url = (endpoint["service_url"] + endpoint["service_path"]).removeprefix("http://testserver")
    assert url == "/reconcile/extend/propose"
    assert client.get(url, {"type": "organization"}).status_code == 200


def test_manifest_as_jsonp(client, db):
    response = client.get("/reconcile", {"callback": "jQuery3410_1700"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert body.startswith("/**/jQuery3410_1700(") and body.endswith(");")
    manifest = json.loads(body.removeprefix("/**/jQuery3410_1700(").removesuffix(");"))
    assert manifest["versions"] == ["0.2"]


@pytest.mark.parametrize(
    "callback", ["alert(1)//", "a b", "<script>", "1abc", "", "x" * 300, "ünicode"]
)
def test_a_callback_that_is_not_a_javascript_name_is_refused(client, db, callback):
    response = client.get("/reconcile", {"callback": callback})
    assert response.status_code == 400
    assert response.json()["parameter"] == "callback"
    assert callback not in response.content.decode() or callback == ""


def test_only_reading_methods_are_answered(client, db):
    assert client.put("/reconcile").status_code == 405
    assert client.delete("/reconcile").status_code == 405
    assert client.post("/reconcile/suggest/entity", {"prefix": "a"}).status_code == 405
