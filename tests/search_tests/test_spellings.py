"""The seed's subjects found under the spellings other sources give them, and not found
under names that are not theirs."""

import pytest

from entities.models import Entity
from events.models import Event
from search.matcher import Tier, find
from sources.models import Source
from tests.conftest import make_entity

# For each subject of the seed, spellings that must find it: transliteration (articles,
# q/k, ou/u, sh/ch, kh/h, doubled letters, vowels), generic words, other languages, slips.
SPELLINGS = {
    ("entity", "jund-al-khilafah-in-tunisia"): [
        "Jound el-Khilafa",
        "Jund al Khilafa",
        "جند الخلافه",
        "Tunisia Wilaya",
        "Jund al-Khilafah in Tunisie",
    ],
    ("entity", "islamic-state"): ["Islamik State", "Islmaic State", "الدولة الاسلامية"],
    ("entity", "islamic-state-algeria-province"): [
        "Islamic State Algeria Wilayah",
        "Islamic State – Algérie Province",
    ],
    ("entity", "al-qaeda-in-the-islamic-maghreb"): [
        "Al-Qaida in the Islamic Maghrib",
        "el-Qaeda Maghreb",
        "Al-Qaida of the Islamic Maghrib",
    ],
    ("entity", "uqba-ibn-nafi-brigade"): [
        "Okba Ibn Nafaa",
        "Uqba bin Nafi Brigade",
        "Oqba ben Nafi",
    ],
    ("entity", "islamic-state-official-media-office"): [
        "Islamic State media office",
        "Islamic State offical media",
    ],
    ("entity", "tunisian-army"): ["Tunisian Armi", "Tunesian Army"],
    ("entity", "tunisian-national-guard"): ["Tunisian National Gard", "Tunisian Nationnal Guard"],
    ("entity", "general-administration-of-the-national-army-and-national-guard-of-tunisia"): [
        "General Administration of the National Army",
        "Genral Administration National Guard",
    ],
    ("entity", "tunisia"): ["Tunisie", "Tunsia", "Tounes", "تونس"],
    ("entity", "algeria"): ["Algérie", "Algeira"],
    ("entity", "libya"): ["Libye", "Libia"],
    ("entity", "united-states"): ["United Sates", "Untied States"],
    ("entity", "islamic-state-insurgency-in-tunisia"): [
        "insurgency in Tunisie",
        "Islamic State insurgancy",
    ],
    ("entity", "ashraf-al-qizani"): [
        "Achraf el-Kizani",
        "Ashraf Qizain",
        "Abou Obeida el-Kefi",
        "Ashraf ben Fethi al-Qizani",
    ],
    ("entity", "abu-bakr-al-baghdadi"): ["Abou Bakr el-Bagdadi", "Abu Bakr Baghdady"],
    ("entity", "abu-al-hussein-al-husseini-al-qurashi"): [
        "Abou el-Houssein el-Husseini",
        "Abu al-Husayn al-Qurayshi",
    ],
    ("entity", "raed-al-tawati"): ["Raid el-Taouati", "Raed Tawaty"],
    ("entity", "yassin-al-qanouni"): ["Yasin al-Qanuni", "Yacine Kanouni"],
    ("entity", "kasserine"): ["Qasrin", "Kasrine", "Al-Qasrayn"],
    ("entity", "kasserine-governorate"): [
        "Qasrin Governorate",
        "Wilayat al-Qasrayn",
        "Kasserine Province",
    ],
    ("entity", "chambi-mountains"): [
        "Chaambi",
        "Jebel Chaambi",
        "Djebel Chambi",
        "Mount Shaanbi",
        "Jabal ash-Shaanbi",
        "Mont Chambi",
    ],
    ("entity", "bardo"): ["Le Bardo", "Bardou"],
    ("event", "chambi-ambush-2013"): ["ambush Jebel Chambi", "Chaambi ambush"],
    ("event", "soon-soon-video"): ["Soon Soon", "video soon"],
    ("event", "bardo-museum-attack"): ["Bardo museum attack", "attack Bardou"],
    ("event", "bardo-museum-attack-claim"): [
        "Jund al-Khilafa claims Bardo",
        "claims attack museum",
    ],
    ("event", "tunisia-freezes-jund-al-khilafah-assets"): [
        "Tunisia freezes assets",
        "freeze assets Jund",
    ],
    ("event", "tunisia-charges-jund-al-khilafah-members"): [
        "charges 40 members",
        "Tunisie charges Jund al-Khilafa",
    ],
    ("event", "the-best-outcome-is-for-the-pious-videos"): [
        "Best Outcome Pious",
        "best outcome is for the pious",
    ],
    ("event", "national-guard-attack-2020"): ["attack national guards", "atack nationl guards"],
    ("event", "united-states-designates-ashraf-al-qizani"): [
        "designates Ashraf al-Kizani",
        "United States designates",
    ],
    ("event", "ashraf-al-qizani-in-hiding-in-libya"): ["Qizani hiding Libya", "hiding Libye"],
    ("event", "pledge-to-abu-al-hussein-al-husseini-al-qurashi"): [
        "pledges allegiance al-Qurashi",
        "Tunisia Province pledges",
    ],
    ("event", "arrests-of-jund-al-khilafah-members-2024"): [
        "arrests Jund al-Khilafah",
        "arrests members",
    ],
    ("event", "chambi-ambush-sentencing"): ["death sentences Chambi", "death sentences ambush"],
    ("event", "tunisia-tightens-terrorism-laws"): ["tightens laws terrorist", "Tunisie tightens"],
    ("event", "tunisian-algerian-joint-operations"): [
        "joint operations Algeria",
        "Tunisian Algerian joint operations",
    ],
    ("source", "wikipedia-islamic-state-tunisia-province"): [
        "Wikipedia",
        "Islamic State Tunisia Wilayah",
    ],
}
CASES = [(key, spelling) for key, spellings in SPELLINGS.items() for spelling in spellings]


def subject(type_, key):
    if type_ == "source":
        return Source.objects.get(import_key=key)
    return (Entity if type_ == "entity" else Event).objects.get(slug=key)


def test_every_subject_of_the_seed_has_spellings_to_find_it(loaded):
    for entity in Entity.objects.public():
        assert len(SPELLINGS[("entity", entity.slug)]) >= 2, entity.slug
    for event in Event.objects.public():
        assert len(SPELLINGS[("event", event.slug)]) >= 2, event.slug


@pytest.mark.parametrize(("key", "spelling"), CASES, ids=[spelling for _, spelling in CASES])
def test_a_spelling_other_sources_use_finds_the_subject(loaded, key, spelling):
    wanted = subject(*key)
    found = [(match.type, match.pk) for match in find(spelling)]
    assert (key[0], wanted.pk) in found


@pytest.mark.parametrize(
    ("spelling", "not_found"),
    [
        ("Kairouan", "kasserine"),
        ("Algiers", "algeria"),
        ("Chamber", "chambi-mountains"),
        ("Libya", "algeria"),
        ("Tawil", "raed-al-tawati"),
        ("Jebel Kasserine", "chambi-mountains"),
        ("Wadi Chambi", "chambi-mountains"),
    ],
)
def test_a_name_that_is_not_the_subjects_does_not_find_it(loaded, spelling, not_found):
    unwanted = Entity.objects.get(slug=not_found)
    assert unwanted.pk not in [match.pk for match in find(spelling, types=("entity",))]


def test_a_different_person_with_a_similar_name_ranks_below_the_exact_one(loaded):
    other = make_entity(label="Ashraf al-Kizani", kind="person")
    seed = Entity.objects.get(slug="ashraf-al-qizani")
    first, second = find("Ashraf al-Qizani", types=("entity",))[:2]
    assert (first.pk, first.tier) == (seed.pk, Tier.EXACT)
    assert (second.pk, second.tier) == (other.pk, Tier.TOLERANT)
    assert [match.pk for match in find("Ashraf al-Kizani", types=("entity",))][:2] == [
        other.pk,
        seed.pk,
    ]


def test_the_name_that_matched_is_given(loaded):
    match = find("Abou Obeida el-Kefi", types=("entity",))[0]
    assert (match.label, match.name, match.what) == (
        "Ashraf al-Qizani",
        "Abu 'Ubaydah al-Kafi",
        "also known as",
    )
