"""An export imports back: the seeded database exported, imported into an empty one, reads
the same on every public page."""

import re

from django.core.management import call_command

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Source
from tests.conftest import make_claim, make_user


def page_texts(client):
    """The words of every public entity and event page, addresses and ids left aside."""
    texts = {}
    subjects = [*Entity.objects.public().order_by("slug"), *Event.objects.public().order_by("slug")]
    for subject in subjects:
        html = client.get(subject.get_absolute_url()).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        main = re.sub(r'(href|id)="[^"]*"', "", main)
        texts[subject.get_absolute_url()] = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    return texts


def import_back(files, reason="Restored from an export"):
    """Import the exported package as a reviewer, publishing."""
    reviewer = make_user("importing_reviewer", role="Reviewer")
    call_command(
        "import_claims",
        str(files.folder / "datapackage.json"),
        reason=reason,
        status="published",
        user=reviewer.username,
        verbosity=0,
    )


def empty_the_database():
    Citation.objects.all().delete()
    Claim.objects.all().delete()
    Entity.objects.all().delete()
    Event.objects.all().delete()
    Source.objects.all().delete()


def test_the_exported_package_imports_back_into_an_empty_database(site, exported, client):
    make_claim(
        property="ideology",
        entity=site.org,
        value_text="=A formula-looking idea",
        note="+ said a spreadsheet",
        note_is_public=True,
    )
    before = page_texts(client)
    files = exported()
    empty_the_database()
    import_back(files, "Restored from an export")
    after = page_texts(client)
    assert list(after) == list(before) and len(before) > 10
    for url, text in before.items():
        assert after[url] == text, url
    assert "=A formula-looking idea" in after[site.org.get_absolute_url()]


def test_importing_the_export_again_changes_nothing(site, exported, client):
    files = exported()
    claims, citations = Claim.objects.count(), Citation.objects.count()
    import_back(files, "Again")
    assert (Claim.objects.count(), Citation.objects.count()) == (claims, citations)


def test_an_apostrophe_that_starts_a_cell_comes_back(site, exported, client):
    make_claim(property="ideology", entity=site.org, value_text="'=literal apostrophe")
    make_claim(property="ideology", entity=site.org, value_text="'Uqba's creed")
    files = exported()
    empty_the_database()
    import_back(files, "Restored")
    values = set(Claim.objects.values_list("value_text", flat=True))
    assert {"'=literal apostrophe", "'Uqba's creed"} <= values


def test_two_sources_alike_are_found_again_by_their_ids(site, exported):
    twins = [Source.objects.create(kind="news", title="Press release") for _ in range(2)]
    for twin in twins:
        claim = make_claim(property="ideology", entity=site.org, value_text=f"From {twin.pk}")
        claim.citations.update(source=twin)
    files = exported()
    before = Source.objects.count(), Citation.objects.count()
    import_back(files, "Again")
    assert (Source.objects.count(), Citation.objects.count()) == before


def test_a_subject_without_claims_comes_back_too(site, exported, client):
    from tests.conftest import make_entity

    lonely = make_entity(label="A group nobody has written about", description="Quiet.")
    files = exported()
    empty_the_database()
    import_back(files, "Restored")
    back = Entity.objects.get(slug=lonely.slug)
    assert (back.label, back.description, back.published) == (lonely.label, "Quiet.", True)
