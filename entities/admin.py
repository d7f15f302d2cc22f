from django.contrib import admin

from core.admin import CuratedAdmin
from core.search import name_match
from sources.admin import EntityClaimInline

from .models import Entity


class NameSearchMixin:
    """Admin search and autocomplete find a subject by its label or by any of its names,
    ignoring case, accents, hyphens and Arabic letter variants."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = name_match(search_term)
        if match is not None:
            results = results | queryset.filter(match)
            may_have_duplicates = True
        return results, may_have_duplicates


@admin.register(Entity)
class EntityAdmin(NameSearchMixin, CuratedAdmin):
    list_display = ["label", "kind", "published", "merged_into", "updated_at"]
    list_filter = ["kind", "published"]
    list_select_related = ["merged_into"]
    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["merged_into"]
    inlines = [EntityClaimInline]
    fields = ["label", "slug", "kind", "description", "published", "merged_into"]
