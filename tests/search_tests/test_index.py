"""The index follows what it indexes on every path, and the search page finds entities,
events and sources by any public name, with filters, at a fixed number of queries."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import save_with_reason
from search.matcher import find
from search.models import Name, NameWord
from sources.models import Property
from sources.review.services import entity_merge
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

pytestmark = pytest.mark.django_db


def found(query, **kwargs):
    return [(match.type, match.label) for match in find(query, **kwargs)]


def alias(entity, text, **overrides):
    return make_claim(
        entity=entity, property="alias", value_text=text, value_language="en", **overrides
    )


def test_a_renamed_entity_is_found_by_its_new_label_only():
    group = make_entity(label="Katibat Uqba")
    group.label = "Uqba ibn Nafi Brigade"
    save_with_reason(group, user=None, reason="The name the sources use")
    assert found("Uqba ibn Nafi") == [("entity", "Uqba ibn Nafi Brigade")]
    assert found("Katibat") == []


def test_a_name_claim_is_found_while_it_stands_and_its_new_value_once_changed():
    claim = alias(make_entity(label="Jund al-Khilafah in Tunisia"), "Soldiers of the Caliphate")
    assert found("Soldiers", public=False) == [("entity", "Jund al-Khilafah in Tunisia")]
    claim.value_text = "JAK-T"
    claim.save()
    assert found("Soldiers") == []
    assert found("JAK-T") == [("entity", "Jund al-Khilafah in Tunisia")]
    claim.delete()
    assert found("JAK-T") == []
    assert not Name.objects.filter(role="claim").exists()


def test_a_property_that_becomes_a_name_is_indexed_and_one_that_stops_is_not():
    ideology = Property.objects.get(code="ideology")
    make_claim(entity=make_entity(label="Group"), property=ideology, value_text="Salafism")
    assert found("Salafism") == []
    ideology.is_name = True
    ideology.save()
    assert found("Salafism") == [("entity", "Group")]
    ideology.is_name = False
    ideology.save()
    assert found("Salafism") == []


def test_a_source_is_found_by_title_author_and_publisher_once_public():
    source = make_source(title="Jihadist groups in Tunisia", author="Aaron Zelin", publisher="ICSR")
    assert found("Zelin") == []  # it supports no public claim yet
    make_citation(claim=make_claim(property="inception", cite=False), source=source)
    for query in ["jihadist groups", "Zelin", "Aaron Zelinn", "ICSR"]:
        assert ("source", "Jihadist groups in Tunisia") in found(query), query
    source.author = "Someone Else"
    source.save()
    assert ("source", "Jihadist groups in Tunisia") not in found("Zelin")


def test_an_event_is_found_by_its_place():
    bardo = make_entity(label="Bardo", kind="place")
    attack = make_event(label="Attack on a museum")
    make_claim(event=attack, property="location", value_entity=bardo)
    matches = find("Bardou")
    assert [(m.type, m.label, m.name) for m in matches] == [
        ("entity", "Bardo", "Bardo"),
        ("event", "Attack on a museum", "Bardo"),
    ]
    assert matches[1].what == "at"


def test_the_names_of_a_merged_entity_find_the_survivor(reviewer):
    survivor = make_entity(label="Chambi mountains", kind="place")
    merged = make_entity(label="Djebel Chaambi", kind="place")
    alias(merged, "Jebel ech-Chambi")
    entity_merge(source=merged, target=survivor, user=reviewer, reason="One mountain")
    assert found("ech-Chambi") == [("entity", "Chambi mountains")]
    assert found("Djebel Chaambi") == [("entity", "Chambi mountains")]


def test_reindexing_writes_the_same_index_again():
    alias(make_entity(label="Ashraf al-Qizani", kind="person"), "Abu 'Ubaydah al-Kafi")
    make_source(title="A report", author="An Author")
    make_event(label="Attack on Tunisian national guards")
    before = sorted(Name.objects.values_list("role", "text", "key", "core", "generic"))
    words = sorted(NameWord.objects.values_list("word", "sound", "bones"))
    call_command("reindex_names", stdout=open("/dev/null", "w"))
    assert sorted(Name.objects.values_list("role", "text", "key", "core", "generic")) == before
    assert sorted(NameWord.objects.values_list("word", "sound", "bones")) == words


def results(client, url):
    page = client.get(url).content.decode()
    listed = re.search(r'<ol class="results".*?</ol>', page, re.DOTALL)
    return re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>', listed[0]) if listed else []


def test_the_search_page_filters_by_type_and_kind(client):
    make_entity(label="Tunisia", kind="country")
    make_entity(label="Tunisian Army", kind="organization")
    make_claim(event=make_event(label="Attack in Tunisia", kind="attack"), property="date")
    make_claim(event=make_event(label="Trial in Tunisia", kind="trial"), property="date")
    assert results(client, "/search/?q=tunisia&type=event") == [
        "Attack in Tunisia",
        "Trial in Tunisia",
    ]
    assert results(client, "/search/?q=tunisia&kind=trial") == ["Trial in Tunisia"]
    assert results(client, "/search/?q=tunisia&type=entity&kind=country") == ["Tunisia"]
    bad = client.get("/search/?q=tunisia&type=event&kind=country")
    assert bad.status_code == 400 and "“country” is not a kind of event" in bad.content.decode()
    assert client.get("/search/?q=tunisia&type=person").status_code == 400


def test_no_results_offer_the_nearest_names(client):
    make_entity(label="Kasserine", kind="place")
    page = client.get("/search/?q=Kassala").content.decode()
    assert "No results for" in page
    assert re.search(r'The nearest names:.*<a href="/entities/[^"]+/">Kasserine</a>', page, re.S)


def test_an_arabic_name_that_matched_is_shown_right_to_left(client):
    group = make_entity(label="Jund al-Khilafah in Tunisia")
    make_claim(
        entity=group, property="native_name", value_text="جند الخلافة في تونس", value_language="ar"
    )
    page = client.get("/search/?q=جند").content.decode()
    assert '<span lang="ar" dir="rtl">جند الخلافة في تونس</span>' in page
    assert 'dir="auto"' in page  # the search box lays out what is typed in it


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def populate(n):
    source = make_source(title="Qasrin report", author="Qasrini")
    place = make_entity(label=f"Qasrin {n}", kind="place")
    for i in range(n):
        group = make_entity(label=f"Katibat Qasrin {n}-{i}")
        make_citation(claim=alias(group, f"Kasrine Brigade {i}", cite=False), source=source)
        make_claim(
            event=make_event(label=f"Attack {n}-{i}"), property="location", value_entity=place
        )


@pytest.mark.parametrize("type_", ["entity", "event", "source"])
def test_a_search_costs_the_same_queries_for_few_and_many_results(
    client, django_assert_num_queries, type_
):
    url = f"/search/?q=qasrin&type={type_}"
    populate(2)
    few = queries(client, url)
    populate(40)
    with django_assert_num_queries(few):
        page = client.get(url).content.decode()
    if type_ == "entity":
        assert "44 results" in page  # 42 groups and 2 places
    assert queries(client, f"/search/?q=zzzzqqqq&type={type_}") <= few


def test_events_are_found_by_place_when_only_events_are_asked_for():
    bardo = make_entity(label="Bardo", kind="place")
    make_claim(
        event=make_event(label="Attack on a museum"), property="location", value_entity=bardo
    )
    assert found("Bardou", types=("event",)) == [("event", "Attack on a museum")]
    assert found("Bardou", types=("event",), kind="trial") == []


def test_a_kind_several_types_have_searches_them_all(client):
    make_entity(label="Other group", kind="other")
    make_claim(event=make_event(label="Other happening", kind="other"), property="date")
    make_citation(
        claim=make_claim(property="inception", cite=False),
        source=make_source(title="Other report", kind="other"),
    )
    assert results(client, "/search/?q=other&kind=other") == [
        "Other group",
        "Other happening",
        "Other report",
    ]


def test_numbers_match_as_written_and_joining_words_may_be_left_out():
    make_claim(event=make_event(label="2001 attack"), property="date")
    make_entity(label="Kasserine Governorate", kind="place")
    make_entity(label="Kara", kind="place")
    assert found("2011 attack") == []
    assert found("Governorate of Kasserine") == [("entity", "Kasserine Governorate")]
    assert found("Algeria") == []


def test_the_admin_lists_matches_best_first_unless_sorted_by_a_column(reviewer_client):
    make_entity(label="Bbb Qasrin")
    make_entity(label="Aaa Qasrin")
    make_entity(label="Qasrin")
    make_entity(label="Unrelated")

    def labels(url):
        page = reviewer_client.get(url).content.decode()
        return re.findall(r'class="field-label"><a href="[^"]+">([^<]+)</a>', page)

    assert labels("/admin/entities/entity/?q=kasserine") == ["Qasrin", "Aaa Qasrin", "Bbb Qasrin"]
    assert labels("/admin/entities/entity/?q=qasrin&o=-1") == ["Qasrin", "Bbb Qasrin", "Aaa Qasrin"]


def test_a_search_matching_more_names_than_are_ranked_says_so(client, monkeypatch):
    from search import matcher

    monkeypatch.setattr(matcher, "CANDIDATES", 3)
    for n in range(5):
        make_entity(label=f"Brigade {n}")
    make_entity(label="Okba Brigade")
    page = client.get("/search/?q=brigade").content.decode()
    assert "More names match than are ranked here" in page
    assert results(client, "/search/?q=brigade") == ["Brigade 0", "Brigade 1", "Brigade 2"]
    assert "More names match" not in client.get("/search/?q=okba").content.decode()
