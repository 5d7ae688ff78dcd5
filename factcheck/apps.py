from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check database"

    def ready(self):
        from factcheck import page_cache

        page_cache.connect_signals(self)
        self.connect_flatpage_signals()

    @staticmethod
    def connect_flatpage_signals():
        # The organisation's pages are flatpages, saved by contrib's models: an edit, or a
        # change of the sites a page is on, retires the cached copies like any write.
        from django.contrib.flatpages.models import FlatPage
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from factcheck import page_cache

        for signal, name in ((post_save, "save"), (post_delete, "del")):
            signal.connect(
                page_cache._row_written, sender=FlatPage, dispatch_uid=f"page-cache-{name}-flatpage"
            )
        m2m_changed.connect(
            page_cache._row_written,
            sender=FlatPage.sites.through,
            dispatch_uid="page-cache-sites-flatpage",
        )
