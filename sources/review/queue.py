"""The review queue: what needs a reviewer, each section capped and paged, each line
linked to where it is fixed, its buttons posting to the bulk actions (``actions``)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import reverse

from entities.models import Entity
from events.models import Event

from .. import roles
from ..models import Citation, Claim, Property
from .checks import run_checks, summarize

SECTION_SIZE = 25
CLAIM_RELATED = ["entity", "event", "property", "value_entity", "value_event"]


def queue_view(request, model_admin):
    """What needs a reviewer: each section capped and paged, each line linked to its fix."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    entity, event, prop = _filters(request)
    about = Q()
    if entity:
        about &= Q(entity=entity)
    if event:
        about &= Q(event=event)
    if prop:
        about &= Q(property=prop)
    cited = Exists(Citation.objects.filter(Citation.SUPPORTING, claim=OuterRef("pk")))
    live = Claim.objects.exclude(status=Claim.Status.REJECTED).filter(about)

    in_review = (
        live.filter(status=Claim.Status.IN_REVIEW)
        .select_related(*CLAIM_RELATED)
        .annotate(is_cited=cited)
        .order_by("updated_at", "pk")
    )
    unverified = (
        Citation.objects.filter(verified_at__isnull=True, claim__in=live)
        .select_related(*(f"claim__{name}" for name in CLAIM_RELATED), "source", "added_by")
        .order_by("pk")
    )
    uncited = live.filter(~cited).select_related(*CLAIM_RELATED).order_by("pk")
    disputes = (
        live.filter(in_dispute=True)
        .values("entity_id", "event_id", "property_id")
        .annotate(claims=Count("pk"))
        .order_by("entity_id", "event_id", "property_id")
    )
    pk = lambda obj: obj.pk if obj else None  # noqa: E731
    findings = [
        finding
        for finding in run_checks()
        if finding.concerns(entity=pk(entity), event=pk(event), property=pk(prop))
    ]

    pages = {
        key: Paginator(items, SECTION_SIZE).get_page(request.GET.get(f"{key}_page"))
        for key, items in [
            ("in_review", in_review),
            ("unverified", unverified),
            ("uncited", uncited),
            ("disputes", disputes),
            ("findings", findings),
        ]
    }
    _label_disputes(pages["disputes"].object_list)
    sections = [
        (
            "in_review",
            "Claims waiting for review",
            "Publish what the citations support; reject the rest with a reason.",
        ),
        (
            "unverified",
            "Citations not yet verified",
            "Read each quote in its source. Nobody verifies a citation they added.",
        ),
        (
            "uncited",
            "Claims without a supporting citation",
            "A claim needs a citation that supports it before it can be published.",
        ),
        (
            "disputes",
            "Disputes",
            "Values that cannot all be right (one value ever, or one at a time in "
            "overlapping or unknown periods), and claims a source disputes: prefer what "
            "stands, or deprecate what does not, with the reason.",
        ),
        (
            "findings",
            "Findings of the consistency checks",
            "Errors to fix and warnings to look at.",
        ),
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Review queue",
        "sections": [
            {
                "key": key,
                "title": title,
                "help": text,
                "page": pages[key],
                "count": pages[key].paginator.count,
            }
            for key, title, text in sections
        ],
        "finding_counts": summarize(findings),
        "entity": entity,
        "event": event,
        "property": prop,
        "properties": Property.objects.order_by("label"),
        "can_publish": roles.can_publish(request.user),
        "can_merge": roles.can_merge(request.user),
        "can_verify": roles.can_verify(request.user),
        "claim_actions_url": reverse("admin:sources_claim_changelist"),
        "citation_actions_url": reverse("admin:sources_citation_changelist"),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/sources/review_queue.html", context)


def _filters(request):
    def pick(model, name):
        value = request.GET.get(name, "")
        return model.objects.filter(pk=value).first() if value.isdigit() else None

    return pick(Entity, "entity"), pick(Event, "event"), pick(Property, "property")


def _label_disputes(rows):
    """Attach subject and property to one page of dispute rows, in three queries at most."""
    rows = list(rows)
    entities = Entity.objects.in_bulk({row["entity_id"] for row in rows if row["entity_id"]})
    events = Event.objects.in_bulk({row["event_id"] for row in rows if row["event_id"]})
    properties = Property.objects.in_bulk({row["property_id"] for row in rows})
    for row in rows:
        row["subject"] = entities.get(row["entity_id"]) or events.get(row["event_id"])
        row["property"] = properties[row["property_id"]]
        subject = "entity" if row["entity_id"] else "event"
        row["claims_url"] = (
            reverse("admin:sources_claim_changelist")
            + f"?{subject}__id__exact={row['subject'].pk}&property__id__exact={row['property_id']}"
        )
