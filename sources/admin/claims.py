from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from core.admin import CuratedAdmin, CuratedInline
from core.forms import ReasonedForm, VersionCheckedForm
from search.admin import FoundByNameMixin

from .. import roles
from ..models import Citation, Claim, Property, Source
from ..review import actions, queue

CLAIM_VALUE_FIELDS = ["value_kind", *Claim.VALUE_FIELDS]
CLAIM_QUALIFIER_FIELDS = ["start", "end", "point_in_time"]
CLAIM_WORD_FIELDS = ["according_to", "statement"]
EDITOR_STATUSES = [Claim.Status.DRAFT, Claim.Status.IN_REVIEW]


# Citations


def citation_fields(user):
    """A citation's fields as its forms show them; the Verified box only to those who verify."""
    verified = ["verified"] if roles.can_verify(user) else []
    return [*Citation.VOUCHED_FIELDS, *verified, "added_by", "verified_by", "verified_at"]


class CitationForm(VersionCheckedForm):
    verified = forms.BooleanField(
        required=False,
        label="Verified",
        help_text="Check after reading the quote in the source itself. "
        "You cannot verify a citation you added.",
    )
    user = None  # set per request by the admin

    class Meta:
        model = Citation
        fields = list(Citation.VOUCHED_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified"].initial = self.instance.is_verified

    def clean(self):
        cleaned = super().clean()
        # A verification vouches for these words in this source: changing them undoes it.
        content_changed = bool(self.instance.pk) and bool(
            set(Citation.VOUCHED_FIELDS) & set(self.changed_data)
        )
        self.was_verified = self.instance.is_verified and not content_changed
        wants_verified = cleaned.get("verified", False)
        if not (self.user and roles.can_verify(self.user)):
            # Editors never see the box; a crafted POST does not verify anything.
            cleaned["verified"] = self.was_verified
        elif wants_verified and not self.was_verified:
            if self.instance.pk is None or self.instance.added_by_id == self.user.pk:
                raise forms.ValidationError(
                    {"verified": "You added this citation; another reviewer must verify it."}
                )
        return cleaned

    def save(self, commit=True):
        citation = super().save(commit=False)
        wants_verified = self.cleaned_data.get("verified", False)
        if wants_verified and not self.was_verified:
            citation.verified_by, citation.verified_at = self.user, timezone.now()
        elif not wants_verified:
            citation.verified_by, citation.verified_at = None, None
        if commit:
            citation.save()
        return citation


class CitationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Claim.Status.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("source")
            and form.cleaned_data.get("stance") == Citation.Stance.SUPPORTS
        ]
        if not kept:
            raise forms.ValidationError(
                "A published claim needs at least one citation that supports it."
            )


class CitationInline(CuratedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    autocomplete_fields = ["source"]
    readonly_fields = ["added_by", "verified_by", "verified_at"]
    show_change_link = False

    def get_fields(self, request, obj=None):
        return [*citation_fields(request.user), "version"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("RequestCitationForm", (formset.form,), {"user": request.user})
        return formset


class VerifiedFilter(admin.SimpleListFilter):
    title = "verification"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "Verified"), ("no", "Not verified")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


class CitationAdminForm(CitationForm, ReasonedForm):
    class Meta(CitationForm.Meta):
        fields = ["claim", *CitationForm.Meta.fields]


@admin.register(Citation)
class CitationAdmin(CuratedAdmin):
    form = CitationAdminForm
    list_display = ["claim", "source", "locator", "added_by", "verified_by", "verified_at"]
    list_select_related = [
        "claim__entity",
        "claim__event",
        "claim__property",
        "claim__value_entity",
        "claim__value_event",
        "source",
        "added_by",
        "verified_by",
    ]
    list_filter = [VerifiedFilter, "source__kind"]
    search_fields = ["quote", "locator", "source__title"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["added_by", "verified_by", "verified_at"]
    actions = [actions.verify_citations]

    def has_verify_permission(self, request):
        return roles.can_verify(request.user)

    def get_fields(self, request, obj=None):
        return ["claim", *citation_fields(request.user)]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type("RequestCitationAdminForm", (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        # A citation stays with the claim it supports; a new claim gets a new citation.
        return [*self.readonly_fields, "claim"] if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "claim" and not roles.can_change_settled(request.user):
            kwargs["queryset"] = Claim.objects.filter(status__in=EDITOR_STATUSES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and not roles.can_change_settled(request.user):
            # What a published claim rests on is changed as the claim is.
            return allowed and obj.claim.status in EDITOR_STATUSES
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.claim.status == Claim.Status.PUBLISHED:
            others = obj.claim.citations.filter(Citation.SUPPORTING).exclude(pk=obj.pk)
            return allowed and others.exists()
        return allowed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


# Claims


class ClaimForm(ReasonedForm):
    class Meta:
        model = Claim
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        for position, error in enumerate(errors.as_data() if errors else []):
            if error.code == "same_claim":
                errors.data[position] = forms.ValidationError(
                    self.same_claim_offer(error.params["claim"]), code="same_claim"
                )

    def same_claim_offer(self, same):
        """The refusal of a second claim for one value, with links to that claim and to a
        citation form for it, filled in with the first citation given here."""
        given = {
            name: self.data.get(f"citations-0-{name}", "")
            for name in ("source", "locator", "stance", "quote", "translation")
        }
        initial = urlencode({"claim": same.pk, **{k: v for k, v in given.items() if v}})
        return format_html(
            'The same claim already exists: <a href="{}">{}</a> (claim {}). Several '
            "sources for one value are one claim: "
            '<a href="{}?{}">add your citation to that claim instead</a>.',
            reverse("admin:sources_claim_change", args=[same.pk]),
            same,
            same.pk,
            reverse("admin:sources_citation_add"),
            initial,
        )


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    form = ClaimForm
    inlines = [CitationInline]
    list_display = ["__str__", "property", "rank", "status", "citation_count", "updated_at"]
    list_select_related = ["entity", "event", "property", "value_entity", "value_event"]
    list_filter = ["status", "rank", "value_kind", "property__datatype", "property"]
    search_fields = ["entity__label", "event__label", "value_text", "value_entity__label", "note"]
    autocomplete_fields = [
        "entity",
        "event",
        "property",
        "value_entity",
        "value_event",
        "according_to",
    ]
    fieldsets = [
        ("Subject", {"fields": ["entity", "event", "property"]}),
        ("Value", {"fields": [*CLAIM_VALUE_FIELDS, "part"]}),
        ("On whose word", {"fields": CLAIM_WORD_FIELDS}),
        ("When it held", {"fields": CLAIM_QUALIFIER_FIELDS}),
        (
            "Review",
            {
                "fields": [
                    "rank",
                    "rank_reason",
                    "status",
                    "status_reason",
                    "note",
                    "note_is_public",
                ]
            },
        ),
    ]
    actions = [
        actions.publish_claims,
        actions.reject_claims,
        actions.deprecate_claims,
        actions.combine_claims,
    ]

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

    def has_rank_permission(self, request):
        return roles.can_rank(request.user)

    def get_urls(self):
        return [
            path(
                "review/", self.admin_site.admin_view(self.review_queue_view), name="sources_review"
            ),
            *super().get_urls(),
        ]

    def review_queue_view(self, request):
        return queue.queue_view(request, self)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_citations=Count("citations"))

    @admin.display(description="citations", ordering="num_citations")
    def citation_count(self, claim):
        return claim.num_citations

    def get_readonly_fields(self, request, obj=None):
        readonly = []
        if not roles.can_rank(request.user):
            readonly += ["rank", "rank_reason"]
        if not roles.can_publish(request.user):
            readonly += ["status_reason"]
        return readonly

    def fields_kept_on_revert(self, request, obj):
        kept = super().fields_kept_on_revert(request, obj)
        return kept if roles.can_publish(request.user) else {*kept, "status"}

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not roles.can_publish(request.user):
            kwargs["choices"] = [
                (value, label) for value, label in Claim.Status.choices if value in EDITOR_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and not roles.can_change_settled(request.user):
            return allowed and obj.status in EDITOR_STATUSES
        return allowed

    def before_inline_save(self, request, instance):
        if isinstance(instance, Citation) and instance.pk is None:
            instance.added_by = request.user

    def history_view(self, request, object_id, extra_context=None):
        records = list(
            Citation.history.filter(claim_id=object_id)
            .select_related("history_user")
            .order_by("-history_date")
        )
        for record in records:
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous, foreign_keys_are_objs=True)
                record.history_delta_changes = [
                    {"field": change.field, "old": change.old, "new": change.new}
                    for change in delta.changes
                    if change.field != "version"
                ]
        extra_context = {
            **(extra_context or {}),
            "related_history": records,
            "related_history_title": "Changes to this claim's citations",
        }
        return super().history_view(request, object_id, extra_context)


# Sources and properties


@admin.register(Source)
class SourceAdmin(FoundByNameMixin, CuratedAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "reliability", "has_archive"]
    list_filter = ["kind", "reliability", "language"]
    search_fields = ["title", "author", "publisher", "url"]

    @admin.display(boolean=True, description="archived")
    def has_archive(self, source):
        return bool(source.archive_url or source.archived_text)


@admin.register(Property)
class PropertyAdmin(CuratedAdmin):
    list_display = [
        "label",
        "code",
        "datatype",
        "applies_to",
        "cardinality",
        "is_name",
        "display_order",
    ]
    list_filter = ["datatype", "applies_to", "cardinality"]
    search_fields = ["label", "code"]
