"""The admin's bulk actions, which the review queue's buttons post to as well: verify,
publish, reject and deprecate on the claim and citation lists, merge and undo a merge on
the entity list. Each asks for what the service needs (a reason, a survivor), calls the
service in ``services``, and reports what was done and what was skipped."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from core.forms import ReasonField
from core.models import ConcurrentEditError
from entities.models import Entity

from .. import roles
from . import services


class ReasonForm(forms.Form):
    reason = ReasonField(max_length=500)

    def __init__(self, *args, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].widget.attrs["autofocus"] = True


def _run(modeladmin, request, work, *, nothing="Nothing was saved"):
    """Call a service; a refusal or a lost race becomes a message, and nothing is saved."""
    try:
        return work()
    except services.CurationError as error:
        modeladmin.message_user(request, f"{nothing}: {error}", messages.ERROR)
    except ConcurrentEditError as error:
        modeladmin.message_user(
            request, f"{nothing}: {error} Reload and try again.", messages.ERROR
        )
    return None


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
    modeladmin,
    request,
    queryset,
    form,
    *,
    action,
    title,
    button,
    template="admin/sources/action_with_reason.html",
):
    """The intermediate page of an action that asks for a reason, as Django's delete
    confirmation does."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "objects": list(queryset.order_by("pk")),
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "next": request.POST.get("next", ""),
    }
    return TemplateResponse(request, template, context)


# Citations and claims


@admin.action(
    permissions=["verify"], description="Verify the selected citations against their sources"
)
def verify_citations(modeladmin, request, queryset):
    result = _run(
        modeladmin, request, lambda: services.verify(citations=queryset, user=request.user)
    )
    if result is not None:
        modeladmin.message_user(
            request, f"Verified {len(result.done)} citation(s).", messages.SUCCESS
        )
        if result.skipped:
            modeladmin.message_user(
                request,
                "Not verified, because you added them (another reviewer must verify them): "
                f"{_listing(result.skipped)}.",
                messages.WARNING,
            )
    return _back(request)


@admin.action(permissions=["publish"], description="Publish the selected claims")
def publish_claims(modeladmin, request, queryset):
    result = _run(modeladmin, request, lambda: services.publish(claims=queryset, user=request.user))
    if result is not None:
        modeladmin.message_user(
            request, f"Published {len(result.done)} claim(s).", messages.SUCCESS
        )
        if result.skipped:
            modeladmin.message_user(
                request,
                "Not published, because no citation supports them yet: "
                f"{_listing(result.skipped)}.",
                messages.WARNING,
            )
    return _back(request)


@admin.action(
    permissions=["publish"], description="Combine the selected claims with the same claims"
)
def combine_claims(modeladmin, request, queryset):
    result = _run(modeladmin, request, lambda: services.combine(claims=queryset, user=request.user))
    if result is not None:
        modeladmin.message_user(
            request,
            f"Combined into {len(result.done)} claim(s): {_listing(result.done)}.",
            messages.SUCCESS,
        )
        if result.skipped:
            modeladmin.message_user(
                request,
                "Left as they are, being the only claim of their kind: "
                f"{_listing(result.skipped)}.",
                messages.WARNING,
            )
    return _back(request)


@admin.action(permissions=["publish"], description="Reject the selected claims…")
def reject_claims(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        service=services.reject,
        allowed=roles.can_publish,
        action="reject_claims",
        title="Reject claims",
        button="Reject",
        label="Reason for the rejection",
        help_text="Shown to editors with each claim and kept in its history, "
        "e.g. “the source does not say this”.",
        done="Rejected",
    )


@admin.action(permissions=["rank"], description="Deprecate the selected claims…")
def deprecate_claims(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        service=services.deprecate,
        allowed=roles.can_rank,
        action="deprecate_claims",
        title="Deprecate claims",
        button="Deprecate",
        label="Why they are deprecated",
        help_text="Readers see this beside the deprecated value, e.g. “misreading of the source”.",
        done="Deprecated",
    )


def _with_reason(
    modeladmin,
    request,
    queryset,
    *,
    service,
    allowed,
    action,
    title,
    button,
    label,
    help_text,
    done,
):
    """Ask for a reason on a confirmation page, then call ``service`` with it."""
    if not allowed(request.user):
        raise PermissionDenied
    form = ReasonForm(
        request.POST if "apply" in request.POST else None, label=label, help_text=help_text
    )
    if not form.is_valid():
        return confirmation_page(
            modeladmin, request, queryset, form, action=action, title=title, button=button
        )
    reason = form.cleaned_data["reason"]
    result = _run(
        modeladmin, request, lambda: service(claims=queryset, user=request.user, reason=reason)
    )
    if result is not None:
        modeladmin.message_user(request, f"{done} {len(result.done)} claim(s).", messages.SUCCESS)
    return _back(request)


# Entities


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="The entity that survives",
    )
    reason = ReasonField(
        label="Why these are one entity",
        help_text="Recorded in the history of every row the merge changes, "
        "e.g. “same group, two transliterations”.",
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = entities
        # Duplicates often share a label; show what tells them apart.
        self.fields["survivor"].label_from_instance = lambda entity: (
            f"{entity.label} ({entity.get_kind_display().lower()}, /{entity.slug}/, #{entity.pk})"
        )


class UnmergeForm(forms.Form):
    reason = ReasonField(label="Why the merge is undone")


@admin.action(permissions=["merge"], description="Merge the selected entities into one…")
def merge_entities(modeladmin, request, queryset):
    if not modeladmin.has_merge_permission(request):
        raise PermissionDenied
    entities = queryset.filter(merged_into__isnull=True)
    if entities.count() < 2:
        modeladmin.message_user(
            request, "Select two or more entities that are not merged already.", messages.ERROR
        )
        return None
    form = MergeForm(request.POST if "apply" in request.POST else None, entities=entities)
    if not form.is_valid():
        return confirmation_page(
            modeladmin,
            request,
            entities,
            form,
            action="merge_entities",
            title="Merge entities",
            button="Merge",
            template="admin/entities/entity/merge_confirmation.html",
        )
    survivor, reason = form.cleaned_data["survivor"], form.cleaned_data["reason"]
    losers = list(entities.exclude(pk=survivor.pk))

    def merge_all():
        with transaction.atomic():
            return [
                services.entity_merge(
                    source=loser, target=survivor, user=request.user, reason=reason
                )
                for loser in losers
            ]

    results = _run(modeladmin, request, merge_all, nothing="Nothing was merged")
    if results is None:
        return None
    moved = sum(result.moved for result in results)
    names = ", ".join(f"“{loser}”" for loser in losers)
    modeladmin.message_user(
        request, f"Merged {names} into “{survivor}”; {moved} claim(s) moved.", messages.SUCCESS
    )
    drafts = [result.alias for result in results if result.alias]
    if drafts:
        modeladmin.message_user(
            request,
            f"{len(drafts)} label(s) had no cited name claim and were kept as draft aliases of "
            f"“{survivor}”: cite them before publishing.",
            messages.WARNING,
        )
    return None


@admin.action(permissions=["merge"], description="Undo the merge of the selected entities…")
def unmerge_entities(modeladmin, request, queryset):
    if not modeladmin.has_merge_permission(request):
        raise PermissionDenied
    merged = queryset.filter(merged_into__isnull=False)
    if not merged.exists():
        modeladmin.message_user(request, "None of the selected entities is merged.", messages.ERROR)
        return None
    form = UnmergeForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return confirmation_page(
            modeladmin,
            request,
            merged,
            form,
            action="unmerge_entities",
            title="Undo merges",
            button="Undo the merge",
            template="admin/entities/entity/unmerge_confirmation.html",
        )
    reason = form.cleaned_data["reason"]

    def unmerge_all():
        with transaction.atomic():
            return [
                services.entity_unmerge(merged=entity, user=request.user, reason=reason)
                for entity in merged
            ]

    results = _run(modeladmin, request, unmerge_all, nothing="Nothing was undone")
    if results is None:
        return None
    restored = sum(result.restored for result in results)
    kept = sum(result.kept for result in results)
    message = f"Undid {len(results)} merge(s); {restored} claim(s) moved back."
    if kept:
        message += f" {kept} claim(s) changed since the merge were left as they are."
    modeladmin.message_user(request, message, messages.WARNING if kept else messages.SUCCESS)
    return None
