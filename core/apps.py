from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared building blocks"

    def ready(self):
        from core import history, stamp

        history.connect()
        stamp.connect(history.tracked_models())
