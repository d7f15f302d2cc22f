import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sources.models import Claim
from sources.review.checks import ERROR, WARNING, run_checks
from tests.conftest import make_claim, make_entity, make_event, make_source

pytestmark = pytest.mark.django_db


def findings_for(obj, code):
    model = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return [f for f in run_checks() if f.code == code and f.model == model and f.pk == obj.pk]


def the_finding(obj, code):
    found = findings_for(obj, code)
    assert len(found) == 1, found
    return found[0]


def founded(entity, on="2014-09", ended=None):
    make_claim(entity=entity, property="inception", value_date=on)
    if ended:
        make_claim(entity=entity, property="dissolution", value_date=ended)


def future(years=2):
    return str(timezone.localdate().year + years)


# Lifespans


def test_claim_dated_before_its_subject_was_founded_is_a_warning():
    group = make_entity()
    founded(group, "2014-09")
    leader = make_claim(entity=group, property="leader", start="2012")
    finding = the_finding(leader, "outside_lifespan")
    assert finding.level == WARNING
    assert "before the subject was founded (September 2014)" in finding.message


def test_claim_within_its_subject_lifespan_is_not_reported():
    group = make_entity()
    founded(group, "2014-09", ended="2024-04")
    leader = make_claim(entity=group, property="leader", start="2015", end="2020")
    assert findings_for(leader, "outside_lifespan") == []


def test_claim_after_its_subject_ended_is_a_warning():
    group = make_entity()
    founded(group, "2014-09", ended="2024-04")
    size = make_claim(
        entity=group, property="member_count", value_quantity=40, point_in_time="2024-12"
    )
    assert "after the subject ended (April 2024)" in the_finding(size, "outside_lifespan").message


def test_draft_founding_date_counts_for_the_lifespan_but_a_deprecated_one_does_not():
    group = make_entity()
    make_claim(entity=group, property="inception", value_date="2014-09", status=Claim.Status.DRAFT)
    make_claim(
        entity=group,
        property="inception",
        value_date="2010",
        rank="deprecated",
        rank_reason="misread",
    )
    leader = make_claim(entity=group, property="leader", start="2012")
    assert len(findings_for(leader, "outside_lifespan")) == 1


def test_ambush_before_its_perpetrator_was_founded_is_a_warning_not_an_error():
    # The seed's case: members sentenced in 2024 for a 2013 ambush; the group dates from 2014.
    group = make_entity(label="Jund al-Khilafah in Tunisia")
    founded(group, "2014-09", ended="2024-04")
    ambush = make_event(label="Ambush in Jabal Al-Shaanbi")
    make_claim(event=ambush, property="date", value_date="2013-07-29")
    make_claim(event=ambush, property="perpetrator", value_entity=group)
    finding = the_finding(ambush, "outside_lifespan")
    assert finding.level == WARNING
    assert "Jund al-Khilafah in Tunisia" in finding.message and "perpetrator" in finding.message
    assert finding.url == f"/admin/events/event/{ambush.pk}/change/"


def test_event_within_its_participants_lifespan_is_not_reported():
    group = make_entity()
    founded(group, "2014-09", ended="2024-04")
    attack = make_event()
    make_claim(event=attack, property="date", value_date="2015-03-18")
    make_claim(event=attack, property="participant", value_entity=group)
    assert findings_for(attack, "outside_lifespan") == []


def test_event_after_a_participant_ended_is_a_warning():
    group = make_entity()
    founded(group, "2014-09", ended="2024-04")
    trial = make_event()
    make_claim(event=trial, property="date", value_date="2024-12")
    make_claim(event=trial, property="participant", value_entity=group)
    assert (
        f"after “{group.label}” ended (April 2024)"
        in the_finding(trial, "outside_lifespan").message
    )


def test_event_whose_participants_are_members_of_a_group_founded_later_is_a_warning():
    # As the seed records it: the two men sentenced in 2024 took part in the 2013 ambush.
    group = make_entity(label="Jund al-Khilafah in Tunisia")
    founded(group, "2014-09", ended="2024-04")
    ambush = make_event(label="Ambush in Jabal Al-Shaanbi")
    make_claim(event=ambush, property="date", value_date="2013-07-29")
    for name in ("Raed Al-Tawati", "Yassin Al-Qanouni"):
        member = make_entity(label=name, kind="person")
        make_claim(entity=member, property="member_of", value_entity=group)
        make_claim(event=ambush, property="participant", value_entity=member)
    finding = the_finding(ambush, "outside_lifespan")
    assert finding.level == WARNING
    assert (
        "“Raed Al-Tawati”, “Yassin Al-Qanouni”, member(s) of “Jund al-Khilafah in Tunisia”"
        in finding.message
    )
    assert "before “Jund al-Khilafah in Tunisia” was founded (September 2014)" in finding.message
    assert group.pk in finding.entity_ids


def test_membership_that_began_after_the_event_does_not_count():
    group = make_entity()
    founded(group, "2014-09")
    ambush = make_event()
    make_claim(event=ambush, property="date", value_date="2013-07-29")
    member = make_entity(kind="person")
    make_claim(entity=member, property="member_of", value_entity=group, start="2015")
    make_claim(event=ambush, property="participant", value_entity=member)
    assert findings_for(ambush, "outside_lifespan") == []


# Periods and dates


def test_claim_ending_before_it_starts_is_an_error():
    claim = make_claim(property="leader", start="2016", end="2014")
    assert the_finding(claim, "period_reversed").level == ERROR


def test_claim_ending_after_it_starts_is_not_reported():
    claim = make_claim(property="leader", start="2014", end="2016")
    assert findings_for(claim, "period_reversed") == []


def test_reversed_interval_in_a_date_value_is_an_error():
    # Saving refuses such a date; the check still catches rows written around the models.
    claim = make_claim(property="inception", value_date="2014/2016")
    Claim.objects.filter(pk=claim.pk).update(
        value_date="2016/2014",
        value_date_earliest=datetime.date(2016, 1, 1),
        value_date_latest=datetime.date(2014, 12, 31),
    )
    assert the_finding(claim, "period_reversed").level == ERROR
    assert (
        findings_for(make_claim(property="inception", value_date="2014/2016"), "period_reversed")
        == []
    )


def test_entity_ending_before_it_was_founded_is_an_error():
    group = make_entity()
    founded(group, "2016", ended="2014")
    assert the_finding(group, "period_reversed").level == ERROR


def test_date_later_than_today_is_an_error():
    claim = make_claim(property="member_count", value_quantity=10, point_in_time=future())
    finding = the_finding(claim, "date_in_future")
    assert finding.level == ERROR


def test_date_of_this_year_is_not_in_the_future():
    claim = make_claim(
        property="member_count", value_quantity=10, point_in_time=str(timezone.localdate().year)
    )
    assert findings_for(claim, "date_in_future") == []


def test_source_published_or_accessed_later_than_today_is_an_error():
    published = make_source(published_on=future())
    accessed = make_source(accessed_on=timezone.localdate() + datetime.timedelta(days=3))
    assert the_finding(published, "date_in_future").level == ERROR
    assert the_finding(accessed, "date_in_future").level == ERROR
    assert findings_for(make_source(), "date_in_future") == []


# Quantities


def test_size_estimate_without_a_point_in_time_is_a_warning():
    claim = make_claim(property="member_count", value_quantity=100)
    assert the_finding(claim, "quantity_without_time").level == WARNING


def test_dated_size_estimate_is_not_reported():
    claim = make_claim(property="member_count", value_quantity=100, point_in_time="2018")
    assert findings_for(claim, "quantity_without_time") == []


def test_event_counts_are_dated_by_their_event():
    claim = make_claim(property="killed", value_quantity=22)
    assert findings_for(claim, "quantity_without_time") == []


# Citations


def test_published_claim_without_citation_is_an_error():
    claim = make_claim(cite=False)
    assert the_finding(claim, "uncited_published").level == ERROR


def test_draft_claim_without_citation_is_not_a_finding():
    claim = make_claim(cite=False, status=Claim.Status.DRAFT)
    assert findings_for(claim, "uncited_published") == []


def test_published_claim_with_no_verified_citation_is_a_warning(reviewer):
    claim = make_claim()
    assert the_finding(claim, "unverified_published").level == WARNING
    citation = claim.citations.get()
    citation.verified_by, citation.verified_at = reviewer, timezone.now()
    citation.save()
    assert findings_for(claim, "unverified_published") == []


def test_source_with_a_url_but_no_archived_copy_is_a_warning():
    bare = make_source(url="https://example.org/a")
    assert the_finding(bare, "source_not_archived").level == WARNING
    for archived in [
        make_source(url="https://example.org/b", archive_url="https://web.archive.org/b"),
        make_source(url="https://example.org/c", archived_text="The text as read."),
        make_source(),
    ]:
        assert findings_for(archived, "source_not_archived") == []


# Duplicates


def test_entities_whose_names_differ_only_in_spelling_are_likely_duplicates():
    place = make_entity(label="Jabal Al-Shaanbi", kind="place")
    other = make_entity(label="Chambi mountains", kind="place")
    make_claim(entity=other, property="alias", value_text="jabal al shaanbi", value_language="en")
    finding = the_finding(place, "likely_duplicate")
    assert finding.level == WARNING
    assert set(finding.entity_ids) == {place.pk, other.pk}


def test_entities_whose_arabic_names_differ_only_in_letter_variants_are_likely_duplicates():
    first = make_entity(label="Jund al-Khilafah in Tunisia")
    second = make_entity(label="JAK-T")
    make_claim(
        entity=first, property="native_name", value_text="جند الخلافة في تونس", value_language="ar"
    )
    make_claim(
        entity=second, property="alias", value_text="جند الخلافه في تونس", value_language="ar"
    )
    assert the_finding(first, "likely_duplicate")


def test_entities_with_different_names_or_kinds_are_not_duplicates():
    make_entity(label="Kasserine", kind="place")
    person = make_entity(label="Kasserine", kind="person")
    make_entity(label="Bardo", kind="place")
    assert [f for f in run_checks() if f.code == "likely_duplicate"] == []
    assert findings_for(person, "likely_duplicate") == []


def test_merged_entity_is_not_a_duplicate_of_its_survivor():
    survivor = make_entity(label="Kasserine", kind="place")
    make_entity(label="Kasserine", kind="place", merged_into=survivor)
    assert [f for f in run_checks() if f.code == "likely_duplicate"] == []


def test_rejected_claims_are_not_checked():
    claim = make_claim(
        property="leader",
        start="2016",
        end="2014",
        status=Claim.Status.REJECTED,
        status_reason="wrong",
    )
    assert findings_for(claim, "period_reversed") == []


def test_checks_take_a_fixed_number_of_queries(django_assert_num_queries):
    def populate():
        group = make_entity()
        founded(group, "2014-09")
        make_claim(entity=group, property="leader", start="2012")
        make_claim(property="member_count", value_quantity=3)
        make_source(url="https://example.org/x")

    populate()
    with django_assert_num_queries(7):
        run_checks()
    for _ in range(5):
        populate()
    with django_assert_num_queries(7):
        run_checks()


# The command


def test_curation_check_exits_non_zero_when_it_finds_errors(capsys):
    make_claim(cite=False)
    with pytest.raises(CommandError) as error:
        call_command("curation_check")
    assert error.value.returncode == 1
    assert "uncited_published" in capsys.readouterr().out


def test_curation_check_exits_zero_with_warnings_only(capsys):
    make_claim(property="member_count", value_quantity=100)
    call_command("curation_check")
    out = capsys.readouterr().out
    assert "WARNING" in out and "quantity_without_time" in out
    assert "0 error(s)" in out


def test_curation_check_json_lists_every_finding(capsys):
    claim = make_claim(cite=False)
    make_source(url="https://example.org/a")
    with pytest.raises(CommandError):
        call_command("curation_check", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1 and report["warnings"] == 1
    error, warning = report["findings"]
    assert error["level"] == "error" and error["code"] == "uncited_published"
    assert error["object"]["model"] == "sources.claim" and error["object"]["pk"] == claim.pk
    assert error["url"] == f"/admin/sources/claim/{claim.pk}/change/"
    assert warning["level"] == "warning" and warning["code"] == "source_not_archived"


def test_curation_check_on_a_clean_database_says_so(capsys):
    call_command("curation_check", "--json")
    assert json.loads(capsys.readouterr().out) == {"errors": 0, "warnings": 0, "findings": []}
