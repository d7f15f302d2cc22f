import pytest

from tests.public_tests import dataset


@pytest.fixture
def site(db):
    """The published dataset of the public pages' tests."""
    return dataset.build()


@pytest.fixture
def get(client):
    """GET an API address, check its status, return its JSON."""

    def fetch(url, status=200, **headers):
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.status_code, response.content)
        return response.json()

    return fetch
