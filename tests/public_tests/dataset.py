"""A small published dataset in the shape of the seed: the organization, its names in two
scripts, a leader, allies, a disputed figure, places spelt several ways and dated events."""

from types import SimpleNamespace

from entities.models import Entity
from events.models import Event
from sources.models import Claim, Source
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

ORGANIZATION_SLUG = "jund-al-khilafah-in-tunisia"
ARABIC_NAME = "جند الخلافة في تونس"


def build():
    article = make_source(
        kind=Source.Kind.ENCYCLOPEDIA,
        title="Islamic State – Tunisia Province",
        publisher="Wikipedia",
        published_on="2025-01",
        url="https://en.wikipedia.org/wiki/Islamic_State_%E2%80%93_Tunisia_Province",
        language="en",
    )
    statement = make_source(
        kind=Source.Kind.GOVERNMENT,
        title="State Department Terrorist Designation of Ashraf al-Qizani",
        publisher="U.S. Department of State",
        published_on="2020-12-12",
        language="en",
    )

    def claim(subject, prop, *, quote, source=article, locator="History", **fields):
        key = "event" if isinstance(subject, Event) else "entity"
        made = make_claim(property=prop, cite=False, **{key: subject}, **fields)
        make_citation(claim=made, source=source, locator=locator, quote=quote)
        return made

    org = make_entity(
        label="Jund al-Khilafah in Tunisia",
        slug=ORGANIZATION_SLUG,
        description="Militant organization affiliated with the Islamic State, based in Tunisia.",
    )
    islamic_state = make_entity(label="Islamic State", slug="islamic-state")
    algeria_province = make_entity(
        label="Islamic State – Algeria Province", slug="islamic-state-algeria-province"
    )
    tunisia = make_entity(label="Tunisia", slug="tunisia", kind=Entity.Kind.COUNTRY)
    leader = make_entity(label="Ashraf al-Qizani", slug="ashraf-al-qizani", kind=Entity.Kind.PERSON)
    chambi = make_entity(label="Chambi mountains", slug="chambi-mountains", kind=Entity.Kind.PLACE)
    kasserine = make_entity(
        label="Kasserine Governorate", slug="kasserine-governorate", kind=Entity.Kind.PLACE
    )
    bardo = make_entity(
        label="Bardo National Museum", slug="bardo-national-museum", kind=Entity.Kind.PLACE
    )

    intro = (
        "Jund al-Khilafah in Tunisia (جند الخلافة في تونس, JAK-T) "
        "also known as Islamic State – Tunisia Province"
    )
    claim(
        org,
        "name",
        value_text="Jund al-Khilafah in Tunisia",
        value_language="en",
        quote=intro,
        locator="Lead",
    )
    claim(
        org, "native_name", value_text=ARABIC_NAME, value_language="ar", quote=intro, locator="Lead"
    )
    claim(org, "short_name", value_text="JAK-T", value_language="en", quote=intro, locator="Lead")
    claim(
        org,
        "short_name",
        value_text="IS–TP",
        value_language="en",
        quote="(الدولة الإسلامية – ولاية تونس, IS–TP)",
        locator="Lead",
    )
    claim(
        org,
        "alias",
        value_text="Islamic State – Tunisia Province",
        value_language="en",
        quote=intro,
        locator="Lead",
    )
    claim(
        org,
        "alias",
        value_text="الدولة الإسلامية – ولاية تونس",
        value_language="ar",
        quote=intro,
        locator="Lead",
    )
    claim(
        org,
        "inception",
        value_date="2014-09",
        rank=Claim.Rank.PREFERRED,
        rank_reason="Stated in the history section; the infobox agrees.",
        quote="Jund al-Khilafah in Tunisia was established in September 2014",
    )
    claim(
        org,
        "inception",
        value_date="2013",
        quote="the ambush of Tunisian soldiers in Jabal Al-Shaanbi",
        rank=Claim.Rank.DEPRECATED,
        rank_reason="A 2013 attack attributed later is not the founding.",
    )
    claim(
        org,
        "dissolution",
        value_date="2024-04",
        quote="Dates: September 2014 – April 2024",
        locator="Infobox",
    )
    claim(
        org,
        "leader",
        value_entity=leader,
        start="2014-09",
        quote="the emir of Jund al-Khilafah, Ashraf al-Qizani",
        source=statement,
        locator="Paragraph 1",
    )
    claim(
        org,
        "allegiance",
        value_entity=islamic_state,
        quote='gave bay\'ah to then-"caliph" of the Islamic State',
    )
    claim(
        org,
        "ally",
        value_entity=algeria_province,
        start="2014",
        end="2016",
        quote="Islamic State – Algeria Province (2014–2016)",
        locator="Infobox",
    )
    claim(org, "opponent", value_entity=tunisia, quote="Opponents: TUN, ALG", locator="Infobox")
    claim(
        org,
        "ideology",
        value_text="Islamic Statism",
        quote="Ideology: Islamic Statism",
        locator="Infobox",
    )
    claim(
        org,
        "member_count",
        value_quantity=100,
        point_in_time="2018",
        quote="As of 2018, Jund al-Khilafah only has around 100 members.",
        note="The infobox gives the same figure.",
        note_is_public=True,
    )
    claim(
        org,
        "area_of_operations",
        value_entity=chambi,
        quote="through the areas of the Chambi mountains",
    )
    claim(org, "area_of_operations", value_entity=kasserine, quote="the town of Kasserine")
    claim(
        org,
        "headquarters",
        value_kind=Claim.ValueKind.UNKNOWN,
        quote="based in Tunisia",
        locator="Lead",
    )

    claim(
        leader,
        "alias",
        value_text="Abu 'Ubaydah al-Kafi",
        value_language="en",
        quote="also known as Abu 'Ubaydah al-Kafi",
    )
    claim(
        chambi,
        "alias",
        value_text="Jabal Al-Shaanbi",
        value_language="en",
        quote="in Jabal Al-Shaanbi",
    )
    claim(
        chambi,
        "native_name",
        value_text="جبل الشعانبي",
        value_language="ar",
        quote="Jabal Al-Shaanbi",
    )
    claim(
        kasserine,
        "alias",
        value_text="Qasrin Governorate",
        value_language="en",
        quote="in the Qasrin Governorate",
    )
    claim(
        kasserine,
        "native_name",
        value_text="ولاية القصرين",
        value_language="ar",
        quote="Kasserine Governorate",
    )

    bardo_attack = make_event(
        label="Bardo National Museum attack", slug="bardo-national-museum-attack"
    )
    claim(
        bardo_attack,
        "date",
        value_date="2015-03-18",
        quote="an attack against a museum in Bardo on March 18, 2015",
    )
    claim(bardo_attack, "location", value_entity=bardo, quote="a museum in Bardo")
    claim(
        bardo_attack,
        "killed",
        value_quantity=22,
        quote="The attack killed 22 people",
        rank=Claim.Rank.PREFERRED,
        rank_reason="The count of the article, which excludes the attackers.",
    )
    claim(
        bardo_attack,
        "killed",
        value_quantity=24,
        quote="The attack killed 22 people",
        note="Counts that include the attackers.",
        note_is_public=True,
    )
    claim(
        bardo_attack,
        "perpetrator",
        value_entity=org,
        according_to=org,
        quote="Jund al-Khilafah would claim responsibility",
    )

    video = make_event(
        label="“Soon, Soon” video", slug="soon-soon-video", kind=Event.Kind.MEDIA_RELEASE
    )
    claim(
        video,
        "date",
        value_date="2015",
        quote="In 2015, under the name Islamic State – Tunisia Province, released a video",
    )
    claim(video, "released_by", value_entity=org, quote='released a video entitled "Soon, Soon"')

    ambush = make_event(
        label="Ambush of Tunisian soldiers in Jabal Al-Shaanbi", slug="chambi-ambush-2013"
    )
    claim(ambush, "date", value_date="2013-07-29", quote="on July 29, 2013")
    claim(
        ambush,
        "location",
        value_entity=chambi,
        quote="in Jabal Al-Shaanbi in the Qasrin Governorate",
    )
    claim(ambush, "killed", value_quantity=12, quote="which killed 12 Tunisian soldiers")

    designation = make_event(
        label="United States designation of Ashraf al-Qizani",
        slug="qizani-designation",
        kind=Event.Kind.DESIGNATION,
    )
    claim(
        designation,
        "date",
        value_date="2020-12-12",
        quote="On December 12, 2020, the United States designated",
    )
    claim(
        designation,
        "designee",
        value_entity=leader,
        quote="designated the emir of Jund al-Khilafah, Ashraf al-Qizani",
    )

    return SimpleNamespace(
        article=article,
        statement=statement,
        org=org,
        leader=leader,
        islamic_state=islamic_state,
        algeria_province=algeria_province,
        tunisia=tunisia,
        chambi=chambi,
        kasserine=kasserine,
        bardo=bardo,
        bardo_attack=bardo_attack,
        video=video,
        ambush=ambush,
        designation=designation,
    )
