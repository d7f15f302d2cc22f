import csv
import json

import pytest

from exports.package import export
from tests.public_tests import dataset


@pytest.fixture
def site(db):
    return dataset.build()


@pytest.fixture
def exported(tmp_path):
    """Export into a fresh folder; return a reader of its files."""

    class Exported:
        folder = tmp_path / "exports"

        def __init__(self):
            self.written = export(self.folder)

        def rows(self, name):
            with (self.folder / name).open(encoding="utf-8", newline="") as file:
                return list(csv.DictReader(file))

        def lines(self, name):
            text = (self.folder / name).read_text(encoding="utf-8")
            return [json.loads(line) for line in text.splitlines()]

        def json(self, name):
            return json.loads((self.folder / name).read_text(encoding="utf-8"))

        def text(self, name):
            return (self.folder / name).read_text(encoding="utf-8")

    return Exported
