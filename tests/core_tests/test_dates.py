import datetime

import pytest
from django.core.exceptions import ValidationError

from core import dates
from sources.models import Claim, Property
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

D = datetime.date


@pytest.mark.parametrize(
    "value, earliest, latest",
    [
        ("2014", D(2014, 1, 1), D(2014, 12, 31)),
        ("2014-09", D(2014, 9, 1), D(2014, 9, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2015-03-18", D(2015, 3, 18), D(2015, 3, 18)),
        ("2015~", D(2015, 1, 1), D(2015, 12, 31)),
        ("2020-01?", D(2020, 1, 1), D(2020, 1, 31)),
        ("2014/2016", D(2014, 1, 1), D(2016, 12, 31)),
        ("2014-09/..", D(2014, 9, 1), None),
        ("../2016", None, D(2016, 12, 31)),
        ("2012-21", D(2012, 3, 1), D(2012, 5, 31)),
        ("2012-24", D(2012, 12, 1), D(2013, 2, 28)),
        ("2015-24", D(2015, 12, 1), D(2016, 2, 29)),
        ("2012-35", D(2012, 7, 1), D(2012, 9, 30)),
        ("2012-40", D(2012, 1, 1), D(2012, 6, 30)),
        ("2012-41", D(2012, 7, 1), D(2012, 12, 31)),
        ("199X", D(1990, 1, 1), D(1999, 12, 31)),
        ("2012-24/2014", D(2012, 12, 1), D(2014, 12, 31)),
    ],
)
def test_bounds(value, earliest, latest):
    assert dates.bounds(value) == (earliest, latest)


@pytest.mark.parametrize(
    "value, text",
    [
        ("2014-09", "September 2014"),
        ("2015-03-18", "18 March 2015"),
        ("2015~", "c. 2015"),
        ("2020-01?", "January 2020?"),
        ("2014/2016", "2014–2016"),
        ("2014-09/..", "September 2014 – present"),
        ("../2016", "until 2016"),
        ("2012-21", "spring 2012"),
        ("2012-23?", "autumn 2012?"),
        ("2012-33", "first quarter of 2012"),
        ("2012-41", "second half of 2012"),
        ("199X", "the 1990s"),
        ("19XX", "the 20th century"),
        ("2012-24", "winter 2012–13"),
        ("2012-05~/2012-08~", "mid-2012"),
        ("2015-01~/2015-04~", "early 2015"),
        ("2014-09~/2014-12~", "late 2014"),
        ("2012-05/2012-08", "May 2012–August 2012"),  # exact months stay exact
        ("2012-24/2014", "from winter 2012–13 to 2014"),
    ],
)
def test_humanize(value, text):
    assert dates.humanize(value) == text


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2015-13-45", "no month 13"),
        ("sometime", "unrecognised"),
        ("2015-02-30", "no day 30"),
        ("2015-02-29", "2015-02 has no day 29"),
        ("2015-01-01/2014-01-01", "ends before it starts"),
        ("2004-06-11T10:10:10", "not a time of day"),
        ("[1667,1668]", "unrecognised"),
        ("2014/2016-13", "no month 13"),
        ("2014-25", "no month 25"),  # a hemisphere's season: not a form pages can show
        ("2014-13", "no month 13"),
    ],
)
def test_bad_dates_are_refused_with_the_accepted_forms(value, reason):
    with pytest.raises(ValidationError) as error:
        dates.parse(value)
    message = error.value.messages[0]
    assert reason in message and "2014-09" in message and "2015~" in message


@pytest.mark.parametrize(
    "written, stored, shown",
    [
        ("mid-2012", "2012-05~/2012-08~", "mid-2012"),
        ("early 2015", "2015-01~/2015-04~", "early 2015"),
        ("late 2014", "2014-09~/2014-12~", "late 2014"),
        ("c. 2015", "2015~", "c. 2015"),
        ("circa March 2015", "2015-03~", "c. March 2015"),
        ("spring 2012", "2012-21", "spring 2012"),
        ("Winter 2012–13", "2012-24", "winter 2012–13"),
        ("winter 2012/2013", "2012-24", "winter 2012–13"),
        ("c. spring 2012", "2012-21~", "c. spring 2012"),
        ("first half of 2012", "2012-40", "first half of 2012"),
        ("third quarter of 2012", "2012-35", "third quarter of 2012"),
        ("the 1990s", "199X", "the 1990s"),
        ("1990s", "199X", "the 1990s"),
        ("the 20th century", "19XX", "the 20th century"),
        ("before 2013", "../2012", "until 2012"),
        ("before March 2015", "../2015-02", "until February 2015"),
        ("before 18 March 2015", "../2015-03-17", "until 17 March 2015"),
        ("before spring 2012", "../2012-02", "until February 2012"),
        ("before Q2 2015", "../2015-03", "until March 2015"),
        ("before winter 2012–13", "../2012-11", "until November 2012"),
        ("before the 1990s", "../1989", "until 1989"),
        ("March 18, 2015", "2015-03-18", "18 March 2015"),
        ("18 March 2015", "2015-03-18", "18 March 2015"),
        ("Sept. 2014", "2014-09", "September 2014"),
        ("2014-09", "2014-09", "September 2014"),
        # What the pages show can be typed back.
        ("until 2016", "../2016", "until 2016"),
        ("2014–2016", "2014/2016", "2014–2016"),
        ("September 2014–March 2015", "2014-09/2015-03", "September 2014–March 2015"),
        ("September 2014 – present", "2014-09/..", "September 2014 – present"),
        ("January 2020?", "2020-01?", "January 2020?"),
    ],
)
def test_dates_as_sources_write_them_are_stored_as_edtf(written, stored, shown):
    assert dates.to_edtf(written) == stored
    assert dates.humanize(stored) == shown


@pytest.mark.parametrize(
    "written, reason",
    [
        ("sometime", "unrecognised"),
        ("mid-2012?", "unrecognised"),
        ("fifth quarter of 2012", "unrecognised"),
        ("before", "unrecognised"),
        ("before 0001", "unrecognised"),
        ("winter 2012", "say which winter: winter 2011–12 or winter 2012–13"),
        ("the 1900s", "a decade or a century? Write 190X for 1900–1909, or 19XX"),
        ("between 2014 and 2016", "unrecognised"),  # would read as the whole span
    ],
)
def test_a_date_in_words_that_cannot_be_read_is_refused_with_the_accepted_forms(written, reason):
    with pytest.raises(ValidationError) as error:
        dates.to_edtf(written)
    message = error.value.messages[0]
    assert written in message and reason in message
    assert "late 2014" in message and "2015~" in message


def test_every_way_in_stores_a_date_in_words_as_edtf(db, reviewer_client):
    from tests.admin_helpers import claim_post_data

    claim = Claim(
        entity=make_entity(), property=Property.objects.get(code="inception"), value_date="mid-2012"
    )
    claim.clean_fields()
    assert claim.value_date == "2012-05~/2012-08~"
    claim = make_claim(property="ally", start="early 2015", end="before 2017")
    claim.refresh_from_db()
    assert (claim.start, claim.end) == ("2015-01~/2015-04~", "../2016")
    assert (claim.start_earliest, claim.end_latest) == (D(2015, 1, 1), D(2016, 12, 31))
    assert claim.qualifiers_display() == "early 2015 – until 2016"
    assert make_claim(property="ally", end="before 2017").qualifiers_display() == "until 2016"
    assert make_source(published_on=2015).published_on == "2015"

    claim = make_claim(property="inception")
    url = f"/admin/sources/claim/{claim.pk}/change/"
    data = claim_post_data(claim, value_date="spring 2012", point_in_time="the 1990s")
    # The curator sees what will be stored, and how it reads, before anything is saved.
    first = reviewer_client.post(url, data)
    assert first.status_code == 200
    errors = first.context["adminform"].form.errors
    assert (
        "“spring 2012” will be stored as 2012-21 and read as “spring 2012”"
        in errors["value_date"][0]
    )
    assert "199X" in errors["point_in_time"][0]
    assert 'name="value_date" value="2012-21"' in first.content.decode()
    claim.refresh_from_db()
    assert claim.value_date == "2014-09"
    data.update(value_date="2012-21", point_in_time="199X")
    assert reviewer_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.value_date, claim.point_in_time) == ("2012-21", "199X")
    page = reviewer_client.get(claim.entity.get_absolute_url()).content.decode()
    assert "spring 2012" in page


def test_a_date_in_words_on_the_add_page_is_shown_before_it_is_saved(reviewer_client):
    from tests.admin_helpers import claim_post_data

    entity = make_entity()
    data = claim_post_data(
        None,
        entity=entity.pk,
        property=Property.objects.get(code="inception").pk,
        value_date="mid-2012",
        citations=[{"source": make_source().pk, "quote": "Founded in mid-2012."}],
    )
    first = reviewer_client.post("/admin/sources/claim/add/", data)
    errors = first.context["adminform"].form.errors
    # Only the look at the date: the rest of the form reads it as the EDTF it will be.
    assert list(errors) == ["value_date"]
    assert "will be stored as 2012-05~/2012-08~ and read as “mid-2012”" in errors["value_date"][0]
    assert not Claim.objects.filter(entity=entity).exists()
    data["value_date"] = "2012-05~/2012-08~"
    assert reviewer_client.post("/admin/sources/claim/add/", data).status_code == 302
    assert Claim.objects.get(entity=entity).value_date == "2012-05~/2012-08~"


def test_claim_refuses_a_bad_date_and_saves_nothing(db):
    claim = Claim(
        entity=make_entity(),
        property=Property.objects.get(code="inception"),
        value_date="2015-13-45",
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "value_date" in error.value.message_dict
    claim.value_date, claim.start = "2014-09", "sometime"
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "start" in error.value.message_dict
    assert not Claim.objects.exists()


def test_earliest_and_latest_days_are_computed_on_every_save(db):
    claim = make_claim(property="ally", start="2014", end="2016-06")
    assert (claim.start_earliest, claim.end_latest) == (D(2014, 1, 1), D(2016, 6, 30))
    claim.end = "2016-06/.."
    claim.save()
    claim.refresh_from_db()
    assert claim.end_earliest == D(2016, 6, 1) and claim.end_latest is None


def test_event_sort_date_follows_its_best_public_date_claim(db):
    claim = make_claim(property="date", value_date="2015-03-18")
    claim.event.refresh_from_db()
    assert claim.event.sort_date == D(2015, 3, 18)
    make_claim(
        property="date",
        event=claim.event,
        value_date="2015-03-20",
        rank="preferred",
        rank_reason="court record",
    )
    claim.event.refresh_from_db()
    assert claim.event.sort_date == D(2015, 3, 20)


def test_sort_date_never_shows_a_date_the_public_cannot_see(db):
    from sources.models import Citation

    claim = make_claim(property="date", value_date="2015-03-18")
    event = claim.event

    def sort_date():
        event.refresh_from_db()
        return event.sort_date

    Citation.objects.filter(claim=claim).delete()  # a bulk delete: the claim is now uncited
    assert sort_date() is None
    make_citation(claim=claim)
    assert sort_date() == D(2015, 3, 18)

    event.published = False
    event.save()
    assert sort_date() is None
    event.published = True
    event.save()
    assert sort_date() == D(2015, 3, 18)

    other = make_event()
    claim.refresh_from_db()
    claim.event = other
    claim.save()
    assert sort_date() is None
    other.refresh_from_db()
    assert other.sort_date == D(2015, 3, 18)

    Claim.objects.filter(pk=claim.pk).delete()
    other.refresh_from_db()
    assert other.sort_date is None
