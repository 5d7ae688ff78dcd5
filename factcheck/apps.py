from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check database"

    def ready(self):
        from factcheck import page_cache

        page_cache.connect_signals(self)
