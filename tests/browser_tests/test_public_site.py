"""The public site in a real browser: footnotes lead to sources, Arabic reads right to left,
search works from the home page, and the page reads well on a phone and on paper."""

import re

import pytest
from playwright.sync_api import expect

from tests.public_tests.dataset import ARABIC_NAME, ORGANIZATION_SLUG

pytestmark = pytest.mark.browser

ENTITY_URL = f"/entities/{ORGANIZATION_SLUG}/"


def test_a_footnote_leads_to_its_citation_and_on_to_the_source_page(page, artifacts):
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto(ENTITY_URL)
    expect(page.locator("h1")).to_have_text("Jund al-Khilafah in Tunisia")
    page.screenshot(path=str(artifacts / "entity-page.png"))
    page.screenshot(path=str(artifacts / "entity-page-full.png"), full_page=True)

    marker = page.locator(".infobox sup.fn a").first
    target = marker.get_attribute("href")
    marker.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    footnote = page.locator(target)
    expect(footnote).to_be_in_viewport()
    expect(footnote.locator("blockquote")).not_to_be_empty()

    source_link = footnote.locator("cite a")
    title = source_link.inner_text()
    citation_anchor = source_link.get_attribute("href").split("#")[1]
    source_link.click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/\?citation=\d+#citation-\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(f"#{citation_anchor}")).to_be_visible()
    expect(page.locator(f"#{citation_anchor}")).to_contain_text("Jund al-Khilafah in Tunisia")


def test_the_arabic_name_is_laid_out_right_to_left(page):
    page.goto(ENTITY_URL)
    name = page.locator("span[lang='ar']", has_text=ARABIC_NAME).first
    expect(name).to_be_visible()
    assert name.evaluate("element => getComputedStyle(element).direction") == "rtl"
    english = page.locator("span[lang='en']").first
    assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"


def test_a_search_from_the_home_page_finds_the_organization_by_its_arabic_name(page):
    page.goto("/")
    page.get_by_label("Search names of groups, people, places, events and sources").fill(
        "جند الخلافه"
    )
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = page.get_by_role("link", name="Jund al-Khilafah in Tunisia")
    expect(result.first).to_be_visible()
    result.first.click()
    expect(page).to_have_url(re.compile(re.escape(ENTITY_URL) + "$"))


def test_a_search_finds_a_place_by_another_spelling(page):
    page.goto("/")
    box = page.get_by_label("Search names of groups, people, places, events and sources")
    box.fill("Jabal Al-Shaanbi")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Chambi mountains", exact=True)).to_be_visible()


def test_a_search_under_a_spelling_no_source_gives_still_finds_the_place_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/search/")
    page.get_by_label("Search names of groups, people, places, events and sources").fill(
        "Djebel Chaambi"
    )
    page.get_by_label("Search in").select_option("entity")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Chambi mountains", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_label("Search names of groups, people, places, events and sources").fill("تونس")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Tunisia", exact=True)).to_be_visible()
    expect(page.locator(".results .matched-name span[lang=ar]").first).to_have_attribute(
        "dir", "rtl"
    )
    expect(page.locator("#search-q")).to_have_attribute("dir", "auto")


def test_the_entity_page_fits_a_phone_screen_and_prints_without_navigation(page, artifacts):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(ENTITY_URL)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts / "entity-page-phone.png"))
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()


def test_a_disputed_claim_shows_who_disputes_it_and_leads_to_the_disputing_words(page, artifacts):
    page.goto(ENTITY_URL)
    row = page.locator(".infobox dd.disputed", has_text="Islamic State – Tunisia Province").first
    expect(row).to_be_visible()
    expect(row.locator(".flag")).to_have_text("Disputed:")
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "disputed-claim.png"))
    flag_color = row.locator(".flag").evaluate("element => getComputedStyle(element).color")
    text_color = page.locator("h1").evaluate("element => getComputedStyle(element).color")
    assert flag_color != text_color

    disputing = row.locator(".disputed-by a").first
    expect(row.locator(".disputed-by")).to_contain_text("disputed by")
    target = disputing.get_attribute("href")
    disputing.click()
    footnote = page.locator(target)
    expect(footnote).to_be_in_viewport()
    expect(footnote.locator("blockquote")).to_contain_text("newly established Tunisia Province")


def test_the_attack_page_says_who_claimed_it(page):
    page.goto("/events/bardo-museum-attack/")
    section = page.locator("section", has=page.locator("#responsibility-heading"))
    expect(section.locator("dt")).to_have_text("Responsible")
    expect(section).to_contain_text("Jund al-Khilafah in Tunisia (claimed by the group itself)")
