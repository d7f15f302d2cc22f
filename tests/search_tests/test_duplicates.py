"""Likely duplicates: found however the names are spelt, shown before an entity is added,
listed by the checks, and dismissed for good once a reviewer judges them not the same."""

import re

import pytest

from entities.models import Entity
from search.duplicates import alike, likely_duplicates
from search.models import DistinctPair
from sources.review.checks import run_checks
from tests.conftest import make_claim, make_entity

pytestmark = pytest.mark.django_db


def pairs():
    return {(pair.first.pk, pair.second.pk) for pair in likely_duplicates()}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Chambi mountains", "Mount Chaambi"),
        ("Chambi mountains", "Djebel Chambi"),
        ("Chambi mountains", "Chaambi"),
        ("Kasserine", "Qasrin"),
        ("Uqba ibn Nafi Brigade", "Okba Ben Nafaa Brigade"),
        ("Ashraf al-Qizani", "Achraf el-Kizani"),
    ],
)
def test_entities_whose_names_are_spellings_of_one_name_are_likely_duplicates(first, second):
    a = make_entity(label=first, kind="place")
    b = make_entity(label=second, kind="place")
    assert pairs() == {(a.pk, b.pk)}
    assert [other.pk for other in alike(second, kind="place", exclude=b.pk)] == [a.pk]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jebel Chambi", "Wadi Chambi"),  # a mountain and a valley
        ("Kasserine", "Kairouan"),
        ("Islamic State – Algeria Province", "Islamic State – Tunisia Province"),
        ("Tunisia", "Tunisian Army"),
    ],
)
def test_entities_with_other_names_are_not_duplicates(first, second):
    make_entity(label=first, kind="place")
    make_entity(label=second, kind="place")
    assert pairs() == set()


def test_a_name_claim_makes_a_duplicate_as_a_label_does_and_rejected_ones_do_not():
    group = make_entity(label="Jund al-Khilafah in Tunisia")
    other = make_entity(label="JAK-T group")
    rejected = make_claim(
        entity=other,
        property="alias",
        value_text="Jound el-Khilafa fi Tounes",
        value_language="fr",
        status="rejected",
        status_reason="A misreading.",
    )
    assert pairs() == set()
    make_claim(
        entity=other, property="alias", value_text="Jund al Khilafa in Tunisie", value_language="fr"
    )
    assert pairs() == {(group.pk, other.pk)}
    assert rejected.pk


def test_merged_entities_and_other_kinds_are_not_duplicates():
    survivor = make_entity(label="Chambi mountains", kind="place")
    make_entity(label="Jebel Chaambi", kind="place", merged_into=survivor)
    make_entity(label="Chaambi", kind="person")
    assert pairs() == set()


def test_a_pair_judged_not_the_same_is_listed_no_more(reviewer):
    town = make_entity(label="Kasserine", kind="place")
    governorate = make_entity(label="Kasserine Governorate", kind="place")
    [finding] = [f for f in run_checks() if f.code == "likely_duplicate"]
    assert "“Kasserine” and “Kasserine Governorate”" in finding.message
    assert f"?first={town.pk}&second={governorate.pk}" in finding.dismiss_url
    DistinctPair.objects.create(first=governorate, second=town, reason="Town and governorate.")
    assert [f for f in run_checks() if f.code == "likely_duplicate"] == []
    assert DistinctPair.objects.get().first == town  # one pair, whichever came first


def test_a_reviewer_dismisses_a_pair_from_the_queue_and_history_says_who(reviewer_client, reviewer):
    town = make_entity(label="Kasserine", kind="place")
    governorate = make_entity(label="Qasrin Governorate", kind="place")
    queue = reviewer_client.get("/admin/sources/claim/review/").content.decode()
    link = re.search(r'<a href="([^"]+)">Not the same…</a>', queue)[1].replace("&amp;", "&")
    form = reviewer_client.get(link)
    assert form.status_code == 200
    response = reviewer_client.post(
        link,
        {"first": town.pk, "second": governorate.pk, "reason": "The town is not the governorate."},
    )
    assert response.status_code == 302 and response.url == "/admin/sources/claim/review/"
    pair = DistinctPair.objects.get()
    assert (pair.judged_by, pair.history.get().history_user) == (reviewer, reviewer)
    assert pair.history.get().history_change_reason == "The town is not the governorate."
    assert (
        "Not the same…" not in reviewer_client.get("/admin/sources/claim/review/").content.decode()
    )


def test_a_pair_is_judged_once_and_never_with_itself(reviewer_client):
    town = make_entity(label="Kasserine", kind="place")
    governorate = make_entity(label="Qasrin Governorate", kind="place")
    DistinctPair.objects.create(first=town, second=governorate, reason="Not the same.")
    again = reviewer_client.post(
        "/admin/search/distinctpair/add/",
        {"first": governorate.pk, "second": town.pk, "reason": "Again."},
    )
    assert again.status_code == 200 and "already exists" in again.content.decode()
    itself = reviewer_client.post(
        "/admin/search/distinctpair/add/", {"first": town.pk, "second": town.pk, "reason": "x"}
    )
    assert "always the same as itself" in itself.content.decode()
    assert DistinctPair.objects.count() == 1


def test_only_those_who_may_merge_judge_pairs(editor_client):
    assert editor_client.get("/admin/search/distinctpair/add/").status_code == 403


def entity_form(label, **extra):
    return {
        "label": label,
        "slug": label.lower().replace(" ", "-"),
        "kind": "place",
        "description": "",
        "change_reason": "New place from a second source",
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
        **extra,
    }


def test_adding_an_entity_alike_another_shows_it_first_and_saves_once_told(reviewer_client):
    chambi = make_entity(label="Chambi mountains", kind="place")
    make_claim(entity=chambi, property="alias", value_text="Jabal Al-Shaanbi", value_language="en")
    response = reviewer_client.post("/admin/entities/entity/add/", entity_form("Jebel Chaambi"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/admin/entities/entity/{chambi.pk}/change/"' in page
    assert "An entity with a name alike “Jebel Chaambi” exists" in page
    assert not Entity.objects.filter(label="Jebel Chaambi").exists()
    response = reviewer_client.post(
        "/admin/entities/entity/add/", entity_form("Jebel Chaambi", not_a_duplicate="on")
    )
    assert response.status_code == 302
    assert Entity.objects.filter(label="Jebel Chaambi").exists()


def test_adding_an_entity_with_a_new_name_shows_nothing(reviewer_client):
    make_entity(label="Chambi mountains", kind="place")
    response = reviewer_client.post("/admin/entities/entity/add/", entity_form("Jebel Semmama"))
    assert response.status_code == 302


def test_a_reviewer_who_keeps_an_entity_apart_records_the_pairs(reviewer_client, reviewer):
    chambi = make_entity(label="Chambi mountains", kind="place")
    response = reviewer_client.post(
        "/admin/entities/entity/add/", entity_form("Jebel Chaambi", not_a_duplicate="on")
    )
    assert response.status_code == 302
    added = Entity.objects.get(label="Jebel Chaambi")
    pair = DistinctPair.objects.get()
    assert {pair.first, pair.second} == {chambi, added} and pair.judged_by == reviewer
    assert pairs() == set()


def test_an_editor_who_keeps_an_entity_apart_leaves_the_pair_to_a_reviewer(editor_client):
    make_entity(label="Chambi mountains", kind="place")
    response = editor_client.post(
        "/admin/entities/entity/add/", entity_form("Jebel Chaambi", not_a_duplicate="on")
    )
    assert response.status_code == 302
    assert not DistinctPair.objects.exists() and len(pairs()) == 1


def test_renaming_an_entity_to_a_name_alike_another_warns_too(reviewer_client):
    make_entity(label="Kasserine Governorate", kind="place")
    other = make_entity(label="Sidi Bouzid Governorate", kind="place")
    data = entity_form("Qasrin Governorate", slug=other.slug, version=other.version)
    response = reviewer_client.post(f"/admin/entities/entity/{other.pk}/change/", data)
    assert response.status_code == 200
    assert "An entity with a name alike “Qasrin Governorate” exists" in response.content.decode()
    other.refresh_from_db()
    assert other.label == "Sidi Bouzid Governorate"
    unchanged = entity_form("Sidi Bouzid Governorate", slug=other.slug, version=other.version)
    response = reviewer_client.post(f"/admin/entities/entity/{other.pk}/change/", unchanged)
    assert response.status_code == 302


def test_numbers_and_joining_words_in_names():
    one = make_entity(label="Brigade 1", kind="organization")
    make_entity(label="Brigade 11", kind="organization")
    governorate = make_entity(label="Kasserine Governorate", kind="place")
    spelt = make_entity(label="Governorate of Qasrin", kind="place")
    assert pairs() == {(governorate.pk, spelt.pk)}
    assert one.pk
