"""Time the public pages on a large generated dataset.

    make benchmark                      # SQLite, in a throw-away database file
    DATABASE_URL=postgres://... make benchmark

Builds its own data in a fresh test database (never touches db.sqlite3), then requests each
page several times through Django's test client and prints the median time, that time as a
multiple of a hello-world view's served by the same process in the same run (so that runs on
different machines compare), and the number of queries. Then it adds 100,000 entities with two
aliases each in other spellings, indexes their names as a restore would, and times twenty
searches a researcher makes (median and 95th percentile) and two admin autocompletes. Last,
it imports 100,000 rows of claims about those entities, beside a plain bulk_create of the
same rows. Between the two it times the read API and reconciliation with the pages, and an
export of everything public. The README's numbers come from here.
"""

import json
import os
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

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
# Search at scale: entities, and the aliases each has beside its label.
SEARCH_ENTITIES, ALIASES_EACH = 100_000, 2


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


# Names as transliteration from Arabic writes them, in several spellings.
GIVEN = "Ahmad Ali Omar Yusuf Khalid Hassan Hussein Ibrahim Mahmoud Mustafa Tariq Walid Zayd "
GIVEN += "Hamza Bilal Anas Salim Karim Nabil Rashid Sami Faris Jamal Nasir Qasim Adil Marwan"
GIVEN = GIVEN.split()
SYLLABLES = "ba da fa ha ja ka la ma na qa ra sa ta za bi di fi hi ji ki li mi ni qi ri si ti"
SYLLABLES += " zi bu du fu hu ju ku lu mu nu qu ru su tu zu sha shi shu kha khi dha thi"
SYLLABLES = SYLLABLES.split()
PATTERNS = [
    "{given} al-{family}",
    "Abu {given} al-{family}",
    "Jund al-{family}",
    "Katibat {family}",
    "Ansar al-{family}",
    "Jabal {family}",
    "Wadi {family}",
    "{family} Governorate",
]


def family(n):
    """A family or place name, distinct for every n: "Qasrani", "Shabuni"."""
    syllables = []
    while True:
        n, digit = divmod(n, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
        if n == 0:
            break
    return ("".join(syllables) + "ni").capitalize()


def respelt(name, n):
    """Another source's spelling: el- for al-, k for q, ou for u, a doubled letter."""
    changes = [
        lambda t: t.replace("al-", "el-"),
        lambda t: t.replace("q", "k").replace("Q", "K"),
        lambda t: t.replace("u", "ou"),
        lambda t: t.replace("s", "ss", 1),
        lambda t: t.replace("sh", "ch").replace("Sh", "Ch"),
        lambda t: t.replace("Jabal", "Djebel").replace("Governorate", "Wilaya"),
    ]
    return changes[n % len(changes)](changes[(n // 6) % len(changes)](name))


def search_build():
    """``SEARCH_ENTITIES`` entities, each with ``ALIASES_EACH`` public aliases in other
    spellings, written in bulk and then indexed, as a restore is."""
    from entities.models import Entity
    from search.index import rebuild
    from sources.models import Citation, Claim, Property, Source

    alias = Property.objects.get(code="alias")
    source = Source.objects.create(kind="news", title="Names source", published_on="2020")
    entities = Entity.objects.bulk_create(
        [
            Entity(
                label=PATTERNS[n % len(PATTERNS)].format(
                    given=GIVEN[n % len(GIVEN)], family=family(n)
                ),
                slug=f"named-{n}",
                kind="person" if n % len(PATTERNS) < 2 else "organization",
                published=True,
            )
            for n in range(SEARCH_ENTITIES)
        ],
        batch_size=5_000,
    )
    template = Claim(
        entity=entities[0], property=alias, value_text="x", value_language="en", status="published"
    )
    template.full_clean()
    common = {
        field.attname: getattr(template, field.attname)
        for field in Claim._meta.concrete_fields
        if field.attname not in ("id", "entity_id", "value_text")
    }
    claims = Claim.objects.bulk_create(
        [
            Claim(**common, entity_id=entity.pk, value_text=respelt(entity.label, n * 7 + k))
            for n, entity in enumerate(entities)
            for k in range(ALIASES_EACH)
        ],
        batch_size=5_000,
    )
    Citation.objects.bulk_create(
        [Citation(claim_id=claim.pk, source=source, quote="named") for claim in claims],
        batch_size=5_000,
    )
    started = time.perf_counter()
    rebuild()
    return entities, time.perf_counter() - started


def search_queries(entities):
    """Twenty searches a researcher makes: labels, other spellings, slips, starts of names,
    names with generic words, and two that find nothing and are offered the nearest."""
    label = [entities[n].label for n in (11, 5_003, 40_010, 77_777, 99_998)]
    other = [respelt(entities[n].label, n + 3) for n in (12, 2_345, 50_001, 88_888, 61_000)]
    slipped = []
    for n in (13, 33_333, 71_717):
        words = entities[n].label.split()
        last = words[-1]
        words[-1] = last[:2] + last[3] + last[2] + last[4:]  # two letters swapped
        slipped.append(" ".join(words))
    starts = [entities[n].label[: len(entities[n].label) - 3] for n in (14, 44_444, 90_001)]
    generic = ["Mount " + family(6).lower(), "Wilayat al-" + family(7)]
    missing = ["Zzyzx Qwerty", "Xylophonic"]
    return label + other + slipped + starts + generic + missing


IMPORT_ROWS = 100_000
IMPORT_PROPERTIES = ("ideology", "member_count", "alias", "inception")


def import_rows(entities):
    """``IMPORT_ROWS`` rows of the exchange format about the named entities, by slug, each
    citing one of ten sources by a sentence of its archived text."""
    rows = []
    for n in range(IMPORT_ROWS):
        code = IMPORT_PROPERTIES[n % len(IMPORT_PROPERTIES)]
        rows.append(
            {
                "subject": entities[(n // len(IMPORT_PROPERTIES)) % len(entities)].slug,
                "property": code,
                "value": {
                    "ideology": f"Doctrine {n}",
                    "member_count": str(n),
                    "alias": f"Alias {n}",
                    "inception": str(1950 + n % 70),
                }[code],
                "language": "en" if code == "alias" else "",
                "point_in_time": str(2000 + n % 20) if code == "member_count" else "",
                "source": f"bench-{n % 10}",
                "locator": f"p. {n % 300}",
                "quote": f"Sentence {n % 50} of the report.",
            }
        )
    return rows


def import_benchmark(entities):
    """Rows per second of an import with history, beside a plain bulk_create of the same
    claims and citations; both rolled back."""
    import csv
    import io

    from imports import services
    from imports.exchange import COLUMNS
    from imports.models import ImportBatch
    from sources.models import Citation, Claim, Property, Source

    rows = import_rows(entities)
    text = " ".join(f"Sentence {n} of the report." for n in range(50))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    batch = ImportBatch(
        reason="Benchmark",
        claims_name="claims.csv",
        claims_data=out.getvalue().encode("utf-8"),
        sources_name="sources.csv",
        sources_data=(
            "key,kind,title\n" + "".join(f"bench-{n},news,Report {n}\n" for n in range(10))
        ).encode("utf-8"),
        texts={f"bench-{n}": text for n in range(10)},
    )

    class Rollback(Exception):
        pass

    props = {p.code: p for p in Property.objects.filter(code__in=IMPORT_PROPERTIES)}
    by_slug = {entity.slug: entity for entity in entities}
    started = time.perf_counter()
    try:
        with transaction.atomic():
            sources = [Source.objects.create(kind="news", title=f"Report {n}") for n in range(10)]
            claims, citations = [], []
            for row in rows:
                prop = props[row["property"]]
                if prop.code == "member_count":
                    value = {"value_quantity": int(row["value"])}
                elif prop.code == "inception":
                    value = {"value_date": row["value"]}
                else:
                    value = {"value_text": row["value"], "value_language": row["language"]}
                claim = Claim(
                    entity=by_slug[row["subject"]],
                    property=prop,
                    datatype=prop.datatype,
                    point_in_time=row["point_in_time"],
                    **value,
                )
                claims.append(claim)
                citations.append(
                    Citation(
                        claim=claim,
                        source=sources[int(row["source"][6:])],
                        locator=row["locator"],
                        quote=row["quote"],
                    )
                )
            Claim.objects.bulk_create(claims, batch_size=500)
            for citation in citations:
                citation.claim = citation.claim
            Citation.objects.bulk_create(citations, batch_size=500)
            raise Rollback
    except Rollback:
        pass
    plain = time.perf_counter() - started
    started = time.perf_counter()
    try:
        with transaction.atomic():
            report = services.apply(batch)
            raise Rollback
    except Rollback:
        pass
    imported = time.perf_counter() - started
    assert report["counts"]["claims created"] == IMPORT_ROWS, report["counts"]
    return IMPORT_ROWS / plain, IMPORT_ROWS / imported


def reconcile_queries():
    names = ["Group 1 al-Benchmark", "Grup 20 el-Benchmark", "Benchmark", "Group 7", "Nobody"]
    queries = {f"q{n}": {"query": name, "limit": 5} for n, name in enumerate(names * 2)}
    return urlencode({"queries": json.dumps(queries)})


def export_benchmark():
    """Export everything public (the search entities' aliases among it), timed, with the
    growth of the process's peak memory."""
    import tempfile

    from exports.package import export
    from sources.models import Citation, Claim

    claims = Claim.objects.public().count()
    citations = Citation.objects.filter(claim__in=Claim.objects.public()).count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        written = export(folder)
        took = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    size = sum(size for _, size in written) / 1e6
    print(
        f"\nexport of {claims:,} public claims ({citations:,} citations), {size:,.0f} MB "
        f"in {len(written)} files: {took:.0f} s, {claims / took:,.0f} claims/s; "
        f"peak memory grew by {grown:,.0f} MB"
    )


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
            (f"API: entity ({CLAIMS_ON_ONE_PAGE} claims)", f"/api/v1/entities/{big.slug}"),
            ("API: entity list, 50 a page", "/api/v1/entities"),
            ("API: claims, 500 a page", "/api/v1/claims?page_size=500"),
            ("reconcile: 10 names in one batch", "/reconcile?" + reconcile_queries()),
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

        started = time.perf_counter()
        entities, indexed = search_build()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from search.models import Name, NameWord

        print(
            f"\nsearch: {Name.objects.count():,} names ({NameWord.objects.count():,} words) "
            f"of {SEARCH_ENTITIES + ENTITIES:,} entities, built in "
            f"{time.perf_counter() - started:.0f} s (index {indexed:.0f} s)"
        )
        timings, counts = [], set()
        for query in search_queries(entities):
            median, count = measure(client, "/search/?" + urlencode({"q": query}))
            timings.append(median)
            counts.add(count)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"{'search, 20 queries: median':40} {statistics.median(timings):10.1f} "
            f"{statistics.median(timings) / hello:9.0f} {min(counts)}–{max(counts)}"
        )
        print(f"{'search, 20 queries: p95':40} {p95:10.1f} {p95 / hello:9.0f}")
        for query in ("Jund al-", "Ahmad"):
            median, count = measure(
                reviewer_client,
                "/admin/autocomplete/?"
                + urlencode(
                    {
                        "term": query,
                        "app_label": "sources",
                        "model_name": "claim",
                        "field_name": "value_entity",
                    }
                ),
            )
            name = f"admin autocomplete {query!r}"
            print(f"{name:40} {median:10.1f} {median / hello:9.0f} {count:8d}")
        export_benchmark()
        plain, imported = import_benchmark(entities)
        print(
            f"\nimport of {IMPORT_ROWS:,} rows (one citation each): plain bulk_create "
            f"{plain:,.0f} rows/s; import with checks and history {imported:,.0f} rows/s "
            f"({imported / plain:.2f} of bulk_create)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    settings.DEBUG = False
    settings.ROOT_URLCONF = "__main__"
    sys.exit(main())
