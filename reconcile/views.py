"""The reconciliation service's endpoints (``service``): each reads its parameters, asks
``service`` and answers JSON, or JSONP when a ``callback`` is given."""

import json
import re

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import service
from .service import BadRequest

# A JavaScript name, possibly dotted ("jQuery123_456", "window.handle"): nothing else may
# wrap a JSONP answer.
CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,99}(\.[A-Za-z_$][\w$]{0,99}){0,4}$", re.ASCII)


def answer(request, data, status=200):
    """``data`` as JSON, or as JSONP when the request names a valid ``callback``."""
    callback = _param(request, "callback")
    if callback is None:
        return JsonResponse(data, status=status)
    if not CALLBACK.match(callback):
        return JsonResponse(
            {"message": "callback must be a JavaScript name.", "parameter": "callback"},
            status=400,
        )
    return HttpResponse(
        f"/**/{callback}({json.dumps(data)});",
        status=status,
        content_type="application/javascript; charset=utf-8",
    )


def refusal(request, error):
    """The answer to a request the service cannot read: 400, saying what is wrong."""
    return answer(request, {"message": error.message, "parameter": error.parameter}, status=400)


@csrf_exempt  # POST only carries queries too long for a URL; nothing is written.
@require_http_methods(["GET", "HEAD", "POST"])
def reconcile(request):
    """Answers a batch of ``queries``, or an ``extend`` request; without either, describes the
    service (its manifest)."""
    queries, extension = _param(request, "queries"), _param(request, "extend")
    try:
        if queries is not None:
            return answer(request, service.reconcile(service.read_queries(queries)))
        if extension is not None:
            return answer(request, service.extend(*service.read_extension(extension)))
    except BadRequest as error:
        return refusal(request, error)
    return answer(request, service.manifest(request.build_absolute_uri))


@xframe_options_exempt  # OpenRefine shows the preview in a frame of its own page.
@require_GET
def preview(request):
    """A small page about one public entity, for a client to show beside a candidate."""
    entity = service.preview(request.GET.get("id", ""))
    if entity is None:
        raise Http404("No public entity has this id.")
    return render(request, "reconcile/preview.html", {"entity": entity})


@require_GET
def suggest_entity(request):
    """Entities for what has been typed so far (``prefix``), of one ``type`` if given."""
    try:
        prefix = _prefix(request)
        kind = request.GET.get("type") or ""
        if kind not in ("", *service.TYPES):
            raise BadRequest(f"Unknown type “{kind}”.", "type")
        cursor = _whole_number(request, "cursor", default=0, least=0)
    except BadRequest as error:
        return refusal(request, error)
    return answer(request, service.suggest_entities(prefix, kind=kind, cursor=cursor))


@require_GET
def suggest_type(request):
    """Kinds of entity for what has been typed so far (``prefix``)."""
    try:
        prefix = _prefix(request)
    except BadRequest as error:
        return refusal(request, error)
    return answer(request, service.suggest_types(prefix))


@require_GET
def suggest_property(request):
    """Properties of entities for what has been typed so far (``prefix``)."""
    try:
        prefix = _prefix(request)
    except BadRequest as error:
        return refusal(request, error)
    return answer(request, service.suggest_properties(prefix))


@require_GET
def propose_properties(request):
    """The properties a column reconciled against a ``type`` can be extended with."""
    try:
        limit = _whole_number(request, "limit", default=None, least=1)
        proposed = service.propose_properties(request.GET.get("type") or "", limit)
    except BadRequest as error:
        return refusal(request, error)
    return answer(request, proposed)


def _param(request, name):
    """A parameter from the form a POST sends, else from the query string."""
    if request.method == "POST" and name in request.POST:
        return request.POST[name]
    return request.GET.get(name)


def _prefix(request):
    prefix = request.GET.get("prefix", "")
    if len(prefix) > service.LONGEST_QUERY:
        raise BadRequest(f"prefix must be at most {service.LONGEST_QUERY} characters.", "prefix")
    return prefix


def _whole_number(request, name, *, default, least):
    value = request.GET.get(name)
    if value in (None, ""):
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or int(value) < least:
        raise BadRequest(f"{name} must be a whole number of at least {least}.", name)
    return int(value)
