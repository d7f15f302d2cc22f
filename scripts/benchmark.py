"""Time the public pages on a large generated dataset.

    make benchmark                      # SQLite, in a throw-away database file
    DATABASE_URL=postgres://... make benchmark

Builds its own data in a fresh test database (never touches db.sqlite3), then requests each
page several times through Django's test client and prints the median time, that time as a
multiple of a hello-world view's served by the same process in the same run (so that runs on
different machines compare), and the number of queries. The README's numbers come from here.
"""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

# WhiteNoise warns that collectstatic has not run; the benchmark serves no static file.
warnings.filterwarnings("ignore", "No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

# The site's URLs, and beside them the yardstick: a view that only says hello.
urlpatterns = [
    path("hello-world/", lambda request: HttpResponse("Hello, world")),
    path("", include("config.urls")),
]

ENTITIES, EVENTS, CLAIMS_ON_ONE_PAGE, REPEAT = 2_000, 3_000, 500, 15


def build():
    from entities.models import Entity
    from events.models import Event
    from sources.models import Citation, Claim, Property, Source

    props = {p.code: p for p in Property.objects.all()}
    source = Source.objects.create(
        kind="news", title="Benchmark source", publisher="Bench", published_on="2020"
    )
    with transaction.atomic():
        entities = [
            Entity.objects.create(
                label=f"Group {n} al-Benchmark",
                slug=f"group-{n}",
                kind="organization",
                published=True,
            )
            for n in range(ENTITIES)
        ]
        big = entities[0]
        for n in range(CLAIMS_ON_ONE_PAGE):
            code = ["name", "ally", "opponent", "member_count", "inception"][n % 5]
            value = {
                "name": {"value_text": f"Name {n}", "value_language": "ar" if n % 2 else "en"},
                "ally": {"value_entity": entities[(n % 300) + 1]},
                "opponent": {"value_entity": entities[(n % 300) + 301]},
                "member_count": {"value_quantity": n, "point_in_time": str(2000 + n % 25)},
                "inception": {"value_date": f"{2000 + n % 25}-0{1 + n % 9}"},
            }[code]
            if code == "ally" and n % 3 == 0:
                value["according_to"] = entities[(n % 50) + 601]  # on whose word
            claim = Claim.objects.create(
                entity=big, property=props[code], status="published", **value
            )
            Citation.objects.create(
                claim=claim, source=source, quote=f"quote {n}", locator=f"p. {n}"
            )
            if n % 10 == 1:
                Citation.objects.create(
                    claim=claim, source=source, quote=f"not so {n}", stance="disputes"
                )
        for n in range(EVENTS):
            event = Event.objects.create(
                label=f"Attack {n}", slug=f"attack-{n}", kind="attack", published=True
            )
            date = Claim.objects.create(
                event=event,
                property=props["date"],
                status="published",
                value_date=f"{2000 + n % 25}-{1 + n % 12:02d}",
            )
            Citation.objects.create(claim=date, source=source, quote="date", locator="p. 1")
            perpetrator = Claim.objects.create(
                event=event,
                property=props["perpetrator"],
                status="published",
                value_entity=entities[n % 50],
            )
            Citation.objects.create(
                claim=perpetrator, source=source, quote="perpetrator", locator="p. 2"
            )
    return big, source


def measure(client, url):
    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries.captured_queries)


def main():
    from django.test import Client

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        started = time.perf_counter()
        big, source = build()
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would have them on a running server; right
            # after a bulk load the planner otherwise guesses one row per table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = time.perf_counter() - started
        client = Client()
        reviewer = get_user_model().objects.create_superuser("bench", password=None)
        reviewer_client = Client()
        reviewer_client.force_login(reviewer)
        pages = [
            ("hello-world (the yardstick)", "/hello-world/"),
            ("home", "/"),
            (f"entity page ({CLAIMS_ON_ONE_PAGE} claims)", big.get_absolute_url()),
            (
                "entity page as of today",
                big.get_absolute_url() + "?as_of=" + time.strftime("%Y-%m-%d"),
            ),
            (f"entity list ({ENTITIES})", "/entities/"),
            (f"timeline ({EVENTS} events)", "/events/"),
            ("timeline, one year", "/events/?year=2015"),
            ("event page", "/events/attack-7/"),
            ("source page", source.get_absolute_url()),
            ("search 'benchmark'", "/search/?q=benchmark"),
            ("review queue (admin)", "/admin/sources/claim/review/"),
        ]
        print(
            f"database: {connection.vendor}; data built in {built:.1f} s; "
            f"median of {REPEAT} requests"
        )
        print(f"{'page':40} {'median ms':>10} {'× hello':>9} {'queries':>8}")
        hello = None
        for name, url in pages:
            median, count = measure(reviewer_client if "/admin/" in url else client, url)
            hello = hello or median
            print(f"{name:40} {median:10.1f} {median / hello:9.0f} {count:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    settings.DEBUG = False
    settings.ROOT_URLCONF = "__main__"
    sys.exit(main())
