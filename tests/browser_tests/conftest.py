"""Browser tests: Debian's Chromium driven by Playwright against a live server.

They are skipped, with the reason, when /usr/bin/chromium is not installed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

from tests.public_tests import dataset

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (Debian package “chromium”); "
            "browser tests skipped."
        )
    return CHROMIUM


@pytest.fixture
def seeded(transactional_db, django_db_serialized_rollback):
    """The curated seed dataset, loaded as `manage.py seed` loads it.

    The live server's tests flush the database afterwards; the serialized rollback
    puts back what the migrations seeded (the property vocabulary, the roles).
    """
    if "seed" in get_commands():
        call_command("seed", verbosity=0)
    else:
        dataset.build()


@pytest.fixture
def page(chromium, live_server, seeded, monkeypatch):
    """A browser tab on the live server, failing on any request that leaves it.

    Playwright starts after the data is loaded: its sync API runs an event loop in
    this thread, and Django would refuse ORM calls made meanwhile unless told that
    they are safe, which they are here (plain synchronous test code).
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    outside = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1100, "height": 900}
        )
        context.set_default_timeout(15_000)
        tab = context.new_page()
        tab.on(
            "request",
            lambda request: request.url.startswith(live_server.url) or outside.append(request.url),
        )
        try:
            yield tab
        finally:
            context.close()
            browser.close()
    assert not outside, f"The page loaded from outside the site: {outside}"


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
