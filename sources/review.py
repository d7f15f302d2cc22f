"""The reviewer's side of the admin: the review queue, and the bulk actions that settle
what it lists (verify, publish, reject, deprecate).

Every action saves row by row through ``Model.save()``, inside one transaction, with the
acting user and a change reason, so the history says who settled what and why.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import ConcurrentEditError
from entities.models import Entity
from events.models import Event

from .checks import run_checks, summarize
from .models import Citation, Claim, Property

SECTION_SIZE = 25
CLAIM_RELATED = ["entity", "event", "property", "value_entity", "value_event"]


# The queue


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
    cited = Exists(Citation.objects.filter(claim=OuterRef("pk")))
    live = Claim.objects.exclude(status=Claim.Status.REJECTED).filter(about)

    in_review = (
        live.filter(status=Claim.Status.IN_REVIEW).select_related(*CLAIM_RELATED)
        .annotate(is_cited=cited).order_by("updated_at", "pk")
    )
    unverified = (
        Citation.objects.filter(verified_at__isnull=True, claim__in=live)
        .select_related(*(f"claim__{name}" for name in CLAIM_RELATED), "source", "added_by")
        .order_by("pk")
    )
    uncited = live.filter(~cited).select_related(*CLAIM_RELATED).order_by("pk")
    disputes = (
        live.exclude(rank=Claim.Rank.DEPRECATED).filter(property__single_valued=True)
        .values("entity_id", "event_id", "property_id")
        .annotate(claims=Count("pk"), preferred=Count("pk", filter=Q(rank=Claim.Rank.PREFERRED)))
        .filter(claims__gt=1, preferred=0)
        .order_by("entity_id", "event_id", "property_id")
    )
    pk = lambda obj: obj.pk if obj else None  # noqa: E731
    findings = [
        finding for finding in run_checks()
        if finding.concerns(entity=pk(entity), event=pk(event), property=pk(prop))
    ]

    pages = {
        key: Paginator(items, SECTION_SIZE).get_page(request.GET.get(f"{key}_page"))
        for key, items in [
            ("in_review", in_review), ("unverified", unverified), ("uncited", uncited),
            ("disputes", disputes), ("findings", findings),
        ]
    }
    _label_disputes(pages["disputes"].object_list)
    sections = [
        ("in_review", "Claims waiting for review",
         "Publish what the citations support; reject the rest with a reason."),
        ("unverified", "Citations not yet verified",
         "Read each quote in its source. Nobody verifies a citation they added."),
        ("uncited", "Claims without any citation",
         "A claim needs a citation before it can be published."),
        ("disputes", "Disputes",
         "A single-valued property with several values and none preferred: "
         "prefer one, or deprecate the others with the reason."),
        ("findings", "Findings of the consistency checks", "Errors to fix and warnings to look at."),
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Review queue",
        "sections": [
            {"key": key, "title": title, "help": text, "page": pages[key], "count": pages[key].paginator.count}
            for key, title, text in sections
        ],
        "finding_counts": summarize(findings),
        "entity": entity,
        "event": event,
        "property": prop,
        "properties": Property.objects.order_by("label"),
        "can_publish": request.user.has_perm("sources.publish_claim"),
        "can_verify": request.user.has_perm("sources.verify_citation"),
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


# Bulk actions


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 80, "autofocus": True}))

    def __init__(self, *args, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


@admin.action(permissions=["verify"], description="Verify the selected citations against their sources")
def verify_citations(modeladmin, request, queryset):
    _require(request, "sources.verify_citation")
    verified, own = 0, []

    def verify():
        nonlocal verified
        for citation in queryset.filter(verified_at__isnull=True).order_by("pk"):
            if citation.added_by_id == request.user.pk:
                own.append(citation)
                continue
            citation.verified_by, citation.verified_at = request.user, timezone.now()
            _save(citation, request.user, "Verified against the source")
            verified += 1

    if _in_one_transaction(modeladmin, request, verify):
        modeladmin.message_user(request, f"Verified {verified} citation(s).", messages.SUCCESS)
        if own:
            modeladmin.message_user(
                request,
                f"Not verified, because you added them (another reviewer must verify them): {_listing(own)}.",
                messages.WARNING,
            )
    return _back(request)


@admin.action(permissions=["publish"], description="Publish the selected claims")
def publish_claims(modeladmin, request, queryset):
    _require(request, "sources.publish_claim")
    published, uncited = 0, []
    claims = (
        queryset.exclude(status=Claim.Status.PUBLISHED)
        .annotate(is_cited=Exists(Citation.objects.filter(claim=OuterRef("pk"))))
        .order_by("pk")
    )

    def publish():
        nonlocal published
        for claim in claims:
            if not claim.is_cited:
                uncited.append(claim)
                continue
            claim.status, claim.status_reason = Claim.Status.PUBLISHED, ""
            _save(claim, request.user, "Published after review")
            published += 1

    if _in_one_transaction(modeladmin, request, publish):
        modeladmin.message_user(request, f"Published {published} claim(s).", messages.SUCCESS)
        if uncited:
            modeladmin.message_user(
                request, f"Not published, because they have no citation yet: {_listing(uncited)}.", messages.WARNING
            )
    return _back(request)


@admin.action(permissions=["publish"], description="Reject the selected claims…")
def reject_claims(modeladmin, request, queryset):
    return _change_with_reason(
        modeladmin, request, queryset,
        permission="sources.publish_claim", action="reject_claims", title="Reject claims", button="Reject",
        label="Reason for the rejection",
        help_text="Shown to editors with each claim and kept in its history, e.g. “the source does not say this”.",
        pending=queryset.exclude(status=Claim.Status.REJECTED),
        fields=lambda reason: {"status": Claim.Status.REJECTED, "status_reason": reason},
        history=lambda reason: f"Rejected: {reason}", done="Rejected",
    )


@admin.action(permissions=["rank"], description="Deprecate the selected claims…")
def deprecate_claims(modeladmin, request, queryset):
    return _change_with_reason(
        modeladmin, request, queryset,
        permission="sources.rank_claim", action="deprecate_claims", title="Deprecate claims", button="Deprecate",
        label="Why they are deprecated",
        help_text="Readers see this beside the deprecated value, e.g. “misreading of the source”.",
        pending=queryset.exclude(rank=Claim.Rank.DEPRECATED),
        fields=lambda reason: {"rank": Claim.Rank.DEPRECATED, "rank_reason": reason},
        history=lambda reason: f"Deprecated: {reason}", done="Deprecated",
    )


def _change_with_reason(
    modeladmin, request, queryset, *, permission, action, title, button, label, help_text, pending, fields, history, done
):
    """Ask for a reason on a confirmation page, then set ``fields(reason)`` on every pending claim."""
    _require(request, permission)
    form = ReasonForm(request.POST if "apply" in request.POST else None, label=label, help_text=help_text)
    if not form.is_valid():
        return confirmation_page(modeladmin, request, queryset, form, action=action, title=title, button=button)
    reason = form.cleaned_data["reason"]
    changed = []

    def change():
        for claim in pending.order_by("pk"):
            for name, value in fields(reason).items():
                setattr(claim, name, value)
            _save(claim, request.user, history(reason))
            changed.append(claim)

    if _in_one_transaction(modeladmin, request, change):
        modeladmin.message_user(request, f"{done} {len(changed)} claim(s).", messages.SUCCESS)
    return _back(request)


def _require(request, permission):
    # The admin offers an action only to those allowed; a crafted POST is refused here too.
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _save(obj, user, reason):
    obj._change_reason = reason
    obj._history_user = user
    obj.save()


def _in_one_transaction(modeladmin, request, work):
    try:
        with transaction.atomic():
            work()
    except ConcurrentEditError as error:
        modeladmin.message_user(request, f"Nothing was saved: {error} Reload and try again.", messages.ERROR)
        return False
    return True


def _listing(objects):
    return "; ".join(f"“{obj}”" for obj in objects)


def _back(request):
    """Back to the page the action was started from (the review queue), if it said so."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return None


def confirmation_page(
    modeladmin, request, queryset, form, *, action, title, button, template="admin/sources/action_with_reason.html"
):
    """The intermediate page of an action that asks for a reason, as Django's delete confirmation does."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "objects": list(queryset.order_by("pk")),
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "next": request.POST.get("next", ""),
    }
    return TemplateResponse(request, template, context)
