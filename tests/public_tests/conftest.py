import pytest

from tests.public_tests import dataset


@pytest.fixture
def site(db):
    """The published dataset the public pages are tested against."""
    return dataset.build()


@pytest.fixture
def fetch(client):
    """GET a public page, check its status, return its HTML."""

    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, f"{url} answered {response.status_code}"
        return response.content.decode()

    return get
