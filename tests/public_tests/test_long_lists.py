"""A subject with thousands of values of one property: its page lists the first
``reading.LONGEST`` of each property, says how many there are and links to them all, a page
at a time; the page costs the same queries however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources import reading
from sources.models import Citation, Claim, Property
from tests.conftest import make_claim, make_entity, make_source


@pytest.fixture
def longest(monkeypatch):
    monkeypatch.setattr(reading, "LONGEST", 5)
    return 5


def _aliases(entity, count):
    prop = Property.objects.get(code="alias")
    source = make_source()
    claims = Claim.objects.bulk_create(
        Claim(
            entity=entity,
            property=prop,
            datatype=prop.datatype,
            value_text=f"Alias number {n:03}",
            value_language="en",
            status=Claim.Status.PUBLISHED,
        )
        for n in range(count)
    )
    Citation.objects.bulk_create(
        Citation(claim=claim, source=source, quote="A quote") for claim in claims
    )


def test_a_long_property_is_cut_with_a_link_to_all_its_values(db, client, longest):
    entity = make_entity(slug="many-names")
    make_claim(property="inception", entity=entity, value_date="2014")
    _aliases(entity, 12)
    page = client.get(entity.get_absolute_url()).content.decode()
    assert page.count("Alias number") == longest
    assert "Alias number 000" in page and "Alias number 005" not in page
    assert "All 12 values of “also known as”" in page
    assert "/entities/many-names/values/alias/" in page
    assert "2014" in page  # other properties are whole

    first = client.get("/entities/many-names/values/alias/").content.decode()
    last = client.get("/entities/many-names/values/alias/?page=3").content.decode()
    assert first.count("Alias number") == 5 and "Alias number 000" in first
    assert last.count("Alias number") == 2 and "Alias number 011" in last
    assert "12 values" in first


def test_a_short_property_has_no_link(db, client, longest):
    entity = make_entity()
    _aliases(entity, longest)
    page = client.get(entity.get_absolute_url()).content.decode()
    assert page.count("Alias number") == longest and "values/alias" not in page


def test_the_values_page_shows_only_public_values_of_public_subjects(db, client, longest):
    hidden = make_entity(published=False)
    assert client.get(f"/entities/{hidden.slug}/values/alias/").status_code == 404
    entity = make_entity()
    make_claim(
        property="alias",
        entity=entity,
        value_text="Draft alias",
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    page = client.get(f"/entities/{entity.slug}/values/alias/").content.decode()
    assert "Draft alias" not in page
    assert client.get(f"/entities/{entity.slug}/values/no-such-property/").status_code == 404


def test_queries_do_not_grow_with_the_values(db, client, longest):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few, many = make_entity(), make_entity()
    _aliases(few, 3)
    _aliases(many, 40)
    assert queries(many.get_absolute_url()) == queries(few.get_absolute_url())
