import json

import pytest

from imports.references import SOURCE_COLUMNS, SourceRecord, SourcesFileError, read_sources


def errors_of(name, data):
    if isinstance(data, str):
        data = data.encode()
    with pytest.raises(SourcesFileError) as caught:
        read_sources(name, data)
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


# CSV


def test_csv_with_every_column():
    text = (
        ",".join(SOURCE_COLUMNS) + "\n"
        'hrw2019,government,"  “They Came to Kill”\n  ",Human Rights Watch,HRW,2019-03,'
        "https://www.hrw.org/report/2019,https://web.archive.org/web/2019/https://www.hrw.org/"
        "report/2019,2025-01-31,EN,b\n"
        "guardian2015,,The Rise,Smith J,The Guardian,2015-03-18,,,,Arabic,\n"
    )
    records = read_sources("sources.csv", text.encode())
    assert records == [
        SourceRecord(
            where="sources.csv, row 2",
            key="hrw2019",
            kind="government",
            title="“They Came to Kill”",
            author="Human Rights Watch",
            publisher="HRW",
            published="2019-03",
            url="https://www.hrw.org/report/2019",
            archive_url="https://web.archive.org/web/2019/https://www.hrw.org/report/2019",
            accessed="2025-01-31",
            language="en",
            reliability="B",
        ),
        SourceRecord(
            where="sources.csv, row 3",
            key="guardian2015",
            kind="other",
            title="The Rise",
            author="Smith J",
            publisher="The Guardian",
            published="2015-03-18",
            language="ar",
        ),
    ]


def test_csv_without_a_kind_column_and_with_semicolons():
    records = read_sources("sources.csv", b"Key;Title\r\na;First\r\n;;\r\nb;Second\r\n")
    assert [(r.where, r.key, r.kind, r.title) for r in records] == [
        ("sources.csv, row 2", "a", "other", "First"),
        ("sources.csv, row 4", "b", "other", "Second"),
    ]


def test_csv_formula_cell_is_kept_as_text():
    text = 'key,title,url\nf1,"=HYPERLINK(""http://evil.example"",""x"")",=1+1\n'
    (record,) = read_sources("sources.csv", text.encode())
    assert record.title == '=HYPERLINK("http://evil.example","x")'
    assert record.url == "=1+1"


def test_csv_missing_title_column():
    assert errors_of("sources.csv", "key,kind\na,news\n") == [
        "sources.csv, row 1: no “title” column; every source needs a title"
    ]


def test_csv_unknown_columns():
    errors = errors_of("sources.csv", "key,title,notes,Date\na,A,x,2019\n")
    assert errors == [
        "sources.csv, row 1: unknown columns “notes”, “date”; the columns are "
        + ", ".join(SOURCE_COLUMNS)
    ]


def test_csv_duplicate_key():
    errors = errors_of("sources.csv", "key,title\na,First\nb,Second\na,Third\n")
    assert errors == ["sources.csv, row 4, column key: “a” is already the key of row 2"]


def test_csv_bad_kind_and_reliability():
    errors = errors_of("sources.csv", "key,title,kind,reliability\na,A,blog,G\n")
    assert errors == [
        "sources.csv, row 2, column kind: “blog” is not a kind of source; the kinds are "
        "news, government, court, academic, primary, encyclopedia, other",
        "sources.csv, row 2, column reliability: “G” is not a grade from A to F",
    ]


def test_csv_missing_key_and_title_are_all_reported():
    errors = errors_of("sources.csv", "key,title\na,\n,B\n")
    assert errors == [
        "sources.csv, row 2, column title: empty; every source needs a title",
        "sources.csv, row 3, column key: empty; every source needs a key",
    ]


# Encoding and file names


def test_utf8_bom_is_accepted():
    data = "\ufeffkey,title\ncafe,Café\n".encode()
    assert data.startswith(b"\xef\xbb\xbf")
    (record,) = read_sources("sources.csv", data)
    assert (record.key, record.title) == ("cafe", "Café")


def test_not_utf8():
    data = "key,title\ncafe,Café\n".encode("latin-1")
    assert errors_of("sources.csv", data) == [
        "sources.csv: not UTF-8 text (byte 0xe9 at byte 18, line 2); save the file as UTF-8 "
        "and try again"
    ]


def test_unknown_extension():
    assert errors_of("sources.xlsx", b"key,title\n") == [
        "sources.xlsx: a sources file must end in .csv, .json (CSL-JSON), .bib (BibTeX) or "
        ".ris (RIS); its extension is “.xlsx”"
    ]


def test_unknown_language():
    errors = errors_of("sources.csv", "key,title,language\na,A,Klingon\nb,B,fr-CA\n")
    assert errors == [
        "sources.csv, row 2, column language: “Klingon” is not a language tag or a language "
        "name this reader knows"
    ]


def test_languages_by_name_and_code():
    text = "key,title,language\n" + "".join(
        f"k{n},T,{value}\n" for n, value in enumerate(["Farsi", "ger", "zho", "fr-CA", "en_GB"])
    )
    assert [r.language for r in read_sources("s.csv", text.encode())] == [
        "fa",
        "de",
        "zh",
        "fr-CA",
        "en-GB",
    ]


# CSL-JSON

ZOTERO_CSL_JSON = [
    {
        "id": "http://zotero.org/users/local/Ab12Cd/items/QX7Y2ZKM",
        "type": "article-newspaper",
        "title": "The rise of\nthe group",
        "container-title": "The Guardian",
        "language": "English",
        "URL": "https://www.theguardian.com/world/2015/mar/18/rise",
        "author": [{"family": "Chulov", "given": "Martin"}, {"family": "Shaheen", "given": "K."}],
        "accessed": {"date-parts": [["2025", 1, 31]]},
        "issued": {"date-parts": [["2015", 3, 18]]},
    },
    {
        "id": "ZPX8M2K9",
        "type": "report",
        "title": "Annual report",
        "publisher": "UN Security Council",
        "author": [{"literal": "Panel of Experts"}],
        "issued": {"date-parts": [[2019]]},
        "accessed": {"date-parts": [[2025, 1]]},
        "language": "ar",
    },
    {
        "id": 3,
        "type": "webpage",
        "title": "A page",
        "issued": {"raw": "Spring 2020"},
        "archive_url": "https://web.archive.org/web/2020/https://example.org/",
    },
]


def test_csl_json_as_zotero_exports_it():
    records = read_sources("refs.json", json.dumps(ZOTERO_CSL_JSON, indent=2).encode())
    assert records[0] == SourceRecord(
        where="refs.json, item 1 (id “http://zotero.org/users/local/Ab12Cd/items/QX7Y2ZKM”)",
        key="http://zotero.org/users/local/Ab12Cd/items/QX7Y2ZKM",
        kind="news",
        title="The rise of the group",
        author="Chulov, Martin; Shaheen, K.",
        publisher="The Guardian",
        published="2015-03-18",
        url="https://www.theguardian.com/world/2015/mar/18/rise",
        accessed="2025-01-31",
        language="en",
    )
    assert records[1] == SourceRecord(
        where="refs.json, item 2 (id “ZPX8M2K9”)",
        key="ZPX8M2K9",
        kind="government",
        title="Annual report",
        author="Panel of Experts",
        publisher="UN Security Council",
        published="2019",
        language="ar",
    )
    assert (records[2].key, records[2].kind, records[2].published, records[2].archive_url) == (
        "3",
        "other",
        "Spring 2020",
        "https://web.archive.org/web/2020/https://example.org/",
    )


def test_csl_json_single_object():
    (record,) = read_sources("one.json", b'{"id": "x", "type": "legal_case", "title": "R v X"}')
    assert (record.key, record.kind, record.title) == ("x", "court", "R v X")


def test_csl_json_broken():
    errors = errors_of("refs.json", '[\n  {"id": "a", "title": "A"}\n  {"id": "b"}\n]')
    assert errors == [
        "refs.json: not valid JSON (line 3, column 3: Expecting ',' delimiter)",
    ]


def test_csl_json_item_without_title():
    data = json.dumps([{"id": "a", "title": "A"}, {"id": "b", "type": "book"}])
    assert errors_of("refs.json", data) == [
        "refs.json, item 2 (id “b”), field title: no title; every source needs one"
    ]


# BibTeX

BIBTEX = r"""
@article{chulov2015,
  author = {Chulov, Martin and {Reuters and Partners} and Ren{\'e}e Caf{\'e}},
  title = {{ISIS} and the rise of
           the caliphate},
  journaltitle = {The Guardian},
  entrysubtype = {newspaper},
  date = {2015-03-18},
  langid = {english},
  url = {https://www.theguardian.com/a_b%20c~d},
}

@book{weiss2015,
  Author = {Weiss, Michael and Hassan, Hassan},
  Title = {ISIS: Inside the Army of Terror},
  publisher = {Regan Arts},
  year = 2015,
  month = feb,
  language = {American},
}

@online{unhcr,
  title = {Syria emergency},
  organization = {UNHCR},
  url = {https://www.unhcr.org/syria-emergency.html},
  urldate = {2025-01-31},
}
"""


def test_bibtex_file():
    chulov, weiss, unhcr = read_sources("refs.bib", BIBTEX.encode())
    assert chulov == SourceRecord(
        where="refs.bib, entry “chulov2015”",
        key="chulov2015",
        kind="news",
        title="ISIS and the rise of the caliphate",
        author="Chulov, Martin; Reuters and Partners; Renée Café",
        publisher="The Guardian",
        published="2015-03-18",
        url="https://www.theguardian.com/a_b%20c~d",
        language="en",
    )
    assert weiss == SourceRecord(
        where="refs.bib, entry “weiss2015”",
        key="weiss2015",
        kind="academic",
        title="ISIS: Inside the Army of Terror",
        author="Weiss, Michael; Hassan, Hassan",
        publisher="Regan Arts",
        published="2015-02",
        language="en-US",
    )
    assert unhcr == SourceRecord(
        where="refs.bib, entry “unhcr”",
        key="unhcr",
        kind="other",
        title="Syria emergency",
        publisher="UNHCR",
        url="https://www.unhcr.org/syria-emergency.html",
        accessed="2025-01-31",
    )


def test_bibtex_broken_entry_and_missing_title():
    text = (
        BIBTEX
        + "\n@article{broken, title = {Never closed\n  year = 2019\n\n@misc{untitled, year=2020}\n"
    )
    errors = errors_of("refs.bib", text)
    assert errors == [
        "refs.bib, line 29: the entry beginning “@article{broken, title = {Never closed y…” "
        "cannot be read: Unexpected block start: `@misc`. Was still looking for field-value "
        "closing `}`",
        "refs.bib, entry “untitled”, field title: no title; every source needs one",
    ]


def test_bibtex_duplicate_key_and_unknown_language():
    text = "@misc{a, title={A}, langid={Klingon}}\n@misc{a, title={B}}\n"
    assert errors_of("refs.bib", text) == [
        "refs.bib, entry “a”, field langid: “Klingon” is not a language tag or a language name "
        "this reader knows",
        "refs.bib, entry “a” (line 2): the key is already that of the entry on line 1",
    ]


# RIS

RIS = """TY  - NEWS
ID  - guardian2015
TI  - The rise of
  the group
AU  - Chulov, Martin
T2  - The Guardian
PY  - 2015/03/18/
UR  - https://example.org/a?x=1;y=2
Y2  - 2025/01/31/
LA  - English
ER  - 

TY  - JOUR
T1  - A study of armed groups
A1  - Roe, Richard
A1  - Doe, Jane
JO  - Journal of Conflict Studies
PY  - 2019///
DA  - 2019///
Y2  - 2025
ER  - 
"""


def test_ris_two_records():
    news, article = read_sources("refs.ris", RIS.replace("\n", "\r\n").encode())
    assert news == SourceRecord(
        where="refs.ris, record 1 (ID “guardian2015”)",
        key="guardian2015",
        kind="news",
        title="The rise of the group",
        author="Chulov, Martin",
        publisher="The Guardian",
        published="2015-03-18",
        url="https://example.org/a?x=1;y=2",
        accessed="2025-01-31",
        language="en",
    )
    assert article == SourceRecord(
        where="refs.ris, record 2",
        key="",
        kind="academic",
        title="A study of armed groups",
        author="Roe, Richard; Doe, Jane",
        publisher="Journal of Conflict Studies",
        published="2019",
    )


def test_ris_record_without_end_and_without_title():
    text = "TY  - BOOK\nPY  - 2001\nER  - \nTY  - RPRT\nTI  - Left open\n"
    assert errors_of("refs.ris", text) == [
        "refs.ris, record 2 (line 4): no “ER  - ” line at its end",
        "refs.ris, record 1, tag TI: no title; every source needs one",
    ]


def test_ris_without_records():
    assert errors_of("refs.ris", "not a RIS file\n") == [
        "refs.ris: no RIS records found; a record begins with a line “TY  - ” and ends with a "
        "line “ER  - ”"
    ]
