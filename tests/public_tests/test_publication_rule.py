"""No hidden record ever reaches a public page.

Each kind of record a reader must not see carries a unique marker in its text; every
public page, list, search, source page and past-date page is fetched and none may show it.
"""

import datetime

import pytest
from django.utils import timezone

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Property, Source
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source


@pytest.fixture
def hidden(site, django_user_model):
    """Every kind of hidden record, each with its marker; the markers are returned."""
    org, attack = site.org, site.bardo_attack
    markers = {}

    def mark(name):
        markers[name] = f"zqx{name.replace('_', '')}qzx"
        return markers[name]

    make_claim(
        property="ideology", entity=org, value_text=mark("draft_claim"), status=Claim.Status.DRAFT
    )
    make_claim(
        property="ideology",
        entity=org,
        value_text=mark("in_review_claim"),
        status=Claim.Status.IN_REVIEW,
    )
    make_claim(
        property="ideology",
        entity=org,
        value_text=mark("rejected_claim"),
        status=Claim.Status.REJECTED,
        status_reason=mark("rejection_reason"),
    )
    make_claim(property="ideology", entity=org, value_text=mark("uncited_claim"), cite=False)
    make_claim(
        property="alias",
        entity=org,
        value_text=mark("draft_alias"),
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    make_claim(
        property="title",
        event=attack,
        value_text=mark("draft_title"),
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    make_claim(
        property="killed",
        event=attack,
        value_quantity=999,
        note=mark("internal_note"),
        note_is_public=False,
    )
    make_claim(
        property="ideology", entity=org, value_text="Public value", note=mark("internal_note_2")
    )

    draft_with_source = make_claim(
        property="ideology", entity=org, value_text="x", status=Claim.Status.DRAFT, cite=False
    )
    make_citation(
        claim=draft_with_source,
        source=make_source(title=mark("source_of_draft_only")),
        quote=mark("quote_of_draft"),
        locator=mark("locator_of_draft"),
    )

    unpublished = make_entity(
        label=mark("unpublished_entity"),
        description=mark("unpublished_description"),
        published=False,
    )
    make_claim(
        property="alias",
        entity=unpublished,
        value_text=mark("alias_of_unpublished"),
        value_language="en",
    )
    make_claim(property="ally", entity=org, value_entity=unpublished)
    make_claim(property="leader", entity=unpublished, value_entity=org)

    unpublished_event = make_event(label=mark("unpublished_event"), published=False)
    make_claim(property="date", event=unpublished_event, value_date="2015-03")
    make_claim(property="perpetrator", event=unpublished_event, value_entity=org)
    make_claim(property="concerns", event=site.video, value_event=unpublished_event)

    survivor = make_entity(label="The survivor")
    make_entity(label=mark("merged_entity"), merged_into=survivor, published=True)

    editor = django_user_model.objects.create_user(
        username=mark("editor_username"),
        first_name=mark("editor_first"),
        last_name=mark("editor_last"),
        email=f"{mark('editor_email')}@example.org",
    )
    reviewer = django_user_model.objects.create_user(username=mark("reviewer_username"))
    claim = Claim.objects.filter(
        entity=org, property__code="ideology", status=Claim.Status.PUBLISHED
    ).first()
    citation = claim.citations.first()
    citation.added_by, citation.verified_by, citation.verified_at = editor, reviewer, timezone.now()
    citation._history_user = editor
    citation._change_reason = mark("change_reason")
    citation.save()
    for record in (org, attack):
        record._history_user = editor
        record._change_reason = mark("change_reason_2")
        record.save()

    site.article.archived_text = mark("archived_text")
    site.article.save()
    return markers


def public_urls(site):
    today = timezone.localdate()
    urls = ["/", "/entities/", "/events/", "/sources/", "/search/?q=jund", "/search/?q=tunisia"]
    urls += [f"/entities/?kind={kind}" for kind in Entity.Kind.values]
    urls += [f"/events/?kind={kind}" for kind in Event.Kind.values]
    urls += ["/events/?year=2015", f"/events/?entity={site.org.slug}"]
    for entity in Entity.objects.public():
        urls += [entity.get_absolute_url(), f"{entity.get_absolute_url()}?as_of={today}"]
    for event in Event.objects.public():
        urls += [event.get_absolute_url(), f"{event.get_absolute_url()}?as_of={today}"]
    urls += [source.get_absolute_url() for source in Source.objects.public()]
    return urls


def test_no_hidden_record_reaches_any_public_page(site, hidden, client):
    urls = public_urls(site)
    assert len(urls) > 30
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = response.content.decode()
        for name, marker in hidden.items():
            assert marker not in page, f"{name} shows on {url}"


def test_searching_for_a_hidden_record_finds_nothing(site, hidden, fetch):
    for name, marker in hidden.items():
        page = fetch(f"/search/?q={marker}")
        assert f"No results for “<bdi>{marker}</bdi>”" in page, name
        for other, other_marker in hidden.items():
            assert other == name or other_marker not in page


def test_hidden_records_have_no_page_of_their_own(site, hidden, client):
    for model in (Entity, Event, Source):
        for obj in model.objects.exclude(pk__in=model.objects.public()):
            if getattr(obj, "merged_into_id", None):
                continue
            assert client.get(obj.get_absolute_url()).status_code == 404, obj


def test_no_hidden_record_reaches_a_past_page(site, hidden, client):
    """The same sweep over the pages as they stood yesterday, once every revision is a day older."""
    for model in (Entity, Event, Claim, Citation):
        model.history.update(history_date=timezone.now() - datetime.timedelta(days=1))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for obj in list(Entity.objects.public()) + list(Event.objects.public()):
        page = client.get(f"{obj.get_absolute_url()}?as_of={yesterday}").content.decode()
        for name, marker in hidden.items():
            assert marker not in page, f"{name} shows on {obj} as of {yesterday}"


def test_counts_count_only_public_records(site, hidden, fetch):
    page = fetch("/")
    assert f"<strong>{Claim.objects.public().count()}</strong> cited claims" in page
    assert f"<strong>{Entity.objects.public().count()}</strong> entities" in page
    assert Claim.objects.public().count() < Claim.objects.count()


def api_urls(site):
    today = timezone.localdate()
    urls = [f"/api/v1/{kind}?page_size=500" for kind in ("entities", "events", "sources", "claims")]
    urls += ["/api/v1/openapi.json", "/api/v1/claims?rank=deprecated&page_size=500"]
    for model, path in ((Entity, "entities"), (Event, "events")):
        for obj in model.objects.public():
            urls += [f"/api/v1/{path}/{obj.slug}", f"/api/v1/{path}/{obj.slug}?as_of={today}"]
            urls.append(f"/api/v1/claims?subject={obj.slug}&page_size=500")
    urls += [f"/api/v1/sources/{source.pk}" for source in Source.objects.public()]
    return urls


def test_no_hidden_record_reaches_the_api(site, hidden, client):
    urls = api_urls(site) + [f"/api/v1/entities?name={m}" for m in hidden.values()]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        for name, marker in hidden.items():
            assert marker not in response.content.decode(), f"{name} shows in {url}"


def test_hidden_records_have_no_address_in_the_api(site, hidden, client):
    for model, path in ((Entity, "entities"), (Event, "events")):
        for obj in model.objects.exclude(pk__in=model.objects.public()):
            if getattr(obj, "merged_into_id", None):
                continue
            assert client.get(f"/api/v1/{path}/{obj.slug}").status_code == 404, obj
    for source in Source.objects.exclude(pk__in=Source.objects.public()):
        assert client.get(f"/api/v1/sources/{source.pk}").status_code == 404, source


def test_no_hidden_record_reaches_an_export(site, hidden, client, tmp_path, settings):
    from exports.package import FILES, export

    settings.EXPORTS_DIR = tmp_path
    export(tmp_path)
    for file in FILES:
        text = (tmp_path / file.name).read_text(encoding="utf-8")
        for name, marker in hidden.items():
            assert marker not in text, f"{name} is in {file.name}"
    page = client.get("/exports/").content.decode()
    assert all(marker not in page for marker in hidden.values())


def test_no_hidden_record_reaches_reconciliation(site, hidden, client):
    import json

    names = list(hidden.values()) + [entity.label for entity in Entity.objects.public()]
    queries = {f"q{n}": {"query": name, "limit": 25} for n, name in enumerate(names)}
    slugs = list(Entity.objects.values_list("slug", flat=True))
    codes = [{"id": code} for code in Property.objects.values_list("code", flat=True)]
    answers = [
        client.post("/reconcile", {"queries": json.dumps(queries)}),
        client.post("/reconcile", {"extend": json.dumps({"ids": slugs, "properties": codes})}),
        client.get("/reconcile/extend/propose?type=organization"),
        client.get("/reconcile"),
    ]
    answers += [client.get(f"/reconcile/suggest/entity?prefix={name}") for name in names]
    answers += [client.get(f"/reconcile/preview?id={slug}") for slug in slugs]
    for answer in answers:
        assert answer.status_code in (200, 404)
        text = answer.content.decode()
        for name, marker in hidden.items():
            assert marker not in text, f"{name} reaches reconciliation: {answer.request}"
