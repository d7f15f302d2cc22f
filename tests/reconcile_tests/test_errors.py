import json

import pytest


def refused(response, parameter):
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["parameter"] == parameter
    return answer["message"]


@pytest.mark.parametrize(
    "queries, says",
    [
        ("not json", "JSON"),
        ("{'q0': 1}", "JSON"),
        ("[" * 100_000, "JSON"),
        ("1" * 5000, "JSON"),
        ('{"q0": {"query": "Jund", "limit": NaN}}', "JSON"),
        ('{"q0": {"query": "Jund\\ud800"}}', "Unicode"),
        ("[]", "object"),
        ('"Jund"', "object"),
        (json.dumps({"q0": "Jund"}), "object"),
        (json.dumps({"q0": {"query": 5}}), "query"),
        (json.dumps({"q0": {"query": None}}), "query"),
        (json.dumps({"q0": {"query": "x" * 201}}), "200"),
        (json.dumps({"q0": {"query": "Jund", "limit": 0}}), "limit"),
        (json.dumps({"q0": {"query": "Jund", "limit": -3}}), "limit"),
        (json.dumps({"q0": {"query": "Jund", "limit": "3"}}), "limit"),
        (json.dumps({"q0": {"query": "Jund", "limit": True}}), "limit"),
        (json.dumps({"q0": {"query": "Jund", "type": "galaxy"}}), "galaxy"),
        (json.dumps({"q0": {"query": "Jund", "type": 3}}), "type"),
        (json.dumps({"q0": {"query": "Jund", "type": ["person", "planet"]}}), "planet"),
        (json.dumps({"q0": {"query": "Jund", "properties": "country"}}), "properties"),
        (json.dumps({"q0": {"query": "Jund", "properties": [{"v": "Tunisia"}]}}), "pid"),
        (json.dumps({"q0": {"query": "Jund", "properties": [{"pid": 1, "v": "x"}]}}), "pid"),
        (json.dumps({"q0": {"query": "Jund", "properties": [{"pid": "country", "v": {}}]}}), "id"),
        (
            json.dumps({"q0": {"query": "Jund", "properties": [{"pid": "country", "v": [[1]]}]}}),
            "value",
        ),
        (
            json.dumps({"q0": {"query": "J", "properties": [{"pid": "country", "v": "x" * 201}]}}),
            "200",
        ),
        (json.dumps({f"q{n}": {"query": "Jund"} for n in range(101)}), "100"),
    ],
)
def test_malformed_queries_are_refused_saying_what_is_wrong(client, db, queries, says):
    for method in (client.get, client.post):
        message = refused(method("/reconcile", {"queries": queries}), "queries")
        assert says in message


def test_what_the_specification_allows_is_answered(client, db):
    queries = {
        "no name": {"properties": [{"pid": "country", "v": "Tunisia"}]},
        "a fractional limit": {"query": "Jund", "limit": 2.5},
        "a boolean value": {"query": "Jund", "properties": [{"pid": "status", "v": True}]},
    }
    response = client.post("/reconcile", {"queries": json.dumps(queries)})
    assert response.status_code == 200
    assert response.json()["no name"] == {"result": []}


def test_the_query_at_fault_is_named(client, db):
    queries = json.dumps({"good": {"query": "Jund"}, "bad": {"query": "Jund", "limit": 0}})
    assert "“bad”" in refused(client.get("/reconcile", {"queries": queries}), "queries")


@pytest.mark.parametrize(
    "extension",
    [
        "{",
        "[]",
        json.dumps({"properties": [{"id": "inception"}]}),
        json.dumps({"ids": "jund", "properties": [{"id": "inception"}]}),
        json.dumps({"ids": [1], "properties": [{"id": "inception"}]}),
        json.dumps({"ids": ["jund"]}),
        json.dumps({"ids": ["jund"], "properties": ["inception"]}),
        json.dumps({"ids": ["jund"], "properties": [{"id": None}]}),
        json.dumps({"ids": ["x"] * 501, "properties": []}),
    ],
)
def test_malformed_extension_requests_are_refused(client, db, extension):
    assert refused(client.get("/reconcile", {"extend": extension}), "extend")


@pytest.mark.parametrize(
    "url, params, parameter",
    [
        ("/reconcile/suggest/entity", {"prefix": "x" * 201}, "prefix"),
        ("/reconcile/suggest/entity", {"prefix": "a", "cursor": "-1"}, "cursor"),
        ("/reconcile/suggest/entity", {"prefix": "a", "cursor": "9" * 5000}, "cursor"),
        ("/reconcile/suggest/entity", {"prefix": "a", "type": "galaxy"}, "type"),
        ("/reconcile/suggest/type", {"prefix": "x" * 201}, "prefix"),
        ("/reconcile/suggest/property", {"prefix": "x" * 201}, "prefix"),
        ("/reconcile/extend/propose", {"type": "galaxy"}, "type"),
        ("/reconcile/extend/propose", {"type": "organization", "limit": "0"}, "limit"),
        ("/reconcile/extend/propose", {"type": "organization", "limit": "ten"}, "limit"),
    ],
)
def test_malformed_parameters_of_the_other_services_are_refused(client, db, url, params, parameter):
    assert refused(client.get(url, params), parameter)


def test_errors_come_back_as_jsonp_when_asked(client, db):
    response = client.get("/reconcile", {"queries": "nope", "callback": "cb"})
    assert response.status_code == 400
    assert response.content.decode().startswith('/**/cb({"message": ')


def test_text_no_database_takes_is_read_as_naming_nothing(site, client):
    nul = "jund\u0000al"
    queries = {"q0": {"query": nul, "properties": [{"pid": "allegiance", "v": {"id": nul}}]}}
    assert client.get("/reconcile", {"queries": json.dumps(queries)}).status_code == 200
    extension = {"ids": [nul, site.org.slug], "properties": [{"id": nul}]}
    response = client.get("/reconcile", {"extend": json.dumps(extension)})
    assert response.status_code == 200
    assert response.json()["rows"] == {nul: {nul: []}, site.org.slug: {nul: []}}
    assert client.get("/reconcile/preview", {"id": nul}).status_code == 404
    assert client.get("/reconcile/suggest/entity", {"prefix": nul}).status_code == 200
    for value in ("Infinity", "NaN", "1e999999", "-", {"id": "x" * 10_000}):
        query = {"query": "Jund", "properties": [{"pid": "member_count", "v": value}]}
        response = client.get("/reconcile", {"queries": json.dumps({"q0": query})})
        assert response.status_code == 200, value
