"""An editor imports claims through the admin in a real Chromium: the files are uploaded,
the preview says what would be written, and applying it writes the claims."""

import re

import pytest

from imports.models import ImportBatch
from sources.models import Claim
from tests.browser import CHROMIUM, MISSING, chromium
from tests.conftest import make_user
from tests.dataset_tests.conftest import load
from tests.imports_tests.conftest import FILES, SOURCE, claims_csv, partial_match

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING),
    # The flush after a live-server test would drop the seeded properties and roles;
    # serialized rollback restores them for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UPLOAD = "/admin/imports/importbatch/add/"


def log_in(page, live_server, username):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next={UPLOAD}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.get_by_role("button", name="Upload and preview").wait_for()


def upload(page, claims):
    page.fill("#id_reason", "A second source")
    page.set_input_files("#id_claims", claims)
    page.set_input_files("#id_sources", FILES / "sources.json")
    page.set_input_files("#id_texts", sorted((FILES / "texts").iterdir()))
    page.get_by_role("button", name="Upload and preview").click()


def cells(table_row):
    return [cell.strip() for cell in table_row.locator("th, td").all_inner_texts()]


def test_an_editor_uploads_previews_and_applies_an_import(live_server):
    load()
    make_user("edith", role="Editor")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, live_server, "edith")

        upload(page, FILES / "claims.csv")

        page.get_by_role("heading", name="What the import would do").wait_for()
        assert page.url.startswith(f"{live_server.url}/admin/imports/importbatch/")
        counts = page.locator("table.import-counts")
        assert cells(counts.locator("tr", has_text="Claims created")) == ["Claims created", "5"]
        matched = page.locator("table.import-matched")
        # The variant spelling only: the other rows name the group in full, or by its slug.
        variant = matched.locator("tbody tr").filter(
            has=page.locator("td:first-child", has_text=re.compile(r"^Jund al-Khilafa$"))
        )
        assert variant.count() == 1
        name, label, matched_name, _how = cells(variant)
        assert name == "Jund al-Khilafa"
        assert label.startswith("Jund al-Khilafah in Tunisia")
        assert matched_name == "Jund al-Khilafah"
        created = page.get_by_role("heading", name="Subjects to create (unpublished)")
        assert created.is_visible()
        assert "Mourad Gharsalli" in page.locator("ul.import-created").inner_text()
        page.screenshot(path="/tmp/import-preview.png", full_page=True)
        apply = page.get_by_role("button", name="Apply the import")
        assert apply.is_visible()
        # Nothing is written before the import is applied.
        assert not Claim.objects.filter(citations__source__import_key=SOURCE).exists()
        assert ImportBatch.objects.get().state == ImportBatch.State.PREVIEWED

        apply.click()

        page.get_by_role("heading", name="What the import did").wait_for()
        success = page.locator(".messagelist .success")
        assert success.inner_text().strip().endswith("was applied.")
        assert page.get_by_role("button", name="Apply the import").count() == 0
        imported = Claim.objects.filter(citations__source__import_key=SOURCE).distinct()
        assert imported.count() == 5
        assert set(imported.values_list("status", flat=True)) == {"draft"}
        assert ImportBatch.objects.get().state == "applied"


def test_a_partial_match_is_settled_by_a_choice_before_the_import_is_applied(live_server, tmp_path):
    load()
    # Only a reviewer may add a citation to the published claim the name turns out to have.
    make_user("rafael", role="Reviewer")
    claims = tmp_path / "claims.csv"
    claims.write_bytes(claims_csv([partial_match()]))
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, live_server, "rafael")

        upload(page, claims)

        page.get_by_role("heading", name="Names to settle (1)").wait_for()
        assert page.get_by_role("button", name="Apply the import").count() == 0
        choices = page.locator("form.import-choices")
        assert "Okba Ibn Nafaa" in choices.locator("legend").inner_text()
        assert choices.get_by_role("radio").count() >= 2
        candidate = choices.get_by_role("radio", name="Uqba ibn Nafi Brigade")
        assert candidate.get_attribute("value") == "uqba-ibn-nafi-brigade"
        candidate.check()
        page.get_by_role("button", name="Use these choices").click()

        page.get_by_text("Your choices were applied to the preview; check it again.").wait_for()
        apply = page.get_by_role("button", name="Apply the import")
        assert apply.is_visible()
        assert page.get_by_role("heading", name="Names to settle (1)").count() == 0
        batch = ImportBatch.objects.get()
        assert batch.choices == {"entity:Okba Ibn Nafaa": "uqba-ibn-nafi-brigade"}
        assert batch.state == ImportBatch.State.PREVIEWED

        apply.click()

        page.get_by_role("heading", name="What the import did").wait_for()
        assert ImportBatch.objects.get().state == ImportBatch.State.APPLIED
        added = page.locator("ul.import-added").inner_text()
        assert "Uqba ibn Nafi Brigade — country: Tunisia" in added
        country = Claim.objects.get(entity__slug="uqba-ibn-nafi-brigade", property__code="country")
        assert country.citations.filter(source__import_key=SOURCE).exists()
