"""Writing the exports: a Frictionless Data Package of CSV tables, the API's shapes as JSON
Lines, and Popolo JSON, each file whole or not at all.

The files are written in a hidden folder beside the others and then moved into place one by
one (``os.replace``), so a reader downloading a file never gets half of one. On PostgreSQL
every table is read in one repeatable-read transaction, so the files agree with each other.
"""

import contextlib
import csv
import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from api import shapes
from imports import exchange
from sources.models import Claim

from . import popolo, tables


@dataclasses.dataclass(frozen=True)
class File:
    name: str
    title: str
    description: str


CSV_FILES = {
    "entities": File(
        "entities.csv", "Entities", "Public organizations, people, places and countries."
    ),
    "events": File("events.csv", "Events", "Public events, each with its best date (EDTF)."),
    "claims": File(
        "claims.csv",
        "Claims",
        "Every public claim with each of its citations, one row per citation, in the "
        "import's exchange format: this file imports back.",
    ),
    "claims-best": File(
        "claims-best.csv",
        "Claims, best values only",
        "As claims.csv, with only the best values of each property of each subject: the "
        "preferred ones where there are any, else the normal ones; never a deprecated one.",
    ),
    "citations": File(
        "citations.csv",
        "Citations",
        "Every citation of a public claim, with whether a reviewer has verified it.",
    ),
    "sources": File(
        "sources.csv", "Sources", "The sources public claims cite, with their reliability grade."
    ),
}
OTHER_FILES = (
    File(
        "datapackage.json",
        "Data Package descriptor",
        "Describes the CSV tables (a Table Schema each), for frictionless and other tools.",
    ),
    File("entities.jsonl", "Entities (JSON Lines)", "Entities in the API's shape."),
    File("events.jsonl", "Events (JSON Lines)", "Events in the API's shape, with their dates."),
    File(
        "claims.jsonl",
        "Claims (JSON Lines)",
        "Claims in the API's statement shape: value, rank, qualifiers and references.",
    ),
    File("claims-best.jsonl", "Claims, best values only (JSON Lines)", "As claims-best.csv."),
    File("sources.jsonl", "Sources (JSON Lines)", "Sources in the API's shape."),
    File(
        "popolo.json",
        "Organizations, people and memberships (Popolo)",
        "Leaders and members with their dates and sources, in Popolo JSON.",
    ),
)
FILES = (*CSV_FILES.values(), *OTHER_FILES)
# Table Schema types of the columns that are not text.
TYPES = {"updated_at": "datetime", "claim": "integer", "verified": "boolean", "verified_on": "date"}


def export(directory):
    """Write every export file into ``directory``; [(file name, size in bytes)]."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=target))
    try:
        with _snapshot():
            _write_all(work)
        written = []
        for file in FILES:
            os.replace(work / file.name, target / file.name)
            written.append((file.name, (target / file.name).stat().st_size))
        return written
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _snapshot():
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite takes the write lock with a transaction here, so each query reads as it
        # runs; inside a transaction already begun, that one decides what is seen.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_all(folder):
    columns = {
        "entities": tables.ENTITY_COLUMNS,
        "events": tables.EVENT_COLUMNS,
        "claims": exchange.COLUMNS,
        "claims-best": exchange.COLUMNS,
        "citations": tables.CITATION_COLUMNS,
        "sources": tables.SOURCE_COLUMNS,
    }
    rows = {
        "entities": tables.entities(),
        "events": tables.events(),
        "claims": tables.claim_rows(),
        "claims-best": tables.claim_rows(best=True),
        "citations": tables.citation_rows(),
        "sources": tables.sources(),
    }
    for name, file in CSV_FILES.items():
        _write_csv(folder / file.name, columns[name], rows[name])
    _write_json(folder / "datapackage.json", descriptor(columns))
    _write_lines(folder / "entities.jsonl", map(shapes.subject_summary, tables.public_entities()))
    _write_lines(folder / "events.jsonl", map(shapes.event_summary, tables.public_events()))
    for name, best in (("claims.jsonl", False), ("claims-best.jsonl", True)):
        claims = tables.claims(best=best, weighed=True)
        _write_lines(folder / name, (shapes.claim(c, c.verdict) for c in claims))
    _write_lines(folder / "sources.jsonl", map(shapes.source, tables.public_sources()))
    _write_popolo(folder / "popolo.json")


def descriptor(columns):
    """The Data Package descriptor: a resource and its Table Schema per CSV file."""
    resources = []
    for name, file in CSV_FILES.items():
        schema = {
            "fields": [_field(column) for column in columns[name]],
            "missingValues": [""],
        }
        if name in ("entities", "events"):
            schema["primaryKey"] = ["slug"]
        if name == "sources":
            schema["primaryKey"] = ["key"]
        if name in ("claims", "claims-best", "citations"):
            schema["foreignKeys"] = [
                {"fields": ["source"], "reference": {"resource": "sources", "fields": ["key"]}}
            ]
        resources.append(
            {
                "name": name,
                "path": file.name,
                "title": file.title,
                "description": file.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "armed-groups-database",
        "title": "Armed groups database: public claims and their sources",
        "description": (
            "Every published, cited claim about armed organizations, the people, places and "
            "events they are linked to, and the sources with the exact words each claim rests "
            "on. Cells that a spreadsheet would read as a formula start with an apostrophe."
        ),
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": resources,
    }


def _field(column):
    field = {"name": column, "type": TYPES.get(column, "string")}
    if column in Claim.VALUE_FIELDS or column == "value":
        field["description"] = "The value: a slug, an EDTF date, a number or text."
    return field


def _write_csv(path, columns, rows):
    texts = [column for column in columns if column not in TYPES]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            for column in texts:
                row[column] = exchange.spreadsheet_safe(row[column])
            writer.writerow(row)


def _write_lines(path, records):
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))
            out.write("\n")


def _write_popolo(path):
    """The Popolo document, each section written as its records are read."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for number, (name, records) in enumerate(popolo.SECTIONS.items()):
            out.write(f'{"," if number else ""}\n "{name}": [')
            for count, record in enumerate(records()):
                out.write(",\n  " if count else "\n  ")
                out.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))
            out.write("\n ]")
        out.write("\n}\n")


def _write_json(path, document):
    with path.open("w", encoding="utf-8") as out:
        json.dump(document, out, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
