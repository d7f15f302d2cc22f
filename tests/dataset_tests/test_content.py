"""The tunisia-province dataset against the article it is curated from."""

import re
from collections import defaultdict

from core import dates
from core.names import normalize
from entities.models import Entity
from search.matcher import find
from sources.models import Citation, Claim, Source
from tests.dataset_tests.conftest import article_text

# Spellings the article uses for one thing, and the entity each must find.
SPELLINGS = {
    "Jund al-Khilafah in Tunisia": "jund-al-khilafah-in-tunisia",
    "Jund al-Khilafah": "jund-al-khilafah-in-tunisia",
    "جند الخلافة في تونس": "jund-al-khilafah-in-tunisia",
    "JAK-T": "jund-al-khilafah-in-tunisia",
    "Islamic State – Tunisia Province": "jund-al-khilafah-in-tunisia",
    "الدولة الإسلامية – ولاية تونس": "jund-al-khilafah-in-tunisia",
    "IS–TP": "jund-al-khilafah-in-tunisia",
    "Tunisia Province": "jund-al-khilafah-in-tunisia",
    "Tunisia Wilayah": "jund-al-khilafah-in-tunisia",
    "Ashraf al-Qizani": "ashraf-al-qizani",
    "Abu 'Ubaydah al-Kafi": "ashraf-al-qizani",
    "Ashraf bin Fathi Al-Qizani": "ashraf-al-qizani",
    "Chambi mountains": "chambi-mountains",
    "Jabal Al-Shaanbi": "chambi-mountains",
    "Kasserine Governorate": "kasserine-governorate",
    "Qasrin Governorate": "kasserine-governorate",
    "TUN": "tunisia",
    "ALG": "algeria",
}

DATE = re.compile(
    r"\b(?:(?P<month>"
    + "|".join(dates.MONTHS)
    + r")\s+(?:(?P<day>\d{1,2}),\s+)?)?(?P<year>\d{4})\b"
)


def article_parts():
    """{"infobox": …, "lead": …, "History, paragraph 1": …, …}, as the locators name them."""
    head, history = article_text().split("== History ==")
    _title, infobox, lead = head.strip().split("\n\n")
    parts = {"infobox": infobox, "lead": lead}
    for number, paragraph in enumerate(history.strip().split("\n\n"), start=1):
        parts[f"History, paragraph {number}"] = paragraph
    return parts


def test_the_source_holds_the_article_byte_for_byte(loaded):
    source = Source.objects.get(import_key="wikipedia-islamic-state-tunisia-province")
    assert source.archived_text == article_text()
    assert (source.kind, source.reliability, source.language) == ("encyclopedia", "C", "en")


def test_every_claim_cites_a_quote_that_stands_in_the_article_word_for_word(loaded):
    text = article_text()
    uncited = [
        claim.import_key
        for claim in Claim.objects.prefetch_related("citations")
        if not any(citation.quote in text for citation in claim.citations.all())
    ]
    assert Claim.objects.count() > 100
    assert uncited == []


def test_every_citation_quotes_the_part_of_the_article_its_locator_names(loaded):
    parts = article_parts()
    misplaced = [
        (citation.claim.import_key, citation.locator)
        for citation in Citation.objects.select_related("claim")
        if citation.quote not in parts.get(citation.locator, "")
    ]
    assert misplaced == []


def test_no_two_entities_share_a_name(loaded):
    owners = defaultdict(set)
    for entity in Entity.objects.all():
        owners[normalize(entity.label)].add(entity.slug)
    for claim in Claim.objects.names().filter(entity__isnull=False).select_related("entity"):
        owners[normalize(claim.value_text)].add(claim.entity.slug)
    assert {name: slugs for name, slugs in owners.items() if len(slugs) > 1} == {}


def test_every_spelling_the_article_uses_finds_its_entity(loaded):
    text = article_text()
    wanted = dict(SPELLINGS)
    for claim in Claim.objects.names().filter(entity__isnull=False).select_related("entity"):
        wanted[claim.value_text] = claim.entity.slug
    for spelling, slug in wanted.items():
        assert spelling in text, f"“{spelling}” is not how the article writes it"
        found = {match.pk for match in find(spelling, types=("entity",))}
        assert Entity.objects.get(slug=slug).pk in found, f"“{spelling}” does not find {slug}"


def test_every_date_in_the_history_section_is_recorded(loaded):
    """Each date the History section writes ("March 31, 2015", "January 2019", "in 2015")
    is found in the article itself, converted to EDTF, and must be covered by a claim:

    - the date of an event, or a date, start, end or point in time of a claim about an
      entity (the founding "in September 2014", the size "As of 2018", the presence
      "Throughout 2015" are facts about the group, not happenings);
    - dated to it at the precision written, uncertainty marks aside ("2020-01?" covers
      "January 2020");
    - and citing a quote that contains the date as written, so that the claim comes from
      the sentence the date stands in, not from another that happens to share the year.

    A new dated paragraph therefore fails this test until the data records it.
    """
    history = article_text().split("== History ==", 1)[1]
    written = []
    for match in DATE.finditer(history):
        edtf = match["year"]
        if match["month"]:
            edtf += f"-{dates.MONTHS.index(match['month']) + 1:02d}"
            if match["day"]:
                edtf += f"-{int(match['day']):02d}"
        written.append((match[0], edtf))
    assert len(written) >= 15

    recorded = defaultdict(list)  # EDTF date -> quotes of the claims dated to it
    for claim in Claim.objects.select_related("property").prefetch_related("citations"):
        if claim.event_id and claim.property.code == "date":
            claim_dates = [claim.value_date]
        elif claim.entity_id:
            claim_dates = [claim.value_date, claim.start, claim.end, claim.point_in_time]
        else:
            continue
        for value in claim_dates:
            if value:
                recorded[value.rstrip("?~%")].extend(
                    citation.quote for citation in claim.citations.all()
                )

    missing = [
        (as_written, edtf)
        for as_written, edtf in written
        if not any(as_written in quote for quote in recorded[edtf])
    ]
    assert missing == []


def test_the_article_s_inconsistencies_are_recorded_with_public_notes(loaded):
    def claim(key):
        return Claim.objects.get(import_key=key)

    hiding = claim("ashraf-al-qizani-in-hiding-in-libya/date")
    assert hiding.value_date == "2020-01?" and hiding.note_is_public
    for key in [
        "jund-al-khilafah-in-tunisia/alias/islamic-state-tunisia-province",
        "jund-al-khilafah-in-tunisia/part-of/islamic-state",
        "jund-al-khilafah-in-tunisia/dissolution",
        "chambi-ambush-sentencing/concerns",
        "raed-al-tawati/member-of/jund-al-khilafah-in-tunisia",
    ]:
        assert claim(key).note and claim(key).note_is_public, key
    # The infobox's broken markup is one ally with its period, not a second fact.
    allies = Claim.objects.filter(entity__slug="jund-al-khilafah-in-tunisia", property__code="ally")
    assert [(ally.value_entity.slug, ally.start, ally.end) for ally in allies] == [
        ("islamic-state-algeria-province", "2014", "2016")
    ]
    assert not Claim.objects.filter(value_text__icontains="skin-invert").exists()
