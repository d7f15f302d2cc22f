"""No save overwrites a concurrent edit unseen."""

import pytest
from django.test import Client

from core.models import ConcurrentEditError
from entities.models import Entity
from sources.models import Claim
from tests.admin_helpers import claim_post_data
from tests.conftest import make_claim, make_entity, make_user


@pytest.fixture
def two_reviewers(db):
    first, second = Client(), Client()
    first.force_login(make_user("first", role="Reviewer"))
    second.force_login(make_user("second", role="Reviewer"))
    return first, second


def test_second_of_two_concurrent_claim_saves_is_refused(two_reviewers):
    first, second = two_reviewers
    claim = make_claim(property="inception", value_date="2014-09", status="draft")
    url = f"/admin/sources/claim/{claim.pk}/change/"
    # Both open the page; both forms carry the version they started from.
    opened = Claim.objects.get(pk=claim.pk)
    assert first.get(url).status_code == second.get(url).status_code == 200

    assert (
        first.post(url, claim_post_data(opened, value_date="2014-10", reason="first")).status_code
        == 302
    )
    response = second.post(url, claim_post_data(opened, value_date="2013", reason="second"))

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "first changed this claim after you opened it" in errors and "“first”" in errors
    claim.refresh_from_db()
    assert claim.value_date == "2014-10"
    assert [r.history_change_reason for r in claim.history.all()][0] == "first"


def test_second_of_two_concurrent_entity_saves_is_refused(two_reviewers):
    first, second = two_reviewers
    entity = make_entity(label="Start")
    base = {
        "slug": entity.slug,
        "kind": entity.kind,
        "published": "on",
        "version": entity.version,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
    }
    url = f"/admin/entities/entity/{entity.pk}/change/"
    assert first.post(url, {**base, "label": "First", "change_reason": "a"}).status_code == 302
    response = second.post(url, {**base, "label": "Second", "change_reason": "b"})
    assert response.status_code == 200
    assert Entity.objects.get(pk=entity.pk).label == "First"


def test_saving_an_entity_keeps_a_claim_someone_changed_meanwhile(two_reviewers):
    first, second = two_reviewers
    claim = make_claim(property="ideology", value_text="Salafism", status="draft")
    entity = claim.entity
    url = f"/admin/entities/entity/{entity.pk}/change/"
    page = second.get(url)  # the claim summary in this page shows the old value
    assert "Salafism" in page.content.decode()
    first.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, value_text="Jihadism")
    )
    response = second.post(
        url,
        {
            "label": "Renamed",
            "slug": entity.slug,
            "kind": entity.kind,
            "published": "on",
            "version": entity.version,
            "change_reason": "rename",
            "claims-TOTAL_FORMS": 1,
            "claims-INITIAL_FORMS": 1,
            "claims-0-id": claim.pk,
            "claims-0-entity": entity.pk,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    entity.refresh_from_db()
    assert (entity.label, claim.value_text) == ("Renamed", "Jihadism")


def test_model_save_from_a_stale_copy_raises_and_writes_nothing(db):
    claim = make_claim(property="ideology", value_text="A")
    mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    theirs.value_text = "B"
    theirs.save()
    mine.value_text = "C"
    with pytest.raises(ConcurrentEditError):
        mine.save()
    claim.refresh_from_db()
    assert claim.value_text == "B" and claim.version == 2
    assert claim.history.count() == 2
