import datetime

import pytest
from django.core.exceptions import ValidationError

from core import dates
from sources.models import Claim, Property
from tests.conftest import make_citation, make_claim, make_entity, make_event

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
        ("2014-21", "no month 21"),  # an EDTF season: not a form pages can show
    ],
)
def test_bad_dates_are_refused_with_the_accepted_forms(value, reason):
    with pytest.raises(ValidationError) as error:
        dates.parse(value)
    message = error.value.messages[0]
    assert reason in message and "2014-09" in message and "2015~" in message


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
