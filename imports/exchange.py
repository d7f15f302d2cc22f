"""The exchange format: one row per citation of a claim, as CSV or JSON Lines.

The columns are the contract between imports and exports; the README documents them and the
exports write the same ones. Rows that give the same claim with different sources make one
claim with several citations. Every cell is read as text and never evaluated: a cell that
starts with "=" is the text it shows. Exports write such a cell with an apostrophe before it
(``spreadsheet_safe``), so that a spreadsheet shows it as text too; an import takes the
apostrophe off again.
"""

import csv
import dataclasses
import io
import json
import re

COLUMNS = (
    "subject",
    "subject_type",
    "subject_kind",
    "property",
    "value",
    "language",
    "low",
    "high",
    "part",
    "start",
    "end",
    "point_in_time",
    "according_to",
    "statement",
    "rank",
    "rank_reason",
    "note",
    "note_public",
    "source",
    "locator",
    "quote",
    "translation",
    "stance",
)
REQUIRED = ("subject", "property", "source", "quote")
# What a Data Package's entities.csv and events.csv say of each subject.
SUBJECT_COLUMNS = ("slug", "label", "kind", "description")
FORMATS = {".csv": "CSV", ".jsonl": "JSON Lines", ".ndjson": "JSON Lines"}
# What ``value`` says for a claim that there is a value nobody knows, or none at all.
UNKNOWN_VALUE = "unknown value"
NO_VALUE = "no value"
# What ``note_public`` says for a note readers see beside the claim.
PUBLIC = "yes"
# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """The cell as a spreadsheet shows it as text: an apostrophe before a formula's start
    (and before an apostrophe that starts it, so that ``unescaped`` gives it back)."""
    return f"'{text}" if text.startswith((*FORMULA_STARTS, "'")) else text


def unescaped(text):
    """A CSV cell with the apostrophe ``spreadsheet_safe`` put before it taken off."""
    escaped = text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'"))
    return text[1:] if escaped else text


def source_key(source):
    """How the exchange names a source: its key, or ``source-<id>`` when it has none."""
    return source.import_key or f"source-{source.pk}"


def unkeyed_id(key):
    """The id in a ``source-<id>`` key (``source_key``); None for any other key."""
    match = re.fullmatch(r"source-(\d{1,18})", key)
    return int(match[1]) if match else None


class FileError(Exception):
    """A file that cannot be read; ``errors`` lists every problem, each naming the file, and
    the row and column where there is one."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclasses.dataclass
class Row:
    """One row of a claims file: its cells by column, every column present (empty as "")."""

    file: str
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict

    def __getitem__(self, column):
        return self.cells[column]

    def where(self, column=None):
        return f"{self.file}, row {self.number}" + (f", column {column}" if column else "")


def read_claims(name, data):
    """The rows of a claims file (bytes), by its extension: CSV or JSON Lines."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in FORMATS:
        accepted = ", ".join(sorted(FORMATS))
        raise FileError([f"{name}: a claims file is CSV or JSON Lines ({accepted})"])
    text = decode(name, data)
    rows = _csv_rows(name, text) if suffix == ".csv" else _json_lines(name, text)
    if not rows:
        raise FileError([f"{name}: the file holds no rows"])
    return rows


def decode(name, data):
    """UTF-8 text of a file's bytes (a byte-order mark is dropped), or FileError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileError(
            [f"{name}: not UTF-8 text (line {line}, byte {error.start}); save it as UTF-8"]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileError([f"{name}: a NUL character on line {line}; this is no text file"])
    return text


def _csv_rows(name, text):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise FileError([f"{name}: the file is empty; it needs a header row"])
        header = [column.strip() for column in header]
        _check_columns(name, header)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise FileError(
                    [f"{name}, row {number}: {len(cells)} cells for {len(header)} columns"]
                )
            given = dict(zip(header, cells, strict=False))
            rows.append(Row(name, number, _complete(given, escaped=True)))
    except csv.Error as error:
        raise FileError([f"{name}, row {reader.line_num}: not readable as CSV: {error}"]) from None
    return rows


def _json_lines(name, text):
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{name}, row {number}: not JSON: {error.msg}")
            continue
        if not isinstance(record, dict):
            errors.append(f"{name}, row {number}: expected an object of columns")
            continue
        unknown = sorted(set(record) - set(COLUMNS))
        if unknown:
            errors.append(f"{name}, row {number}: unknown column(s) {', '.join(unknown)}")
        cells = {}
        for column, value in record.items():
            if value is None:
                value = ""
            elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
                errors.append(f"{name}, row {number}, column {column}: expected text or a number")
                continue
            cells[column] = str(value)
        rows.append(Row(name, number, _complete(cells)))
    if errors:
        raise FileError(errors)
    return rows


def read_subjects(name, data, type_):
    """The entities or events a Data Package's entities.csv or events.csv describes, as
    {"type:slug": {"label", "kind", "description", "row"}}; other columns are left aside."""
    reader = csv.DictReader(io.StringIO(decode(name, data), newline=""))
    try:
        missing = [column for column in SUBJECT_COLUMNS if column not in (reader.fieldnames or ())]
        if missing:
            raise FileError([f"{name}: missing column(s) {', '.join(missing)}"])
        subjects = {}
        for number, row in enumerate(reader, start=2):
            cells = {column: unescaped((row[column] or "").strip()) for column in SUBJECT_COLUMNS}
            for column in ("slug", "label", "kind"):
                if not cells[column]:
                    raise FileError([f"{name}, row {number}, column {column}: empty"])
            slug = cells.pop("slug")
            subjects[f"{type_}:{slug}"] = {**cells, "row": number}
    except csv.Error as error:
        raise FileError([f"{name}, row {reader.line_num}: not readable as CSV: {error}"]) from None
    return subjects


def _check_columns(name, header):
    errors = []
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        errors.append(
            f"{name}: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
        )
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        errors.append(f"{name}: column(s) {', '.join(repeated)} given twice")
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        errors.append(f"{name}: missing column(s) {', '.join(missing)}")
    if errors:
        raise FileError(errors)


def _complete(given, *, escaped=False):
    cells = {column: (given.get(column) or "").strip() for column in COLUMNS}
    return {column: unescaped(cell) for column, cell in cells.items()} if escaped else cells
