from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from sources.models import Claim

from . import exchange, progress, reports, services, tasks
from .forms import ChoicesForm, UploadForm
from .models import ImportBatch
from .texts import read_texts

FILES = ("claims_data", "sources_data", "texts")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are uploaded, previewed and applied on their own pages; the list is their log."""

    list_display = ["__str__", "created_at", "user", "state", "arrives_as", "changed"]
    list_filter = ["state"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    @admin.display(description="claims and citations written")
    def changed(self, batch):
        counts = batch.report.get("counts", {}) if batch.state == batch.State.APPLIED else {}
        return counts.get("claims created", 0) + counts.get("citations created", 0)

    def get_queryset(self, request):
        # The uploaded files stay in the database until a preview or an apply reads them.
        return super().get_queryset(request).defer(*FILES)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("add/", view(self.upload_view), name="imports_importbatch_add"),
            path("<int:pk>/", view(self.batch_view), name="imports_importbatch_batch"),
            path("<int:pk>/change/", view(self.batch_view), name="imports_importbatch_change"),
            *super().get_urls(),
        ]

    def context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            batch = form.save(commit=False)
            batch.user = request.user
            try:
                self.read_uploads(batch, form.cleaned_data)
            except exchange.FileError as error:
                for message in error.errors:
                    form.add_error(None, message)
            else:
                batch.save()
                self.start(batch, apply_it=False)
                return redirect("admin:imports_importbatch_batch", pk=batch.pk)
        context = self.context(request, "Import claims", form=form, columns=exchange.COLUMNS)
        return TemplateResponse(request, "admin/imports/upload.html", context)

    def read_uploads(self, batch, data):
        claims = data["claims"]
        batch.claims_name, batch.claims_data = claims.name, claims.read()
        if data.get("sources"):
            batch.sources_name, batch.sources_data = data["sources"].name, data["sources"].read()
        batch.texts = read_texts((upload.name, upload.read()) for upload in data["texts"])
        batch.rows_total = len(exchange.read_claims(batch.claims_name, batch.claims_data))

    def start(self, batch, *, apply_it):
        """Preview or apply now for a small file; in the background for a large one."""
        if batch.rows_total <= settings.IMPORT_ROWS_IN_REQUEST:
            tasks.run(batch, apply_it=apply_it)
            return
        batch.state = batch.State.APPLYING if apply_it else batch.State.PREVIEWING
        batch.save(update_fields=["state"])
        work = tasks.apply_batch if apply_it else tasks.preview_batch
        transaction.on_commit(lambda: work.enqueue(batch.pk))

    def batch_view(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.select_related("user").defer(*FILES), pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        report = batch.report or {}
        may_act = (
            self.has_add_permission(request)
            and batch.state == batch.State.PREVIEWED
            and request.user == batch.user  # the one who uploaded it answers for it
        )
        may_apply = may_act and not report.get("errors") and not report.get("to_confirm")
        form = ChoicesForm(
            request.POST or None, pending=report.get("to_confirm", []), chosen=batch.choices
        )
        if request.method == "POST":
            if not may_act or ("apply" in request.POST and not may_apply):
                raise PermissionDenied
            if "apply" in request.POST:
                return self.apply(request, batch)
            if form.is_valid() and form.choices():
                return self.choose(request, batch, form.choices())
            return redirect("admin:imports_importbatch_batch", pk=batch.pk)
        done, total = progress.read(batch.pk)
        context = self.context(
            request,
            str(batch),
            batch=batch,
            report=report,
            counts=reports.counted(report),
            matched=reports.matched(report),
            form=form,
            may_act=may_act,
            may_apply=may_apply,
            running=batch.state in (batch.State.PREVIEWING, batch.State.APPLYING),
            done=done,
            total=total or batch.rows_total,
            written=_claims_written(batch),
        )
        return TemplateResponse(request, "admin/imports/batch.html", context)

    def choose(self, request, batch, choices):
        # A choice changes what the import does: the curator sees the new preview first.
        batch.choices = {**batch.choices, **choices}
        batch.save(update_fields=["choices"])
        self.start(batch, apply_it=False)
        messages.info(request, "Your choices were applied to the preview; check it again.")
        return redirect("admin:imports_importbatch_batch", pk=batch.pk)

    def apply(self, request, batch):
        # Taken from "previewed" in one statement, so that a second click applies nothing.
        taken = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PREVIEWED)
        if not taken.update(state=ImportBatch.State.APPLYING):
            messages.warning(request, f"{batch} is already being applied.")
            return redirect("admin:imports_importbatch_batch", pk=batch.pk)
        self.start(batch, apply_it=True)
        batch.refresh_from_db()
        if batch.state == batch.State.APPLIED:
            messages.success(request, f"{batch} was applied.")
        elif batch.state == batch.State.PREVIEWED:
            messages.error(request, "Nothing was imported; see the problems below.")
        return redirect("admin:imports_importbatch_batch", pk=batch.pk)


def _claims_written(batch):
    """The claims the applied import created (at most ``services.LISTED``)."""
    if batch.change_set_id is None:
        return []
    created = Claim.history.filter(change_set=batch.change_set_id, history_type="+")
    return Claim.objects.filter(pk__in=created.values("id")).select_related(
        "property", "entity", "event", "value_entity", "value_event"
    )[: services.LISTED]
