"""The read API: what each endpoint returns, its filters, pages, errors and caching."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Source
from tests.conftest import make_claim, make_entity, make_user
from tests.public_tests.dataset import ARABIC_NAME, ORGANIZATION_SLUG

ORG = f"/api/v1/entities/{ORGANIZATION_SLUG}"


def walk(get, url):
    """Every result of a paged list, following ``next``; and the number of pages."""
    results, pages = [], 0
    while url:
        page = get(url)
        results += page["results"]
        pages += 1
        url = page["next"]
    return results, pages


def statement(detail, code):
    return next(group for group in detail["statements"] if group["property"]["code"] == code)


def test_the_entity_list_pages_through_every_public_entity_once(site, get):
    make_entity(label="Hidden group", published=False)
    results, pages = walk(get, "/api/v1/entities?page_size=3")
    slugs = [entity["slug"] for entity in results]
    assert sorted(slugs) == sorted(Entity.objects.public().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) and pages > 2
    assert "Hidden group" not in str(results)
    first = results[0]
    assert first["page_url"] == f"http://testserver/entities/{first['slug']}/"
    assert first["api_url"] == f"http://testserver/api/v1/entities/{first['slug']}"


def test_a_cursor_keeps_its_place_while_entities_are_added(site, get):
    page = get("/api/v1/entities?page_size=2")
    make_entity(label="Added meanwhile")
    rest, _ = walk(get, page["next"])
    seen = [e["slug"] for e in page["results"] + rest]
    assert len(seen) == len(set(seen)) == Entity.objects.public().count()


def test_entities_are_filtered_by_kind_name_and_time_of_change(site, get):
    people = get("/api/v1/entities?kind=person")["results"]
    assert {e["kind"] for e in people} == {"person"} and people
    for spelling in ("Jund al Khilafa", ARABIC_NAME, "jund al-khilafah in tunisia"):
        found = get(f"/api/v1/entities?name={spelling}")["results"]
        assert ORGANIZATION_SLUG in [e["slug"] for e in found], spelling
    long_ago = timezone.now() - datetime.timedelta(days=5)
    Entity.objects.exclude(slug=ORGANIZATION_SLUG).update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    recent = get("/api/v1/entities", data={"updated_since": since})["results"]
    assert [e["slug"] for e in recent] == [ORGANIZATION_SLUG]


def test_an_entity_reads_as_statements_with_ranks_qualifiers_and_references(site, get):
    detail = get(ORG)
    assert detail["label"] == "Jund al-Khilafah in Tunisia" and detail["as_of"] is None
    inception = statement(detail, "inception")["values"]
    assert [v["rank"] for v in inception] == ["preferred", "deprecated"]
    assert inception[0]["value"] == {
        "edtf": "2014-09",
        "earliest": "2014-09-01",
        "latest": "2014-09-30",
        "text": "September 2014",
    }
    assert inception[1]["rank_reason"] == "A 2013 attack attributed later is not the founding."
    reference = inception[0]["references"][0]
    assert reference["quote"] == "Jund al-Khilafah in Tunisia was established in September 2014"
    assert reference["source"]["title"] == "Islamic State – Tunisia Province"
    assert reference["verified"] is False and reference["stance"] == "supports"
    leader = statement(detail, "leader")["values"][0]
    assert leader["value"]["slug"] == "ashraf-al-qizani"
    assert leader["qualifiers"]["start"]["text"] == "September 2014"
    assert leader["qualifiers"]["text"] == "from September 2014"
    members = statement(detail, "member_count")["values"][0]
    assert members["value"] == {"amount": 100, "low": None, "high": None}
    assert members["note"] == "The infobox gives the same figure."
    native = statement(detail, "native_name")["values"][0]["value"]
    assert native == {"text": ARABIC_NAME, "language": "ar"}
    unknown = statement(detail, "headquarters")["values"][0]
    assert unknown["value_kind"] == "unknown" and unknown["value"] is None


def test_a_verified_citation_says_so_and_not_who_verified_it(site, get):
    citation = Citation.objects.filter(claim__property__code="ideology").first()
    reviewer = make_user("vera_reviewer", role="Reviewer")
    citation.verified_by, citation.verified_at = reviewer, timezone.now()
    citation.save()
    ideology = statement(get(ORG), "ideology")["values"][0]["references"][0]
    assert ideology["verified"] is True
    assert ideology["verified_on"] == timezone.now().date().isoformat()
    assert "vera_reviewer" not in str(get(ORG))


def test_an_event_has_its_date_and_the_entities_name_it(site, get):
    event = get(f"/api/v1/events/{site.bardo_attack.slug}")
    assert event["date"]["edtf"] == "2015-03-18"
    listed = get("/api/v1/events?kind=attack")["results"]
    assert site.bardo_attack.slug in [e["slug"] for e in listed]
    assert all(e["kind"] == "attack" for e in listed)
    named_by = get(ORG)["named_by"]
    assert {c["subject"]["slug"] for c in named_by} >= {site.bardo_attack.slug}


def test_sources_list_and_detail(site, get):
    sources, _ = walk(get, "/api/v1/sources?page_size=1")
    assert {s["title"] for s in sources} == set(
        Source.objects.public().values_list("title", flat=True)
    )
    one = get(f"/api/v1/sources/{sources[0]['id']}")
    assert one["reliability"]["grade"] in "ABCDEF" and "archived_text" not in one
    hidden = Source.objects.create(kind="news", title="Cited by nothing public")
    get(f"/api/v1/sources/{hidden.pk}", status=404)


def test_claims_are_filtered_by_subject_property_rank_and_change(site, get):
    by_subject = walk(get, f"/api/v1/claims?subject={ORGANIZATION_SLUG}&page_size=5")[0]
    assert {c["subject"]["slug"] for c in by_subject} == {ORGANIZATION_SLUG}
    assert len(by_subject) == Claim.objects.public().filter(entity=site.org).count()
    deprecated = get("/api/v1/claims?rank=deprecated")["results"]
    assert [c["property"] for c in deprecated] == ["inception"]
    inception = get(f"/api/v1/claims?property=inception&subject={ORGANIZATION_SLUG}")["results"]
    assert len(inception) == 2
    long_ago = timezone.now() - datetime.timedelta(days=5)
    for model in (Claim, Citation, Entity, Event, Source):
        model.objects.update(updated_at=long_ago)
    citation = Citation.objects.filter(claim__property__code="ideology").first()
    citation.locator = "Infobox, Ideology"
    citation.save()
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    changed = get("/api/v1/claims", data={"updated_since": since})["results"]
    assert [c["id"] for c in changed] == [citation.claim_id]


def test_claims_that_come_into_view_count_as_changed(site, get):
    hidden = make_entity(label="Published later", published=False)
    claim = make_claim(property="ideology", entity=hidden, value_text="Seen only now")
    long_ago = timezone.now() - datetime.timedelta(days=5)
    for model in (Claim, Citation, Entity, Event, Source):
        model.objects.update(updated_at=long_ago)
    hidden.refresh_from_db()
    hidden.published = True
    hidden.save()
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    changed = get("/api/v1/claims", data={"updated_since": since})["results"]
    assert [c["id"] for c in changed] == [claim.pk]


def test_a_merged_entity_redirects_to_the_survivor(site, client):
    merged = make_entity(label="Old name", merged_into=site.org)
    response = client.get(f"/api/v1/entities/{merged.slug}")
    assert response.status_code == 301 and response["Location"] == ORG


def test_an_entity_as_of_a_past_day(site, get):
    claim = make_claim(
        property="ideology", entity=site.org, value_text="Later ideology", status="draft"
    )
    for model in (Entity, Event, Source, Claim, Citation):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=3))
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    day = timezone.localdate() - datetime.timedelta(days=1)
    past = get(f"{ORG}?as_of={day}")
    assert past["as_of"] == day.isoformat()
    assert "Later ideology" not in str(past) and "Later ideology" in str(get(ORG))
    assert statement(past, "inception")["values"][0]["value"]["edtf"] == "2014-09"
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    assert "No public entity" in get(f"{ORG}?as_of={long_ago}", status=404)["message"]


def test_a_dispute_is_told_as_the_page_tells_it_hidden_rivals_left_out(site, get, client):
    make_claim(property="dissolution", entity=site.org, value_date="2019", status="draft")
    dissolution = statement(get(ORG), "dissolution")["values"]
    assert [(c["disputed"], c["dispute_open"]) for c in dissolution] == [(False, False)]
    rival = make_claim(property="dissolution", entity=site.org, value_date="2019")
    dissolution = statement(get(ORG), "dissolution")["values"]
    assert [(c["disputed"], c["dispute_open"]) for c in dissolution] == [(True, True)] * 2
    listed = get(f"/api/v1/claims?subject={ORGANIZATION_SLUG}&property=dissolution")["results"]
    assert {c["id"]: c["disputed"] for c in listed} == {c["id"]: True for c in dissolution}
    assert rival.pk in {c["id"] for c in listed}
    page = client.get(site.org.get_absolute_url()).content.decode()
    assert "Disputed" in page


def test_a_normal_claims_rank_reason_stays_in(site, get):
    make_claim(property="ideology", entity=site.org, value_text="x", rank_reason="Ask Rafael")
    assert "Ask Rafael" not in str(get(ORG)) and "Ask Rafael" not in str(get("/api/v1/claims"))


def test_head_is_answered_and_other_sites_may_send_conditional_gets(site, client):
    assert client.head("/api/v1/entities").status_code == 200
    preflight = client.options(
        "/api/v1/entities",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_a_subject_type_tells_an_entity_from_an_event_of_the_same_slug(site, get):
    from tests.conftest import make_event

    twin = make_event(slug=ORGANIZATION_SLUG, label="An event of the same slug")
    make_claim(property="date", event=twin, value_date="2016")
    both = get(f"/api/v1/claims?subject={ORGANIZATION_SLUG}&page_size=500")["results"]
    assert {c["subject"]["type"] for c in both} == {"entity", "event"}
    events = get(f"/api/v1/claims?subject={ORGANIZATION_SLUG}&subject_type=event")["results"]
    assert {c["subject"]["type"] for c in events} == {"event"}


def test_the_root_points_at_the_documentation_and_the_lists(db, get):
    root = get("/api/v1/")
    assert root["docs"].endswith("/api/v1/docs") and root["claims"].endswith("/api/v1/claims")


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/entities?kind=militia", "kind"),
        ("/api/v1/events?kind=picnic", "kind"),
        ("/api/v1/entities?page_size=0", "page_size"),
        ("/api/v1/entities?page_size=100000", "page_size"),
        ("/api/v1/entities?cursor=abc", "cursor"),
        ("/api/v1/entities?cursor=-1", "cursor"),
        ("/api/v1/entities?updated_since=yesterday", "updated_since"),
        ("/api/v1/entities?updated_since=", "updated_since"),
        ("/api/v1/entities?updated_since=0001-01-01T00:00:00%2B05:00", "updated_since"),
        ("/api/v1/entities?updated_since=9999-12-31T23:59:59-05:00", "updated_since"),
        ("/api/v1/entities?name=a%00b", "name"),
        ("/api/v1/claims?subject=%00", "subject"),
        ("/api/v1/claims?property=a%00", "property"),
        (f"{ORG}?as_of=0", "as_of"),
        (f"{ORG}?as_of=2024-01-01T00:00", "as_of"),
        ("/api/v1/entities?name=" + "x" * 300, "name"),
        ("/api/v1/claims?rank=best", "rank"),
        ("/api/v1/claims?property=nonsense", "property"),
        ("/api/v1/claims?subject=nobody-at-all", "subject"),
        (f"{ORG}?as_of=2024-02-30", "as_of"),
        (f"{ORG}?as_of=yesterday", "as_of"),
        (f"{ORG}?as_of=2999-01-01", "as_of"),
    ],
)
def test_a_bad_parameter_is_a_json_400_naming_it(site, get, url, parameter):
    error = get(url, status=400)
    assert error["parameter"] == parameter and error["message"]


@pytest.mark.parametrize(
    "url", ["/api/v1/entities/nobody", "/api/v1/events/nothing", "/api/v1/sources/999999"]
)
def test_an_unknown_record_is_a_json_404(site, get, url):
    assert "No public" in get(url, status=404)["message"]


@pytest.mark.parametrize("url", ["/api/v1/entities/a%00", "/api/v1/events/a%00b"])
def test_an_address_that_cannot_be_a_slug_is_a_json_404(site, get, url):
    assert get(url, status=404)["parameter"] is None


def test_an_unknown_address_is_a_json_404(db, get):
    assert "/api/v1/docs" in get("/api/v1/people", status=404)["message"]
    assert get("/api/v2/entities", status=404)["parameter"] is None


def test_the_api_is_read_only(site, client):
    for method in (client.post, client.put, client.delete, client.patch):
        assert method("/api/v1/entities").status_code == 405


def test_a_conditional_get_is_answered_304_until_something_changes(site, client):
    first = client.get(ORG)
    etag = first["ETag"]
    assert client.get(ORG, HTTP_IF_NONE_MATCH=etag).status_code == 304
    site.org.description = "Changed."
    site.org.save()
    again = client.get(ORG, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_any_web_page_may_read_the_api(site, client):
    response = client.get("/api/v1/entities", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_schema_is_openapi_3_1_and_the_docs_work_offline(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/entities", "/api/v1/entities/{slug}", "/api/v1/claims"} <= set(schema["paths"])
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "https://" not in docs
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_queries_stay_flat_whatever_the_page_size(site, get, django_assert_num_queries):
    for number in range(30):
        make_claim(property="ideology", entity=site.org, value_text=f"Idea {number}")
    for url, queries in (
        ("/api/v1/entities?page_size={}", 2),
        ("/api/v1/events?page_size={}", 3),
        ("/api/v1/sources?page_size={}", 2),
        ("/api/v1/claims?page_size={}", 5),
    ):
        for size in (2, 40):
            with django_assert_num_queries(queries):
                get(url.format(size))
