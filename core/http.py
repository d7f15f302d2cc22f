"""What every public page shares over HTTP: read-only methods, conditional GET, the styled
400 page, and reading ``?as_of=`` (a past day a page can be read as of)."""

import datetime
import hashlib
import re

from django.db.models import CharField, Count, Max, Value
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition

from core.history import tracked_models


def content_etag(request, *args, **kwargs):
    """An ETag that changes whenever any curated record changes.

    Every save and delete of a curated model appends a revision, and revisions are never
    removed, so the number of rows in each history table grows with every committed change.
    The newest id alone would not do: ids are taken when a transaction writes, not when it
    commits, so a change committed after a later one can leave the newest id as it was.
    Both the count and the newest id of each table are read in one query. The URL and
    today's date complete it: each page links to today's permanent version.
    """
    stamps = [
        model.history.order_by()
        .annotate(model=Value(model._meta.label, output_field=CharField()))
        .values("model")
        .annotate(rows=Count("history_id"), newest=Max("history_id"))
        .values_list("model", "rows", "newest")
        for model in tracked_models()
    ]
    stamps = sorted(stamps[0].union(*stamps[1:], all=True), key=lambda row: row[0])
    text = f"{stamps}|{request.get_full_path()}|{timezone.localdate()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PublicMixin:
    """A public page: read-only (GET and HEAD; even OPTIONS is refused with 405),
    answering a conditional GET with 304 Not Modified."""

    http_method_names = ["get", "head"]

    @method_decorator(condition(etag_func=content_etag))
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
