"""The exports page and the downloads, and the export command."""

import io

import pytest
from django.core.management import call_command

from exports.package import FILES


@pytest.fixture
def made(site, tmp_path, settings):
    """The exports made into the folder the site serves."""
    settings.EXPORTS_DIR = tmp_path
    out = io.StringIO()
    call_command("export", str(tmp_path), stdout=out)
    return out.getvalue()


def test_the_command_reports_each_file_and_its_size(made, tmp_path):
    for file in FILES:
        size = (tmp_path / file.name).stat().st_size
        assert f"{size:,} bytes" in made and file.name in made
    assert f"Exported {len(FILES)} files" in made


def test_the_page_lists_each_file_with_its_size_and_time(made, client):
    page = client.get("/exports/").content.decode()
    for file in FILES:
        assert f'href="/exports/{file.name}"' in page, file.name
    assert "KB" in page and "<time datetime=" in page
    assert 'href="/api/v1/docs"' in page and "/reconcile" in page


def test_the_page_says_when_nothing_was_exported(db, client, tmp_path, settings):
    settings.EXPORTS_DIR = tmp_path / "none"
    assert "No export has been made yet." in client.get("/exports/").content.decode()


def test_a_file_is_streamed_with_its_type_and_a_304_until_it_is_made_again(made, client):
    response = client.get("/exports/claims.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="claims.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("subject,subject_type,subject_kind,property,")
    again = client.get("/exports/claims.csv", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    assert client.get("/exports/datapackage.json")["Content-Type"] == "application/json"


@pytest.mark.parametrize("name", ["secrets.csv", "..%2Fdb.sqlite3", "%2Fetc%2Fpasswd", "x"])
def test_nothing_but_the_export_files_is_served(made, client, name):
    assert client.get(f"/exports/{name}").status_code == 404


def test_downloads_are_read_only(made, client):
    assert client.post("/exports/claims.csv").status_code == 405
    assert client.post("/exports/").status_code == 405


def test_a_folder_that_cannot_be_written_is_a_clear_error(site, tmp_path):
    from django.core.management.base import CommandError

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="cannot write the exports there"):
        call_command("export", str(blocked / "exports"), stdout=io.StringIO())
