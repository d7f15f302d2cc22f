from django.contrib import admin

from entities.admin import SubjectAdmin
from sources.admin import EventClaimInline

from .models import Event


@admin.register(Event)
class EventAdmin(SubjectAdmin):
    list_display = ["label", "kind", "sort_date", "published", "updated_at"]
    list_filter = ["kind", "published"]
    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}
    date_hierarchy = "sort_date"
    inlines = [EventClaimInline]
    fields = ["label", "slug", "kind", "description", "published"]
