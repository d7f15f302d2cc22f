"""Read-only, cacheable and fast: methods, conditional GET and query counts."""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import PublicChange
from events.models import Event
from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source


@pytest.fixture
def urls(site):
    return [
        "/",
        "/entities/",
        "/entities/?kind=place",
        site.org.get_absolute_url(),
        f"{site.org.get_absolute_url()}?as_of={timezone.localdate()}",
        "/events/",
        "/events/?year=2015",
        site.bardo_attack.get_absolute_url(),
        f"{site.bardo_attack.get_absolute_url()}?as_of={timezone.localdate()}",
        "/sources/",
        site.article.get_absolute_url(),
        "/search/?q=tunisia",
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
def test_every_method_but_get_and_head_is_refused(urls, client, method):
    for url in urls:
        response = client.generic(method.upper(), url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD"


def test_head_answers_like_get_without_a_body(urls, client):
    for url in urls:
        response = client.head(url)
        assert response.status_code == 200 and response.content == b"", url
        assert response["ETag"]


def test_a_conditional_get_is_answered_with_304_until_something_changes(urls, client, site):
    etags = {}
    for url in urls:
        response = client.get(url)
        etags[url] = response["ETag"]
        assert client.get(url, headers={"if-none-match": etags[url]}).status_code == 304, url
    make_claim(property="ideology", entity=site.org, value_text="A new ideology")
    for url in urls:
        response = client.get(url, headers={"if-none-match": etags[url]})
        assert response.status_code == 200 and response["ETag"] != etags[url], url


def test_a_deletion_changes_the_etag_too(db, client):
    claim = make_claim(property="ideology")
    url = claim.entity.get_absolute_url()
    etag = client.get(url)["ETag"]
    claim.delete()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_a_change_committed_late_changes_the_etag_though_the_newest_id_does_not(db, client):
    # Ids are taken when a transaction writes, not when it commits: a change that commits
    # after a later one adds a row with an id below the newest.
    make_entity(label="Early")
    make_entity(label="Later")
    late = PublicChange.objects.order_by("pk").first()
    newest = PublicChange.objects.aggregate(newest=Max("pk"))["newest"]
    assert late.pk < newest
    PublicChange.objects.filter(pk=late.pk).delete()  # not yet committed when first read
    etag = client.get("/entities/")["ETag"]
    late.save(force_insert=True)  # now committed, under its original, lower id
    assert PublicChange.objects.aggregate(newest=Max("pk"))["newest"] == newest
    response = client.get("/entities/", headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_pages_with_different_addresses_have_different_etags(site, client):
    assert client.get("/events/")["ETag"] != client.get("/events/?year=2015")["ETag"]


# Query counts: a detail page costs the same whether it shows 5 claims or 500.


def entity_with_claims(n):
    """An entity with about ``n`` public claims about it or pointing at it, of every sort shown."""
    entity = make_entity()
    source = make_source()
    for i in range(n // 5):
        cited = [
            make_claim(
                property="alias",
                entity=entity,
                value_text=f"Name {i}",
                value_language="ar",
                cite=False,
            ),
            make_claim(
                property="ally", entity=entity, value_entity=make_entity(), start="2014", cite=False
            ),
            make_claim(
                property="member_count",
                entity=entity,
                value_quantity=i + 1,
                point_in_time="2018",
                cite=False,
                rank=Claim.Rank.DEPRECATED if i % 2 else Claim.Rank.NORMAL,
                rank_reason="Reason." if i % 2 else "",
            ),
            make_claim(property="perpetrator", event=make_event(), value_entity=entity, cite=False),
            make_claim(property="leader", entity=make_entity(), value_entity=entity, cite=False),
        ]
        make_claim(property="date", event=cited[3].event, value_date=f"20{i % 20 + 10}-03")
        for claim in cited:
            make_citation(claim=claim, source=source)
    return entity


def event_with_claims(n):
    event = make_event()
    source = make_source()
    for i in range(n // 5):
        cited = [
            make_claim(
                property="date", event=event, value_date=f"2015-03-{i % 28 + 1:02d}", cite=False
            ),
            make_claim(property="participant", event=event, value_entity=make_entity(), cite=False),
            make_claim(property="killed", event=event, value_quantity=i, cite=False),
            make_claim(
                property="title",
                event=event,
                value_text=f"Title {i}",
                value_language="en",
                cite=False,
            ),
            make_claim(
                property="concerns",
                event=make_event(kind=Event.Kind.TRIAL),
                value_event=event,
                cite=False,
            ),
            make_claim(
                property="perpetrator",
                event=event,
                value_entity=make_entity(),
                according_to=make_entity(),
                cite=False,
            ),
            make_claim(
                property="killed", event=event, value_quantity=i, part="civilians", cite=False
            ),
        ]
        for claim in cited:
            make_citation(claim=claim, source=source)
        make_citation(claim=cited[1], source=source, quote="Not so.", stance="disputes")
    return event


def source_with_claims(n):
    source = make_source()
    for _ in range(n):
        claim = make_claim(property="ally", according_to=make_entity(), cite=False)
        make_citation(claim=claim, source=source)
    return source


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "build, suffix",
    [
        (entity_with_claims, ""),
        (entity_with_claims, "?as_of={today}"),
        (event_with_claims, ""),
        (event_with_claims, "?as_of={today}"),
        (source_with_claims, ""),
    ],
    ids=["entity", "entity-as-of", "event", "event-as-of", "source"],
)
def test_a_detail_page_costs_the_same_queries_for_5_claims_as_for_500(
    db, client, django_assert_num_queries, build, suffix
):
    suffix = suffix.format(today=timezone.localdate())
    small = build(5).get_absolute_url() + suffix
    big_object = build(500)
    expected = queries_for(client, small)
    assert expected <= 16
    with django_assert_num_queries(expected):
        response = client.get(big_object.get_absolute_url() + suffix)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<sup class="fn">') + page.count('<li id="citation-') >= 100


@pytest.mark.parametrize("url", ["/", "/entities/", "/events/", "/sources/", "/search/?q=entity"])
def test_a_list_page_costs_the_same_queries_however_many_rows(db, client, url):
    def grow(n):
        source = make_source()
        for _ in range(n):
            claim = make_claim(
                property="date", event=make_event(), value_date="2015-03", cite=False
            )
            make_citation(claim=claim, source=source)
            make_citation(
                claim=make_claim(
                    property="alias", value_text="Entity alias", value_language="en", cite=False
                )
            )

    grow(3)
    few = queries_for(client, url)
    grow(60)
    assert queries_for(client, url) == few


def test_an_etag_costs_one_query(db, client):
    from django.test import RequestFactory

    from core.http import content_etag

    with CaptureQueriesContext(connection) as queries:
        content_etag(RequestFactory().get("/"))
    assert len(queries) == 1


def test_the_timeline_date_of_then_is_used_on_past_pages(db, fetch):
    entity = make_entity()
    event = make_event()
    make_claim(property="date", event=event, value_date="2016")
    make_claim(property="perpetrator", event=event, value_entity=entity)
    page = fetch(f"{entity.get_absolute_url()}?as_of={timezone.localdate()}")
    assert '<time datetime="2016">2016</time>' in page
