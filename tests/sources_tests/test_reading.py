"""The read model on its own: what a page makes of the claims it is given."""

import datetime

from sources.models import Claim
from sources.reading import entity_sections, event_section, events_of, infobox, relations_of
from tests.conftest import make_claim, make_entity, make_event


def ranked(entity, prop, rank, **value):
    reason = "" if rank == "normal" else "the reason"
    return make_claim(property=prop, entity=entity, rank=rank, rank_reason=reason, **value)


def rows_of(claims):
    return {
        row["property"].code: {key: row[key] for key in ("values", "disputed", "deprecated")}
        for row in infobox(Claim.objects.shown().filter(pk__in=[c.pk for c in claims]))
    }


def test_a_preferred_value_stands_and_the_others_beside_it_are_disputed(db):
    entity = make_entity()
    preferred = ranked(entity, "inception", "preferred", value_date="2014-09")
    normal = ranked(entity, "inception", "normal", value_date="2015")
    deprecated = ranked(entity, "inception", "deprecated", value_date="2013")
    row = rows_of([preferred, normal, deprecated])["inception"]
    assert row == {"values": [preferred], "disputed": [normal], "deprecated": [deprecated]}


def test_several_values_of_a_one_value_property_are_all_disputed(db):
    entity = make_entity()
    first = ranked(entity, "inception", "normal", value_date="2014-09")
    second = ranked(entity, "inception", "normal", value_date="2015")
    assert rows_of([first, second])["inception"] == {
        "values": [],
        "disputed": [first, second],
        "deprecated": [],
    }


def test_several_values_of_a_many_valued_property_all_stand(db):
    entity = make_entity()
    allies = [ranked(entity, "ally", "normal") for _ in range(2)]
    assert rows_of(allies)["ally"] == {"values": allies, "disputed": [], "deprecated": []}


def test_an_entitys_events_come_in_timeline_order_and_relations_read_from_its_side(db):
    group = make_entity()
    later, earlier, undated = make_event(label="B"), make_event(label="A"), make_event(label="C")
    make_claim(property="date", event=later, value_date="2016")
    make_claim(property="date", event=earlier, value_date="2015-03-18")
    pointing = [
        make_claim(property="perpetrator", event=event, value_entity=group)
        for event in (later, undated, earlier)
    ]
    leader_of = make_claim(property="leader", entity=make_entity(), value_entity=group)
    for event in (later, earlier, undated):
        event.refresh_from_db()
    for claim in pointing:
        claim.event.refresh_from_db()
    assert [event.label for event, _ in events_of(pointing)] == ["A", "B", "C"]
    assert earlier.sort_date == datetime.date(2015, 3, 18)
    assert relations_of([leader_of]) == [("leader of", [leader_of])]

    group.own_claims = list(Claim.objects.filter(entity=group))
    group.pointing_claims = pointing + [leader_of]
    sections = entity_sections(group)
    assert [label for label, _ in sections["relations"]] == ["leader of"]
    assert len(sections["events"]) == 3


def test_each_event_property_has_its_section(db):
    from sources.models import Property

    sections = {p.code: event_section(p) for p in Property.objects.all()}
    assert sections["date"] == "when"
    assert sections["location"] == "where"
    assert sections["perpetrator"] == sections["claimed_by"] == "responsibility"
    assert sections["participant"] == "participants"
    assert sections["killed"] == "figures"
    assert sections["alias"] == "names"
