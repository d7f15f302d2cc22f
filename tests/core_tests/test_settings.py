import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_queues_writers_instead_of_failing(db):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000


def _settings_in_a_fresh_process(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "database = settings.DATABASES['default']; "
        "print(json.dumps([database['ENGINE'], database['NAME'], "
        "settings.DEBUG, settings.ALLOWED_HOSTS]))"
    )
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_settings_come_from_the_environment():
    engine, name, debug, hosts = _settings_in_a_fresh_process(
        DATABASE_URL="postgres://curator@db.example:5432/armed",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org, www.example.org",
    )
    assert (engine, name, debug, hosts) == (
        "django.db.backends.postgresql",
        "armed",
        False,
        ["example.org", "www.example.org"],
    )
    engine, name, debug, _ = _settings_in_a_fresh_process()
    assert engine == "django.db.backends.sqlite3" and name.endswith("db.sqlite3") and debug is True


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(subprocess.CalledProcessError) as error:
        _settings_in_a_fresh_process(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert "DJANGO_SECRET_KEY" in error.value.stderr
