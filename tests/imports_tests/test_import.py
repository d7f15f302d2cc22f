"""Importing a second source about the seed's group: matched, added, disputed, and kept."""

import pytest

from core.history import save_with_reason
from core.models import ChangeSet
from entities.models import Entity
from imports import services
from imports.models import ImportBatch
from sources.models import Citation, Claim, Source
from tests.imports_tests.conftest import (
    FILES,
    QUOTES,
    SOURCE,
    claims_csv,
    claims_jsonl,
    make_batch,
    partial_match,
    row,
    snapshot,
)

GROUP = "jund-al-khilafah-in-tunisia"
SEED_SOURCE = "wikipedia-islamic-state-tunisia-province"


def from_two_sources(ideology):
    """Two rows of one claim about the group's ideology: the second source and the seed's."""
    seed = Source.objects.get(import_key=SEED_SOURCE)
    return [
        row(subject=GROUP, property="ideology", value=ideology),
        row(
            subject=GROUP,
            property="ideology",
            value=ideology,
            source=seed.title,
            locator="lead",
            quote="was a militant organization affiliated with the Islamic State",
        ),
    ]


def test_the_preview_says_what_would_happen_and_writes_nothing(loaded):
    before = snapshot()

    report = services.preview(make_batch())

    assert report["errors"] == [] and not report["applied"]
    counts = report["counts"]
    assert counts["rows"] == 6
    assert counts["claims created"] == 5
    assert counts["citations added to existing claims"] == 1
    assert counts["subjects created"] == 1
    assert counts["sources created"] == 1
    assert counts["claims in a dispute"] == 1
    variant = next(item for item in report["matched"] if item["name"] == "Jund al-Khilafa")
    assert (variant["slug"], variant["matched_name"]) == (GROUP, "Jund al-Khilafah")
    assert [item["name"] for item in report["created"]] == ["Mourad Gharsalli"]
    (added,) = report["added"]
    assert "allegiance: Islamic State" in added["claim"]
    (dispute,) = report["disputes"]
    assert "founded: 2013" in dispute["claim"]
    assert snapshot() == before
    assert not ChangeSet.objects.filter(kind=ChangeSet.Kind.IMPORT).exists()


def test_applying_writes_drafts_and_a_citation_of_a_seed_claim_as_one_batch(loaded, reviewer):
    allegiance = Claim.objects.get(entity__slug=GROUP, property__code="allegiance")
    seed_fields = (allegiance.note, allegiance.rank, allegiance.status, allegiance.version)

    report = services.apply(make_batch(user=reviewer))

    batch = ImportBatch.objects.get()
    assert report["applied"] and batch.state == ImportBatch.State.APPLIED
    assert (batch.user, batch.change_set.kind) == (reviewer, ChangeSet.Kind.IMPORT)
    assert batch.report["counts"]["claims created"] == 5
    new = Claim.objects.filter(citations__source__import_key=SOURCE).exclude(pk=allegiance.pk)
    assert new.count() == 5
    assert set(new.values_list("status", flat=True)) == {Claim.Status.DRAFT}
    # The seed's claim gained a citation and nothing else.
    allegiance.refresh_from_db()
    assert (allegiance.note, allegiance.rank, allegiance.status) == seed_fields[:3]
    assert allegiance.citations.filter(source__import_key=SOURCE).count() == 1
    # Every row the import wrote points at its one change set, with who and why.
    for model in (Claim, Citation, Source, Entity):
        rows = model.history.filter(change_set=batch.change_set)
        assert rows.exists()
        assert set(rows.values_list("history_user", "history_change_reason").distinct()) == {
            (reviewer.pk, "A second source")
        }
    # A value naming a subject the file creates resolves to it, unpublished.
    person = Entity.objects.get(label="Mourad Gharsalli")
    assert (person.kind, person.published) == ("person", False)
    founder = Claim.objects.get(entity__slug=GROUP, property__code="founder")
    assert founder.value_entity == person
    # The variant spelling found the group; the place was found by another of its names.
    founded = Claim.objects.get(property__code="inception", value_date="2013")
    assert founded.entity.slug == GROUP and founded.in_dispute
    area = new.get(property__code="area_of_operations")
    assert area.value_entity.slug == "chambi-mountains"
    # The source came from its CSL-JSON record with its archived text.
    source = Source.objects.get(import_key=SOURCE)
    assert (source.kind, source.publisher, source.author) == (
        "news",
        "Maghreb Monitor",
        "Haddad, Leila",
    )
    assert source.archived_text == (FILES / "texts" / f"{SOURCE}.txt").read_text()


def test_importing_the_same_files_again_changes_nothing(loaded, reviewer):
    services.apply(make_batch(user=reviewer))
    before = snapshot()

    report = services.apply(make_batch(user=reviewer))

    assert snapshot() == before
    assert report["counts"]["citations unchanged"] == 6
    assert "claims created" not in report["counts"]
    assert ImportBatch.objects.filter(change_set__isnull=True).count() == 1


def test_a_claim_a_reviewer_changed_since_is_kept_and_listed(loaded, reviewer):
    services.apply(make_batch(user=reviewer))
    size = Claim.objects.get(
        entity__slug=GROUP, property__code="member_count", point_in_time="2019"
    )
    size.value_quantity = 120
    size.quantity_high = 150
    save_with_reason(size, user=reviewer, reason="The source says 120 in another place")
    before = snapshot()

    report = services.apply(make_batch(user=reviewer))

    assert snapshot() == before
    assert any(f"claim {size.pk}: it was imported" in text for text in report["left_alone"])


def test_publishing_a_claim_keeps_it_the_imports(loaded, reviewer, editor):
    services.apply(make_batch(user=editor))
    founder = Claim.objects.get(entity__slug=GROUP, property__code="founder")
    founder.status = Claim.Status.PUBLISHED
    save_with_reason(founder, user=reviewer, reason="Checked")

    report = services.apply(make_batch(user=editor))

    assert report["left_alone"] == [] and "claims created" not in report["counts"]


def test_an_editor_leaves_citations_of_published_claims_to_a_reviewer(loaded, editor):
    report = services.apply(make_batch(user=editor))

    assert report["counts"]["citations for a reviewer"] == 1
    assert "allegiance" in report["needs_reviewer"][0]
    allegiance = Claim.objects.get(entity__slug=GROUP, property__code="allegiance")
    assert not allegiance.citations.filter(source__import_key=SOURCE).exists()


def test_only_a_reviewer_publishes_on_import(loaded, editor, reviewer):
    with pytest.raises(services.ImportFailed) as failure:
        services.apply(make_batch(user=editor, arrives_as=Claim.Status.PUBLISHED))
    assert "Only a reviewer, named, may publish" in failure.value.report["errors"][0]

    services.apply(make_batch(user=reviewer, arrives_as=Claim.Status.PUBLISHED))

    founded = Claim.objects.get(property__code="inception", value_date="2013")
    assert founded.status == Claim.Status.PUBLISHED
    # Its subject is public; the person the file created is not, so its claims stay hidden.
    assert Claim.objects.public().filter(pk=founded.pk).exists()
    assert not Claim.objects.public().filter(entity__label="Mourad Gharsalli").exists()


def test_a_formula_cell_is_kept_as_text(loaded, reviewer):
    services.apply(make_batch(user=reviewer))

    size = Claim.objects.get(
        entity__slug=GROUP, property__code="member_count", point_in_time="2019"
    )
    assert size.note == '=HYPERLINK("https://example.org")'


def test_json_lines_import_as_the_csv_does(loaded):
    rows = [
        row(subject="Jund al-Khilafa", property="inception", value="2013"),
        row(
            subject=GROUP,
            property="alias",
            value="جند الخلافة",
            language="ar",
            quote=QUOTES["founded"],
        ),
    ]
    report = services.preview(make_batch(claims_jsonl(rows), name="claims.jsonl"))

    assert report["errors"] == []
    assert report["counts"]["claims created"] == 2


def test_rows_of_one_claim_from_two_sources_make_one_claim_with_two_citations(loaded, reviewer):
    seed = Source.objects.get(import_key=SEED_SOURCE)
    rows = from_two_sources("Salafi jihadism")
    report = services.apply(make_batch(claims_csv(rows), user=reviewer))

    assert report["counts"]["claims created"] == 1
    claim = Claim.objects.get(entity__slug=GROUP, value_text="Salafi jihadism")
    assert set(claim.citations.values_list("source__import_key", flat=True)) == {
        SOURCE,
        seed.import_key,
    }


def test_a_partial_match_waits_for_a_choice(loaded, reviewer):
    rows = [partial_match()]
    batch = make_batch(claims_csv(rows), user=reviewer)

    report = services.preview(batch)
    (pending,) = report["to_confirm"]
    assert pending["name"] == "Okba Ibn Nafaa" and pending["can_create"]
    assert [c["slug"] for c in pending["candidates"]] == ["uqba-ibn-nafi-brigade"]
    with pytest.raises(services.ImportFailed) as failure:
        services.apply(batch)
    assert "uqba-ibn-nafi-brigade" in failure.value.report["errors"][0]
    assert not Claim.objects.filter(citations__source__import_key=SOURCE).exists()

    batch.choices = {"entity:Okba Ibn Nafaa": "uqba-ibn-nafi-brigade"}
    services.apply(batch)
    assert Claim.objects.filter(
        entity__slug="uqba-ibn-nafi-brigade", citations__source__import_key=SOURCE
    ).exists()


def test_a_curator_may_create_what_matched_only_partly(loaded, reviewer):
    rows = [partial_match()]

    services.apply(make_batch(claims_csv(rows), user=reviewer, create_unmatched=True))

    created = Entity.objects.get(label="Okba Ibn Nafaa")
    assert created.slug == "okba-ibn-nafaa" and not created.published


# Each broken file: what is wrong with it, and what the error must name.
BROKEN = {
    "not UTF-8": (
        "claims.csv",
        "subject,property,source,quote\nTunis\xe9,name,x,y\n".encode("latin-1"),
        "claims.csv: not UTF-8 text (line 2",
    ),
    "a missing column": (
        "claims.csv",
        b"subject,property,value,source\nx,name,y,z\n",
        "claims.csv: missing column(s) quote",
    ),
    "an unknown property": (
        "claims.csv",
        claims_csv([row(subject=GROUP, property="creed", value="x")]),
        "claims.csv, row 2, column property: unknown property “creed”",
    ),
    "a value of the wrong type": (
        "claims.csv",
        claims_csv([row(subject=GROUP, property="member_count", value="many")]),
        "claims.csv, row 2, column value: “many” is not a number",
    ),
    "an unreadable date": (
        "claims.csv",
        claims_csv([row(subject=GROUP, property="inception", value="the year of the ambush")]),
        "claims.csv, row 2, column value: “the year of the ambush” is not a date",
    ),
    "a quote not in the text": (
        "claims.csv",
        claims_csv([row(subject=GROUP, property="inception", value="2013", quote="In 2012.")]),
        "claims.csv, row 2, column quote: These words do not occur in the archived text",
    ),
    "a subject that matches nothing, with no kind": (
        "claims.csv",
        claims_csv([row(subject="Zzyzx Qqwert", property="inception", value="2013")]),
        "claims.csv, row 2, column subject: no entity is named “Zzyzx Qqwert”; give its "
        "subject_kind",
    ),
    "an unknown source": (
        "claims.jsonl",
        claims_jsonl([row(subject=GROUP, property="inception", value="2013", source="nyt")]),
        "claims.jsonl, row 1, column source: “nyt” is no key in the sources file",
    ),
    "a row of JSON Lines that is not JSON": (
        "claims.jsonl",
        b'{"subject": "x"\n',
        "claims.jsonl, row 1: not JSON",
    ),
}


@pytest.mark.parametrize("broken", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_refused_naming_the_place_and_writes_nothing(loaded, reviewer, broken):
    name, data, expected = broken
    # The second source's good rows come first: they are not written either.
    good = (FILES / "claims.csv").read_bytes() if name.endswith(".csv") else b""
    if good and data.startswith(b"subject,subject_type"):
        data = good + data.split(b"\n", 1)[1]
        expected = expected.replace("row 2", "row 8")
    before = snapshot()

    with pytest.raises(services.ImportFailed) as failure:
        services.apply(make_batch(data, name=name, user=reviewer))

    assert any(error.startswith(expected) for error in failure.value.report["errors"]), (
        failure.value.report["errors"]
    )
    assert snapshot() == before
    assert not ImportBatch.objects.exists()


def test_rows_of_one_claim_in_different_chunks_stay_one_claim(loaded, reviewer, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 1)
    rows = from_two_sources("Takfirism")
    services.apply(make_batch(claims_csv(rows), user=reviewer))
    claim = Claim.objects.get(value_text="Takfirism")
    assert claim.citations.count() == 2
    before = snapshot()

    services.apply(make_batch(claims_csv(rows), user=reviewer))
    assert snapshot() == before

    claim.status, claim.status_reason = Claim.Status.REJECTED, "Not in either source"
    save_with_reason(claim, user=reviewer, reason="Misread")
    before = snapshot()
    report = services.apply(make_batch(claims_csv(rows), user=reviewer))
    assert snapshot() == before
    assert report["counts"]["rows left alone"] == 2


def test_a_value_may_name_a_subject_the_file_creates_further_down(loaded, reviewer):
    rows = [
        row(subject=GROUP, property="founder", value="Mourad Gharsalli", quote=QUOTES["founders"]),
        row(
            subject="Mourad Gharsalli",
            subject_kind="person",
            property="member_of",
            value=GROUP,
            quote=QUOTES["founders"],
        ),
    ]
    services.apply(make_batch(claims_csv(rows), user=reviewer))

    founder = Claim.objects.get(entity__slug=GROUP, property__code="founder")
    assert founder.value_entity.label == "Mourad Gharsalli"


def test_a_verdict_is_imported_as_established(loaded, reviewer):
    rows = [
        row(
            subject=GROUP,
            property="inception",
            value="2013",
            according_to="Tunisia",
            statement="established",
        )
    ]
    services.apply(make_batch(claims_csv(rows), user=reviewer))

    claim = Claim.objects.get(entity__slug=GROUP, value_date="2013")
    assert claim.statement == Claim.Statement.ESTABLISHED
    assert claim.on_whose_word() == "established by a verdict of Tunisia"


def test_publishing_from_the_command_line_needs_a_named_reviewer(loaded):
    with pytest.raises(services.ImportFailed) as failure:
        services.apply(make_batch(arrives_as=Claim.Status.PUBLISHED))
    assert "Only a reviewer, named," in failure.value.report["errors"][0]


def test_a_ranked_claim_is_not_listed_for_a_rank_the_file_leaves_empty(loaded, reviewer):
    allegiance = Claim.objects.get(entity__slug=GROUP, property__code="allegiance")
    allegiance.rank, allegiance.rank_reason = Claim.Rank.PREFERRED, "Both sources agree"
    save_with_reason(allegiance, user=reviewer, reason="Ranked")

    report = services.apply(make_batch(user=reviewer))

    assert not [text for text in report["left_alone"] if f"claim {allegiance.pk}" in text]
