from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, Q, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.history import save_with_reason
from core.names import normalize
from sources import roles

from . import matcher
from .models import DistinctPair


class FoundByNameMixin:
    """An admin whose search and autocomplete find records by any of their names however
    they are spelt (``search.matcher``), best match first; a slug or a number finds its
    record too."""

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not normalize(term):
            return queryset, False
        named, ranked = matcher.matching(queryset, term)
        by_address = Q(pk=int(term)) if term.isdigit() and len(term) < 10 else Q()
        if "slug" in {field.name for field in queryset.model._meta.fields}:
            by_address |= Q(slug=term)
        best_first = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)),
            default=Value(len(ranked)),
        )
        found = named | queryset.filter(by_address) if by_address else named
        if ORDER_VAR in request.GET:  # a column the curator sorts by
            return found, False
        return found.order_by(best_first, "pk"), False


@admin.register(DistinctPair)
class DistinctPairAdmin(SimpleHistoryAdmin):
    """Pairs judged not the same, added from the review queue's duplicate findings; deleting
    one lists the pair again."""

    list_display = ["first", "second", "reason", "judged_at"]
    list_select_related = ["first", "second"]
    fields = ["first", "second", "reason"]
    autocomplete_fields = ["first", "second"]

    def has_add_permission(self, request):
        return roles.can_merge(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return roles.can_merge(request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def save_model(self, request, obj, form, change):
        obj.judged_by = request.user
        save_with_reason(obj, user=request.user, reason=obj.reason)

    def response_add(self, request, obj, post_url_continue=None):
        """Back to the review queue, where the pair was found."""
        if "_from_queue" in request.GET:
            self.message_user(request, f"“{obj.first}” and “{obj.second}” are not the same.")
            return HttpResponseRedirect(reverse("admin:sources_review"))
        return super().response_add(request, obj, post_url_continue)
