import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_event

QUEUE = "/admin/sources/claim/review/"


def section(response, key):
    return next(s for s in response.context["sections"] if s["key"] == key)


def rows(response, key):
    return list(section(response, key)["page"].object_list)


def test_queue_is_at_a_stable_admin_url():
    assert reverse("admin:sources_review") == QUEUE


def test_queue_needs_a_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_index_and_claim_list_link_to_the_queue(reviewer_client):
    assert QUEUE in reviewer_client.get("/admin/").content.decode()
    assert QUEUE in reviewer_client.get("/admin/sources/claim/").content.decode()
    assert QUEUE in reviewer_client.get("/admin/sources/citation/").content.decode()


def test_claims_in_review_are_listed_with_a_publish_button(reviewer_client):
    waiting = make_claim(status=Claim.Status.IN_REVIEW)
    make_claim(status=Claim.Status.DRAFT)
    response = reviewer_client.get(QUEUE)
    assert rows(response, "in_review") == [waiting]
    assert section(response, "in_review")["count"] == 1
    html = response.content.decode()
    assert f"/admin/sources/claim/{waiting.pk}/change/" in html
    assert 'value="publish_claims"' in html and 'value="reject_claims"' in html


def test_unverified_citations_are_listed_but_not_verified_ones(reviewer_client, reviewer, editor):
    waiting = make_citation(claim=make_claim(cite=False), added_by=editor)
    make_citation(
        claim=make_claim(cite=False),
        added_by=editor,
        verified_by=reviewer,
        verified_at="2024-01-01T00:00Z",
    )
    response = reviewer_client.get(QUEUE)
    assert rows(response, "unverified") == [waiting]
    html = response.content.decode()
    assert f"/admin/sources/citation/{waiting.pk}/change/" in html
    assert 'value="verify_citations"' in html


def test_queue_offers_no_verify_button_for_a_citation_the_reviewer_added(reviewer_client, reviewer):
    make_citation(claim=make_claim(cite=False), added_by=reviewer)
    html = reviewer_client.get(QUEUE).content.decode()
    assert 'value="verify_citations"' not in html
    assert "added by you" in html


def test_claims_without_citation_are_listed(reviewer_client):
    uncited = make_claim(cite=False, status=Claim.Status.DRAFT)
    make_claim()
    make_claim(cite=False, status=Claim.Status.REJECTED, status_reason="not in the source")
    assert rows(reviewer_client.get(QUEUE), "uncited") == [uncited]


def test_one_value_property_with_several_values_and_none_preferred_is_a_dispute(
    reviewer_client,
):
    group = make_entity(label="Jund al-Khilafah in Tunisia")
    make_claim(entity=group, property="inception", value_date="2014-09")
    make_claim(entity=group, property="inception", value_date="2015")
    response = reviewer_client.get(QUEUE)
    [dispute] = rows(response, "disputes")
    assert (
        dispute["subject"] == group
        and dispute["property"].code == "inception"
        and dispute["claims"] == 2
    )
    assert f"entity__id__exact={group.pk}" in dispute["claims_url"]
    assert reviewer_client.get(dispute["claims_url"]).status_code == 200


def test_preferred_value_or_deprecated_rivals_settle_a_dispute(reviewer_client):
    settled = make_entity()
    make_claim(
        entity=settled,
        property="inception",
        value_date="2014-09",
        rank="preferred",
        rank_reason="court record",
    )
    make_claim(entity=settled, property="inception", value_date="2015")
    deprecated = make_entity()
    make_claim(entity=deprecated, property="inception", value_date="2014-09")
    make_claim(
        entity=deprecated,
        property="inception",
        value_date="2015",
        rank="deprecated",
        rank_reason="misread",
    )
    many_valued = make_entity()
    make_claim(entity=many_valued, property="ally")
    make_claim(entity=many_valued, property="ally")
    assert rows(reviewer_client.get(QUEUE), "disputes") == []


def test_consistency_findings_are_listed_with_a_link_to_fix_them(reviewer_client):
    claim = make_claim(cite=False)
    response = reviewer_client.get(QUEUE)
    [finding] = [f for f in rows(response, "findings") if f.code == "uncited_published"]
    assert finding.pk == claim.pk
    assert response.context["finding_counts"]["errors"] == 1
    assert f"/admin/sources/claim/{claim.pk}/change/" in response.content.decode()


def test_queue_filters_by_subject_and_property(reviewer_client):
    group, other = make_entity(), make_entity()
    attack = make_event()
    mine = make_claim(entity=group, property="leader", status=Claim.Status.IN_REVIEW)
    make_claim(entity=group, property="ideology", status=Claim.Status.IN_REVIEW)
    make_claim(entity=other, property="leader", status=Claim.Status.IN_REVIEW)
    dated = make_claim(event=attack, property="date", status=Claim.Status.IN_REVIEW)
    response = reviewer_client.get(QUEUE, {"entity": group.pk, "property": mine.property_id})
    assert rows(response, "in_review") == [mine]
    assert rows(reviewer_client.get(QUEUE, {"event": attack.pk}), "in_review") == [dated]
    for finding in rows(response, "findings"):
        assert group.pk in finding.entity_ids


def test_long_sections_are_paged(reviewer_client):
    for _ in range(30):
        make_claim(cite=False, status=Claim.Status.DRAFT)
    first = reviewer_client.get(QUEUE)
    assert section(first, "uncited")["count"] == 30 and len(rows(first, "uncited")) == 25
    assert len(rows(reviewer_client.get(QUEUE, {"uncited_page": 2}), "uncited")) == 5


def queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def fill_every_section(editor):
    group = make_entity()
    make_claim(entity=group, property="inception", value_date="2014-09")
    make_claim(entity=group, property="inception", value_date="2015")
    make_claim(entity=group, property="leader", start="2012", status=Claim.Status.IN_REVIEW)
    make_claim(entity=group, property="ideology", cite=False, status=Claim.Status.IN_REVIEW)
    make_citation(
        claim=make_claim(property="member_count", value_quantity=5, cite=False), added_by=editor
    )
    attack = make_event()
    make_claim(
        event=attack, property="date", value_date="2015-03-18", status=Claim.Status.IN_REVIEW
    )
    make_claim(event=attack, property="killed", value_quantity=2)
    make_claim(event=attack, property="killed", value_quantity=3)


def test_queue_takes_a_fixed_number_of_queries(reviewer_client, editor):
    fill_every_section(editor)
    few = queue_queries(reviewer_client)
    for _ in range(6):
        fill_every_section(editor)
    assert queue_queries(reviewer_client) == few


def test_editors_see_the_queue_without_reviewer_buttons(editor_client):
    make_claim(status=Claim.Status.IN_REVIEW)
    make_citation(claim=make_claim(cite=False))
    response = editor_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "publish_claims" not in html and "verify_citations" not in html


@pytest.mark.django_db
def test_staff_without_claim_permissions_cannot_open_the_queue(client):
    from tests.conftest import make_user

    client.force_login(make_user("nobody"))
    assert client.get(QUEUE).status_code == 403
