"""The exports: a valid Frictionless Data Package in the exchange format, JSON Lines, Popolo,
the best-values variant, spreadsheet-safe cells, and files written whole."""

import frictionless
import pytest

from exports import tables
from exports.package import FILES
from imports import exchange
from sources.models import Citation, Claim
from tests.conftest import make_citation, make_claim, make_entity
from tests.public_tests.dataset import ORGANIZATION_SLUG


def test_every_file_is_written_and_the_package_is_valid(site, exported):
    files = exported()
    assert [name for name, _ in files.written] == [file.name for file in FILES]
    assert all(size > 0 for _, size in files.written)
    report = frictionless.validate(str(files.folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = files.json("datapackage.json")
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    assert [f["name"] for f in claims["schema"]["fields"]] == list(exchange.COLUMNS)


def test_claims_csv_is_the_exchange_format_one_row_per_public_citation(site, exported):
    make_claim(property="ideology", entity=site.org, value_text="A draft idea", status="draft")
    files = exported()
    rows = files.rows("claims.csv")
    public = Citation.objects.filter(claim__in=Claim.objects.public())
    assert len(rows) == public.count() == len(files.rows("citations.csv"))
    assert "A draft idea" not in files.text("claims.csv")
    leader = next(r for r in rows if r["property"] == "leader")
    assert leader | {"quote": "", "locator": ""} == dict.fromkeys(exchange.COLUMNS, "") | {
        "subject": ORGANIZATION_SLUG,
        "subject_type": "entity",
        "subject_kind": "organization",
        "property": "leader",
        "value": "ashraf-al-qizani",
        "start": "2014-09",
        "rank": "normal",
        "source": leader["source"],
        "stance": "supports",
    }
    count = next(r for r in rows if r["property"] == "member_count")
    assert (count["value"], count["point_in_time"], count["note_public"]) == ("100", "2018", "yes")
    assert count["note"] == "The infobox gives the same figure."
    sources = {row["key"] for row in files.rows("sources.csv")}
    assert {row["source"] for row in rows} == sources


def test_an_internal_note_stays_in(site, exported):
    make_claim(property="ideology", entity=site.org, value_text="x", note="Ask Rafael first")
    files = exported()
    for file in FILES:
        assert "Ask Rafael first" not in files.text(file.name), file.name


def test_the_best_variant_keeps_preferred_else_normal_never_deprecated(site, exported):
    org = make_entity(label="Ranked group")
    make_claim(property="ideology", entity=org, value_text="Normal idea")
    make_claim(
        property="ideology",
        entity=org,
        value_text="Old idea",
        rank=Claim.Rank.DEPRECATED,
        rank_reason="Misread.",
    )
    make_claim(property="status", entity=org, value_text="active")
    make_claim(
        property="status",
        entity=org,
        value_text="defunct",
        rank=Claim.Rank.PREFERRED,
        rank_reason="Later source.",
    )
    files = exported()

    def values(name):
        return {r["value"] for r in files.rows(name) if r["subject"] == org.slug}

    assert values("claims.csv") == {"Normal idea", "Old idea", "active", "defunct"}
    assert values("claims-best.csv") == {"Normal idea", "defunct"}
    best = {
        c["value"] for c in files.lines("claims-best.jsonl") if c["subject"]["slug"] == org.slug
    }
    assert best == {"Normal idea", "defunct"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_stays_text(site, exported, start):
    text = f'{start}HYPERLINK("http://evil.example")'
    claim = make_claim(property="ideology", entity=site.org, value_text=text, cite=False)
    make_citation(claim=claim, quote=f"{start}1+1", locator="@top")
    files = exported()
    row = next(
        r for r in files.rows("claims.csv") if r["property"] == "ideology" and "HYPER" in r["value"]
    )
    assert row["value"] == f"'{text}" and row["quote"] == f"'{start}1+1"
    assert row["locator"] == "'@top"
    for name in ("claims.csv", "citations.csv"):
        for line in files.text(name).splitlines():
            for cell in line.split(","):
                assert not cell.startswith(("=", "+", "@")), (name, cell)
    line = next(c for c in files.lines("claims.jsonl") if c["id"] == claim.pk)
    assert line["value"] == text  # JSON is no spreadsheet: the words as they are
    assert exchange.unescaped(row["value"]) == text


def test_citations_csv_says_whether_each_is_verified(site, exported, django_user_model):
    citation = Citation.objects.filter(claim__property__code="ideology").first()
    citation.verified_by = django_user_model.objects.create_user("vera")
    citation.verified_at = citation.updated_at
    citation.save()
    rows = exported().rows("citations.csv")
    verified = [r for r in rows if r["verified"] == "true"]
    assert [(r["claim"], r["property"]) for r in verified] == [(str(citation.claim_id), "ideology")]
    assert verified[0]["verified_on"] == citation.verified_at.date().isoformat()
    assert "vera" not in str(rows)


def test_json_lines_hold_the_api_shapes(site, exported, client):
    files = exported()
    claims = files.lines("claims.jsonl")
    assert len(claims) == Claim.objects.public().count()
    from_api = client.get("/api/v1/claims?page_size=500").json()["results"]
    assert [c["id"] for c in claims] != [] and {c["id"] for c in claims} == {
        c["id"] for c in from_api
    }
    one = next(c for c in claims if c["property"] == "inception" and c["rank"] == "preferred")
    api_one = next(c for c in from_api if c["id"] == one["id"])
    assert one | {"updated_at": None} == api_one | {"updated_at": None}
    entities = files.lines("entities.jsonl")
    assert ORGANIZATION_SLUG in {e["slug"] for e in entities}
    assert entities[0]["page_url"].startswith("http://127.0.0.1:8000/entities/")
    events = {e["slug"]: e for e in files.lines("events.jsonl")}
    assert events[site.bardo_attack.slug]["date"]["text"] == "18 March 2015"


def test_popolo_has_organizations_people_and_memberships_with_dates(site, exported):
    popolo = exported().json("popolo.json")
    org = next(o for o in popolo["organizations"] if o["id"] == ORGANIZATION_SLUG)
    assert (org["founding_date"], org["dissolution_date"]) == ("2014-09", "2024-04")
    assert {"name": "جند الخلافة في تونس", "lang": "ar", "note": "native name"} in [
        n | {"note": n["note"].lower()} for n in org["other_names"]
    ]
    person = next(p for p in popolo["persons"] if p["id"] == "ashraf-al-qizani")
    assert person["name"] == "Ashraf al-Qizani"
    (leader,) = [m for m in popolo["memberships"] if m["person_id"] == person["id"]]
    assert leader | {"sources": None, "id": None} == {
        "id": None,
        "person_id": "ashraf-al-qizani",
        "organization_id": ORGANIZATION_SLUG,
        "role": "leader",
        "start_date": "2014-09",
        "sources": None,
    }
    assert leader["sources"][0]["quote"] == "the emir of Jund al-Khilafah, Ashraf al-Qizani"


def test_a_member_with_an_uncertain_start_is_dated_by_its_earliest_day(site, exported):
    person = make_entity(label="A fighter", kind="person")
    make_claim(property="member_of", entity=person, value_entity=site.org, start="2015~")
    make_claim(
        property="member_of",
        entity=person,
        value_entity=site.org,
        start="2010",
        rank=Claim.Rank.DEPRECATED,
        rank_reason="Confused with his brother.",
    )
    memberships = exported().json("popolo.json")["memberships"]
    (member,) = [m for m in memberships if m["person_id"] == person.slug]
    assert (member["role"], member["start_date"]) == ("member", "2015-01-01")


def test_an_export_replaces_the_files_whole(site, exported):
    files = exported()
    before = files.text("claims.csv")
    make_claim(property="ideology", entity=site.org, value_text="Added later")
    again = exported.__new__(exported)
    exported.__init__(again)
    assert "Added later" in again.text("claims.csv") and "Added later" not in before
    assert not [p for p in files.folder.iterdir() if p.name.startswith(".partial-")]


def test_export_memory_stays_flat_as_the_database_grows(db, tmp_path, monkeypatch):
    """Memory follows the size of a chunk (and of the largest group of one subject's claims
    of one property, which a page weighs whole), not the size of the database."""
    import tracemalloc

    from entities.models import Entity
    from exports.package import export
    from sources.models import Property, Source

    monkeypatch.setattr(tables, "CHUNK", 100)
    source = Source.objects.create(kind="news", title="A long report")
    ideology = Property.objects.get(code="ideology")

    def grow(count):
        start = Entity.objects.count()
        groups = Entity.objects.bulk_create(
            Entity(label=f"Group {n}", slug=f"group-{n}", kind="organization", published=True)
            for n in range(start, start + count // 3)
        )
        claims = Claim.objects.bulk_create(
            Claim(
                entity=group,
                property=ideology,
                datatype="text",
                value_text=f"Idea number {n} " + "words " * 20,
                status="published",
            )
            for group in groups
            for n in range(3)
        )
        Citation.objects.bulk_create(
            Citation(claim=c, source=source, quote="A quote of some length. " * 8) for c in claims
        )

    def peak(folder):
        tracemalloc.start()
        export(folder)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    grow(300)
    small = peak(tmp_path / "small")
    grow(1500)
    large = peak(tmp_path / "large")
    size = (tmp_path / "large" / "claims.csv").stat().st_size
    assert size > 5 * (tmp_path / "small" / "claims.csv").stat().st_size
    assert large < 1.5 * small, (small, large)


def test_the_best_variant_weighs_each_part_of_a_count_apart(site, exported):
    org = make_entity(label="Counted group")
    make_claim(
        property="member_count",
        entity=org,
        value_quantity=1000,
        rank=Claim.Rank.PREFERRED,
        rank_reason="The later count.",
    )
    make_claim(property="member_count", entity=org, value_quantity=800)
    make_claim(property="member_count", entity=org, value_quantity=30, part="foreign nationals")
    rows = exported().rows("claims-best.csv")
    best = {(r["value"], r["part"]) for r in rows if r["subject"] == org.slug}
    assert best == {("1000", ""), ("30", "foreign nationals")}


def test_json_lines_tell_disputes_as_the_pages_do(site, exported):
    make_claim(property="dissolution", entity=site.org, value_date="2019", status="draft")
    claims = exported().lines("claims.jsonl")
    (dissolution,) = [c for c in claims if c["property"] == "dissolution"]
    assert dissolution["disputed"] is False and dissolution["dispute_open"] is False


def test_popolo_dates_are_popolo_dates(site, exported):
    person = make_entity(label="A seasonal fighter", kind="person")
    make_claim(property="member_of", entity=person, value_entity=site.org, start="2012-21")
    make_claim(property="date_of_birth", entity=person, value_date="1980-40")
    make_claim(property="leader", entity=site.org, value_entity=person, start="../2016")
    popolo = exported().json("popolo.json")
    memberships = [m for m in popolo["memberships"] if m["person_id"] == person.slug]
    by_role = {m["role"]: m for m in memberships}
    assert by_role["member"]["start_date"] == "2012-03-01"  # spring 2012, at its earliest
    assert "start_date" not in by_role["leader"]
    (record,) = [p for p in popolo["persons"] if p["id"] == person.slug]
    assert record["birth_date"] == "1980-01-01"


def test_a_founding_date_the_best_claims_disagree_on_is_left_out(site, exported):
    org = make_entity(label="Founded twice")
    make_claim(property="inception", entity=org, value_date="2011")
    make_claim(property="inception", entity=org, value_date="2014")
    (record,) = [o for o in exported().json("popolo.json")["organizations"] if o["id"] == org.slug]
    assert "founding_date" not in record
