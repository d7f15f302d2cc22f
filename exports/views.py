"""The exports page, listing the files ``manage.py export`` last wrote, and the files."""

import datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils import timezone
from django.views import generic
from django.views.decorators.http import condition, require_safe

from .package import FILES

BY_NAME = {file.name: file for file in FILES}


def _made(path):
    stat = path.stat()
    return stat.st_size, datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)


class ExportListView(generic.TemplateView):
    """What can be downloaded, with each file's size and the time it was made."""

    template_name = "exports/export_list.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        files = []
        for file in FILES:
            path = settings.EXPORTS_DIR / file.name
            if path.is_file():
                size, made = _made(path)
                files.append({"file": file, "size": size, "made": timezone.localtime(made)})
        return super().get_context_data(files=files, **kwargs)


def _last_modified(request, name):
    path = settings.EXPORTS_DIR / name
    return _made(path)[1] if name in BY_NAME and path.is_file() else None


@require_safe
@condition(last_modified_func=_last_modified)
def download(request, name):
    """One export file, streamed from disk; only the files of ``FILES``. A conditional GET
    is answered 304 until the file is made again."""
    if name not in BY_NAME or not (settings.EXPORTS_DIR / name).is_file():
        raise Http404(f"No export file is called “{name}”.")
    path = settings.EXPORTS_DIR / name
    content_type = {
        ".csv": "text/csv; charset=utf-8",
        ".jsonl": "application/jsonl; charset=utf-8",
        ".json": "application/json",
    }[path.suffix]
    response = FileResponse(path.open("rb"), content_type=content_type)
    if path.suffix != ".json":
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
