"""What every curated model's admin shares: a change reason on every save, refusal of
stale saves (optimistic locking), and a history page that compares and reverts."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from core import history
from core.forms import ReasonedForm, RevertForm, VersionCheckedForm, stale_edit_message
from core.models import ConcurrentEditError


class CuratedAdmin(SimpleHistoryAdmin):
    """Base admin for curated models: reasons, optimistic locking, compare and revert."""

    form = ReasonedForm
    change_form_template = "admin/core/change_form.html"
    object_history_template = "admin/core/object_history.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        # The reason and version are drawn below the inlines, beside the save buttons.
        hidden = {"change_reason", "version"}
        return [
            (
                title,
                {**options, "fields": [name for name in options["fields"] if name not in hidden]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        history.save_with_reason(obj, user=request.user, reason=reason)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            history.delete_with_reason(deleted, user=request.user, reason=reason)
        for instance in instances:
            self.before_inline_save(request, instance)
            history.save_with_reason(instance, user=request.user, reason=reason)
        formset.save_m2m()

    def before_inline_save(self, request, instance):
        """Hook for admins that fill in fields of inline rows (who added a citation)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as error:
            # Lost the race between the form's check and the save: nothing was written.
            self.message_user(
                request, stale_edit_message(error.obj, error.current_version), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    # History: compare two revisions, revert to one.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                self.admin_site.admin_view(self.history_revert_view),
                name="{}_{}_history_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    def _object_and_records(self, request, object_id):
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        return obj, obj.history.select_related("history_user")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's page for a past revision saves on POST, past every rule here;
        # it stays for reading, and reverts go through history_revert_view.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def fields_kept_on_revert(self, request, obj):
        """What a revert leaves as it is: the fields this user cannot edit in the form."""
        model_fields = {field.name for field in self.model._meta.concrete_fields}
        return {name for name in self.get_readonly_fields(request, obj) if name in model_fields}

    def history_compare_view(self, request, object_id):
        obj, records = self._object_and_records(request, object_id)
        try:
            old = records.get(history_id=request.GET.get("old"))
            new = records.get(history_id=request.GET.get("new"))
        except (records.model.DoesNotExist, ValueError):
            raise Http404("Choose two revisions of this object to compare.") from None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Compare revisions: {obj}",
            "old": min(old, new, key=lambda r: r.history_date),
            "new": max(old, new, key=lambda r: r.history_date),
            "changes": history.compare(old, new),
        }
        return TemplateResponse(request, "admin/core/history_compare.html", context)

    def history_revert_view(self, request, object_id, history_id):
        obj, records = self._object_and_records(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(records, history_id=history_id)
        form = RevertForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    history.revert(
                        record=record,
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                        keep=self.fields_kept_on_revert(request, obj),
                    )
            except ValidationError as error:
                self.message_user(
                    request, "Not reverted: " + " ".join(error.messages), messages.ERROR
                )
            except (ConcurrentEditError, ValueError, IntegrityError) as error:
                self.message_user(request, f"Not reverted: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Reverted “{obj}” to the revision of {record.history_date:%Y-%m-%d %H:%M}.",
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
                    )
                )
        current = records.first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Revert {obj}",
            "record": record,
            "form": form,
            "changes": history.compare(record, current) if current and current != record else [],
        }
        return TemplateResponse(request, "admin/core/history_revert.html", context)


class CuratedInline(admin.TabularInline):
    """Inline rows carry their version too, so a stale row is refused like a stale page."""

    form = VersionCheckedForm
    extra = 0
    show_change_link = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


admin.site.site_header = "Armed groups database — curation"
admin.site.site_title = "Curation"
admin.site.index_title = "Curate entities, events, sources and claims"
