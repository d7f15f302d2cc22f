"""History records who changed what, when and why; revisions can be compared and restored."""

import pytest

from tests.admin_helpers import claim_post_data
from tests.conftest import make_claim, make_entity


def change_entity(client, entity, reason, **changes):
    data = {
        "label": entity.label,
        "slug": entity.slug,
        "kind": entity.kind,
        "description": entity.description,
        "published": "on" if entity.published else "",
        "merged_into": "",
        "version": entity.version,
        "change_reason": reason,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 1000,
        **changes,
    }
    return client.post(f"/admin/entities/entity/{entity.pk}/change/", data)


def test_admin_save_records_user_and_reason(reviewer_client, reviewer):
    entity = make_entity(label="Jund al-Khilafah")
    response = change_entity(
        reviewer_client, entity, "Spelling from the court record", label="Jund al-Khilafa"
    )
    assert response.status_code == 302
    latest = entity.history.first()
    assert latest.label == "Jund al-Khilafa"
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Spelling from the court record"


def test_admin_save_without_a_reason_is_refused(reviewer_client):
    entity = make_entity(label="Before")
    response = change_entity(reviewer_client, entity, "", label="After")
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    entity.refresh_from_db()
    assert entity.label == "Before"


def test_compare_shows_each_changed_field_old_and_new(reviewer_client):
    entity = make_entity(label="Old name", description="first")
    change_entity(reviewer_client, entity, "one", label="Middle name")
    entity.refresh_from_db()
    change_entity(reviewer_client, entity, "two", label="New name", description="second")
    records = list(entity.history.all())
    newest, oldest = records[0], records[-1]
    response = reviewer_client.get(
        f"/admin/entities/entity/{entity.pk}/history/compare/?old={oldest.history_id}&new={newest.history_id}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>Old name</del>" in html and "<ins>New name</ins>" in html
    assert "<del>first</del>" in html and "<ins>second</ins>" in html
    assert "Middle name" not in html.split('id="revision-diff"')[1]


def test_history_page_lists_revisions_with_reasons(reviewer_client):
    entity = make_entity(label="Old")
    change_entity(reviewer_client, entity, "renamed after the 2019 video", label="New")
    html = reviewer_client.get(f"/admin/entities/entity/{entity.pk}/history/").content.decode()
    assert "renamed after the 2019 video" in html and "rafael" in html
    assert "Revert to this" in html


def test_revert_restores_a_revision_as_a_new_revision_with_its_reason(reviewer_client, reviewer):
    entity = make_entity(label="Original")
    change_entity(reviewer_client, entity, "vandalism", label="Wrong")
    original = entity.history.last()
    url = f"/admin/entities/entity/{entity.pk}/history/{original.history_id}/revert/"
    assert "Original" in reviewer_client.get(url).content.decode()
    response = reviewer_client.post(url, {"reason": "undo vandalism"})
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.label == "Original"
    assert entity.history.count() == 3
    latest = entity.history.first()
    assert latest.history_user == reviewer
    assert "undo vandalism" in latest.history_change_reason
    assert latest.version == entity.version == 3


def test_revert_needs_a_reason(reviewer_client):
    entity = make_entity(label="Original")
    change_entity(reviewer_client, entity, "edit", label="Changed")
    url = f"/admin/entities/entity/{entity.pk}/history/{entity.history.last().history_id}/revert/"
    assert reviewer_client.post(url, {"reason": ""}).status_code == 200
    entity.refresh_from_db()
    assert entity.label == "Changed"


def test_revert_of_a_claim_keeps_derived_columns_right(reviewer_client):
    claim = make_claim(property="inception", value_date="2014-09", status="draft")
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/", claim_post_data(claim, value_date="2015")
    )
    assert response.status_code == 302
    first = claim.history.last()
    reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/history/{first.history_id}/revert/", {"reason": "back"}
    )
    claim.refresh_from_db()
    assert claim.value_date == "2014-09"
    assert claim.value_date_latest.isoformat() == "2014-09-30"


def test_claim_history_shows_its_citations_changes(reviewer_client):
    claim = make_claim(property="inception", status="draft")
    citation = claim.citations.get()
    rows = [
        {
            "id": citation.pk,
            "source": citation.source_id,
            "locator": "History, paragraph 1",
            "quote": citation.quote,
            "version": citation.version,
        }
    ]
    response = reviewer_client.post(
        f"/admin/sources/claim/{claim.pk}/change/",
        claim_post_data(claim, citations=rows, reason="better locator"),
    )
    assert response.status_code == 302
    html = reviewer_client.get(f"/admin/sources/claim/{claim.pk}/history/").content.decode()
    section = html.split("Changes to this claim&#x27;s citations")[1]
    assert "History, paragraph 1" in section and "better locator" in section


@pytest.mark.parametrize(
    "model",
    [
        "entities/entity",
        "events/event",
        "sources/source",
        "sources/claim",
        "sources/citation",
        "sources/property",
    ],
)
def test_every_curated_model_has_a_history_page(reviewer_client, model):
    from tests.conftest import make_event, make_source

    claim = make_claim(property="inception")
    objects = {
        "entities/entity": claim.entity,
        "events/event": make_event(),
        "sources/source": make_source(),
        "sources/claim": claim,
        "sources/citation": claim.citations.get(),
        "sources/property": claim.property,
    }
    response = reviewer_client.get(f"/admin/{model}/{objects[model].pk}/history/")
    assert response.status_code == 200


def test_an_editors_revert_leaves_status_and_rank_alone(reviewer_client, editor):
    from django.test import Client

    editor_client = Client()
    editor_client.force_login(editor)
    claim = make_claim(property="inception", status="in_review")
    data = claim_post_data(claim, status="published", rank="preferred", rank_reason="court record")
    assert reviewer_client.post(f"/admin/sources/claim/{claim.pk}/change/", data).status_code == 302
    claim.refresh_from_db()
    published = claim.history.first()
    data = claim_post_data(claim, status="draft", rank="normal", rank_reason="")
    assert reviewer_client.post(f"/admin/sources/claim/{claim.pk}/change/", data).status_code == 302
    response = editor_client.post(
        f"/admin/sources/claim/{claim.pk}/history/{published.history_id}/revert/",
        {"reason": "restore"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rank) == ("draft", "normal")
    assert claim.history.first().history_change_reason.endswith("restore")


def test_a_revert_that_would_break_a_rule_is_refused_with_a_message(reviewer_client):
    entity = make_entity(slug="first-slug")
    change_entity(reviewer_client, entity, "new slug", slug="second-slug")
    make_entity(slug="first-slug")  # someone took the old slug meanwhile
    url = f"/admin/entities/entity/{entity.pk}/history/{entity.history.last().history_id}/revert/"
    response = reviewer_client.post(url, {"reason": "undo"}, follow=True)
    assert response.status_code == 200
    assert (
        "Not reverted" in response.content.decode()
        and "Slug already exists" in response.content.decode()
    )
    entity.refresh_from_db()
    assert entity.slug == "second-slug"


def test_reverting_the_quoted_words_undoes_the_verification(reviewer_client, second_reviewer):
    from django.utils import timezone

    citation = make_claim(status="draft").citations.get()
    original = citation.history.first()
    citation.quote = "Other words"
    citation.save()
    citation.verified_by, citation.verified_at = second_reviewer, timezone.now()
    citation.save()
    reviewer_client.post(
        f"/admin/sources/citation/{citation.pk}/history/{original.history_id}/revert/",
        {"reason": "back"},
    )
    citation.refresh_from_db()
    assert citation.quote == "A supporting quote." and not citation.is_verified


def test_the_past_revision_page_does_not_save(editor_client):
    claim = make_claim(property="inception", status="published", value_date="2014-09")
    record = claim.history.first()
    url = f"/admin/sources/claim/{claim.pk}/history/{record.history_id}/"
    response = editor_client.post(
        url, claim_post_data(claim, value_date="1999", status="in_review")
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert (claim.value_date, claim.status) == ("2014-09", "published")
