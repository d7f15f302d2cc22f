"""The event, timeline, source, home and search pages, and what every page shares."""

import re

import pytest

from events.models import Event
from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

PUBLIC_URLS = ["/", "/entities/", "/events/", "/sources/", "/search/?q=jund"]


def test_event_page_shows_date_at_its_precision_place_participants_and_casualties(site, fetch):
    page = fetch(site.bardo_attack.get_absolute_url())
    assert (
        '<p class="subject-kind">Attack, <time datetime="2015-03-18">18 March 2015</time>' in page
    )
    when = page[page.index('id="when-heading"') : page.index('id="responsibility-heading"')]
    assert "<dt>Location</dt>" in when and "Bardo National Museum" in when
    responsibility = page[
        page.index('id="responsibility-heading"') : page.index('id="figures-heading"')
    ]
    assert "<dt>Responsible</dt>" in responsibility
    assert re.search(
        r"Jund al-Khilafah in Tunisia</a> "
        r'<span class="qualifiers">\(claimed by the group itself\)</span>',
        responsibility,
    )
    figures = page[page.index('id="figures-heading"') :]
    assert re.search(r'<dt>Killed</dt>\s*<dd class="value">22', figures)
    assert (
        re.search(r"Disputed:</strong> 24", figures)
        and "Counts that include the attackers." in figures
    )
    assert "The count of the article, which excludes the attackers." in figures


def test_event_page_shows_month_precision_as_a_month(db, fetch):
    event = make_event()
    make_claim(property="date", event=event, value_date="2015-03")
    assert '<time datetime="2015-03">March 2015</time>' in fetch(event.get_absolute_url())


def test_event_page_lists_events_that_point_at_it(db, fetch):
    attack = make_event(label="The attack")
    trial = make_event(label="The trial", kind=Event.Kind.TRIAL)
    make_claim(property="concerns", event=trial, value_event=attack)
    page = fetch(attack.get_absolute_url())
    related = page[page.index('id="related-heading"') :]
    assert "<dt>Addressed in</dt>" in related and "The trial" in related


def test_timeline_is_in_date_order_with_precision_aware_dates(site, fetch):
    page = fetch("/events/")
    order = [
        page.index(label)
        for label in [
            "Ambush of Tunisian soldiers",
            "“Soon, Soon” video",
            "Bardo National Museum attack",
            "United States designation",
        ]
    ]
    assert order == sorted(order)
    assert '<time datetime="2015">2015</time>' in page and "18 March 2015" in page
    assert '<h2 id="year-2013">2013</h2>' in page


def test_timeline_month_sorts_by_its_first_day(db, fetch):
    for label, day in [
        ("Mid March", "2015-03-18"),
        ("March", "2015-03"),
        ("February", "2015-02-27"),
    ]:
        make_claim(property="date", event=make_event(label=label), value_date=day)
    page = fetch("/events/")
    assert page.index(">February<") < page.index(">March<") < page.index(">Mid March<")
    assert '<time datetime="2015-03">March 2015</time>' in page


def test_timeline_undated_events_come_last(db, fetch):
    make_event(label="Undated event")
    make_claim(property="date", event=make_event(label="Dated event"), value_date="2001")
    page = fetch("/events/")
    assert page.index("Dated event") < page.index("Undated event")
    assert "date unknown" in page


def test_timeline_filters_by_year_kind_and_entity(site, fetch):
    page = fetch("/events/?year=2015")
    assert "Bardo National Museum attack" in page and "Ambush of Tunisian soldiers" not in page
    page = fetch("/events/?kind=media_release")
    assert "“Soon, Soon” video" in page and "Bardo National Museum attack" not in page
    page = fetch(f"/events/?entity={site.org.slug}")
    assert "Bardo National Museum attack" in page and "“Soon, Soon” video" in page
    assert "United States designation" not in page and "Ambush of Tunisian soldiers" not in page
    page = fetch(f"/events/?entity={site.org.slug}&year=2015&kind=attack")
    assert "Bardo National Museum attack" in page and "“Soon, Soon” video" not in page


@pytest.mark.parametrize("query", ["year=15", "year=abcd", "kind=battle"])
def test_timeline_refuses_a_bad_filter_with_a_clear_message(db, client, query):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 400
    assert "is not a" in response.content.decode()


def test_timeline_filter_by_an_unknown_entity_is_not_found(db, fetch):
    fetch("/events/?entity=nobody", status=404)


def test_timeline_is_paginated_and_keeps_its_filters(db, fetch):
    for n in range(55):
        make_claim(
            property="date",
            event=make_event(label=f"Event {n:02d}", kind=Event.Kind.ARREST),
            value_date=f"2019-01-{n % 28 + 1:02d}",
        )
    first = fetch("/events/?kind=arrest")
    assert "Page 1 of 2" in first and 'href="?kind=arrest&amp;page=2"' in first
    assert "Page 2 of 2" in fetch("/events/?kind=arrest&page=2")


def test_source_page_gives_the_record_and_every_public_claim_citing_it(site, fetch):
    site.article.archived_text = "The whole archived article."
    site.article.save()
    page = fetch(site.article.get_absolute_url())
    assert "<dt>Publisher</dt><dd>Wikipedia</dd>" in page and "January 2025" in page
    assert 'href="https://en.wikipedia.org/wiki/Islamic_State_%E2%80%93_Tunisia_Province"' in page
    assert "Jund al-Khilafah in Tunisia was established in September 2014" in page
    assert re.search(r'<li id="citation-\d+">', page)
    assert "The whole archived article." not in page


def test_source_page_leaves_out_claims_that_are_not_public(db, fetch):
    source = make_source()
    make_citation(
        claim=make_claim(cite=False, property="ideology", value_text="Shown ideology"),
        source=source,
    )
    draft = make_claim(
        cite=False, property="ideology", value_text="Draft ideology", status=Claim.Status.DRAFT
    )
    make_citation(claim=draft, source=source, quote="Draft quote")
    page = fetch(source.get_absolute_url())
    assert "Shown ideology" in page and "Draft ideology" not in page and "Draft quote" not in page


def test_source_list_shows_only_sources_of_public_claims(db, fetch):
    make_citation(claim=make_claim(cite=False), source=make_source(title="Cited source"))
    make_source(title="Uncited source")
    page = fetch("/sources/")
    assert "Cited source" in page and "Uncited source" not in page


def test_a_source_without_public_claims_has_no_page(db, fetch):
    fetch(make_source().get_absolute_url(), status=404)


def test_home_has_a_search_box_counts_and_the_latest_published_changes(
    site, fetch, django_user_model
):
    page = fetch("/")
    assert '<label for="search-q">' in page and 'action="/search/"' in page
    counts = dict(
        (name, int(n))
        for n, name in re.findall(
            r"<strong>(\d+)</strong> (entities|events|sources|cited claims)", page
        )
    )
    assert counts == {
        "entities": 8,
        "events": 4,
        "sources": 2,
        "cited claims": Claim.objects.public().count(),
    }
    recent = page[page.index('id="recent-heading"') :]
    assert recent.count("<li>") == 10
    assert "United States designation of Ashraf al-Qizani" in recent


def test_home_recent_changes_show_the_newest_first_and_never_who_made_them(
    db, fetch, django_user_model
):
    editor = django_user_model.objects.create_user(username="edith-the-editor", first_name="Edith")
    entity = make_entity(label="Older entity")
    claim = make_claim(property="ideology", value_text="Newest ideology", entity=entity)
    claim._history_user = editor
    claim.save()
    page = fetch("/")
    recent = page[page.index('id="recent-heading"') :]
    assert recent.index("Newest ideology") < recent.index("(organization)")
    assert "edith" not in page.lower()


def test_pages_are_plain_accessible_html(site, fetch):
    for url in PUBLIC_URLS + [
        site.org.get_absolute_url(),
        site.bardo_attack.get_absolute_url(),
        site.article.get_absolute_url(),
    ]:
        page = fetch(url)
        assert '<html lang="en">' in page
        for landmark in ["<header", "<nav", "<main", "<footer"]:
            assert landmark in page, (url, landmark)
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
        assert "/admin" not in page, url
        assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", ""), url
        assert 'href="/static/css/site.css"' in page


def test_form_fields_are_labelled(db, fetch):
    for url in ["/", "/search/", "/events/"]:
        page = fetch(url)
        for field_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page):
            assert f'<label for="{field_id}">' in page, (url, field_id)


def test_stylesheet_is_served_by_the_app(db, client):
    from django.contrib.staticfiles import finders

    path = finders.find("css/site.css")
    assert path and "@media print" in open(path).read()


def test_a_source_cited_by_many_claims_is_paginated_and_a_footnote_opens_the_right_page(client, db):
    from sources.views import SourceDetailView
    from tests.conftest import make_citation, make_claim, make_entity, make_source

    source = make_source()
    per_page = SourceDetailView.citations_per_page
    citations = [
        make_citation(
            claim=make_claim(
                property="ideology", entity=make_entity(label=f"Group {n:03d}"), cite=False
            ),
            source=source,
            quote=f"quote number {n:03d}",
        )
        for n in range(per_page + 5)
    ]
    first = client.get(source.get_absolute_url()).content.decode()
    assert "quote number 000" in first and f"quote number {per_page + 4:03d}" not in first
    assert "Page 1 of 2" in first
    last = citations[-1]
    page = client.get(f"{source.get_absolute_url()}?citation={last.pk}").content.decode()
    assert f'id="citation-{last.pk}"' in page and "Page 2 of 2" in page
