from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.admin import CuratedAdmin
from core.models import ConcurrentEditError
from core.search import name_match
from sources.admin import EntityClaimInline, is_reviewer
from sources.review import confirmation_page

from .models import Entity
from .services import MergeError, entity_merge, entity_unmerge


class SubjectAdmin(CuratedAdmin):
    """What the entity and event admins share. Search and autocomplete find a subject by its
    label or by any of its names, ignoring case, accents, hyphens and Arabic letter variants;
    and only reviewers publish or unpublish a subject."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if is_reviewer(request.user) else [*readonly, "published"]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = name_match(search_term)
        if match is not None:
            results = results | queryset.filter(match)
            may_have_duplicates = True
        return results, may_have_duplicates


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Entity.objects.none(), widget=forms.RadioSelect, empty_label=None, label="The entity that survives"
    )
    reason = forms.CharField(
        label="Why these are one entity",
        max_length=400,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Recorded in the history of every row the merge changes, e.g. “same group, two transliterations”.",
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = entities
        # Duplicates often share a label; show what tells them apart.
        self.fields["survivor"].label_from_instance = (
            lambda entity: f"{entity.label} ({entity.get_kind_display().lower()}, /{entity.slug}/, #{entity.pk})"
        )


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label="Why the merge is undone", max_length=400, widget=forms.TextInput(attrs={"size": 80})
    )


@admin.action(permissions=["merge"], description="Merge the selected entities into one…")
def merge_entities(modeladmin, request, queryset):
    if not is_reviewer(request.user):
        raise PermissionDenied
    entities = queryset.filter(merged_into__isnull=True)
    if entities.count() < 2:
        modeladmin.message_user(request, "Select two or more entities that are not merged already.", messages.ERROR)
        return None
    form = MergeForm(request.POST if "apply" in request.POST else None, entities=entities)
    if not form.is_valid():
        return confirmation_page(
            modeladmin, request, entities, form, action="merge_entities", title="Merge entities", button="Merge",
            template="admin/entities/entity/merge_confirmation.html",
        )
    survivor, reason = form.cleaned_data["survivor"], form.cleaned_data["reason"]
    losers = list(entities.exclude(pk=survivor.pk))
    try:
        with transaction.atomic():
            results = [entity_merge(source=loser, target=survivor, user=request.user, reason=reason) for loser in losers]
    except (MergeError, ConcurrentEditError) as error:
        modeladmin.message_user(request, f"Nothing was merged: {error}", messages.ERROR)
        return None
    moved = sum(result.moved for result in results)
    names = ", ".join(f"“{loser}”" for loser in losers)
    modeladmin.message_user(request, f"Merged {names} into “{survivor}”; {moved} claim(s) moved.", messages.SUCCESS)
    drafts = [result.alias for result in results if result.alias]
    if drafts:
        modeladmin.message_user(
            request,
            f"{len(drafts)} label(s) had no cited name claim and were kept as draft aliases of “{survivor}”: "
            "cite them before publishing.",
            messages.WARNING,
        )
    return None


@admin.action(permissions=["merge"], description="Undo the merge of the selected entities…")
def unmerge_entities(modeladmin, request, queryset):
    if not is_reviewer(request.user):
        raise PermissionDenied
    merged = queryset.filter(merged_into__isnull=False)
    if not merged.exists():
        modeladmin.message_user(request, "None of the selected entities is merged.", messages.ERROR)
        return None
    form = UnmergeForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return confirmation_page(
            modeladmin, request, merged, form, action="unmerge_entities", title="Undo merges", button="Undo the merge",
            template="admin/entities/entity/unmerge_confirmation.html",
        )
    try:
        with transaction.atomic():
            results = [
                entity_unmerge(merged=entity, user=request.user, reason=form.cleaned_data["reason"])
                for entity in merged
            ]
    except (MergeError, ConcurrentEditError) as error:
        modeladmin.message_user(request, f"Nothing was undone: {error}", messages.ERROR)
        return None
    restored = sum(result.restored for result in results)
    kept = sum(result.kept for result in results)
    message = f"Undid {len(results)} merge(s); {restored} claim(s) moved back."
    if kept:
        message += f" {kept} claim(s) changed since the merge were left as they are."
    modeladmin.message_user(request, message, messages.WARNING if kept else messages.SUCCESS)
    return None


@admin.register(Entity)
class EntityAdmin(SubjectAdmin):
    list_display = ["label", "kind", "published", "merged_into", "updated_at"]
    list_filter = ["kind", "published"]
    list_select_related = ["merged_into"]
    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}
    readonly_fields = ["merged_into"]  # set and cleared only by the merge and its undo
    inlines = [EntityClaimInline]
    fields = ["label", "slug", "kind", "description", "published", "merged_into"]
    actions = [merge_entities, unmerge_entities]

    def has_merge_permission(self, request):
        return is_reviewer(request.user) and self.has_change_permission(request)
