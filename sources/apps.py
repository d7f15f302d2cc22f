from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and claims"

    def ready(self):
        from . import disputes, timeline  # noqa: F401  (connect their receivers)
