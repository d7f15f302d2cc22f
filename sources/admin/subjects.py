"""The admin of the subjects, entities and events: each with a summary of its claims, a
search that finds it by any of its names, and for entities the merge and its undo."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce

from core.admin import CuratedAdmin
from core.forms import ReasonedForm
from entities.models import Entity
from events.models import Event
from search import duplicates
from search.admin import FoundByNameMixin

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
    """Adding an entity whose name is alike an existing one's (``search.duplicates``) shows
    those entities, linked, and saves once the curator says it is none of them."""

    not_a_duplicate = forms.BooleanField(
        required=False, label="It is none of these: add it as another entity"
    )

    alike = ()

    def clean(self):
        cleaned = super().clean()
        label = cleaned.get("label")
        if self.instance.pk is None and label and not cleaned.get("not_a_duplicate"):
            self.alike = duplicates.alike(label, kind=cleaned.get("kind") or "")
            if self.alike:
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

    def has_merge_permission(self, request):
        return roles.can_merge(request.user) and self.has_change_permission(request)


@admin.register(Event)
class EventAdmin(SubjectAdmin):
    list_display = ["label", "kind", "sort_date", "published", "updated_at"]
    list_filter = ["kind", "published"]
    date_hierarchy = "sort_date"
    inlines = [EventClaimInline]
    fields = ["label", "slug", "kind", "description", "published"]
