"""Reading a file of bibliographic sources into plain records.

Researchers keep their sources in one of four formats, told apart by the file's extension:

``.csv``
    A spreadsheet whose header row names columns from ``SOURCE_COLUMNS``; ``key`` and
    ``title`` are required, ``kind`` defaults to "other". Cells are read as text, never
    evaluated (the apostrophe an export puts before a formula's start is taken off). A file
    saved with semicolons or tabs between cells is read as well.
``.json``
    CSL-JSON, as Zotero's "CSL JSON" export writes it: a list of items (or one item).
``.bib``
    BibTeX or biblatex. LaTeX is decoded (``{\\'e}`` reads é) except in URLs.
``.ris``
    RIS, as reference managers export it; a record without ``ID`` has no key.

Each source becomes a ``SourceRecord`` of plain strings: its type mapped onto the kinds of
source the database knows, authors as "Family, Given; Family, Given" where the format
separates the parts of a name (as written otherwise), the publication date as written or as
EDTF ("2015-03-18", "2015-03", "2015"), the language as a tag ("en"). The access date is kept
only when the file gives a whole day. Nothing is checked against the database here; a file
that cannot be read raises ``SourcesFileError`` listing every problem found, each naming the
file, the row or entry, and the column or field.
"""

import codecs
import csv
import dataclasses
import datetime
import io
import json
import re
from pathlib import PurePath

import bibtexparser
import rispy
from bibtexparser.exceptions import PartialMiddlewareException
from bibtexparser.middlewares import LatexDecodingMiddleware, NormalizeFieldKeys, SeparateCoAuthors
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)

from sources.models import Reliability, SourceKind

from .exchange import unescaped

SOURCE_COLUMNS = (
    "key",
    "kind",
    "title",
    "author",
    "publisher",
    "published",
    "url",
    "archive_url",
    "accessed",
    "language",
    "reliability",
)

SOURCE_KINDS = tuple(SourceKind.values)

RELIABILITY_GRADES = tuple(Reliability.values)


@dataclasses.dataclass
class SourceRecord:
    """One source as a sources file gives it, before it is checked against the models."""

    where: str  # for messages: "sources.csv, row 3", "refs.bib, entry “smith2019”", ...
    key: str  # "" when the format gives none (RIS without ID); then the title identifies it
    kind: str  # one of SOURCE_KINDS
    title: str
    author: str = ""
    publisher: str = ""
    published: str = ""  # as written or as EDTF ("2015-03-18", "2015-03", "2015"); not validated
    url: str = ""
    archive_url: str = ""
    accessed: str = ""  # an ISO day "2025-01-31" when the format gives one
    language: str = ""  # a language tag such as "en", "ar", "fr"
    reliability: str = ""  # A to F; "" unless the file says (CSV only)


class SourcesFileError(Exception):
    """A sources file that cannot be read; ``errors`` lists every problem, each naming the file,
    the row or entry, and the column or field."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def read_sources(name: str, data: bytes) -> list[SourceRecord]:
    """Format chosen by the file name's extension: .csv, .json (CSL-JSON), .bib (BibTeX), .ris
    (RIS)."""
    extension = PurePath(name).suffix.lower()
    reader = _READERS.get(extension)
    if reader is None:
        found = f"“{extension}”" if extension else "none"
        raise SourcesFileError(
            [
                f"{name}: a sources file must end in .csv, .json (CSL-JSON), .bib (BibTeX) "
                f"or .ris (RIS); its extension is {found}"
            ]
        )
    text = _decode(name, data)
    errors = []
    records = reader(name, text, errors)
    if errors:
        raise SourcesFileError(errors)
    return records


def _decode(name, data):
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = bom + error.start
        line = data[:offset].count(b"\n") + 1
        raise SourcesFileError(
            [
                f"{name}: not UTF-8 text (byte 0x{data[offset]:02x} at byte {offset}, line "
                f"{line}); save the file as UTF-8 and try again"
            ]
        ) from None


def _clean(value):
    """The value as text, white space trimmed and every run of it (newlines too) made one space."""
    if value is None:
        return ""
    return " ".join(str(value).split())


# Languages ------------------------------------------------------------------------------------

_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

_LANGUAGE_NAMES = {
    "english": "en",
    "arabic": "ar",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "russian": "ru",
    "turkish": "tr",
    "persian": "fa",
    "farsi": "fa",
    "urdu": "ur",
    "somali": "so",
    "hausa": "ha",
    "kurdish": "ku",
    "hebrew": "he",
    "portuguese": "pt",
    "chinese": "zh",
    "dutch": "nl",
    # babel's names, which biblatex's langid takes (Zotero writes them there)
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "ngerman": "de",
    "brazilian": "pt-BR",
    "portuges": "pt",
}

_ISO_639_2 = {
    "eng": "en",
    "ara": "ar",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "spa": "es",
    "ita": "it",
    "rus": "ru",
    "tur": "tr",
    "per": "fa",
    "fas": "fa",
    "urd": "ur",
    "som": "so",
    "hau": "ha",
    "kur": "ku",
    "heb": "he",
    "por": "pt",
    "chi": "zh",
    "zho": "zh",
    "dut": "nl",
    "nld": "nl",
}


def _language_tag(value):
    """The language tag for a tag, an ISO 639-2 code or an English name; None if unknown."""
    lowered = value.lower()
    if lowered in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[lowered]
    if lowered in _ISO_639_2:
        return _ISO_639_2[lowered]
    primary, separator, rest = value.replace("_", "-").partition("-")
    tag = primary.lower() + separator + rest
    return tag if _LANGUAGE_TAG.match(tag) else None


def _language(value, where, errors):
    if not value:
        return ""
    tag = _language_tag(value)
    if tag is None:
        errors.append(
            f"{where}: “{value}” is not a language tag or a language name this reader knows"
        )
        return ""
    return tag


# Dates ----------------------------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[/T ].*)?$")


def _whole_day(value):
    """An ISO day for a date written "2025-01-31" or "2025/01/31/..."; "" for anything less."""
    match = _DAY.match(value)
    if not match:
        return ""
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def _iso_from_parts(year, month=None, day=None):
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
        if day:
            text += f"-{day:02d}"
    return text


# CSV ------------------------------------------------------------------------------------------


def _read_csv(name, text, errors):
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        errors.append(f"{name}, line {reader.line_num}: not readable as CSV ({error})")
        return []
    if not rows or not any(cell.strip() for cell in rows[0]):
        errors.append(
            f"{name}, row 1: no header row; the first row must name the columns, "
            f"from {', '.join(SOURCE_COLUMNS)}"
        )
        return []

    header = [cell.strip().lower() for cell in rows[0]]
    columns = {}
    unknown = []
    for index, column in enumerate(header):
        if column in columns:
            errors.append(f"{name}, row 1: the column “{column}” appears twice")
        elif column in SOURCE_COLUMNS:
            columns[column] = index
        elif column:
            unknown.append(column)
        elif any(index < len(row) and row[index].strip() for row in rows[1:]):
            errors.append(f"{name}, row 1: column {index + 1} has no name but holds values")
    if unknown:
        errors.append(
            f"{name}, row 1: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(f'“{column}”' for column in unknown)}; "
            f"the columns are {', '.join(SOURCE_COLUMNS)}"
        )
    missing = [column for column in ("key", "title") if column not in columns]
    for column in missing:
        errors.append(f"{name}, row 1: no “{column}” column; every source needs a {column}")
    if missing:
        return []

    records = []
    rows_by_key = {}
    # Row numbers count the header as row 1, as a spreadsheet shows them.
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}, row {number}"
        if any(cell.strip() for cell in row[len(header) :]):
            errors.append(f"{where}: more cells than the header row names columns")
        cells = {
            column: unescaped(_clean(row[index])) if index < len(row) else ""
            for column, index in columns.items()
        }

        key = cells["key"]
        if not key:
            errors.append(f"{where}, column key: empty; every source needs a key")
        elif key in rows_by_key:
            errors.append(
                f"{where}, column key: “{key}” is already the key of row {rows_by_key[key]}"
            )
        else:
            rows_by_key[key] = number
        if not cells["title"]:
            errors.append(f"{where}, column title: empty; every source needs a title")

        kind = cells.get("kind", "").lower() or "other"
        if kind not in SOURCE_KINDS:
            errors.append(
                f"{where}, column kind: “{cells['kind']}” is not a kind of source; "
                f"the kinds are {', '.join(SOURCE_KINDS)}"
            )
        reliability = cells.get("reliability", "").upper()
        if reliability and reliability not in RELIABILITY_GRADES:
            errors.append(
                f"{where}, column reliability: “{cells['reliability']}” is not a grade from A to F"
            )

        records.append(
            SourceRecord(
                where=where,
                key=key,
                kind=kind,
                title=cells["title"],
                author=cells.get("author", ""),
                publisher=cells.get("publisher", ""),
                published=cells.get("published", ""),
                url=cells.get("url", ""),
                archive_url=cells.get("archive_url", ""),
                accessed=cells.get("accessed", ""),
                language=_language(cells.get("language", ""), f"{where}, column language", errors),
                reliability=reliability,
            )
        )
    return records


# CSL-JSON -------------------------------------------------------------------------------------

_CSL_KINDS = {
    "article-newspaper": "news",
    "article-magazine": "news",
    "broadcast": "news",
    "post": "news",
    "post-weblog": "news",
    "interview": "news",
    "article-journal": "academic",
    "book": "academic",
    "chapter": "academic",
    "thesis": "academic",
    "paper-conference": "academic",
    "manuscript": "academic",
    "legal_case": "court",
    "legislation": "government",
    "bill": "government",
    "regulation": "government",
    "treaty": "government",
    "report": "government",
    "hearing": "government",
    "entry-encyclopedia": "encyclopedia",
    "entry-dictionary": "encyclopedia",
    "entry": "encyclopedia",
}

_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


def _read_csl_json(name, text, errors):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        errors.append(
            f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        )
        return []
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        errors.append(f"{name}: CSL-JSON is a list of items, but this file holds a single value")
        return []

    records = []
    items_by_key = {}
    for number, item in enumerate(items, start=1):
        where = f"{name}, item {number}"
        if not isinstance(item, dict):
            errors.append(f"{where}: an item is an object of fields, not {_json_kind(item)}")
            continue

        def text_field(field, item=item, where=where):
            value = item.get(field)
            if value is None:
                return ""
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return _clean(value)
            errors.append(f"{where}, field {field}: expected text, found {_json_kind(value)}")
            return ""

        key = text_field("id")
        if key:
            where = f"{where} (id “{key}”)"
            if key in items_by_key:
                errors.append(
                    f"{where}, field id: “{key}” is already the id of item {items_by_key[key]}"
                )
            else:
                items_by_key[key] = number
        title = text_field("title")
        if not title:
            errors.append(f"{where}, field title: no title; every source needs one")

        published = accessed = author = ""
        try:
            published = _csl_date(item.get("issued"))
        except ValueError as error:
            errors.append(f"{where}, field issued: {error}")
        try:
            accessed = _whole_day(_csl_date(item.get("accessed")))
        except ValueError as error:
            errors.append(f"{where}, field accessed: {error}")
        try:
            author = _csl_names(item.get("author"))
        except ValueError as error:
            errors.append(f"{where}, field author: {error}")

        records.append(
            SourceRecord(
                where=where,
                key=key,
                kind=_CSL_KINDS.get(text_field("type").lower(), "other"),
                title=title,
                author=author,
                publisher=text_field("container-title") or text_field("publisher"),
                published=published,
                url=text_field("URL"),
                archive_url=text_field("archive_url"),
                accessed=accessed,
                language=_language(text_field("language"), f"{where}, field language", errors),
            )
        )
    return records


def _json_kind(value):
    if value is None:
        return "null"
    return _JSON_TYPE_NAMES.get(type(value), "a single value")


def _csl_date(value):
    """A CSL date as EDTF from its date-parts (a range as an interval), else as written."""
    if value is None:
        return ""
    if isinstance(value, str | int):
        return _clean(value)
    if not isinstance(value, dict):
        raise ValueError(f"a date is an object with date-parts, not {_json_kind(value)}")
    parts = value.get("date-parts")
    if parts:
        if not isinstance(parts, list):
            raise ValueError("date-parts must be a list of dates, each a list of numbers")
        return "/".join(filter(None, (_csl_date_parts(date) for date in parts[:2])))
    for field in ("raw", "literal"):
        if isinstance(value.get(field), str):
            return _clean(value[field])
    return ""


def _csl_date_parts(date):
    if not isinstance(date, list):
        raise ValueError("date-parts must be a list of dates, each a list of numbers")
    while date and date[-1] in ("", None):
        date = date[:-1]
    try:
        numbers = [int(part) for part in date[:3]]
    except (TypeError, ValueError):
        raise ValueError(f"date-parts {json.dumps(date)} are not numbers") from None
    return _iso_from_parts(*numbers) if numbers else ""


def _csl_names(value):
    if value is None:
        return ""
    if not isinstance(value, list):
        raise ValueError(f"expected a list of names, found {_json_kind(value)}")
    names = []
    for person in value:
        if not isinstance(person, dict):
            raise ValueError(f"each name is an object, not {_json_kind(person)}")
        literal = _clean(person.get("literal"))
        family = " ".join(
            _clean(person.get(part)) for part in ("non-dropping-particle", "family")
        ).strip()
        given = " ".join(_clean(person.get(part)) for part in ("given", "dropping-particle"))
        name = literal or ", ".join(part for part in (family, given.strip()) if part)
        if name:
            names.append(name)
    return "; ".join(names)


# BibTeX ---------------------------------------------------------------------------------------

_BIBTEX_KINDS = {
    "article": "academic",
    "book": "academic",
    "incollection": "academic",
    "inbook": "academic",
    "inproceedings": "academic",
    "conference": "academic",
    "phdthesis": "academic",
    "mastersthesis": "academic",
    "thesis": "academic",
    "techreport": "government",
    "report": "government",
    "legislation": "government",
    "jurisdiction": "court",
    "inreference": "encyclopedia",
    "reference": "encyclopedia",
}

_BIBTEX_NEWS_SUBTYPES = ("newspaper", "magazine")

_BIBTEX_PUBLISHER_FIELDS = (
    "journal",
    "journaltitle",
    "booktitle",
    "publisher",
    "institution",
    "school",
    "organization",
)

_BIBTEX_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file"})

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class _DecodeLatex(LatexDecodingMiddleware):
    """LaTeX decoding for every field but those holding addresses, where ``%`` and ``~`` are
    characters and not LaTeX, and for each name of a list of authors."""

    def transform_entry(self, entry, library):
        every_field = entry.fields
        entry.fields = [field for field in every_field if field.key not in _BIBTEX_VERBATIM_FIELDS]
        list_errors = []
        for field in entry.fields:
            if isinstance(field.value, list):
                field.value = self._transform_all_strings(field.value, list_errors)
        block = super().transform_entry(entry, library)
        entry.fields = every_field
        list_errors = [error for error in list_errors if error]
        if list_errors and block is entry:
            return MiddlewareErrorBlock(entry, PartialMiddlewareException(list_errors))
        return block


def _read_bibtex(name, text, errors):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            NormalizeFieldKeys(),
            SeparateCoAuthors(name_fields=("author",)),
            _DecodeLatex(),
        ],
    )
    records = []
    for block in library.blocks:
        if isinstance(block, ParsingFailedBlock):
            errors.append(_bibtex_failure(name, block))
        elif isinstance(block, Entry):
            records.append(_bibtex_record(name, block, errors))
    if not records and not library.failed_blocks:
        errors.append(f"{name}: no BibTeX entries found; an entry looks like @article{{key, ...}}")
    return records


def _bibtex_failure(name, block):
    # bibtexparser counts lines from 0.
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        first_line = (block.previous_block.start_line or 0) + 1
        return (
            f"{name}, entry “{block.key}” (line {line}): the key is already that of the "
            f"entry on line {first_line}"
        )
    if isinstance(block, DuplicateFieldKeyBlock):
        return (
            f"{name}, entry “{block.ignore_error_block.key}” (line {line}): "
            f"field{'s' if len(block.duplicate_keys) > 1 else ''} "
            f"{', '.join(sorted(block.duplicate_keys))} given twice"
        )
    if isinstance(block, MiddlewareErrorBlock) and isinstance(block.ignore_error_block, Entry):
        return (
            f"{name}, entry “{block.ignore_error_block.key}” (line {line}): its LaTeX could "
            f"not be read ({_clean(block.error)})"
        )
    start = _clean(block.raw)
    start = start if len(start) <= 40 else start[:40] + "…"
    reason = _clean(getattr(block.error, "abort_reason", None) or block.error)
    return f"{name}, line {line}: the entry beginning “{start}” cannot be read: {reason}"


def _bibtex_record(name, entry, errors):
    where = f"{name}, entry “{entry.key}”"
    fields = {}
    for key, field in entry.fields_dict.items():
        if isinstance(field.value, list):
            fields[key] = "; ".join(person for person in map(_clean, field.value) if person)
        else:
            fields[key] = _clean(field.value)

    entry_type = entry.entry_type.lower()
    if entry_type == "article" and fields.get("entrysubtype", "").lower() in _BIBTEX_NEWS_SUBTYPES:
        kind = "news"
    else:
        kind = _BIBTEX_KINDS.get(entry_type, "other")

    title = fields.get("title", "")
    if not title:
        errors.append(f"{where}, field title: no title; every source needs one")

    published = fields.get("date", "")
    if not published and fields.get("year"):
        published = fields["year"]
        month = fields.get("month", "")
        if month:
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
            if not number or not 1 <= number <= 12:
                errors.append(f"{where}, field month: “{month}” is not a month")
            elif published.isdigit():
                published = f"{published}-{number:02d}"

    language_field = next((key for key in ("langid", "language") if fields.get(key)), "language")
    return SourceRecord(
        where=where,
        key=entry.key,
        kind=kind,
        title=title,
        author=fields.get("author", ""),
        publisher=next((fields[key] for key in _BIBTEX_PUBLISHER_FIELDS if fields.get(key)), ""),
        published=published,
        url=fields.get("url", ""),
        accessed=_whole_day(fields.get("urldate", "")),
        language=_language(
            fields.get(language_field, ""), f"{where}, field {language_field}", errors
        ),
    )


# RIS ------------------------------------------------------------------------------------------

_RIS_KINDS = {
    "NEWS": "news",
    "MGZN": "news",
    "BLOG": "news",
    "JOUR": "academic",
    "EJOUR": "academic",
    "BOOK": "academic",
    "EBOOK": "academic",
    "EDBOOK": "academic",
    "CHAP": "academic",
    "ECHAP": "academic",
    "THES": "academic",
    "CONF": "academic",
    "CPAPER": "academic",
    "CASE": "court",
    "GOVDOC": "government",
    "BILL": "government",
    "STAT": "government",
    "RPRT": "government",
    "HEAR": "government",
    "LEGAL": "government",
    "ENCYC": "encyclopedia",
    "DICT": "encyclopedia",
}

# rispy's names for the tags read, most telling first.
_RIS_TITLE = (("TI", "title"), ("T1", "primary_title"))
_RIS_PUBLISHER = ("journal_name", "secondary_title", "alternate_title3", "publisher")
_RIS_DATES = ("date", "year", "publication_year")

_RIS_DATE = re.compile(r"^(\d{4})(?:/(\d{0,2})(?:/(\d{0,2})(?:/.*)?)?)?$")


def _read_ris(name, text, errors):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_ris_records_end(name, text, errors)
    # By default rispy splits a UR line at ";", which URLs may hold.
    references = rispy.loads(text, delimiter_tags_mapping={})
    if not references and not errors:
        errors.append(
            f"{name}: no RIS records found; a record begins with a line “TY  - ” "
            f"and ends with a line “ER  - ”"
        )

    records = []
    records_by_key = {}
    for number, reference in enumerate(references, start=1):
        where = f"{name}, record {number}"
        key = _clean(reference.get("id"))
        if key:
            where = f"{where} (ID “{key}”)"
            if key in records_by_key:
                errors.append(
                    f"{where}, tag ID: “{key}” is already the ID of record {records_by_key[key]}"
                )
            else:
                records_by_key[key] = number

        title = next(
            (_clean(reference[field]) for _, field in _RIS_TITLE if _clean(reference.get(field))),
            "",
        )
        if not title:
            errors.append(f"{where}, tag TI: no title; every source needs one")

        authors = []
        for author in (*reference.get("authors", []), *reference.get("first_authors", [])):
            author = _clean(author)
            if author and author not in authors:
                authors.append(author)

        dates = [_ris_date(_clean(reference.get(field))) for field in _RIS_DATES]
        urls = [_clean(url) for url in reference.get("urls", []) if _clean(url)]
        records.append(
            SourceRecord(
                where=where,
                key=key,
                kind=_RIS_KINDS.get(_clean(reference.get("type_of_reference")).upper(), "other"),
                title=title,
                author="; ".join(authors),
                publisher=next(
                    (_clean(reference[f]) for f in _RIS_PUBLISHER if _clean(reference.get(f))), ""
                ),
                # The most precise of DA, PY and Y1: Zotero writes the year alone in PY.
                published=max(dates, key=lambda date: (bool(date), date.count("-"))),
                url=urls[0] if urls else "",
                accessed=_whole_day(_clean(reference.get("access_date"))),
                language=_language(_clean(reference.get("language")), f"{where}, tag LA", errors),
            )
        )
    return records


def _check_ris_records_end(name, text, errors):
    """rispy drops a record that has no ER line, or runs it into the next; say so instead."""
    begun = None
    number = 0
    for line_number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("TY  -"):
            if begun is not None:
                errors.append(
                    f"{name}, record {number} (line {begun}): no “ER  - ” line before the next "
                    f"record begins on line {line_number}"
                )
            number += 1
            begun = line_number
        elif line.startswith("ER  -"):
            begun = None
    if begun is not None:
        errors.append(f"{name}, record {number} (line {begun}): no “ER  - ” line at its end")


def _ris_date(value):
    """ "2015/03/18/" as "2015-03-18", "2019///" as "2019"; anything else as written."""
    match = _RIS_DATE.match(value)
    if not match:
        return value
    year, month, day = match.groups()
    return _iso_from_parts(int(year), int(month or 0), int(day or 0) if month else None)


_READERS = {
    ".csv": _read_csv,
    ".json": _read_csl_json,
    ".bib": _read_bibtex,
    ".ris": _read_ris,
}
