"""The change stamp and the page cache: a page is served from the cache until something a
reader can see changes, whatever the path of the change, and a draft being edited changes
nothing a reader can observe (neither the page nor its ETag)."""

import datetime
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from core import stamp
from core.history import revert, save_with_reason, tracked_models
from core.models import PublicChange
from entities.models import Entity
from sources import disputes
from sources.models import Citation, Claim, Property
from sources.review import services
from tests.conftest import make_citation, make_claim, make_entity, make_source


def _edit(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


@pytest.fixture
def page(site, client, django_assert_num_queries):
    """The seed group's page, read once so that it is in the cache; ``page.fresh()`` says
    whether the next read is rendered anew rather than served from the cache."""

    class Page:
        url = site.org.get_absolute_url()

        def __init__(self):
            self.etag = client.get(self.url)["ETag"]
            with django_assert_num_queries(1):  # the stamp, then the kept page
                assert client.get(self.url).status_code == 200

        def fresh(self):
            response = client.get(self.url, headers={"if-none-match": self.etag})
            return response.status_code == 200 and response["ETag"] != self.etag

    return Page()


# Each prepares what it needs and returns the public change itself.


def _publish_a_draft(site, reviewer):
    draft = make_claim(property="ideology", entity=site.org, status=Claim.Status.DRAFT)
    return lambda: services.publish(claims=Claim.objects.filter(pk=draft.pk), user=reviewer)


def _reject_a_published_claim(site, reviewer):
    claims = Claim.objects.filter(pk=Claim.objects.public().filter(entity=site.org)[0].pk)
    return lambda: services.reject(claims=claims, user=reviewer, reason="Wrong")


def _edit_a_published_claim(site, reviewer):
    claim = Claim.objects.public().filter(entity=site.org, property__code="inception")[0]
    return lambda: _edit(claim, value_date="2013")


def _rank_a_published_claim(site, reviewer):
    claims = Claim.objects.filter(pk=Claim.objects.public().filter(entity=site.org)[0].pk)
    return lambda: services.deprecate(claims=claims, user=reviewer, reason="Superseded")


def _relabel_the_entity(site, reviewer):
    return lambda: _edit(site.org, label="Okba Ibn Nafaa Brigade (renamed)")


def _unpublish_a_pointed_at_entity(site, reviewer):
    return lambda: _edit(site.islamic_state, published=False)


def _add_a_citation(site, reviewer):
    claim = Claim.objects.public().filter(entity=site.org)[0]
    source = make_source(title="A second account")
    return lambda: make_citation(claim=claim, source=source)


def _delete_a_citation(site, reviewer):
    claim = Claim.objects.public().filter(entity=site.org)[0]
    citation = make_citation(claim=claim, source=make_source(title="Soon gone"))
    return lambda: Citation.objects.filter(pk=citation.pk).delete()


def _verify_a_citation(site, reviewer):
    citations = Citation.objects.filter(pk=Citation.objects.public()[0].pk)
    return lambda: services.verify(citations=citations, user=reviewer)


def _retitle_a_cited_source(site, reviewer):
    return lambda: _edit(site.article, title="A retitled article")


def _relabel_a_property(site, reviewer):
    return lambda: _edit(Property.objects.get(code="inception"), label="Founded on")


def _revert_a_published_claim(site, reviewer):
    claim = Claim.objects.public().filter(entity=site.org, property__code="inception")[0]
    first = claim.history.earliest("history_date")
    _edit(claim, value_date="2013")
    return lambda: revert(record=first, user=reviewer, reason="Back to the source")


def _merge_an_entity_into_it(site, reviewer):
    other = make_entity(label="Uqba ibn Nafi Battalion")
    make_claim(property="ideology", entity=other, value_text="Salafism")
    return lambda: services.entity_merge(
        source=other, target=site.org, user=reviewer, reason="The same group"
    )


PUBLIC_CHANGES = [
    _publish_a_draft,
    _reject_a_published_claim,
    _edit_a_published_claim,
    _rank_a_published_claim,
    _relabel_the_entity,
    _unpublish_a_pointed_at_entity,
    _add_a_citation,
    _delete_a_citation,
    _verify_a_citation,
    _retitle_a_cited_source,
    _relabel_a_property,
    _revert_a_published_claim,
    _merge_an_entity_into_it,
]


@pytest.mark.parametrize("prepare", PUBLIC_CHANGES, ids=lambda prepare: prepare.__name__[1:])
def test_each_kind_of_public_change_renews_the_page(site, client, reviewer, prepare):
    change = prepare(site, reviewer)
    url = site.org.get_absolute_url()
    client.get(url)
    etag = client.get(url)["ETag"]
    before = stamp.current().value
    change()
    assert stamp.current().value > before
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def _edit_a_draft_claim(site):
    draft = make_claim(property="ideology", entity=site.org, status=Claim.Status.DRAFT)
    return lambda: _edit(draft, value_text="Still a draft")


def _make_a_draft_entity(site):
    return lambda: make_entity(label="Not yet public", published=False)


def _edit_an_uncited_source(site):
    source = make_source(title="Nobody cites this yet")
    return lambda: _edit(source, title="Nobody cites this either")


def _cite_on_a_draft_claim(site):
    draft = make_claim(property="ideology", entity=site.org, status=Claim.Status.DRAFT, cite=False)
    return lambda: make_citation(claim=draft, source=site.article)


def _reject_a_draft(site):
    draft = make_claim(property="ideology", entity=site.org, status=Claim.Status.DRAFT)
    return lambda: _edit(draft, status=Claim.Status.REJECTED, status_reason="No")


DRAFT_EDITS = [_edit_a_draft_claim, _make_a_draft_entity, _edit_an_uncited_source]
DRAFT_EDITS += [_cite_on_a_draft_claim, _reject_a_draft]


@pytest.mark.parametrize("prepare", DRAFT_EDITS, ids=lambda prepare: prepare.__name__[1:])
def test_work_on_drafts_changes_nothing_a_reader_can_observe(site, client, prepare):
    edit = prepare(site)
    url = site.org.get_absolute_url()
    first = client.get(url)
    before = stamp.current().value
    edit()
    assert stamp.current().value == before
    response = client.get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304


def test_a_kept_page_is_the_page_rendered(page, client):
    caches["pages"].clear()
    rendered = client.get(page.url)
    kept = client.get(page.url)
    assert kept.content == rendered.content
    assert kept["Content-Type"] == rendered["Content-Type"] == "text/html; charset=utf-8"
    assert kept["ETag"] == rendered["ETag"]


def test_a_not_modified_answer_costs_one_query(page, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(page.url, headers={"if-none-match": page.etag}).status_code == 304


def test_a_page_of_a_past_day_is_kept_for_good_and_costs_no_query(
    site, client, django_assert_num_queries
):
    for model in tracked_models():  # the site as if it had been published two days ago
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=2))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    url = f"{site.org.get_absolute_url()}?as_of={yesterday}"
    first = client.get(url)
    assert first.status_code == 200
    make_claim(property="ideology", entity=site.org, value_text="Published today")
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    with django_assert_num_queries(0):
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_errors_and_unknown_addresses_are_not_kept(site, client):
    client.get("/entities/no-such-group/")
    client.get("/entities/?kind=spaceship")
    assert not any(key for key in caches["pages"]._cache)


def test_today_s_date_is_part_of_the_key(page, client, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    response = client.get(page.url, headers={"if-none-match": page.etag})
    assert response.status_code == 200
    assert f"?as_of={tomorrow}" in response.content.decode()


@override_settings(PAGE_CACHE=False)
def test_the_cache_can_be_turned_off_and_etags_still_work(page, client):
    caches["pages"].clear()
    client.get(page.url)
    assert not caches["pages"]._cache
    assert client.get(page.url, headers={"if-none-match": page.etag}).status_code == 304


def test_bulk_inserts_and_dispute_flags_move_the_stamp_only_when_public(site, reviewer):
    from core.history import record_created

    before = stamp.current().value
    draft = Entity.objects.create(label="Bulk draft", slug="bulk-draft", kind="organization")
    record_created(Entity, [draft.pk], user=reviewer, reason="Import")
    assert stamp.current().value == before
    published = make_entity(label="Bulk published")
    before = stamp.current().value
    record_created(Entity, [published.pk], user=reviewer, reason="Import")
    assert stamp.current().value == before + 1
    # A dispute flag written in bulk, wrongly, then put right: pages show it.
    claim = Claim.objects.public().filter(entity=site.org, in_dispute=False)[0]
    Claim.objects.filter(pk=claim.pk).update(in_dispute=True)
    before = stamp.current().value
    disputes.refresh_groups([(claim.entity_id, claim.event_id, claim.property_id)])
    assert not Claim.objects.get(pk=claim.pk).in_dispute
    assert stamp.current().value == before + 1


def test_compacting_keeps_the_stamp_and_leaves_a_row_or_two(db):
    for _ in range(30):
        stamp.touch()
    before = stamp.current()
    stamp.compact()
    after = stamp.current()
    assert after == before
    assert PublicChange.objects.count() == 2
    stamp.touch()
    assert stamp.current().value == before.value + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_stamp_compacts_itself_after_commits(monkeypatch):
    monkeypatch.setattr(stamp, "COMPACT_EVERY", 5)
    before, rows = stamp.current().value, PublicChange.objects.count()
    for _ in range(12):
        stamp.touch()
    assert stamp.current().value == before + 12
    assert PublicChange.objects.count() < rows + 12


def test_the_seed_load_moves_the_stamp(db):
    before = stamp.current().value
    call_command("seed", verbosity=0)
    assert stamp.current().value > before


def test_a_save_with_a_reason_moves_it_once_per_public_record(site, reviewer):
    before = stamp.current().value
    save_with_reason(site.org, user=reviewer, reason="Touched")
    assert stamp.current().value == before + 1


@pytest.fixture
def redis_pages():
    """The page cache in the Redis on this machine, under a key prefix of this test's own."""
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis listening on 127.0.0.1:6379")
    settings = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={**_caches(), "pages": settings}):
        yield caches["pages"]
    client = redis.Redis.from_url(settings["LOCATION"])
    for key in client.scan_iter(f"{settings['KEY_PREFIX']}:*"):
        client.delete(key)


def _caches():
    from django.conf import settings

    return settings.CACHES


def test_the_page_cache_works_in_redis(site, client, redis_pages, django_assert_num_queries):
    url = site.org.get_absolute_url()
    rendered = client.get(url)
    with django_assert_num_queries(1):
        kept = client.get(url)
    assert kept.content == rendered.content
    _relabel_the_entity(site, None)()
    renewed = client.get(url)
    assert "(renamed)" in renewed.content.decode()
    assert renewed["ETag"] != rendered["ETag"]
