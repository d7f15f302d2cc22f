"""A second dataset folder about the seed's group: it adds its evidence to the seed's claims
without taking them over, and neither folder's reload undoes the other's."""

import pytest

from imports.dataset import load_dataset
from sources.models import Citation, Claim
from tests.dataset_tests.conftest import DATASET, load, snapshot
from tests.imports_tests.conftest import FILES, QUOTES, SOURCE

ALLEGIANCE = "jund-al-khilafah-in-tunisia/allegiance/islamic-state"


def second_folder(directory, key):
    directory.mkdir()
    (directory / "sources.yaml").write_text(
        f"- key: {SOURCE}\n  kind: news\n  title: Tunisia's jihadist landscape\n"
        f"  archived_text_file: {FILES / 'texts' / (SOURCE + '.txt')}\n",
        encoding="utf-8",
    )
    (directory / "entities.yaml").write_text("", encoding="utf-8")
    (directory / "events.yaml").write_text("", encoding="utf-8")
    (directory / "claims.yaml").write_text(
        f"- key: {key}\n  subject: {{entity: jund-al-khilafah-in-tunisia}}\n"
        "  property: allegiance\n  entity: islamic-state\n"
        "  note: A note the second folder would write\n"
        f"  citations:\n    - source: {SOURCE}\n      locator: paragraph 1\n"
        f'      quote: "{QUOTES["allegiance"]}"\n',
        encoding="utf-8",
    )
    return directory


@pytest.mark.parametrize("key", [ALLEGIANCE, "monitor/allegiance"], ids=["same key", "own key"])
def test_a_second_folder_adds_a_citation_and_leaves_the_claim(loaded, tmp_path, key):
    claim = Claim.objects.get(import_key=ALLEGIANCE)
    note, version = claim.note, claim.version
    folder = second_folder(tmp_path / "monitor", key)

    result = load_dataset(directory=folder, reason="A second source")

    claim.refresh_from_db()
    assert (claim.note, claim.version) == (note, version)
    assert claim.citations.filter(source__import_key=SOURCE).count() == 1
    assert any("another dataset's" in item for item in result.changed_since_load)
    assert not Claim.objects.filter(import_key="monitor/allegiance").exists()

    # Reloading either folder changes nothing; the seed keeps the other folder's citation.
    before = snapshot()
    assert load_dataset(directory=folder, reason="Again").changed == 0
    assert load().changed == 0
    assert snapshot() == before
    assert Citation.objects.filter(claim=claim, source__import_key=SOURCE).exists()


def test_a_second_folder_citing_the_same_page_adds_its_own_words(loaded, tmp_path):
    folder = tmp_path / "reading"
    folder.mkdir()
    seed_sources = (DATASET / "sources.yaml").read_text(encoding="utf-8")
    (folder / "sources.yaml").write_text(
        seed_sources.replace("archived_text_file: ../", f"archived_text_file: {DATASET}/../"),
        encoding="utf-8",
    )
    (folder / "entities.yaml").write_text("", encoding="utf-8")
    (folder / "events.yaml").write_text("", encoding="utf-8")
    (folder / "claims.yaml").write_text(
        "- key: reading/allegiance\n  subject: {entity: jund-al-khilafah-in-tunisia}\n"
        "  property: allegiance\n  entity: islamic-state\n"
        "  citations:\n    - source: wikipedia-islamic-state-tunisia-province\n"
        "      locator: infobox\n      quote: affiliated with the Islamic State\n",
        encoding="utf-8",
    )
    claim = Claim.objects.get(import_key=ALLEGIANCE)
    infobox = claim.citations.get(locator="infobox")

    result = load_dataset(directory=folder, reason="A closer reading")

    assert result.changed_since_load == []
    assert claim.citations.filter(quote="affiliated with the Islamic State").exists()
    infobox.refresh_from_db()
    assert infobox.quote == "- Allegiance: Islamic State"
    assert load().changed == 0
