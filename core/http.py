"""What every public page shares over HTTP: read-only methods, conditional GET and the page
cache (both keyed on the change stamp, ``core.stamp``), the styled 400 page, and reading
``?as_of=`` (a past day a page can be read as of)."""

import datetime
import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition

from core import stamp


def _page_key(request):
    """What a public page's content depends on, as a cache key, memoised on the request.

    A page read as of a past day (``?as_of=``) shows what history says was published then,
    which no later change alters, so its key is its address alone. Any other page depends on
    what is public now (the change stamp) and on today's date (each page links to today's
    permanent version).
    """
    if not hasattr(request, "_page_key"):
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        if _reads_the_past(request):
            request._page_key = f"page:past:{address}"
        else:
            request._page_key = (
                f"page:{stamp.for_request(request).value}:{timezone.localdate()}:{address}"
            )
    return request._page_key


def _reads_the_past(request):
    try:
        day = parse_as_of(request.GET.get("as_of"))
    except ValueError:
        return False
    return day is not None and day < timezone.localdate()


def content_etag(request, *args, **kwargs):
    """An ETag that changes when what the page shows may have changed: one small query."""
    return hashlib.sha256(_page_key(request).encode()).hexdigest()[:32]


# Response headers a cached page keeps; anything about the reader (cookies, Vary) is left out.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Location")


def cached_page(request, render):
    """The page from the page cache, or ``render()``ed and kept there when it is a success
    or a permanent redirect. Pages of the past are kept for good, others until the stamp
    moves (their key then goes unused and the cache evicts it)."""
    if not settings.PAGE_CACHE:
        return render()
    pages = caches["pages"]
    key = _page_key(request)
    kept = pages.get(key)
    if kept is not None:
        status, headers, content = kept
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        return response
    response = render()
    if response.status_code in (200, 301):
        if hasattr(response, "render"):
            response.render()
        headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
        timeout = None if key.startswith("page:past:") else settings.PAGE_CACHE_SECONDS
        pages.set(key, (response.status_code, headers, response.content), timeout)
    return response


def public_page(view):
    """Decorate a view: served from the page cache, answering a conditional GET with 304."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        return cached_page(request, lambda: view(request, *args, **kwargs))

    return condition(etag_func=content_etag)(cached_view)


class PublicMixin:
    """A public page: read-only (GET and HEAD; even OPTIONS is refused with 405), served
    from the page cache and answering a conditional GET with 304 Not Modified."""

    http_method_names = ["get", "head"]

    @method_decorator(public_page)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def bad_request(request, message):
    return render(request, "includes/bad_request.html", {"message": message}, status=400)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(value):
    """The day of ``?as_of=``, or None when absent; ValueError with a reader's message otherwise."""
    if value is None:
        return None
    example = "for example ?as_of=2024-04-30"
    if not _ISO_DAY.match(value):
        raise ValueError(f"“{value}” is not a date. Give as_of as YYYY-MM-DD, {example}.")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"“{value}” is not a day of the calendar. Give as_of as YYYY-MM-DD, {example}."
        ) from None
    if day > timezone.localdate():
        raise ValueError(
            f"{value} is in the future; as_of shows a page as it was published on a past day."
        )
    return day
