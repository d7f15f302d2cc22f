"""Editors draft; reviewers verify, rank and publish. Enforced on the server."""

from django.contrib.auth.models import Group
from django.utils import timezone

from sources.models import Citation, Claim, Property
from tests.admin_helpers import claim_post_data
from tests.conftest import make_claim, make_entity, make_source, make_user


def test_roles_exist_with_their_permissions(db):
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    reviewer = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )
    assert {
        "add_claim",
        "change_claim",
        "add_citation",
        "change_entity",
        "add_event",
        "add_source",
    } <= editor
    assert not editor & {"publish_claim", "rank_claim", "verify_citation", "delete_claim"}
    assert editor < reviewer
    assert {"publish_claim", "rank_claim", "verify_citation"} <= reviewer


def new_claim_data(entity, source, **changes):
    return claim_post_data(
        None,
        entity=entity.pk,
        property=Property.objects.get(code="inception").pk,
        value_date="2014-09",
        citations=[
            {"source": source.pk, "quote": "established in September 2014", "locator": "History"}
        ],
        reason="from the article",
        **changes,
    )


def test_editor_adds_a_draft_claim_with_a_citation(editor_client, editor):
    entity, source = make_entity(), make_source()
    response = editor_client.post("/admin/sources/claim/add/", new_claim_data(entity, source))
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.status == "draft"
    assert claim.citations.get().added_by == editor
    assert claim.history.first().history_user == editor


def test_editor_cannot_publish_even_with_a_crafted_post(editor_client):
    entity, source = make_entity(), make_source()
    response = editor_client.post(
        "/admin/sources/claim/add/", new_claim_data(entity, source, status="published")
    )
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Claim.objects.exists()


def test_editor_cannot_set_rank(editor_client):
    claim = make_claim(status="draft")
    data = claim_post_data(claim, rank="preferred", rank_reason="I like it", value_date="2014-10")
    assert editor_client.post(f"/admin/sources/claim/{claim.pk}/change/", data).status_code == 302
    claim.refresh_from_db()
    assert claim.value_date == "2014-10"  # the editable part was saved
    assert claim.rank == "normal" and claim.rank_reason == ""


def test_editor_cannot_verify_a_citation(editor_client):
    claim = make_claim(status="draft")
    citation = claim.citations.get()
    rows = [
        {
            "id": citation.pk,
            "source": citation.source_id,
            "stance": citation.stance,
            "quote": citation.quote,
            "version": citation.version,
            "verified": "on",
        }
    ]
    assert (
        editor_client.post(
            f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, citations=rows)
        ).status_code
        == 302
    )
    citation.refresh_from_db()
    assert not citation.is_verified


def test_editor_cannot_change_a_published_claim(editor_client):
    claim = make_claim(status="published", value_date="2014-09")
    response = editor_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, value_date="2013")
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.value_date == "2014-09"


def test_claims_are_not_editable_from_the_entity_page(editor_client):
    claim = make_claim(property="ideology", value_text="Islamic Statism", status="published")
    entity = claim.entity
    response = editor_client.post(
        f"/admin/entities/entity/{entity.pk}/change/",
        {
            "label": entity.label,
            "slug": entity.slug,
            "kind": entity.kind,
            "published": "on",
            "version": entity.version,
            "change_reason": "inline",
            "claims-TOTAL_FORMS": 1,
            "claims-INITIAL_FORMS": 1,
            "claims-0-id": claim.pk,
            "claims-0-entity": entity.pk,
            "claims-0-property": claim.property_id,
            "claims-0-value_kind": "value",
            "claims-0-value_text": "Changed",
            "claims-0-version": claim.version,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.value_text == "Islamic Statism"


def test_reviewer_publishes_and_ranks(reviewer_client):
    claim = make_claim(status="in_review")
    data = claim_post_data(
        claim, status="published", rank="preferred", rank_reason="later primary source"
    )
    assert reviewer_client.post(f"/admin/sources/claim/{claim.pk}/change/", data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rank, claim.rank_reason) == (
        "published",
        "preferred",
        "later primary source",
    )


def test_rank_change_without_a_reason_is_refused(reviewer_client):
    claim = make_claim(status="in_review")
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, rank="deprecated")
    )
    assert response.status_code == 200
    assert "rank_reason" in response.context["adminform"].form.errors


def test_publishing_needs_a_citation(reviewer_client):
    claim = make_claim(status="in_review", cite=False)
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, status="published")
    )
    assert response.status_code == 200
    assert "needs at least one citation" in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_reviewer_verifies_anothers_citation_but_not_their_own(reviewer_client, reviewer):
    editor = make_user("ed", role="Editor")
    claim = make_claim(status="in_review", cite=False)
    theirs = Citation.objects.create(claim=claim, source=make_source(), quote="q1", added_by=editor)
    mine = Citation.objects.create(claim=claim, source=make_source(), quote="q2", added_by=reviewer)
    rows = [
        {
            "id": c.pk,
            "source": c.source_id,
            "quote": c.quote,
            "version": c.version,
            "verified": "on",
        }
        for c in (theirs, mine)
    ]
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, citations=rows)
    )
    assert response.status_code == 200
    assert "another reviewer must verify it" in str(
        response.context["inline_admin_formsets"][0].formset.errors
    )
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/",
        claim_post_data(claim, citations=rows[:1] + [{**rows[1], "verified": ""}]),
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.verified_by == reviewer and theirs.verified_at is not None
    assert not mine.is_verified


def citation_post(citation, **changes):
    return {
        "claim": citation.claim_id,
        "source": citation.source_id,
        "locator": citation.locator,
        "stance": citation.stance,
        "quote": citation.quote,
        "translation": citation.translation,
        "version": citation.version,
        "change_reason": "edit",
        **changes,
    }


def test_editor_cannot_change_the_citations_of_a_published_claim(editor_client):
    citation = make_claim(status="published").citations.get()
    url = f"/admin/sources/citation/{citation.pk}/change/"
    assert (
        editor_client.post(url, citation_post(citation, quote="Words of my own")).status_code == 403
    )
    citation.refresh_from_db()
    assert citation.quote == "A supporting quote."


def test_editor_cannot_add_a_citation_to_a_published_claim(editor_client):
    claim = make_claim(status="published")
    source = make_source()
    response = editor_client.post(
        "/admin/sources/citation/add/",
        {
            "claim": claim.pk,
            "source": source.pk,
            "quote": "new words",
            "change_reason": "add",
        },
    )
    assert response.status_code == 200 and "claim" in response.context["adminform"].form.errors
    assert claim.citations.count() == 1


def test_a_citation_stays_with_its_claim(reviewer_client):
    citation = make_claim(status="in_review").citations.get()
    other = make_claim(status="in_review", cite=False)
    url = f"/admin/sources/citation/{citation.pk}/change/"
    assert reviewer_client.post(url, citation_post(citation, claim=other.pk)).status_code == 302
    citation.refresh_from_db()
    assert citation.claim_id != other.pk


def test_changing_the_quoted_words_undoes_the_verification(editor_client, reviewer):
    claim = make_claim(status="draft")
    citation = claim.citations.get()
    citation.verified_by, citation.verified_at = reviewer, timezone.now()
    citation.save()
    url = f"/admin/sources/citation/{citation.pk}/change/"
    citation.refresh_from_db()
    assert editor_client.post(url, citation_post(citation, locator="p. 2")).status_code == 302
    citation.refresh_from_db()
    assert citation.locator == "p. 2" and not citation.is_verified


def test_the_last_citation_of_a_published_claim_cannot_be_deleted(reviewer_client):
    citation = make_claim(status="published").citations.get()
    response = reviewer_client.post(
        f"/admin/sources/citation/{citation.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_editor_cannot_publish_a_subject_or_merge_by_hand(editor_client):
    from entities.models import Entity

    entity, other = make_entity(published=False), make_entity()
    response = editor_client.post(
        f"/admin/entities/entity/{entity.pk}/change/",
        {
            "label": entity.label,
            "slug": entity.slug,
            "kind": entity.kind,
            "published": "on",
            "merged_into": other.pk,
            "version": entity.version,
            "change_reason": "publish it",
            "claims-TOTAL_FORMS": 0,
            "claims-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    entity = Entity.objects.get(pk=entity.pk)
    assert entity.published is False and entity.merged_into is None


def test_reviewer_publishes_an_event(reviewer_client):
    from tests.conftest import make_event

    event = make_event(published=False)
    response = reviewer_client.post(
        f"/admin/events/event/{event.pk}/change/",
        {
            "label": event.label,
            "slug": event.slug,
            "kind": event.kind,
            "published": "on",
            "version": event.version,
            "change_reason": "checked",
            "claims-TOTAL_FORMS": 0,
            "claims-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.published
