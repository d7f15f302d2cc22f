"""The database itself refuses malformed claims: these go around every form."""

import pytest
from django.db import IntegrityError, transaction

from entities.models import Entity
from sources.models import Citation, Claim, Property
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_user


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(**fields)


@pytest.fixture
def inception(db):
    return Property.objects.get(code="inception")


def test_claim_with_two_subjects_is_refused(inception):
    refused(entity=make_entity(), event=make_event(), property=inception, value_date="2014")


def test_claim_with_no_subject_is_refused(inception):
    refused(property=inception, value_date="2014")


def test_value_in_the_wrong_column_for_the_datatype_is_refused(inception):
    refused(entity=make_entity(), property=inception, value_text="September 2014")


def test_two_value_columns_filled_is_refused(inception):
    refused(entity=make_entity(), property=inception, value_date="2014", value_text="2014")


def test_empty_value_is_refused(inception):
    refused(entity=make_entity(), property=inception)


def test_text_in_a_language_needs_its_language(db):
    refused(
        entity=make_entity(), property=Property.objects.get(code="name"), value_text="جند الخلافة"
    )
    refused(
        entity=make_entity(),
        property=Property.objects.get(code="ideology"),
        value_text="x",
        value_language="en",
    )


def test_unknown_value_carries_no_value(db):
    leader = Property.objects.get(code="leader")
    refused(entity=make_entity(), property=leader, value_kind="unknown", value_entity=make_entity())
    claim = Claim.objects.create(entity=make_entity(), property=leader, value_kind="unknown")
    assert claim.value_display() == "unknown value"


def test_retyping_a_claim_behind_the_models_back_is_refused(inception):
    claim = make_claim(property="inception")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(datatype="text")


def test_rank_and_status_are_closed_choices(inception):
    refused(entity=make_entity(), property=inception, value_date="2014", rank="best")
    refused(entity=make_entity(), property=inception, value_date="2014", status="approved")
    refused(entity=make_entity(), property=inception, value_date="2014", value_kind="maybe")


def test_a_rank_other_than_normal_needs_a_reason(inception):
    refused(entity=make_entity(), property=inception, value_date="2014", rank="preferred")
    claim = Claim.objects.create(
        entity=make_entity(),
        property=inception,
        value_date="2014",
        rank="deprecated",
        rank_reason="misreading of the source",
    )
    assert claim.pk


def test_a_rejection_needs_a_reason(inception):
    refused(entity=make_entity(), property=inception, value_date="2014", status="rejected")


def test_quantity_bounds_must_surround_the_best_estimate(db):
    members = Property.objects.get(code="member_count")
    refused(entity=make_entity(), property=members, value_quantity=100, quantity_low=150)
    refused(entity=make_entity(), property=members, value_quantity=100, quantity_high=50)
    claim = Claim.objects.create(
        entity=make_entity(),
        property=members,
        value_quantity=100,
        quantity_low=80,
        quantity_high=120,
    )
    assert claim.value_display() == "100 (80–120)"


def test_entity_slugs_are_unique(db):
    make_entity(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(label="Other", slug="same", kind="organization")


def test_entity_kind_is_a_closed_choice(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(label="X", slug="x", kind="militia")


def test_nobody_verifies_their_own_citation(db):
    author = make_user("author")
    citation = make_citation(claim=make_claim(cite=False), added_by=author)
    citation.verified_by = author
    with pytest.raises(IntegrityError), transaction.atomic():
        citation.save()


def test_a_citation_needs_a_quote(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_citation(claim=make_claim(cite=False), quote="")


def test_property_datatype_cannot_change_once_used(db):
    claim = make_claim(property="ideology")
    prop = claim.property
    prop.datatype = "date"
    with pytest.raises(Exception, match="cannot change"):
        prop.full_clean()


def test_full_clean_names_the_wrong_kind_of_value(inception):
    claim = Claim(entity=make_entity(), property=inception, value_text="September 2014")
    with pytest.raises(Exception) as error:
        claim.full_clean()
    assert "takes a date" in str(error.value)


def test_full_clean_refuses_two_subjects(inception):
    claim = Claim(entity=make_entity(), event=make_event(), property=inception, value_date="2014")
    with pytest.raises(Exception, match="exactly one subject"):
        claim.full_clean()


def test_citation_quote_must_stand_in_the_archived_text(db):
    claim = make_claim(cite=False)
    from tests.conftest import make_source

    source = make_source(archived_text="The group was founded in September 2014 in the mountains.")
    Citation(claim=claim, source=source, quote="founded in September   2014").full_clean(
        exclude=["version"]
    )
    with pytest.raises(Exception, match="do not occur"):
        Citation(claim=claim, source=source, quote="founded in 2013").full_clean(
            exclude=["version"]
        )
