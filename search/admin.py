from django.contrib import admin
from django.db.models import Case, Value, When
from simple_history.admin import SimpleHistoryAdmin

from core.history import save_with_reason
from core.names import normalize
from sources import roles

from . import matcher
from .models import DistinctPair


class FoundByNameMixin:
    """An admin whose search and autocomplete find records by any of their names however
    they are spelt (``search.matcher``), best match first, beside its ``search_fields``."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not normalize(search_term):
            return results, may_have_duplicates
        named, ranked = matcher.matching(queryset, search_term)
        best_first = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)),
            default=Value(len(ranked)),
        )
        return (results | named).order_by(best_first, "pk"), may_have_duplicates


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
