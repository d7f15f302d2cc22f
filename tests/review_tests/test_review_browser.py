"""A reviewer walks through the queue in a real Chromium: log in, verify, publish, read."""

from pathlib import Path

import pytest
from django.db import connections

from sources.models import Claim
from tests.conftest import make_citation, make_claim, make_entity, make_user

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
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
        entity=group, property="ideology", value_text="Islamic Statism", status=Claim.Status.IN_REVIEW, cite=False
    )
    make_citation(claim=claim, added_by=editor, quote="Ideology: Islamic Statism")
    return claim


@pytest.fixture
def browser_page(waiting_claim, monkeypatch):
    """A browser tab, started once the data is in place."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM
    # calls made meanwhile unless told they are safe, which they are: plain synchronous
    # test code. Set for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
            # Inside sync_playwright an event loop runs, so the ORM calls made here open
            # their own connections; close them, or the test database cannot be dropped.
            connections.close_all()


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
