"""The admin of the subjects, entities and events: each with a summary of its claims, a
search that finds it by any of its names, and for entities the merge and its undo."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce

from core.admin import CuratedAdmin
from core.forms import ReasonedForm
from core.history import save_with_reason
from entities.models import Entity
from events.models import Event
from search import duplicates
from search.admin import FoundByNameMixin
from search.models import DistinctPair

from .. import roles
from ..models import Citation, Claim
from ..review import actions


class SubjectClaimInline(admin.TabularInline):
    """A subject's claims at a glance, grouped by property, with a flag where a property has
    several values. Each claim opens in its own page, where its value is edited beside its
    citations; the summary carries no editable field, so saving the subject never touches them."""

    model = Claim
    template = "admin/sources/subject_claims_inline.html"
    fields = ["property"]
    readonly_fields = ["property"]
    extra = 0
    can_delete = False
    verbose_name_plural = "claims"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        cited = (
            Citation.objects.filter(claim=OuterRef("pk"))
            .values("claim")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("property", "value_entity", "value_event")
            .annotate(
                property_count=Window(Count("pk"), partition_by=[F(self.fk_name), F("property")]),
                citation_count=Coalesce(Subquery(cited), 0),
            )
            .by_rank()
        )


class EntityClaimInline(SubjectClaimInline):
    fk_name = "entity"


class EventClaimInline(SubjectClaimInline):
    fk_name = "event"


class SubjectAdmin(FoundByNameMixin, CuratedAdmin):
    """What the entity and event admins share. Search and autocomplete find a subject by its
    label or by any of its names (``search.matcher``); only those who may publish publish or
    unpublish a subject."""

    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if roles.can_publish(request.user) else [*readonly, "published"]


class EntityForm(ReasonedForm):
    """Adding an entity, or renaming one, with a name alike another entity's
    (``search.duplicates``) shows those entities, linked, and saves once the curator says it
    is none of them (which a reviewer's save records as ``DistinctPair`` s)."""

    not_a_duplicate = forms.BooleanField(
        required=False, label="It is none of these: keep it as another entity"
    )

    alike = ()

    def clean(self):
        cleaned = super().clean()
        label = cleaned.get("label")
        renamed = self.instance.pk is None or "label" in self.changed_data
        if label and renamed:
            kind = cleaned.get("kind") or ""
            self.alike = duplicates.alike(label, kind=kind, exclude=self.instance.pk)
            if self.alike and not cleaned.get("not_a_duplicate"):
                raise ValidationError(
                    "An entity with a name alike “%(label)s” exists. Open it to check whether "
                    "it is the one you mean; if it is not, tick “It is none of these” and save.",
                    code="likely_duplicate",
                    params={"label": label},
                )
        return cleaned


@admin.register(Entity)
class EntityAdmin(SubjectAdmin):
    list_display = ["label", "kind", "published", "merged_into", "updated_at"]
    list_filter = ["kind", "published"]
    list_select_related = ["merged_into"]
    readonly_fields = ["merged_into"]  # set and cleared only by the merge and its undo
    inlines = [EntityClaimInline]
    fields = ["label", "slug", "kind", "description", "published", "merged_into"]
    form = EntityForm
    actions = [actions.merge_entities, actions.unmerge_entities]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if (
            form.alike
            and form.cleaned_data.get("not_a_duplicate")
            and roles.can_merge(request.user)
        ):
            for other in form.alike:
                pair = DistinctPair(first=obj, second_id=other.pk, judged_by=request.user)
                pair.put_in_order()
                if not DistinctPair.objects.filter(
                    first_id=pair.first_id, second_id=pair.second_id
                ).exists():
                    pair.reason = f"Saved as another entity than “{other.label}” by its curator."
                    save_with_reason(pair, user=request.user, reason=pair.reason)

    def has_merge_permission(self, request):
        return roles.can_merge(request.user) and self.has_change_permission(request)


@admin.register(Event)
class EventAdmin(SubjectAdmin):
    list_display = ["label", "kind", "sort_date", "published", "updated_at"]
    list_filter = ["kind", "published"]
    date_hierarchy = "sort_date"
    inlines = [EventClaimInline]
    fields = ["label", "slug", "kind", "description", "published"]
