import csv
import io
import json
from pathlib import Path

from imports.exchange import COLUMNS
from imports.models import ImportBatch
from imports.texts import read_folder
from tests.dataset_tests.conftest import loaded, module_dataset, snapshot  # noqa: F401

FILES = Path(__file__).parent / "files"
SOURCE = "maghreb-monitor-2019"
# The quotes of the second source's archived text (files/texts), by paragraph.
QUOTES = {
    "founded": "The Islamic State's branch in Tunisia, Jund al-Khilafa, first appeared in 2013 "
    "as a cell of fighters in the Jebel Chaambi, according to the interior ministry.",
    "allegiance": "It pledged allegiance to the Islamic State and remained small.",
    "founders": "Mourad Gharsalli, a former member of the Okba Ibn Nafaa brigade, was among the "
    "founders of Jund al-Khilafa and a member of the group until his death.",
    "size": "The group never numbered more than 100 fighters, officials say.",
}


def claims_csv(rows):
    """A claims file in the exchange format, as bytes: every column, rows given as dicts."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def claims_jsonl(rows):
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def row(**cells):
    """A row citing the second source, with its first quote unless told otherwise."""
    return {"source": SOURCE, "locator": "paragraph 1", "quote": QUOTES["founded"], **cells}


def partial_match():
    """A row whose subject, "Okba Ibn Nafaa", matches only part of the name of the Uqba ibn
    Nafi Brigade: it waits for the curator's choice."""
    return row(
        subject="Okba Ibn Nafaa",
        subject_kind="organization",
        property="country",
        value="Tunisia",
        locator="paragraph 2",
        quote=QUOTES["founders"],
    )


def make_batch(
    claims=None,
    *,
    name="claims.csv",
    sources=(FILES / "sources.json"),
    user=None,
    **fields,
):
    """An unsaved import batch of the second source's files, or of other claims."""
    batch = ImportBatch(
        user=user,
        reason=fields.pop("reason", "A second source"),
        claims_name=name,
        claims_data=(FILES / "claims.csv").read_bytes() if claims is None else claims,
        texts=fields.pop("texts", None) or read_folder(FILES / "texts"),
        **fields,
    )
    if sources is not None:
        batch.sources_name, batch.sources_data = sources.name, sources.read_bytes()
    return batch
