"""How far a running import has got, kept where the page that shows it can read it.

The import writes in one transaction that no other connection sees until it ends, so its
progress is kept in the cache, which the worker and the site share.
"""

from django.core.cache import cache

TIMEOUT = 24 * 60 * 60


def _key(batch_pk):
    return f"imports:progress:{batch_pk}"


def report(batch_pk, done, total):
    cache.set(_key(batch_pk), (done, total), TIMEOUT)


def read(batch_pk):
    """(rows done, rows in all) of a running import; (0, 0) before it starts."""
    return cache.get(_key(batch_pk), (0, 0))
