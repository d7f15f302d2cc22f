"""Weighing evidence: one claim per value with all its sources, disputes as the property's
cardinality and the citations' stance say, on whose word a claim rests, parts of a count."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.history import save_with_reason, tracked_models
from sources.models import Citation, Claim, Property
from sources.review import checks, services
from tests.admin_helpers import claim_post_data
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

QUEUE = "/admin/sources/claim/review/"


@pytest.fixture
def fetch(client):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    return get


def infobox_row(page, label):
    start = page.index(f"<dt>{label}</dt>")
    return page[start : page.index("</div>", start)]


def disputed(*claims):
    return [Claim.objects.get(pk=claim.pk).in_dispute for claim in claims]


def queue_disputes(client):
    sections = client.get(QUEUE).context["sections"]
    return list(next(s for s in sections if s["key"] == "disputes")["page"].object_list)


# Corroboration: several sources for one value are one claim


def test_the_same_claim_twice_is_refused_naming_the_claim_that_has_it(db):
    group = make_entity()
    first = make_claim(entity=group, property="inception", value_date="2014-09")
    second = Claim(entity=group, property=first.property, value_date="2014-09")
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    (error,) = refused.value.error_dict["__all__"]
    assert error.code == "same_claim" and f"claim {first.pk}" in error.messages[0]
    assert "add this citation to that claim instead" in error.messages[0]


def test_other_qualifiers_make_another_claim_and_a_rejected_claim_does_not_count(db):
    group = make_entity()
    first = make_claim(entity=group, property="member_count", value_quantity=100)
    for other in (
        Claim(entity=group, property=first.property, value_quantity=100, point_in_time="2018"),
        Claim(entity=group, property=first.property, value_quantity=100, part="fighters"),
    ):
        other.full_clean()
    first.status, first.status_reason = Claim.Status.REJECTED, "misread"
    first.save()
    Claim(entity=group, property=first.property, value_quantity=100).full_clean()


def test_the_admin_refuses_the_same_claim_and_offers_to_cite_the_existing_one(reviewer_client):
    first = make_claim(property="inception", value_date="2014-09")
    source = make_source()
    data = claim_post_data(
        entity=first.entity,
        property=first.property,
        value_date="September 2014",
        citations=[{"source": source, "locator": "p. 4", "quote": "Founded in September 2014."}],
    )
    response = reviewer_client.post("/admin/sources/claim/add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/admin/sources/claim/{first.pk}/change/"' in page
    offer = re.search(r'href="(/admin/sources/citation/add/\?[^"]+)">add your citation', page)
    assert offer and Claim.objects.count() == 1
    form = reviewer_client.get(offer.group(1).replace("&amp;", "&")).context["adminform"].form
    assert form.initial["claim"] == str(first.pk) and form.initial["source"] == str(source.pk)
    assert form.initial["quote"] == "Founded in September 2014."


def test_the_loader_refuses_a_second_record_of_one_claim(db, tmp_path):
    from imports.dataset import DatasetError, load_dataset

    (tmp_path / "sources.yaml").write_text("- {key: s, kind: news, title: A report}\n")
    (tmp_path / "entities.yaml").write_text("- {slug: g, label: G, kind: organization}\n")
    (tmp_path / "events.yaml").write_text("")
    record = (
        "- key: {key}\n  subject: {{entity: g}}\n  property: inception\n  date: '2014'\n"
        "  citations: [{{source: s, quote: founded in 2014}}]\n"
    )
    (tmp_path / "claims.yaml").write_text(record.format(key="a") + record.format(key="b"))
    with pytest.raises(DatasetError) as refused:
        load_dataset(directory=tmp_path, reason="test")
    assert any("claim “b”" in error and "same claim" in error for error in refused.value.errors)
    assert not Claim.objects.exists()


def test_agreeing_sources_show_as_one_value_with_their_count(db, fetch):
    claim = make_claim(property="inception", value_date="2014-09")
    make_citation(claim=claim, source=make_source(title="A second report"))
    row = infobox_row(fetch(claim.entity.get_absolute_url()), "Founded")
    assert "2 sources" in row and "Disputed" not in row
    assert row.count('class="value"') == 1


def test_claims_left_twice_are_found_and_combined_with_their_citations(db, reviewer):
    group, islamic_state = make_entity(), make_entity()
    kept = make_claim(entity=group, property="allegiance", value_entity=islamic_state)
    # A merge of two entities can leave one claim twice: it moves claims without asking.
    twin = make_claim(
        entity=group, property="allegiance", value_entity=islamic_state, status="draft"
    )
    twin.note = "From the second report."
    twin.save()
    findings = [f for f in checks.run_checks() if f.code == "same_claim"]
    assert [finding.pk for finding in findings] == [twin.pk]

    result = services.combine(claims=Claim.objects.filter(pk=twin.pk), user=reviewer)
    assert result.done == [kept]
    assert not Claim.objects.filter(pk=twin.pk).exists()
    assert kept.citations.count() == 2
    kept.refresh_from_db()
    assert "From the second report." in kept.note
    assert Claim.history.filter(id=twin.pk, history_type="-").exists()
    assert not [f for f in checks.run_checks() if f.code == "same_claim"]


# Cardinality


def test_one_value_ever_disputes_other_values_but_not_a_coarser_date(db):
    group = make_entity()
    year = make_claim(entity=group, property="inception", value_date="2012")
    month = make_claim(entity=group, property="inception", value_date="2012-05")
    assert disputed(year, month) == [False, False]
    other = make_claim(entity=group, property="inception", value_date="2014")
    assert disputed(year, month, other) == [True, True, True]


def test_overlapping_allegiances_dispute_successive_ones_do_not(db):
    group, first, second = make_entity(), make_entity(), make_entity()
    before = make_claim(entity=group, property="allegiance", value_entity=first, end="2015-06")
    after = make_claim(entity=group, property="allegiance", value_entity=second, start="2015-06")
    assert disputed(before, after) == [False, False]

    after.start = "2015-03"
    after.save()
    assert disputed(before, after) == [True, True]


def test_a_one_at_a_time_value_of_unknown_period_disputes_the_others(db):
    group = make_entity()
    dated = make_claim(entity=group, property="leader", point_in_time="2019-07")
    undated = make_claim(entity=group, property="leader")
    assert disputed(dated, undated) == [True, True]


def test_many_values_never_dispute_and_a_reviewer_settles_a_dispute_by_ranking(
    reviewer_client,
):
    group = make_entity()
    allies = [make_claim(entity=group, property="ally") for _ in range(3)]
    assert disputed(*allies) == [False] * 3
    founded = [
        make_claim(entity=group, property="inception", value_date=d) for d in ("2013", "2014")
    ]
    assert len(queue_disputes(reviewer_client)) == 1
    founded[1].rank, founded[1].rank_reason = Claim.Rank.PREFERRED, "the court record"
    founded[1].save()
    assert disputed(*founded) == [False, False]
    assert queue_disputes(reviewer_client) == []


def test_changing_a_propertys_cardinality_recomputes_its_disputes(db):
    group = make_entity()
    allies = [make_claim(entity=group, property="ally") for _ in range(2)]
    ally = Property.objects.get(code="ally")
    ally.cardinality = Property.Cardinality.ONE
    ally.save()
    assert disputed(*allies) == [True, True]


# Citations that dispute


def dispute(claim, quote="It has been erroneously reported that the brigade defected."):
    return make_citation(
        claim=claim,
        source=make_source(title="A later report"),
        quote=quote,
        stance=Citation.Stance.DISPUTES,
    )


def test_a_disputing_citation_puts_the_claim_in_the_queue_and_on_the_page(reviewer_client):
    brigade, islamic_state = make_entity(label="The brigade"), make_entity(label="IS")
    allegiance = make_claim(entity=brigade, property="allegiance", value_entity=islamic_state)
    against = dispute(allegiance)
    (row,) = queue_disputes(reviewer_client)
    assert row["entity_id"] == brigade.pk and row["claims"] == 1

    page = reviewer_client.get(brigade.get_absolute_url()).content.decode()
    found = infobox_row(page, "Allegiance")
    assert "Disputed:" in found
    assert re.search(r'disputed by<sup class="fn"><a href="#fn-2"', found)
    assert "erroneously reported" in page[page.index('id="footnotes-heading"') :]

    against.delete()
    assert disputed(allegiance) == [False]


def test_a_preferred_claim_stands_though_a_source_disputes_it(reviewer_client):
    allegiance = make_claim(property="allegiance", rank="preferred", rank_reason="Three reports")
    dispute(allegiance)
    assert disputed(allegiance) == [False] and queue_disputes(reviewer_client) == []
    row = infobox_row(
        reviewer_client.get(allegiance.entity.get_absolute_url()).content.decode(), "Allegiance"
    )
    assert "Disputed:" not in row and "disputed by" in row


def test_a_claim_no_citation_supports_is_not_published(db, reviewer, client):
    claim = make_claim(property="allegiance", cite=False, status="draft")
    dispute(claim)
    assert services.publish(claims=Claim.objects.all(), user=reviewer).skipped == [claim]
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    assert not Claim.objects.public().exists()
    page = client.get(claim.entity.get_absolute_url()).content.decode()
    assert "erroneously" not in page


# On whose word


def test_on_whose_word_reads_in_words(db):
    group = make_entity(label="The group")
    tunisia = make_entity(label="Tunisian authorities", kind="country")
    attack = make_event()
    claimed = make_claim(
        event=attack, property="perpetrator", value_entity=group, according_to=group
    )
    attributed = make_claim(
        event=make_event(), property="perpetrator", value_entity=group, according_to=tunisia
    )
    established = make_claim(
        event=make_event(), property="perpetrator", value_entity=group, statement="established"
    )
    assert claimed.statement == Claim.Statement.CLAIMED
    assert claimed.on_whose_word() == "claimed by the group itself"
    assert attributed.statement == Claim.Statement.ATTRIBUTED
    assert attributed.on_whose_word() == "according to Tunisian authorities"
    assert established.on_whose_word() == "established by a verdict"


def test_an_attribution_names_who_attributes_it_and_a_part_is_only_of_a_count(db):
    claim = Claim(
        event=make_event(),
        property=Property.objects.get(code="perpetrator"),
        value_entity=make_entity(),
        statement="attributed",
    )
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "according_to" in refused.value.message_dict
    claim.statement, claim.part = "", "foreign nationals"
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "part" in refused.value.message_dict


def test_responsibility_claimed_and_attributed_show_side_by_side_as_a_dispute(
    reviewer_client,
):
    attack = make_event(label="The museum attack")
    state = make_entity(label="Islamic State")
    brigade = make_entity(label="Okba Ibn Nafaa Brigade")
    tunisia = make_entity(label="Tunisian authorities", kind="country")
    claimed = make_claim(
        event=attack, property="perpetrator", value_entity=state, according_to=state
    )
    blamed = make_claim(
        event=attack, property="perpetrator", value_entity=brigade, according_to=tunisia
    )
    assert disputed(claimed, blamed) == [True, True]
    assert len(queue_disputes(reviewer_client)) == 1

    page = reviewer_client.get(attack.get_absolute_url()).content.decode()
    section = page[page.index('id="responsibility-heading"') :]
    assert re.search(
        r"Islamic State</a> <span class=\"qualifiers\">\(claimed by the group", section
    )
    assert re.search(
        r"Okba Ibn Nafaa Brigade</a> <span class=\"qualifiers\">\(according to", section
    )
    assert section.count("Disputed:") == 2

    group_page = reviewer_client.get(state.get_absolute_url()).content.decode()
    assert "responsible" in group_page[group_page.index('id="events-heading"') :]


def test_an_entity_not_public_hides_the_claims_on_its_word(db, client):
    hidden = make_entity(label="An unpublished informant", published=False)
    claim = make_claim(property="allegiance", according_to=hidden)
    assert not Claim.objects.public().filter(pk=claim.pk).exists()
    assert (
        "unpublished informant" not in client.get(claim.entity.get_absolute_url()).content.decode()
    )


def test_a_groups_page_lists_what_it_claimed_and_relations_read_from_its_side(db, client):
    group, attack = make_entity(label="The group"), make_event(label="The attack")
    holder = make_entity(label="The holder")
    make_claim(event=attack, property="perpetrator", value_entity=group, according_to=group)
    make_claim(entity=holder, property="allegiance", value_entity=group, according_to=holder)
    page = client.get(group.get_absolute_url()).content.decode()
    events = page[page.index('id="events-heading"') : page.index('id="related-heading"')]
    assert re.search(
        r"responsible <span class=\"qualifiers\">\(claimed by the group itself", events
    )
    related = page[page.index('id="related-heading"') :]
    assert "<dt>Allegiance pledged by</dt>" in related and "The holder" in related
    assert "(claimed by the group itself)" in related


# Parts of a count


def test_parts_of_a_count_show_with_the_total_and_are_no_dispute(db, fetch):
    attack = make_event()
    total = make_claim(event=attack, property="killed", value_quantity=22)
    foreign = make_claim(
        event=attack, property="killed", value_quantity=21, part="foreign nationals"
    )
    tunisians = make_claim(event=attack, property="killed", value_quantity=1, part="Tunisians")
    assert disputed(total, foreign, tunisians) == [False, False, False]
    row = infobox_row(fetch(attack.get_absolute_url()), "Killed")
    assert "Disputed" not in row
    assert row.index(">22") < row.index("foreign nationals:</span> 21")
    assert '<span class="part">Tunisians:</span> 1' in row
    other_total = make_claim(event=attack, property="killed", value_quantity=24)
    assert disputed(total, foreign, other_total) == [True, False, True]


# History


def test_a_page_as_it_stood_hides_a_dispute_made_later(db, fetch):
    claim = make_claim(property="allegiance")
    for model in tracked_models():
        model.history.update(history_date=timezone.now() - datetime.timedelta(days=3))
    dispute(claim)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    url = claim.entity.get_absolute_url()
    now = infobox_row(fetch(url), "Allegiance")
    then = infobox_row(fetch(f"{url}?as_of={yesterday.isoformat()}"), "Allegiance")
    assert "disputed by" in now and "Disputed:" in now
    assert "disputed by" not in then and "Disputed:" not in then


def test_a_reason_is_kept_with_each_change_of_stance(db, reviewer):
    claim = make_claim(property="allegiance")
    citation = claim.citations.get()
    citation.stance = Citation.Stance.DISPUTES
    save_with_reason(citation, user=reviewer, reason="Read again: the report denies it")
    record = citation.history.order_by("-history_id").first()
    assert record.stance == "disputes" and record.history_change_reason.startswith("Read again")


def test_a_citation_added_in_the_admin_as_disputing_puts_the_claim_in_dispute(reviewer_client):
    claim = make_claim(property="allegiance", status="draft")
    existing = claim.citations.get()
    source = make_source(title="A later report")
    rows = [
        {
            "id": existing.pk,
            "source": existing.source_id,
            "locator": existing.locator,
            "quote": existing.quote,
            "version": existing.version,
        },
        {
            "source": source.pk,
            "locator": "para. 3",
            "stance": "disputes",
            "quote": "It has been erroneously reported that the brigade defected.",
        },
    ]
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, citations=rows)
    )
    assert response.status_code == 302
    assert claim.citations.filter(stance="disputes").count() == 1
    assert disputed(claim) == [True]
    (row,) = queue_disputes(reviewer_client)
    assert row["property"].code == "allegiance"


def test_on_whose_word_and_parts_are_set_in_the_admin(reviewer_client):
    attack, group = make_event(), make_entity()
    data = claim_post_data(
        event=attack,
        property=Property.objects.get(code="perpetrator"),
        value_entity=group,
        according_to=group,
        citations=[{"source": make_source(), "quote": "The group claimed the attack."}],
    )
    assert reviewer_client.post("/admin/sources/claim/add/", data).status_code == 302
    claim = Claim.objects.get(event=attack)
    assert claim.statement == Claim.Statement.CLAIMED and claim.according_to == group

    data = claim_post_data(
        event=attack,
        property=Property.objects.get(code="killed"),
        value_quantity="21",
        part="foreign nationals",
        citations=[{"source": make_source(), "quote": "21 foreign nationals were killed."}],
    )
    assert reviewer_client.post("/admin/sources/claim/add/", data).status_code == 302
    assert Claim.objects.get(event=attack, property__code="killed").part == "foreign nationals"


def test_the_migration_marks_the_disputes_of_claims_saved_before_the_flag(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sources.migrations.0010_disputes_of_existing_claims")
    group = make_entity()
    dates = [make_claim(entity=group, property="inception", value_date=d) for d in ("2013", "2014")]
    contested = make_claim(property="ally")
    dispute(contested)
    calm = make_claim(property="ally")
    Claim.objects.update(in_dispute=False)
    migration.mark_disputes(apps, None)
    assert disputed(*dates, contested, calm) == [True, True, True, False]


def test_preferring_one_value_settles_the_others_and_estimates_that_meet_agree(db):
    group = make_entity()
    first, second, third = (
        make_claim(entity=group, property="inception", value_date=d)
        for d in ("2012", "2013", "2014")
    )
    assert disputed(first, second, third) == [True, True, True]
    third.rank, third.rank_reason = Claim.Rank.PREFERRED, "the group's own statement"
    third.save()
    assert disputed(first, second, third) == [False, False, False]

    attack = make_event()
    exact = make_claim(event=attack, property="killed", value_quantity=22)
    around = make_claim(
        event=attack, property="killed", value_quantity=23, quantity_low=20, quantity_high=25
    )
    assert disputed(exact, around) == [False, False]


def test_a_period_known_to_have_ended_before_another_began_does_not_dispute_it(db):
    group = make_entity()
    earlier = make_claim(entity=group, property="leader", end="../2012")
    later = make_claim(entity=group, property="leader", start="2015")
    assert disputed(earlier, later) == [False, False]


def test_the_only_supporting_citation_of_a_published_claim_cannot_turn_to_disputing(db):
    citation = make_claim(property="ally").citations.get()
    citation.stance = Citation.Stance.DISPUTES
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert "stance" in refused.value.message_dict


def test_a_merge_moves_the_claims_on_the_merged_entitys_word_and_its_undo_puts_them_back(
    db, reviewer
):
    duplicate, survivor = make_entity(label="Tunisian government"), make_entity()
    claim = make_claim(property="ally", according_to=duplicate)
    services.entity_merge(source=duplicate, target=survivor, user=reviewer, reason="one body")
    claim.refresh_from_db()
    assert claim.according_to == survivor and Claim.objects.public().filter(pk=claim.pk).exists()
    duplicate.refresh_from_db()
    services.entity_unmerge(merged=duplicate, user=reviewer, reason="two bodies after all")
    claim.refresh_from_db()
    assert claim.according_to == duplicate


def test_combining_keeps_an_internal_note_internal(db, reviewer):
    group, ally = make_entity(), make_entity()
    kept = make_claim(entity=group, property="ally", value_entity=ally)
    kept.note, kept.note_is_public = "Said in the report.", True
    kept.save()
    twin = make_claim(entity=group, property="ally", value_entity=ally, status="draft")
    twin.note = "Check with the second editor."
    twin.save()
    services.combine(claims=Claim.objects.filter(pk=kept.pk), user=reviewer)
    kept.refresh_from_db()
    assert "Check with the second editor." in kept.note and not kept.note_is_public


def write_dataset(folder, claims):
    (folder / "sources.yaml").write_text("- {key: s, kind: news, title: A report}\n")
    (folder / "entities.yaml").write_text(
        "- {slug: g, label: G, kind: organization}\n- {slug: t, label: T, kind: country}\n"
    )
    (folder / "events.yaml").write_text("- {slug: a, label: An attack, kind: attack}\n")
    (folder / "claims.yaml").write_text(claims)


def test_the_loader_reads_whose_word_and_stance_and_a_reload_changes_nothing(db, tmp_path):
    from imports.dataset import load_dataset

    write_dataset(
        tmp_path,
        "- key: a/perpetrator\n  subject: {event: a}\n  property: perpetrator\n  entity: g\n"
        "  according_to: t\n  citations:\n    - {source: s, quote: T blames G}\n"
        "    - {source: s, quote: G denies it, stance: disputes}\n",
    )
    load_dataset(directory=tmp_path, reason="first")
    claim = Claim.objects.get(import_key="a/perpetrator")
    assert claim.statement == Claim.Statement.ATTRIBUTED and claim.according_to.slug == "t"
    assert claim.in_dispute and claim.citations.filter(stance="disputes").count() == 1
    again = load_dataset(directory=tmp_path, reason="second")
    assert again.changed == 0


def test_the_loader_refuses_a_published_claim_no_citation_supports(db, tmp_path):
    from imports.dataset import DatasetError, load_dataset

    write_dataset(
        tmp_path,
        "- key: g/ally\n  subject: {entity: g}\n  property: ally\n  entity: t\n"
        "  citations: [{source: s, quote: not so, stance: disputes}]\n",
    )
    with pytest.raises(DatasetError) as refused:
        load_dataset(directory=tmp_path, reason="test", status=Claim.Status.PUBLISHED)
    assert any("needs a citation that supports it" in error for error in refused.value.errors)


@pytest.mark.parametrize("code", ["inception", "killed", "leader"])
def test_the_dispute_rule_matches_its_pairwise_definition(db, code):
    """``assess`` summarises where it can; here it is checked against the rule read pair by
    pair, on random claims."""
    import random

    from sources import disputes

    prop = Property.objects.get(code=code)
    people = [make_entity() for _ in range(3)] if code == "leader" else []
    rng = random.Random(code)
    for _ in range(40):
        claims = []
        for pk in range(1, rng.randint(2, 7)):
            claim = Claim(pk=pk, property=prop, rank=rng.choice(["normal", "normal", "preferred"]))
            claim.value_kind = rng.choice(["value"] * 6 + ["unknown", "none"])
            if claim.value_kind == "value":
                if code == "inception":
                    claim.value_date = rng.choice(["2012", "2012-05", "2013", "2014-09", "201X"])
                elif code == "killed":
                    claim.value_quantity = rng.choice([21, 22, 24])
                    if rng.random() < 0.3:
                        claim.quantity_low, claim.quantity_high = 20, 25
                    claim.part = rng.choice(["", "", "civilians"])
                else:
                    claim.value_entity = rng.choice(people)
            if code == "leader":
                claim.start = rng.choice(["", "2010", "2014"])
                claim.end = rng.choice(["", "2013", "2016"])
            claims.append(claim)

        def conflict(a, b):
            if a.part != b.part or "unknown" in (a.value_kind, b.value_kind):
                return False
            fa = disputes._facts(a, prop.cardinality)
            fb = disputes._facts(b, prop.cardinality)
            if disputes._same(fa[0], fb[0]):
                return False
            return code != "leader" or disputes.overlap(fa[1], fb[1])

        disputed, lost, undecided = set(), set(), []
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if conflict(a, b):
                    preferred = {c.pk for c in (a, b) if c.rank == "preferred"}
                    disputed |= {a.pk, b.pk} - preferred
                    lost |= {a.pk, b.pk} - preferred if preferred else set()
                    if not preferred:
                        undecided.append({a.pk, b.pk})
        open_ = {pk for pair in undecided if not pair <= lost for pk in pair}
        verdicts = disputes.assess(claims)
        assert {pk for pk, v in verdicts.items() if v.shown == "disputed"} == disputed
        assert {pk for pk, v in verdicts.items() if v.open} == open_
