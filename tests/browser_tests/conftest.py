"""Browser tests: Debian's Chromium driven by Playwright against a live server.

They are skipped, with the reason, when /usr/bin/chromium is not installed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands

from tests.browser import CHROMIUM, MISSING, chromium
from tests.public_tests import dataset

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def installed():
    if not CHROMIUM.exists():
        pytest.skip(MISSING)


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
def page(installed, live_server, seeded):
    """A browser tab on the live server, failing on any request that leaves it."""
    outside = []
    with chromium() as browser:
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
    assert not outside, f"The page loaded from outside the site: {outside}"


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
