"""A reviewer walks through the queue in a real Chromium: log in, verify, publish, read."""

import pytest

from sources.models import Claim
from tests.browser import CHROMIUM, MISSING, chromium
from tests.conftest import make_citation, make_claim, make_entity, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING),
    # The flush after a live-server test would drop the seeded properties and roles;
    # serialized rollback restores them for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def waiting_claim():
    """A claim an editor cited and sent for review, on a published entity."""
    editor = make_user("edith", role="Editor")
    make_user("rafael", role="Reviewer")
    group = make_entity(label="Jund al-Khilafah in Tunisia", slug="jund-al-khilafah-in-tunisia")
    claim = make_claim(
        entity=group,
        property="ideology",
        value_text="Islamic Statism",
        status=Claim.Status.IN_REVIEW,
        cite=False,
    )
    make_citation(claim=claim, added_by=editor, quote="Ideology: Islamic Statism")
    return claim


@pytest.fixture
def browser_page(waiting_claim):
    """A browser tab, started once the data is in place."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page


def test_reviewer_verifies_and_publishes_from_the_queue_then_readers_see_the_claim(
    live_server, waiting_claim, browser_page
):
    claim, page = waiting_claim, browser_page
    citation = claim.citations.get()
    public_page = f"{live_server.url}/entities/{claim.entity.slug}/"
    page.goto(public_page)
    assert "Islamic Statism" not in page.inner_text("body")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "rafael")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.click("#review-queue-module a")
    assert page.url.endswith("/admin/sources/claim/review/")

    page.click("#unverified input[value=Verify]")
    page.wait_for_selector("text=Verified 1 citation(s).")
    assert "Nothing here." in page.inner_text("#unverified")
    citation.refresh_from_db()
    assert citation.verified_by.username == "rafael"

    page.click("#in_review input[value=Publish]")
    page.wait_for_selector("text=Published 1 claim(s).")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED

    page.goto(public_page)
    assert "Islamic Statism" in page.inner_text("body")
