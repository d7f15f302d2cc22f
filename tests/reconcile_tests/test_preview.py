from tests.conftest import make_claim, make_entity


def test_preview_shows_the_entity_and_its_best_facts(site, client):
    response = client.get("/reconcile/preview", {"id": site.org.slug})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jund al-Khilafah in Tunisia" in page
    assert "Organization" in page
    assert site.org.description in page
    assert "September 2014" in page  # the preferred founding date
    assert "2013" not in page  # the deprecated one
    assert "Islamic State" in page  # allegiance
    assert '<span lang="ar" dir="rtl">جند الخلافة في تونس</span>' in page
    assert f'href="/entities/{site.org.slug}/"' in page


def test_preview_can_be_framed_by_another_site(site, client):
    response = client.get("/reconcile/preview", {"id": site.org.slug})
    assert "X-Frame-Options" not in response.headers


def test_preview_of_a_country(site, client):
    entity = make_entity(label="Ansar Test Front")
    make_claim(entity=entity, property="country", value_entity=site.tunisia)
    page = client.get("/reconcile/preview", {"id": entity.slug}).content.decode()
    assert "Country" in page and "Tunisia" in page


def test_preview_is_404_for_what_readers_cannot_see(site, client):
    hidden = make_entity(label="Unpublished Front", published=False)
    merged = make_entity(label="Merged Front", merged_into=site.org)
    for slug in ("no-such-entity", hidden.slug, merged.slug, ""):
        assert client.get("/reconcile/preview", {"id": slug}).status_code == 404, slug
    assert client.get("/reconcile/preview").status_code == 404


def test_preview_escapes_what_it_shows(db, client):
    entity = make_entity(
        label="<script>alert('label')</script>", description="<b onmouseover=x>bold</b>"
    )
    page = client.get("/reconcile/preview", {"id": entity.slug}).content.decode()
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;" in page
