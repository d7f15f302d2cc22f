"""The curation admin: autocompletes instead of full selects, filters, name search, grouping."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Property
from tests.conftest import make_claim, make_entity, make_event


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/entities/entity/",
        "/admin/events/event/",
        "/admin/sources/source/",
        "/admin/sources/claim/",
        "/admin/sources/citation/",
        "/admin/sources/property/",
        "/admin/entities/entity/add/",
        "/admin/events/event/add/",
        "/admin/sources/claim/add/",
        "/admin/sources/source/add/",
        "/admin/sources/citation/add/",
        "/admin/sources/claim/?status__exact=published&rank__exact=normal",
        "/admin/entities/entity/?kind__exact=person&published__exact=1",
        "/admin/sources/citation/?verified=no",
    ],
)
def test_admin_pages_open(reviewer_client, url):
    make_claim(property="leader")
    assert reviewer_client.get(url).status_code == 200


def test_foreign_keys_use_autocomplete_not_a_select_of_every_row(reviewer_client):
    for n in range(30):
        make_entity(label=f"Row entity {n}")
    claim = make_claim(property="leader")
    html = reviewer_client.get(f"/admin/sources/claim/{claim.pk}/change/").content.decode()
    assert html.count("admin-autocomplete") >= 5
    assert "Row entity 17" not in html
    html = reviewer_client.get(f"/admin/entities/entity/{claim.entity_id}/change/").content.decode()
    assert "Row entity 17" not in html


def test_entity_search_finds_every_name_claim(reviewer_client):
    claim = make_claim(
        property="name",
        value_text="جند الخلافة في تونس",
        value_language="ar",
        entity=make_entity(label="Jund al-Khilafah in Tunisia"),
    )
    make_claim(property="short_name", value_text="JAK-T", value_language="en", entity=claim.entity)
    for query in ["khilafah", "Jund al Khilafah", "jak-t", "JAKT"[:3], "الخلافه", "تونس"]:
        response = reviewer_client.get("/admin/entities/entity/", {"q": query})
        assert claim.entity in response.context["cl"].result_list, query


def test_autocomplete_finds_entities_by_alias(reviewer_client):
    claim = make_claim(
        property="alias",
        value_text="Abu 'Ubaydah al-Kafi",
        value_language="en",
        entity=make_entity(label="Ashraf al-Qizani", kind="person"),
    )
    response = reviewer_client.get(
        "/admin/autocomplete/",
        {
            "term": "ubaydah",
            "app_label": "sources",
            "model_name": "claim",
            "field_name": "value_entity",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Ashraf al-Qizani"]
    assert claim.pk


def test_entity_page_groups_claims_and_flags_properties_with_several_values(reviewer_client):
    entity = make_entity()
    make_claim(property="inception", entity=entity, value_date="2014-09")
    make_claim(property="inception", entity=entity, value_date="2015")
    make_claim(property="ideology", entity=entity)
    response = reviewer_client.get(f"/admin/entities/entity/{entity.pk}/change/")
    rows = [
        form.instance
        for form in response.context["inline_admin_formsets"][0].formset.forms
        if form.instance.pk
    ]
    assert [claim.property.code for claim in rows] == ["inception", "inception", "ideology"]
    table = response.content.decode().split('id="subject-claims"')[1].split("</table>")[0]
    assert table.count(">2 values<") == 1  # flagged once, on the group
    assert (
        table.count("<strong>founded</strong>") == 1
        and table.count("<strong>ideology</strong>") == 1
    )
    assert f"/admin/sources/claim/add/?entity={entity.pk}" in response.content.decode()


def test_add_claim_link_starts_a_claim_about_the_subject(reviewer_client):
    entity = make_entity()
    response = reviewer_client.get(f"/admin/sources/claim/add/?entity={entity.pk}")
    assert response.context["adminform"].form.initial["entity"] == str(entity.pk)


def _claims_with_citations(count):
    from tests.conftest import make_event

    for _ in range(count):
        make_claim(property="leader")
        make_claim(property="perpetrator", event=make_event())


@pytest.mark.parametrize(
    "url",
    [
        "/admin/sources/claim/",
        "/admin/sources/citation/",
        "/admin/entities/entity/",
        "/admin/events/event/",
        "/admin/sources/source/",
        "/admin/sources/claim/review/",
        # The one name search, as the admin lists and the autocompletes use it.
        "/admin/entities/entity/?q=entity",
        "/admin/events/event/?q=event",
        "/admin/autocomplete/?term=entity&app_label=sources&model_name=claim&field_name=value_entity",
    ],
)
def test_admin_lists_cost_a_fixed_number_of_queries(
    reviewer_client, django_assert_num_queries, url
):
    _claims_with_citations(3)
    reviewer_client.get(url)  # warm the per-session caches
    with CaptureQueriesContext(connection) as few:
        reviewer_client.get(url)
    assert len(few.captured_queries) <= 20
    _claims_with_citations(20)
    with django_assert_num_queries(len(few.captured_queries)):
        reviewer_client.get(url)


def test_a_subjects_claim_summary_costs_a_fixed_number_of_queries(
    reviewer_client, django_assert_num_queries
):
    entity = make_entity()
    for _ in range(3):
        make_claim(property="opponent", entity=entity)
    url = f"/admin/entities/entity/{entity.pk}/change/"
    reviewer_client.get(url)
    with CaptureQueriesContext(connection) as few:
        reviewer_client.get(url)
    for _ in range(20):
        make_claim(property="ally", entity=entity, start="2014", end="2016")
    with django_assert_num_queries(len(few.captured_queries)):
        reviewer_client.get(url)


def test_event_admin_lists_events_by_their_date(reviewer_client):
    make_claim(
        property="date", event=make_event(label="Bardo museum attack"), value_date="2015-03-18"
    )
    html = reviewer_client.get("/admin/events/event/").content.decode()
    assert "Bardo museum attack" in html and "March 18, 2015" in html


def test_property_vocabulary_covers_the_seed_article(db):
    needed = {
        "name",
        "native_name",
        "inception",
        "dissolution",
        "leader",
        "allegiance",
        "ally",
        "opponent",
        "ideology",
        "member_count",
        "area_of_operations",
        "headquarters",
        "country",
        "date",
        "location",
        "perpetrator",
        "claimed_by",
        "killed",
        "injured",
        "target",
        "participant",
        "designated_by",
        "part_of",
    }
    assert needed <= set(Property.objects.values_list("code", flat=True))
