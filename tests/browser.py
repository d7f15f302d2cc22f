"""Debian's Chromium driven by Playwright, for the tests whose behaviour needs a real browser."""

import contextlib
import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: this machine's network is closed, so Chromium's own background
# traffic (updates, sync, safe browsing) would only fail.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = (
    f"Chromium is not installed at {CHROMIUM} (Debian package “chromium”); browser tests skipped."
)


@contextlib.contextmanager
def chromium():
    """A launched browser. Start it after the test data is in place.

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    made meanwhile unless told they are safe, which they are here (plain synchronous test
    code); those calls open connections of their own, closed at the end so the test
    database can be dropped.
    """
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                # Closed here, while the event loop runs: connections are kept per context.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
