import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from sources.models import Citation, Claim
from sources.review import actions as review
from tests.admin_helpers import claim_post_data
from tests.conftest import make_citation, make_claim

from .conftest import messages_of, post_action

QUEUE = "/admin/sources/claim/review/"


def last_record(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


# The two-person rule


def test_verifying_a_citation_records_who_and_when(client, reviewer, editor):
    citation = make_citation(claim=make_claim(cite=False), added_by=editor)
    client.force_login(reviewer)
    post_action(client, "citation", "verify_citations", [citation])
    citation.refresh_from_db()
    assert citation.verified_by == reviewer and citation.verified_at is not None
    record = last_record(citation)
    assert (
        record.history_user == reviewer
        and record.history_change_reason == "Verified against the source"
    )


def test_nobody_verifies_a_citation_they_added_through_the_action(
    client, reviewer, second_reviewer
):
    own = make_citation(claim=make_claim(cite=False), added_by=reviewer)
    theirs = make_citation(claim=make_claim(cite=False), added_by=second_reviewer)
    client.force_login(reviewer)
    response = post_action(client, "citation", "verify_citations", [own, theirs])
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert not own.is_verified and theirs.verified_by == reviewer
    assert any(
        "because you added them" in message and str(own) in message
        for message in messages_of(response)
    )


def citation_form_data(citation, **overrides):
    return {
        "claim": citation.claim_id,
        "source": citation.source_id,
        "locator": citation.locator,
        "stance": citation.stance,
        "quote": citation.quote,
        "translation": "",
        "version": citation.version,
        "change_reason": "checked the quote",
        **overrides,
    }


def test_nobody_verifies_a_citation_they_added_through_its_admin_page(client, reviewer):
    citation = make_citation(claim=make_claim(cite=False), added_by=reviewer)
    client.force_login(reviewer)
    response = client.post(
        f"/admin/sources/citation/{citation.pk}/change/",
        citation_form_data(citation, verified="on"),
    )
    assert response.status_code == 200
    assert "You added this citation; another reviewer must verify it." in response.content.decode()
    citation.refresh_from_db()
    assert not citation.is_verified


def test_another_reviewer_verifies_through_the_admin_page(client, reviewer, second_reviewer):
    citation = make_citation(claim=make_claim(cite=False), added_by=reviewer)
    client.force_login(second_reviewer)
    response = client.post(
        f"/admin/sources/citation/{citation.pk}/change/",
        citation_form_data(citation, verified="on"),
    )
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.verified_by == second_reviewer and citation.verified_at


def test_nobody_verifies_a_citation_they_added_in_the_claim_page(client, reviewer):
    claim = make_claim(status=Claim.Status.IN_REVIEW, cite=False)
    citation = make_citation(claim=claim, added_by=reviewer)
    client.force_login(reviewer)
    data = claim_post_data(claim, reason="Verify")
    data["citations-0-verified"] = "on"
    response = client.post(f"/admin/sources/claim/{claim.pk}/change/", data)
    assert response.status_code == 200
    assert "You added this citation; another reviewer must verify it." in response.content.decode()
    citation.refresh_from_db()
    assert not citation.is_verified


def test_database_refuses_a_citation_verified_by_its_author(reviewer):
    citation = make_citation(claim=make_claim(cite=False), added_by=reviewer)
    citation.verified_by = reviewer
    with pytest.raises(IntegrityError), transaction.atomic():
        citation.save()


# Publishing, rejecting, deprecating


def test_publishing_needs_a_citation(client, reviewer):
    cited = make_claim(status=Claim.Status.IN_REVIEW)
    uncited = make_claim(status=Claim.Status.IN_REVIEW, cite=False)
    client.force_login(reviewer)
    response = post_action(client, "claim", "publish_claims", [cited, uncited])
    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert cited.status == Claim.Status.PUBLISHED
    assert uncited.status == Claim.Status.IN_REVIEW
    assert any(
        "no citation" in message and str(uncited) in message for message in messages_of(response)
    )
    record = last_record(cited)
    assert (
        record.history_user == reviewer and record.history_change_reason == "Published after review"
    )


def test_rejecting_asks_for_a_reason_on_an_intermediate_page(client, reviewer):
    claim = make_claim(status=Claim.Status.IN_REVIEW)
    client.force_login(reviewer)
    page = post_action(client, "claim", "reject_claims", [claim])
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    without_reason = post_action(
        client, "claim", "reject_claims", [claim], apply="yes", reason="  "
    )
    assert (
        without_reason.status_code == 200
        and "This field is required" in without_reason.content.decode()
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW


def test_rejecting_with_a_reason_records_it(client, reviewer):
    claims = [make_claim(status=Claim.Status.IN_REVIEW), make_claim(status=Claim.Status.DRAFT)]
    client.force_login(reviewer)
    post_action(
        client, "claim", "reject_claims", claims, apply="yes", reason="The source does not say this"
    )
    for claim in claims:
        claim.refresh_from_db()
        assert (
            claim.status == Claim.Status.REJECTED
            and claim.status_reason == "The source does not say this"
        )
        assert last_record(claim).history_change_reason == "Rejected: The source does not say this"


def test_deprecating_records_the_note_as_the_rank_reason(client, reviewer):
    claim = make_claim(property="inception", value_date="2015")
    client.force_login(reviewer)
    assert post_action(client, "claim", "deprecate_claims", [claim]).status_code == 200
    post_action(
        client, "claim", "deprecate_claims", [claim], apply="yes", reason="Misreading of the source"
    )
    claim.refresh_from_db()
    assert claim.rank == Claim.Rank.DEPRECATED and claim.rank_reason == "Misreading of the source"
    assert last_record(claim).history_user == reviewer


def test_actions_started_from_the_queue_return_to_it(client, reviewer):
    claim = make_claim(status=Claim.Status.IN_REVIEW)
    client.force_login(reviewer)
    response = post_action(client, "claim", "publish_claims", [claim], next=QUEUE)
    assert response.status_code == 302 and response["Location"] == QUEUE
    response = post_action(
        client, "claim", "publish_claims", [claim], next="https://elsewhere.example/"
    )
    assert response["Location"] != "https://elsewhere.example/"


def test_a_stale_row_saves_nothing_in_the_whole_action(client, reviewer, monkeypatch):
    first, second = (
        make_claim(status=Claim.Status.IN_REVIEW),
        make_claim(status=Claim.Status.IN_REVIEW),
    )
    client.force_login(reviewer)
    original = Claim.save

    def save(self, *args, **kwargs):
        if self.pk == second.pk:
            self.version -= 1  # as if someone saved it after the page was opened
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Claim, "save", save)
    response = post_action(client, "claim", "publish_claims", [first, second])
    monkeypatch.undo()
    first.refresh_from_db()
    assert first.status == Claim.Status.IN_REVIEW
    assert any(message.startswith("Nothing was saved") for message in messages_of(response))


# Who may act


REVIEWER_ACTIONS = [
    ("claim", "publish_claims", {}),
    ("claim", "reject_claims", {"apply": "yes", "reason": "not supported"}),
    ("claim", "deprecate_claims", {"apply": "yes", "reason": "misread"}),
    ("citation", "verify_citations", {}),
]


def target_of(model):
    claim = make_claim(status=Claim.Status.IN_REVIEW)
    citation = claim.citations.get()
    return claim if model == "claim" else citation


def snapshot(obj):
    obj.refresh_from_db()
    return (
        obj.version,
        getattr(obj, "status", None),
        getattr(obj, "rank", None),
        getattr(obj, "verified_at", None),
    )


@pytest.mark.parametrize(("model", "action", "data"), REVIEWER_ACTIONS)
def test_editors_cannot_run_reviewer_actions(client, editor, reviewer, model, action, data):
    target = target_of(model)
    before = snapshot(target)
    client.force_login(editor)
    changelist = client.get(f"/admin/sources/{model}/")
    assert changelist.status_code == 200 and f'value="{action}"' not in changelist.content.decode()
    # Editors have no bulk actions at all, so the admin shows the list again and does nothing.
    response = post_action(client, model, action, [target], **data)
    assert response.status_code in (200, 302)
    assert snapshot(target) == before


@pytest.mark.parametrize(("model", "action", "data"), REVIEWER_ACTIONS)
def test_reviewers_run_reviewer_actions(client, reviewer, model, action, data):
    target = target_of(model)
    before = snapshot(target)
    client.force_login(reviewer)
    assert f'value="{action}"' in client.get(f"/admin/sources/{model}/").content.decode()
    response = post_action(client, model, action, [target], **data)
    assert response.status_code == 302
    assert snapshot(target) != before


@pytest.mark.parametrize(
    "action", ["publish_claims", "reject_claims", "deprecate_claims", "verify_citations"]
)
def test_actions_check_the_permission_again_on_the_server(editor, action):
    model = Citation if action == "verify_citations" else Claim
    request = RequestFactory().post("/", {"apply": "yes", "reason": "because"})
    request.user = editor
    with pytest.raises(PermissionDenied):
        getattr(review, action)(site._registry[model], request, model.objects.all())
