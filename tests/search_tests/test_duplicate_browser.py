"""An editor about to add an entity the database already has, in a real Chromium: the
names alike are shown, linked, before anything is saved."""

import pytest

from entities.models import Entity
from tests.browser import CHROMIUM, MISSING, chromium
from tests.conftest import make_claim, make_entity, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING),
    # The flush after a live-server test would drop the seeded properties and roles;
    # serialized rollback restores them for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_adding_a_mountain_under_another_spelling_shows_the_one_there(live_server):
    make_user("edith", role="Editor")
    chambi = make_entity(label="Chambi mountains", slug="chambi-mountains", kind="place")
    make_claim(entity=chambi, property="alias", value_text="Jabal Al-Shaanbi", value_language="en")
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/login/?next=/admin/entities/entity/add/")
        page.fill("#id_username", "edith")
        page.fill("#id_password", "pw-for-tests-only")
        page.click("input[type=submit]")

        page.fill("#id_label", "Djebel Chaambi")
        page.select_option("#id_kind", "place")
        page.fill("#id_change_reason", "The mountain, as the second source names it")
        page.click("input[name=_save]")

        warning = page.locator("#names-alike")
        warning.wait_for()
        link = warning.get_by_role("link", name="Chambi mountains")
        assert link.get_attribute("href") == f"/admin/entities/entity/{chambi.pk}/change/"
        assert page.get_by_text("An entity with a name alike “Djebel Chaambi” exists").is_visible()
        assert not Entity.objects.filter(label="Djebel Chaambi").exists()

        # The editor looks, finds it is the same mountain, and does not add it.
        with page.expect_popup() as opened:
            link.click()
        assert opened.value.url.endswith(f"/admin/entities/entity/{chambi.pk}/change/")

        # A different mountain is added once the editor says so.
        page.fill("#id_label", "Djebel Chaambi")
        page.check("#id_not_a_duplicate")
        page.fill("#id_change_reason", "Another mountain of that name, further north")
        page.click("input[name=_save]")
        page.locator(".messagelist .success").wait_for()
        assert Entity.objects.filter(label="Djebel Chaambi").exists()
