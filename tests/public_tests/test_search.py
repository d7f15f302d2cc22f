"""Search finds entities and events by their label or any public name, however it is spelt."""

import re

import pytest

from sources.models import Claim
from tests.conftest import make_claim, make_entity, make_event


def results(fetch, query):
    """The labels of the results, in order."""
    page = fetch(f"/search/?q={query}")
    listed = re.search(r'<ol class="results".*?</ol>', page, re.DOTALL)
    if not listed:
        return []
    return re.findall(
        r'<li>\s*<a href="/(?:entities|events|sources)/[^"]+/">([^<]+)</a>', listed[0]
    )


@pytest.mark.parametrize(
    "query",
    [
        "Chambi",
        "chambi mountains",
        "CHAMBI",
        "Jabal Al-Shaanbi",
        "jabal al shaanbi",
        "Shaanbi",
        "al-shaanbi",
        "Jabal",
        "جبل الشعانبي",
        "الشعانبي",
    ],
)
def test_every_spelling_of_a_place_finds_it(site, fetch, query):
    assert "Chambi mountains" in results(fetch, query)


@pytest.mark.parametrize(
    "query", ["Kasserine", "Qasrin", "qasrin governorate", "Kassérine", "ولاية القصرين", "القصرين"]
)
def test_every_spelling_of_a_governorate_finds_it(site, fetch, query):
    assert "Kasserine Governorate" in results(fetch, query)


@pytest.mark.parametrize(
    "query",
    [
        "Ashraf al-Qizani",
        "al qizani",
        "Qizani",
        "Abu 'Ubaydah al-Kafi",
        "Abu Ubaydah",
        "abu ʿubaydah",
        "Kafi",
    ],
)
def test_every_name_of_a_person_finds_them(site, fetch, query):
    assert "Ashraf al-Qizani" in results(fetch, query)


@pytest.mark.parametrize(
    "query",
    [
        "جند الخلافة في تونس",
        "جند الخلافه",  # ta marbuta written as ha
        "جُنْد الخِلافة",  # with vowel marks
        "جنـــد الخلافة",  # with tatweel
        "الدولة الاسلامية",  # alef without hamza
        "الدولة الإسلامية",
        "ولاية تونس",
    ],
)
def test_arabic_names_match_whatever_the_letter_forms(site, fetch, query):
    assert "Jund al-Khilafah in Tunisia" in results(fetch, query)


@pytest.mark.parametrize(
    "query",
    [
        "IS-TP",
        "is–tp",
        "IS TP",
        "JAK-T",
        "jak t",
        "Islamic State Tunisia Province",
        "tunisia province",
    ],
)
def test_hyphens_and_dashes_do_not_matter(site, fetch, query):
    assert "Jund al-Khilafah in Tunisia" in results(fetch, query)


def test_accents_do_not_matter_either_way(db, fetch):
    make_entity(label="Société des Mujahidin")
    make_claim(
        property="alias",
        entity=make_entity(label="Other group"),
        value_text="Al-Qāʿida fī Bilād",
        value_language="ar-Latn",
    )
    assert results(fetch, "societe") == ["Société des Mujahidin"]
    assert results(fetch, "SOCIÉTÉ DES") == ["Société des Mujahidin"]
    assert results(fetch, "al qaida fi") == ["Other group"]


def test_words_match_from_their_start_or_one_slip_away(site, fetch):
    assert results(fetch, "aanbi") == []
    assert results(fetch, "zani") == []
    assert results(fetch, "izani")[0] == "Ashraf al-Qizani"  # one letter left out


def test_events_are_found_by_label_and_title(db, fetch):
    event = make_event(label="Bardo National Museum attack")
    make_claim(property="title", event=event, value_text="هجوم متحف باردو", value_language="ar")
    assert results(fetch, "bardo") == ["Bardo National Museum attack"]
    assert results(fetch, "متحف") == ["Bardo National Museum attack"]


def test_results_rank_exact_name_then_words_then_word_starts_then_tolerant(db, fetch):
    alias_only = make_entity(label="Aaa alias holder")
    make_claim(
        property="alias", entity=alias_only, value_text="Tunisia Province", value_language="en"
    )
    make_entity(label="Islamic State Tunisia")
    make_entity(label="Tunisia")
    make_entity(label="Tunisian Army")
    make_entity(label="Tunisie")
    make_claim(
        property="alias", entity=make_entity(label="Zzz"), value_text="Tunisia", value_language="en"
    )
    assert results(fetch, "tunisia") == [
        "Tunisia",  # the exact label, then the exact alias
        "Zzz",
        "Aaa alias holder",  # every word of a name but a generic one
        "Islamic State Tunisia",  # then names with more words besides
        "Tunisian Army",  # a word that starts with the query
        "Tunisie",  # as another language or transliteration spells it
    ]


def test_an_alias_match_says_which_name_matched(site, fetch):
    page = fetch("/search/?q=qasrin")
    assert 'Also known as: <span lang="en">Qasrin Governorate</span>' in page


def test_names_that_are_not_public_are_not_searched(db, fetch):
    entity = make_entity(label="Visible group")
    make_claim(
        property="alias",
        entity=entity,
        value_text="Draftname",
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    make_claim(
        property="alias", entity=entity, value_text="Uncitedname", value_language="en", cite=False
    )
    make_claim(
        property="alias",
        entity=make_entity(published=False),
        value_text="Hiddenname",
        value_language="en",
    )
    make_entity(label="Hiddenlabel", published=False)
    for query in ["Draftname", "Uncitedname", "Hiddenname", "Hiddenlabel"]:
        assert results(fetch, query) == [], query


def test_merged_entities_are_not_results(db, fetch):
    survivor = make_entity(label="Survivor group")
    make_entity(label="Survivor group old", merged_into=survivor)
    assert results(fetch, "survivor") == ["Survivor group"]


def test_search_is_paginated(db, fetch):
    for n in range(30):
        make_entity(label=f"Brigade {n:02d}")
    first = fetch("/search/?q=brigade")
    assert (
        "30 results" in first
        and "Page 1 of 2" in first
        and "Brigade 24" in first
        and "Brigade 25" not in first
    )
    assert "Brigade 29" in fetch("/search/?q=brigade&page=2")


def test_empty_query_shows_the_form_only(db, fetch):
    page = fetch("/search/?q=+")
    assert '<input type="search"' in page and "results" not in page.lower().split("</form>")[1]


def test_a_search_longer_than_any_name_is_refused_with_a_reason(db, client):
    response = client.get("/search/", {"q": "x" * 50_000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert client.get("/search/", {"q": "x" * 200}).status_code == 200
