"""Entity and event pages read as they were published on a past day (?as_of=YYYY-MM-DD)."""

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Source
from tests.conftest import make_citation, make_claim, make_entity, make_event

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=30)
LATELY = TODAY - datetime.timedelta(days=10)


def backdate(days=20):
    """Move every revision so far back by ``days``, as if it had been saved then."""
    for model in (Entity, Event, Source, Claim, Citation):
        model.history.update(history_date=F("history_date") - datetime.timedelta(days=days))


def test_an_edited_claim_shows_its_old_value_on_an_earlier_date(db, fetch):
    entity = make_entity()
    claim = make_claim(property="ideology", entity=entity, value_text="Old ideology")
    backdate()
    claim.value_text = "New ideology"
    claim.save()
    past = fetch(f"{entity.get_absolute_url()}?as_of={LATELY}")
    assert "Old ideology" in past and "New ideology" not in past
    now = fetch(entity.get_absolute_url())
    assert "New ideology" in now and "Old ideology" not in now
    assert "New ideology" in fetch(f"{entity.get_absolute_url()}?as_of={TODAY}")


def test_an_event_date_edited_later_shows_as_it_was(db, fetch):
    event = make_event()
    claim = make_claim(property="date", event=event, value_date="2015-03")
    backdate()
    claim.value_date = "2015-03-18"
    claim.save()
    past = fetch(f"{event.get_absolute_url()}?as_of={LATELY}")
    assert '<time datetime="2015-03">March 2015</time>' in past and "18 March 2015" not in past
    assert "18 March 2015" in fetch(event.get_absolute_url())


def test_a_claim_published_later_is_absent_from_the_earlier_page(db, fetch):
    entity = make_entity()
    claim = make_claim(
        property="ideology", entity=entity, value_text="Later ideology", status=Claim.Status.DRAFT
    )
    backdate()
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    assert "Later ideology" not in fetch(f"{entity.get_absolute_url()}?as_of={LATELY}")
    assert "Later ideology" in fetch(entity.get_absolute_url())


def test_a_claim_withdrawn_or_deleted_later_still_shows_on_the_earlier_page(db, fetch):
    entity = make_entity()
    withdrawn = make_claim(property="ideology", entity=entity, value_text="Withdrawn ideology")
    deleted = make_claim(property="ideology", entity=entity, value_text="Deleted ideology")
    backdate()
    withdrawn.status = Claim.Status.DRAFT
    withdrawn.save()
    deleted.delete()
    past = fetch(f"{entity.get_absolute_url()}?as_of={LATELY}")
    assert "Withdrawn ideology" in past and "Deleted ideology" in past
    now = fetch(entity.get_absolute_url())
    assert "Withdrawn ideology" not in now and "Deleted ideology" not in now


def test_the_publication_rule_applies_to_the_historical_state(db, fetch):
    entity = make_entity()
    hidden_value = make_entity(label="Hidden ally", published=False)
    make_claim(property="ally", entity=entity, value_entity=hidden_value)
    uncited = make_claim(property="ideology", entity=entity, value_text="Uncited then", cite=False)
    make_claim(
        property="position_held",
        entity=entity,
        value_text="Internal",
        note="Internal remark",
        note_is_public=False,
    )
    backdate()
    make_citation(claim=uncited)
    hidden_value.published = True
    hidden_value.save()
    past = fetch(f"{entity.get_absolute_url()}?as_of={LATELY}")
    for text in ["Hidden ally", "Uncited then", "Internal remark"]:
        assert text not in past
    now = fetch(entity.get_absolute_url())
    assert "Hidden ally" in now and "Uncited then" in now and "Internal remark" not in now


def test_an_entity_not_yet_created_or_published_is_not_found_on_that_date(db, fetch):
    unpublished = make_entity(published=False)
    backdate()
    unpublished.published = True
    unpublished.save()
    fetch(f"{unpublished.get_absolute_url()}?as_of={LATELY}", status=404)
    fetch(f"{unpublished.get_absolute_url()}?as_of={TODAY}")
    fetch(f"{make_entity().get_absolute_url()}?as_of={LATELY}", status=404)


def test_past_pages_link_to_related_pages_as_of_the_same_day(site, fetch):
    backdate()
    page = fetch(f"{site.org.get_absolute_url()}?as_of={LATELY}")
    assert f'href="/entities/ashraf-al-qizani/?as_of={LATELY}"' in page
    assert f'href="/events/bardo-national-museum-attack/?as_of={LATELY}"' in page
    assert "You are reading this page as it was published on" in page
    assert page.index("“Soon, Soon” video") < page.index("Bardo National Museum attack")


def test_the_whole_seed_like_page_is_the_same_as_of_today(site, fetch):
    """The historical rebuild and the live querysets apply one rule: same facts, same footnotes."""

    def facts(page):
        body = page[page.index("<h1>") : page.index('class="page-meta"')].replace(
            f"?as_of={TODAY}", ""
        )
        # Only the current page links to the live timeline.
        return " ".join(re.sub(r"<p><a href=\"/events/\?entity=[^\n]*", "", body).split())

    for url in [
        site.org.get_absolute_url(),
        site.leader.get_absolute_url(),
        site.bardo_attack.get_absolute_url(),
    ]:
        assert facts(fetch(url)) == facts(fetch(f"{url}?as_of={TODAY}")), url


def test_every_page_shows_when_it_last_changed_and_a_permanent_link(site, fetch):
    for url in [site.org.get_absolute_url(), site.bardo_attack.get_absolute_url()]:
        page = fetch(url)
        assert "Last changed <time" in page
        assert f'href="{url}?as_of={TODAY.isoformat()}" rel="bookmark"' in page
    assert "Last changed <time" in fetch(site.article.get_absolute_url())


def test_last_changed_on_a_past_page_is_the_date_of_then(db, fetch):
    entity = make_entity()
    make_claim(property="ideology", entity=entity)
    backdate(days=40)
    make_claim(property="ideology", entity=entity)
    page = fetch(f"{entity.get_absolute_url()}?as_of={LONG_AGO}")
    then = (timezone.now() - datetime.timedelta(days=40)).date()
    assert f'Last changed <time datetime="{then.isoformat()}">' in page


@pytest.mark.parametrize(
    "as_of, message",
    [
        ("yesterday", "is not a date"),
        ("2024-13-01", "is not a day of the calendar"),
        ("2024-02-30", "is not a day of the calendar"),
        ("2024-1-1", "is not a date"),
        ("", "is not a date"),
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "is in the future"),
    ],
)
def test_a_bad_as_of_is_refused_with_a_clear_message(site, client, as_of, message):
    for url in [site.org.get_absolute_url(), site.bardo_attack.get_absolute_url()]:
        response = client.get(url, {"as_of": as_of})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "YYYY-MM-DD" in response.content.decode() or "future" in message
