import json

import pytest

from tests.conftest import make_claim, make_entity
from tests.public_tests.dataset import build


@pytest.fixture
def site(db):
    """The published dataset, with two more organizations whose names sources spell many
    ways."""
    dataset = build()
    dataset.ansar = make_entity(
        label="Ansar al-Sharia in Tunisia",
        slug="ansar-al-sharia-in-tunisia",
        description="Salafist organization in Tunisia.",
    )
    make_claim(entity=dataset.ansar, property="country", value_entity=dataset.tunisia)
    dataset.uqba = make_entity(
        label="Uqba ibn Nafi Brigade",
        slug="uqba-ibn-nafi-brigade",
        description="The armed wing of Jund al-Khilafah's predecessor in the Chambi mountains.",
    )
    return dataset


@pytest.fixture
def reconcile(client):
    """Send ``queries`` (a dict) to the service and return its JSON answer."""

    def send(queries):
        response = client.get("/reconcile", {"queries": json.dumps(queries)})
        assert response.status_code == 200, response.content
        return response.json()

    return send
