import re

from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source
from tests.public_tests.dataset import ARABIC_NAME


def infobox_row(page, label):
    """The HTML of one infobox row, found by its property label."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>(.*?)</div>", page, re.S)
    assert match, f"no infobox row “{label}”"
    return match.group(1)


def test_infobox_groups_claims_by_property_with_qualifiers_in_plain_words(site, fetch):
    page = fetch(site.org.get_absolute_url())
    assert "<h1>Jund al-Khilafah in Tunisia</h1>" in page
    assert "September 2014" in infobox_row(page, "Founded")
    leader = infobox_row(page, "Leader")
    assert 'href="/entities/ashraf-al-qizani/"' in leader and "(from September 2014)" in leader
    assert "(2014 – 2016)" in infobox_row(page, "Ally")
    assert re.search(
        r"100\s*<span class=\"qualifiers\">\(2018\)</span>", infobox_row(page, "Members")
    )


def test_every_value_is_footnoted_and_footnotes_give_the_source_and_quote(site, fetch):
    page = fetch(site.org.get_absolute_url())
    values = re.findall(r'<dd class="value[^"]*">(.*?)</dd>', page, re.S)
    assert values and all('<sup class="fn"><a href="#fn-' in value for value in values)
    footnotes = page[page.index('id="footnotes-heading"') :]
    leader_note = re.search(
        r'<li id="fn-(\d+)">(.*?)</li>',
        footnotes[footnotes.index("State Department") - 300 :],
        re.S,
    )
    text = leader_note.group(2)
    assert f'href="/sources/{site.statement.pk}/?citation=' in text
    assert "State Department Terrorist Designation of Ashraf al-Qizani" in text
    assert (
        "U.S. Department of State" in text and "12 December 2020" in text and "Paragraph 1" in text
    )
    assert "the emir of Jund al-Khilafah, Ashraf al-Qizani" in text


def test_names_in_every_script_carry_their_language_and_direction(site, fetch):
    page = fetch(site.org.get_absolute_url())
    assert f'<span lang="ar" dir="rtl">{ARABIC_NAME}</span>' in page
    assert '<span lang="ar" dir="rtl">الدولة الإسلامية – ولاية تونس</span>' in page
    assert '<span lang="en">JAK-T</span>' in page


def test_languages_written_right_to_left(db, fetch):
    entity = make_entity()
    for language, text in [
        ("fa", "فارسی"),
        ("ur", "اردو"),
        ("he", "עברית"),
        ("ps", "پښتو"),
        ("ar-Latn", "Jund"),
    ]:
        make_claim(property="alias", entity=entity, value_text=text, value_language=language)
    page = fetch(entity.get_absolute_url())
    for language in ["fa", "ur", "he", "ps"]:
        assert f'lang="{language}" dir="rtl"' in page
    assert '<span lang="ar-Latn">Jund</span>' in page


def test_preferred_value_first_and_the_others_marked_disputed_with_their_own_footnotes(db, fetch):
    entity = make_entity()
    make_claim(property="member_count", entity=entity, value_quantity=300, point_in_time="2015")
    make_claim(
        property="member_count",
        entity=entity,
        value_quantity=100,
        point_in_time="2015",
        rank=Claim.Rank.PREFERRED,
        rank_reason="The closer observer.",
    )
    row = infobox_row(fetch(entity.get_absolute_url()), "Members")
    assert row.index("100") < row.index("300")
    assert re.search(
        r'class="value disputed"><strong class="flag">Disputed:</strong> 300 .*?href="#fn-2"',
        row,
        re.S,
    )
    assert "Preferred because: The closer observer." in row


def test_estimates_of_different_times_are_not_a_dispute(db, fetch):
    entity = make_entity()
    make_claim(property="member_count", entity=entity, value_quantity=300, point_in_time="2015")
    make_claim(property="member_count", entity=entity, value_quantity=100, point_in_time="2018")
    row = infobox_row(fetch(entity.get_absolute_url()), "Members")
    assert "Disputed" not in row and "300" in row and "100" in row


def test_one_value_property_without_a_preferred_value_is_disputed_throughout(db, fetch):
    entity = make_entity()
    make_claim(property="inception", entity=entity, value_date="2014-09")
    make_claim(property="inception", entity=entity, value_date="2015")
    row = infobox_row(fetch(entity.get_absolute_url()), "Founded")
    assert row.count("Disputed:") == 2


def test_several_values_of_a_multi_valued_property_are_not_a_dispute(db, fetch):
    entity = make_entity()
    make_claim(property="opponent", entity=entity)
    make_claim(property="opponent", entity=entity)
    assert "Disputed" not in infobox_row(fetch(entity.get_absolute_url()), "Opponent")


def test_deprecated_value_shows_only_as_deprecated_with_its_reason(site, fetch):
    row = infobox_row(fetch(site.org.get_absolute_url()), "Founded")
    assert re.search(
        r'class="value deprecated"><strong class="flag">Deprecated:</strong>.*?2013', row, re.S
    )
    assert "Reason: A 2013 attack attributed later is not the founding." in row
    assert row.index("September 2014") < row.index("2013")


def test_public_note_is_shown_beside_its_claim_and_an_internal_note_never(db, fetch):
    entity = make_entity()
    make_claim(
        property="ideology",
        entity=entity,
        value_text="Salafism",
        note="Said once.",
        note_is_public=True,
    )
    make_claim(
        property="ideology",
        entity=entity,
        value_text="Jihadism",
        note="Check with Rafael.",
        note_is_public=False,
    )
    page = fetch(entity.get_absolute_url())
    assert "Said once." in page
    assert "Check with Rafael" not in page and "Jihadism" in page


def test_unknown_value_and_no_value_render_as_such(db, fetch):
    entity = make_entity()
    make_claim(property="headquarters", entity=entity, value_kind=Claim.ValueKind.UNKNOWN)
    make_claim(property="dissolution", entity=entity, value_kind=Claim.ValueKind.NONE)
    page = fetch(entity.get_absolute_url())
    assert '<em class="special-value">unknown value</em>' in infobox_row(page, "Headquarters")
    assert '<em class="special-value">no value</em>' in infobox_row(page, "Ended")


def test_events_the_entity_appears_in_are_listed_in_date_order(site, fetch):
    page = fetch(site.org.get_absolute_url())
    events = page[page.index('id="events-heading"') :]
    assert events.index("“Soon, Soon” video") < events.index("Bardo National Museum attack")
    assert "18 March 2015" in events and "claimed by the group itself" in events


def test_events_are_ordered_by_their_timeline_date_not_their_label(db, fetch):
    entity = make_entity()
    for label, day in [("A later", "2020-05"), ("B earlier", "2014"), ("C middle", "2015-03-18")]:
        event = make_event(label=label)
        make_claim(property="date", event=event, value_date=day)
        make_claim(property="perpetrator", event=event, value_entity=entity)
    page = fetch(entity.get_absolute_url())
    assert page.index("B earlier") < page.index("C middle") < page.index("A later")
    assert "May 2020" in page


def test_related_entities_are_shown_both_ways_with_the_inverse_label(site, fetch):
    leader_page = fetch(site.leader.get_absolute_url())
    related = leader_page[leader_page.index('id="related-heading"') :]
    assert "<dt>Leader of</dt>" in related
    assert 'href="/entities/jund-al-khilafah-in-tunisia/"' in related
    ally_page = fetch(site.algeria_province.get_absolute_url())
    assert "<dt>Ally of</dt>" in ally_page
    org_page = fetch(site.org.get_absolute_url())
    assert 'href="/entities/islamic-state-algeria-province/"' in infobox_row(org_page, "Ally")


def test_entity_list_filters_by_kind_and_is_paginated(site, fetch):
    page = fetch("/entities/?kind=place")
    assert "Chambi mountains" in page and "Ashraf al-Qizani" not in page
    assert "Ashraf al-Qizani" in fetch("/entities/?kind=person")
    assert "is not a kind of entity" in fetch("/entities/?kind=battle", status=400)
    for n in range(60):
        make_entity(label=f"Zz entity {n:02d}")
    first = fetch("/entities/")
    assert "Page 1 of 2" in first and "Zz entity 59" not in first
    assert "Zz entity 59" in fetch("/entities/?page=2")


def test_merged_entity_answers_with_a_permanent_redirect_to_the_survivor(db, client):
    survivor = make_entity(slug="survivor")
    merged = make_entity(slug="merged-one", merged_into=survivor)
    make_entity(slug="merged-twice", merged_into=merged)
    for slug in ["merged-one", "merged-twice"]:
        response = client.get(f"/entities/{slug}/")
        assert response.status_code == 301
        assert response["Location"] == "/entities/survivor/"


def test_merged_entity_redirect_keeps_the_as_of_date(db, client):
    survivor = make_entity(slug="survivor")
    make_entity(slug="merged-one", merged_into=survivor)
    response = client.get("/entities/merged-one/?as_of=" + _today())
    assert (
        response.status_code == 301
        and response["Location"] == f"/entities/survivor/?as_of={_today()}"
    )


def test_unpublished_or_missing_entity_is_not_found(db, fetch):
    hidden = make_entity(published=False)
    fetch(hidden.get_absolute_url(), status=404)
    fetch("/entities/no-such-entity/", status=404)
    survivor = make_entity(published=False)
    fetch(make_entity(merged_into=survivor).get_absolute_url(), status=404)
    # A draft merged into a public entity: its address was never public, so no redirect
    # tells a reader that it existed.
    draft = make_entity(published=False, merged_into=make_entity())
    fetch(draft.get_absolute_url(), status=404)


def test_footnote_numbers_follow_reading_order_and_one_citation_gets_one_number(db, fetch):
    entity = make_entity()
    source = make_source()
    first = make_claim(property="inception", entity=entity, cite=False)
    make_citation(claim=first, source=source, quote="First quote.")
    make_citation(claim=first, source=source, quote="Second quote.")
    page = fetch(entity.get_absolute_url())
    assert '<a href="#fn-1" id="ref-1"' in page and '<a href="#fn-2" id="ref-2"' in page
    assert (
        page.index('<li id="fn-1">')
        < page.index("First quote.")
        < page.index('<li id="fn-2">')
        < page.index("Second quote.")
    )


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()
