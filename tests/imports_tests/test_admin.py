"""The import pages of the admin, and the command line: upload, preview, choose, apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from imports import progress
from imports.models import ImportBatch
from sources.models import Claim
from tests.imports_tests.conftest import (
    FILES,
    SOURCE,
    claims_csv,
    partial_match,
    row,
    snapshot,
)

UPLOAD = reverse("admin:imports_importbatch_add")
# Session, user, the batch with its uploader, the user's two sets of permissions, the claims
# the batch created.
BATCH_PAGE_QUERIES = 6


def upload(client, claims=None, **fields):
    data = {
        "reason": "A second source",
        "arrives_as": "draft",
        "claims": SimpleUploadedFile(
            "claims.csv", claims or (FILES / "claims.csv").read_bytes(), "text/csv"
        ),
        "sources": SimpleUploadedFile("sources.json", (FILES / "sources.json").read_bytes()),
        "texts": [
            SimpleUploadedFile(path.name, path.read_bytes())
            for path in sorted((FILES / "texts").iterdir())
        ],
        **fields,
    }
    return client.post(UPLOAD, data)


def batch_url(batch):
    return reverse("admin:imports_importbatch_batch", args=[batch.pk])


def test_an_editor_uploads_previews_and_applies(loaded, editor_client, editor):
    before = snapshot()

    response = upload(editor_client)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch_url(batch)
    assert batch.state == ImportBatch.State.PREVIEWED and batch.user == editor
    assert snapshot() == before
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "What the import would do" in page
    assert "Claims created</th><td>5" in page
    assert "Jund al-Khilafa" in page and "Mourad Gharsalli" in page
    assert "Apply the import" in page

    response = editor_client.post(batch_url(batch), {"apply": "Apply the import"})

    batch.refresh_from_db()
    assert response.status_code == 302 and batch.state == ImportBatch.State.APPLIED
    assert Claim.objects.filter(citations__source__import_key=SOURCE).count() == 5
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "What the import did" in page and "Apply the import" not in page


def test_an_editor_may_not_publish_on_import(loaded, editor_client):
    response = upload(editor_client, arrives_as="published")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_on_the_form(loaded, editor_client):
    response = upload(editor_client, claims="subject\nTunis\xe9\n".encode("latin-1"))

    assert response.status_code == 200
    assert not ImportBatch.objects.exists()


def test_errors_are_listed_and_there_is_nothing_to_apply(loaded, editor_client):
    upload(editor_client, claims=claims_csv([row(subject="x", property="creed", value="1")]))

    batch = ImportBatch.objects.get()
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "claims.csv, row 2, column property: unknown property “creed”" in page
    assert "Apply the import" not in page
    assert editor_client.post(batch_url(batch), {"apply": "1"}).status_code == 403


def test_a_choice_settles_a_partial_match_and_the_preview_is_shown_again(loaded, reviewer_client):
    rows = [partial_match()]
    upload(reviewer_client, claims=claims_csv(rows))
    batch = ImportBatch.objects.get()
    page = reviewer_client.get(batch_url(batch)).content.decode()
    assert "Names to settle (1)" in page and "Apply the import" not in page

    reviewer_client.post(batch_url(batch), {"choice_0": "uqba-ibn-nafi-brigade"})

    batch.refresh_from_db()
    assert batch.choices == {"entity:Okba Ibn Nafaa": "uqba-ibn-nafi-brigade"}
    assert batch.report["to_confirm"] == [] and batch.state == ImportBatch.State.PREVIEWED
    reviewer_client.post(batch_url(batch), {"apply": "1"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    country = Claim.objects.get(entity__slug="uqba-ibn-nafi-brigade", property__code="country")
    assert country.citations.filter(source__import_key=SOURCE).exists()


def test_another_editor_may_read_a_batch_but_not_apply_it(loaded, client, editor_client, editor):
    upload(editor_client)
    batch = ImportBatch.objects.get()
    from tests.conftest import make_user

    client.force_login(make_user("ezra", role="Editor"))

    assert client.get(batch_url(batch)).status_code == 200
    assert client.post(batch_url(batch), {"apply": "1"}).status_code == 403


def test_a_large_upload_is_previewed_and_applied_by_the_worker(
    loaded, editor_client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.IMPORT_ROWS_IN_REQUEST = 3
    # The worker runs here inside the test's transaction, whose connection it must not close
    # between tasks as it does when it runs on its own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor_client)
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.PREVIEWING
    page = editor_client.get(batch_url(batch)).content.decode()
    assert '<meta http-equiv="refresh"' in page and "<progress" in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEWED
    assert batch.report["counts"]["claims created"] == 5
    assert progress.read(batch.pk) == (7 - 1, 7 - 1)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(batch_url(batch), {"apply": "1"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLYING
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert Claim.objects.filter(citations__source__import_key=SOURCE).count() == 5


def test_the_command_previews_then_imports(loaded, capsys):
    files = [
        str(FILES / "claims.csv"),
        "--sources",
        str(FILES / "sources.json"),
        "--texts",
        str(FILES / "texts"),
        "--reason",
        "A second source",
    ]
    before = snapshot()
    call_command("import_claims", *files, "--dry-run")
    out = capsys.readouterr().out
    assert "5  claims created" in out and "Dry run: nothing was written." in out
    assert "Matched: “Jund al-Khilafa” → Jund al-Khilafah in Tunisia" in out
    assert snapshot() == before

    call_command("import_claims", *files)

    assert "Imported as import batch" in capsys.readouterr().out
    assert Claim.objects.filter(citations__source__import_key=SOURCE, status="draft").count() == 5


def test_the_command_fails_on_a_partial_match_listing_the_candidates(loaded, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_bytes(claims_csv([partial_match()]))
    args = [str(claims), "--sources", str(FILES / "sources.json"), "--texts", str(FILES / "texts")]

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_claims", *args, "--reason", "x")
    assert not Claim.objects.filter(entity__slug="uqba-ibn-nafi-brigade", status="draft").exists()

    call_command(
        "import_claims", *args, "--reason", "x", "--choose", "entity:Okba Ibn Nafaa=create"
    )
    assert Claim.objects.filter(entity__label="Okba Ibn Nafaa").exists()


def test_a_batch_is_applied_once_and_only_when_asked(loaded, editor_client):
    upload(editor_client)
    batch = ImportBatch.objects.get()

    editor_client.post(batch_url(batch), {})  # neither a choice nor "apply"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEWED
    assert not Claim.objects.filter(citations__source__import_key=SOURCE).exists()

    editor_client.post(batch_url(batch), {"apply": "1"})
    assert editor_client.post(batch_url(batch), {"apply": "1"}).status_code == 403
    assert Claim.objects.filter(citations__source__import_key=SOURCE).count() == 5


def test_a_nul_character_is_refused_on_the_form(loaded, editor_client):
    response = upload(editor_client, claims=b"subject,property,source,quote\nx\x00,name,s,q\n")

    assert response.status_code == 200
    assert "a NUL character on line 2" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_batch_pages_cost_the_same_queries_however_many_batches(
    loaded, editor_client, django_assert_num_queries
):
    upload(editor_client)
    batch = ImportBatch.objects.get()
    editor_client.post(batch_url(batch), {"apply": "1"})
    changelist = reverse("admin:imports_importbatch_changelist")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(changelist).status_code == 200
        counts.append(len(queries))
        upload(editor_client)
    assert counts[0] == counts[1]

    with django_assert_num_queries(BATCH_PAGE_QUERIES):
        page = editor_client.get(batch_url(batch))
    assert "Jund al-Khilafah in Tunisia — founded: 2013" in page.content.decode()
